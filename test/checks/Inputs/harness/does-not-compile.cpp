// clang-tidy defines __clang_analyzer__, the compile step does not: only
// the compile step sees the error.
#ifndef __clang_analyzer__
int broken = ;
#endif
