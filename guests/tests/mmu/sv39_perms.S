// Sv39 permissions (U/SUM/MXR), reserved encodings, malformed tables, misaligned superpages (perms.inc).
// EXPECT-EXIT: 0
#define LEVELS 3
#include "perms.inc"
