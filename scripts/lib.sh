# Shared by scripts/test and scripts/demo: where things are and how to build.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${COROTIDY_BUILD_DIR:-$root/build}"
llvm_bin=/usr/lib/llvm-22/bin

configure_and_build() {
  "$root/scripts/bootstrap"
  local generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  if [[ ! -f "$build/CMakeCache.txt" ]]; then
    cmake -S "$root" -B "$build" "${generator[@]}" \
      -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
      -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
  fi
  cmake --build "$build" -j "$(nproc)"
}
