package hv.devices.virtio;

import hv.devices.testing.MockVirtioDriver.Buf;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Virtqueue#giveBack}: the device steps its last_avail_idx back over chains it popped
 * and did not complete, so they are popped again in the same order; it is refused for more than
 * were popped, and once a used element was written after them. The test thread plays the device
 * (requests are made available without a notify, so the echo device never sees them).
 */
class GiveBackTest {

    private static int[] post(EchoRig r, int n) {
        int[] heads = new int[n];
        for (int i = 0; i < n; i++) {
            heads[i] = r.driver.chain(0, Buf.out(r.driver.alloc(64 * (i + 1), 16), 64 * (i + 1)));
            r.driver.makeAvailable(0, heads[i]);
        }
        return heads;
    }

    @Test
    void chainsGivenBackArePoppedAgainInOrder() {
        try (EchoRig r = new EchoRig(false).up()) {
            int[] heads = post(r, 4);
            Virtqueue q = r.device.context().queue(0);
            DescriptorChain[] first = {q.pop(), q.pop(), q.pop()};
            for (int i = 0; i < 3; i++) {
                assertEquals(heads[i], first[i].head());
            }

            assertTrue(q.giveBack(2), "the last two popped, none completed");
            assertTrue(q.hasAvailable());
            DescriptorChain again1 = q.pop();
            DescriptorChain again2 = q.pop();
            DescriptorChain fourth = q.pop();
            assertEquals(heads[1], again1.head(), "the first given back comes first");
            assertEquals(128, again1.writableBytes(), "the same chain, walked again");
            assertEquals(heads[2], again2.head());
            assertEquals(192, again2.writableBytes());
            assertEquals(heads[3], fourth.head(), "then the chain that was never popped");
            assertNull(q.pop());
            assertEquals(0, r.driver.usedIdx(0), "nothing was completed on the way");
        }
    }

    @Test
    void givingBackMoreThanWasPoppedIsRefusedAndChangesNothing() {
        try (EchoRig r = new EchoRig(false).up()) {
            int[] heads = post(r, 3);
            Virtqueue q = r.device.context().queue(0);
            assertFalse(q.giveBack(1), "nothing popped yet");
            assertEquals(heads[0], q.pop().head());
            assertEquals(heads[1], q.pop().head());
            assertFalse(q.giveBack(3), "only two were popped");
            assertFalse(q.giveBack(-1));
            assertEquals(heads[2], q.pop().head(), "a refused give-back left the queue where it was");
            assertTrue(q.giveBack(3));
            assertFalse(q.giveBack(1), "all three are back already");
            assertEquals(heads[0], q.pop().head());
        }
    }

    @Test
    void aChainCannotBeGivenBackOnceAUsedElementWasWrittenAfterIt() {
        try (EchoRig r = new EchoRig(false).up()) {
            int[] heads = post(r, 4);
            Virtqueue q = r.device.context().queue(0);
            DescriptorChain a = q.pop();
            DescriptorChain b = q.pop();
            q.addUsed(a, 0);
            assertFalse(q.giveBack(1), "b was popped before a used element was written");
            assertFalse(q.giveBack(2), "a is in the used ring");

            DescriptorChain c = q.pop();
            assertNotNull(c);
            assertTrue(q.giveBack(1), "c was popped after the last used element");
            assertEquals(heads[2], q.pop().head());

            DescriptorChain d = q.pop();
            q.addUsedGroup(new DescriptorChain[] {b, d}, new long[] {0, 0}, 2);
            assertFalse(q.giveBack(1), "a used group counts as well");
            assertEquals(heads[3], d.head());
            assertEquals(3, r.driver.usedIdx(0));
        }
    }
}
