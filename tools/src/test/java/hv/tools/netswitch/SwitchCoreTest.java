package hv.tools.netswitch;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwitchCoreTest {
    static final long A = 0x525400000aaaL;
    static final long B = 0x525400000bbbL;
    static final long C = 0x525400000cccL;
    static final long BROADCAST = 0xffffffffffffL;
    static final long MULTICAST = 0x01005e000001L;
    static final long AGEING = 300_000_000_000L;

    /** Records what the switch sends to a port; can play a slow peer. */
    static final class RecordingOutlet implements Outlet {
        final List<ByteBuf> sent = new ArrayList<>();
        boolean writable = true;
        int flushes;
        boolean closed;

        @Override
        public boolean writable() {
            return writable;
        }

        @Override
        public void write(ByteBuf frame) {
            sent.add(frame);
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {
            closed = true;
        }

        /** Destination MACs of what was sent, releasing the buffers. */
        List<Long> take() {
            List<Long> macs = new ArrayList<>();
            for (ByteBuf b : sent) {
                macs.add(MacTable.mac(b, b.readerIndex() + 4));
                b.release();
            }
            sent.clear();
            return macs;
        }
    }

    long now;
    final List<Runnable> scheduled = new ArrayList<>();
    final SwitchCore core = new SwitchCore(1024, AGEING, () -> now, scheduled::add);
    final RecordingOutlet oa = new RecordingOutlet();
    final RecordingOutlet ob = new RecordingOutlet();
    final RecordingOutlet oc = new RecordingOutlet();
    final SwitchPort pa = core.addPort("a", oa);
    final SwitchPort pb = core.addPort("b", ob);
    final SwitchPort pc = core.addPort("c", oc);

    static ByteBuf wire(long dst, long src, int payload) {
        ByteBuf b = Unpooled.buffer();
        b.writeInt(14 + payload);
        b.writeShort((int) (dst >>> 32)).writeInt((int) dst);
        b.writeShort((int) (src >>> 32)).writeInt((int) src);
        b.writeShort(0x0800);
        b.writeZero(payload);
        return b;
    }

    /** Forwards a frame as the server does: the caller's reference is released afterwards. */
    ByteBuf send(SwitchPort in, long dst, long src) {
        ByteBuf w = wire(dst, src, 46);
        core.forward(in, w);
        w.release();
        return w;
    }

    @Test
    void unknownUnicastFloodsThenLearnedAddressesGoToOnePortOnly() {
        send(pa, B, A);
        assertEquals(List.of(), oa.take(), "never back to the ingress port");
        assertEquals(List.of(B), ob.take());
        assertEquals(List.of(B), oc.take(), "B unknown yet: flooded");
        send(pb, A, B);
        assertEquals(List.of(A), oa.take());
        assertEquals(List.of(), oc.take(), "A was learned on port a: C sees nothing");
        send(pa, B, A);
        assertEquals(List.of(B), ob.take());
        assertEquals(List.of(), oc.take(), "B learned on port b");
        assertEquals(1, core.flooded, "only the first frame was flooded");
        assertSame(pa, core.whereIs(A));
        assertSame(pb, core.whereIs(B));
    }

    @Test
    void broadcastAndMulticastFloodToEveryOtherPortAndAreNotLearnedAsSources() {
        send(pb, A, B);
        oa.take();
        oc.take();
        send(pa, BROADCAST, A);
        send(pa, MULTICAST, A);
        assertEquals(List.of(BROADCAST, MULTICAST), ob.take());
        assertEquals(List.of(BROADCAST, MULTICAST), oc.take());
        assertEquals(List.of(), oa.take());
        // A frame with a group source address is forwarded but never learned.
        send(pc, BROADCAST, MULTICAST);
        assertNull(core.whereIs(MULTICAST));
    }

    @Test
    void learnedAddressesAgeOut() {
        send(pa, BROADCAST, A);
        ob.take();
        oc.take();
        now += AGEING;
        send(pb, A, B);
        assertEquals(List.of(A), oa.take());
        assertEquals(List.of(), oc.take(), "still fresh at exactly the ageing time");
        now += 1;
        send(pb, A, B);
        assertEquals(List.of(A), oc.take(), "A aged out: flooded again");
        oa.take();
        now += AGEING + 1;
        assertEquals(1, core.expire(), "the periodic sweep drops B, silent for too long");
        assertEquals(0, core.learnedAddresses());
    }

    @Test
    void aPortThatLeavesIsForgottenAndGetsNothing() {
        send(pa, BROADCAST, A);
        send(pc, BROADCAST, C);
        ob.take();
        oa.take();
        oc.take();
        core.removePort(pa);
        assertNull(core.whereIs(A));
        assertSame(pc, core.whereIs(C));
        send(pb, A, B);
        assertEquals(List.of(), oa.take(), "a departed port receives nothing");
        assertEquals(List.of(A), oc.take(), "A is unknown again: flooded to the remaining ports");
        assertEquals(2, core.portCount());
    }

    @Test
    void aFrameForAStationBehindItsOwnIngressPortIsFiltered() {
        send(pa, BROADCAST, A);
        ob.take();
        oc.take();
        send(pa, A, 0x525400000dddL);
        assertEquals(List.of(), oa.take());
        assertEquals(List.of(), ob.take());
        assertEquals(1, core.filtered);
    }

    @Test
    void countersCountFramesAndBytesPerPort() {
        send(pa, B, A); // flooded to b and c
        send(pb, A, B); // to a only
        ob.take();
        oc.take();
        oa.take();
        assertEquals(2, pa.rxFrames + pb.rxFrames);
        assertEquals(60, pa.rxBytes);
        assertEquals(1, pa.txFrames);
        assertEquals(60, pa.txBytes);
        assertEquals(1, pb.txFrames);
        assertEquals(1, pc.txFrames);
        SwitchStats s = core.stats();
        assertEquals(3, s.ports().size());
        assertEquals(2, s.totalRxFrames());
        String text = s.format();
        assertTrue(text.contains("RX_FRAMES") && text.contains("macs 2/1024"), text);
    }

    @Test
    void aSlowPortHasFramesDroppedAndCountedWithoutHoldingThem() {
        oc.writable = false;
        ByteBuf w = send(pa, BROADCAST, A);
        assertEquals(1, pc.txDropped);
        assertEquals(0, pc.txFrames);
        assertEquals(List.of(BROADCAST), ob.take());
        assertEquals(0, w.refCnt(), "every duplicate was released: nothing leaks for the slow port");
    }

    @Test
    void writesAreFlushedOncePerBatch() {
        for (int i = 0; i < 10; i++) {
            send(pa, BROADCAST, A);
        }
        assertEquals(1, scheduled.size(), "one flush task for the whole burst");
        assertEquals(0, ob.flushes);
        scheduled.removeFirst().run();
        assertEquals(1, ob.flushes);
        assertEquals(1, oc.flushes);
        assertEquals(0, oa.flushes, "nothing was written to the ingress port");
        send(pa, BROADCAST, A);
        assertEquals(1, scheduled.size(), "the next burst schedules the next flush");
        ob.take();
        oc.take();
    }

    @Test
    void aFullTableFloodsNewStationsAndCountsIt() {
        SwitchCore small = new SwitchCore(2, AGEING, () -> now, Runnable::run);
        RecordingOutlet o1 = new RecordingOutlet();
        RecordingOutlet o2 = new RecordingOutlet();
        SwitchPort p1 = small.addPort("1", o1);
        SwitchPort p2 = small.addPort("2", o2);
        for (long src : new long[] {A, B, C}) {
            ByteBuf x = wire(BROADCAST, src, 46);
            small.forward(p1, x);
            x.release();
        }
        assertEquals(1, small.learnFailures);
        assertEquals(2, small.learnedAddresses());
        ByteBuf y = wire(C, B, 46);
        small.forward(p2, y);
        y.release();
        assertFalse(o1.take().isEmpty(), "C was never learned: flooded");
        o2.take();
    }
}
