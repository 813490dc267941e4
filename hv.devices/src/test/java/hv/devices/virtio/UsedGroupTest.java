package hv.devices.virtio;

import hv.devices.testing.MockVirtioDriver.Buf;
import hv.devices.testing.MockVirtioDriver.Used;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * {@link Virtqueue#addUsedGroup}: several completions published by one used-index update, in
 * order, with lengths clamped as {@link Virtqueue#addUsed} clamps them. The test thread plays
 * the device (requests are made available without a notify, so the echo device never sees them).
 */
class UsedGroupTest {

    @Test
    void aGroupIsPublishedInOrderWithClampedLengthsAndAnEmptyGroupPublishesNothing() {
        try (EchoRig r = new EchoRig(false).up()) {
            int[] heads = new int[3];
            for (int i = 0; i < 3; i++) {
                heads[i] = r.driver.chain(0, Buf.out(r.driver.alloc(64, 16), 64));
                r.driver.makeAvailable(0, heads[i]);
            }
            Virtqueue q = r.device.context().queue(0);
            DescriptorChain[] chains = {q.pop(), q.pop(), q.pop()};
            for (DescriptorChain c : chains) {
                assertNotNull(c);
            }
            long[] written = {64, 10, 1000};

            q.addUsedGroup(chains, written, 0);
            assertEquals(0, r.driver.usedIdx(0), "an empty group publishes nothing");

            q.addUsedGroup(chains, written, 2);
            assertEquals(2, r.driver.usedIdx(0), "both completions at once");
            Used first = r.driver.waitUsed(0);
            Used second = r.driver.waitUsed(0);
            assertEquals(heads[0], first.id());
            assertEquals(64, first.len());
            assertEquals(heads[1], second.id());
            assertEquals(10, second.len());

            q.addUsedGroup(new DescriptorChain[] {chains[2]}, new long[] {written[2]}, 1);
            Used third = r.driver.waitUsed(0);
            assertEquals(heads[2], third.id());
            assertEquals(64, third.len(), "a length beyond the chain's writable bytes is clamped");
            assertEquals(3, r.driver.usedIdx(0));
        }
    }
}
