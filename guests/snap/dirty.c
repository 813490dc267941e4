/*
 * Snapshot and migration test guest (hv.hosts snapshot tests): rewrites a 2 MiB buffer in rounds,
 * so that every round dirties every page of it, then leaves a checksum in memory and passes.
 * The host reads and writes three words at a fixed address (MAILBOX, below the top of a 16 MiB RAM):
 *   [0] the checksum, written at the end
 *   [1] rounds done so far (how far the guest got when it was snapshotted or migrated)
 *   [2] rounds to run, set by the host before the start (0: DEFAULT_ROUNDS, several seconds)
 * The checksum depends only on the number of rounds (the test recomputes it in Java).
 */
#include "hv.h"

#define MAILBOX ((volatile uint64_t *)0x80f00000UL)
#define WORDS ((2u << 20) / 8)
#define DEFAULT_ROUNDS 1000

static uint64_t buf[WORDS];

int main(void)
{
    uint64_t rounds = MAILBOX[2] ? MAILBOX[2] : DEFAULT_ROUNDS;
    uint64_t x = 0x9e3779b97f4a7c15UL;
    for (uint64_t r = 0; r < rounds; r++) {
        for (unsigned i = 0; i < WORDS; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            buf[i] = buf[i] * 31 + x;
        }
        MAILBOX[1] = r + 1;
    }
    uint64_t sum = 0;
    for (unsigned i = 0; i < WORDS; i++) {
        sum = sum * 1099511628211UL + buf[i];
    }
    MAILBOX[0] = sum;
    return 0;
}
