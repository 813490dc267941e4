// Sv39 address spaces: roots and ASIDs switched by satp writes, ASID fences, global pages (asid.inc).
// EXPECT-EXIT: 0
#define LEVELS 3
#include "asid.inc"
