#include "alloc_counter.h"
#include "checksum.h"
#include "scrambler.h"
#include "serve.h"

int main(int argc, char **argv) {
  Checksum checksum;
  Scrambler scrambler;
  return bench::run(argc, argv, [&](long calls, long seed) {
    return serve(checksum, scrambler, calls, seed);
  });
}
