// Sv48 superpages: 1 GiB and 2 MiB leaves (and 512 GiB under Sv48) in S and U mode (superpages.inc).
// EXPECT-EXIT: 0
#define LEVELS 4
#include "superpages.inc"
