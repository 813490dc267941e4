// Sv48 permissions (U/SUM/MXR), reserved encodings, malformed tables, misaligned superpages (perms.inc).
// EXPECT-EXIT: 0
#define LEVELS 4
#include "perms.inc"
