// Sv39 translation in S and U mode: offset, aliased, upper-half mappings, faults (translate.inc).
// EXPECT-EXIT: 0
#define LEVELS 3
#include "translate.inc"
