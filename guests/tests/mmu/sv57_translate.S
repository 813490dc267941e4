// Sv57 translation in S and U mode: offset, aliased, upper-half mappings, faults (translate.inc).
// EXPECT-EXIT: 0
#define LEVELS 5
#include "translate.inc"
