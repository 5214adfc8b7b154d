# lit configuration for corotidy's tests. Paths come from lit.site.cfg.py,
# which CMake writes into the build tree; CTest passes it as --param site=.
import os
import shutil
import lit.formats

if not hasattr(config, "corotidy_build_dir"):
    site = lit_config.params.get("site")
    if not site or not os.path.exists(site):
        lit_config.fatal("no lit.site.cfg.py: run the tests with ctest from the "
                         "build directory, or pass --param site=<build>/test/lit.site.cfg.py")
    lit_config.load_config(config, site)

config.name = "corotidy"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cpp", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "README.md"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.corotidy_build_dir, "test")

# Only what the tests need from the caller's environment.
config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, os.environ.get("PATH", "")])
config.environment["HOME"] = os.environ.get("HOME", "/tmp")

python = config.python_executable
test_dir = config.test_source_root
inputs = os.path.join(test_dir, "checks", "Inputs")

check_coro_tidy = (
    f"{python} {os.path.join(test_dir, 'check_coro_tidy.py')}"
    f" --clang-tidy {config.clang_tidy} --plugin {config.plugin}"
    f" --clangxx {config.clangxx} --filecheck {config.filecheck}"
    f" --inputs {inputs}")
lsp_check = (
    f"{python} {os.path.join(test_dir, 'clangd', 'lsp_check.py')}"
    f" --clangd {config.clangd} --inputs {inputs}")

lsp_edit = (
    f"{python} {os.path.join(test_dir, 'clangd', 'lsp_edit.py')}"
    f" --clangd {config.clangd}")

config.substitutions += [
    ("%check_coro_tidy", check_coro_tidy),
    ("%lsp_edit", lsp_edit),
    ("%lsp_check", lsp_check),
    ("%clang_tidy", config.clang_tidy),
    ("%old_clang_tidy", config.old_clang_tidy),
    ("%plugin", config.plugin),
    ("%clangd", config.clangd),
    ("%clangxx", config.clangxx),
    ("%corotidy_index", config.corotidy_index),
    ("%corotidy_report", config.corotidy_report),
    ("%python", python),
    ("%inputs", inputs),
    ("%test_dir", test_dir),
]

if os.path.exists(config.old_clang_tidy):
    config.available_features.add("old-clang-tidy")
# A real editor for the editor test (scripts/bootstrap installs Debian's).
if shutil.which("nvim", path=config.environment["PATH"]):
    config.available_features.add("nvim")
