// Sv39 A and D bits set by the hardware walker, from S and U mode (ad.inc).
// EXPECT-EXIT: 0
#define LEVELS 3
#include "ad.inc"
