// Sv48 remapping from S-mode + sfence.vma (all forms) gives the new translation (sfence.inc).
// EXPECT-EXIT: 0
#define LEVELS 4
#include "sfence.inc"
