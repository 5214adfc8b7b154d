#pragma once
#include "handler.h"

// The hot loop: the calls alternate between the two handlers.
bench::Task<long> serve(Handler &first, Handler &second, long calls, long seed);
