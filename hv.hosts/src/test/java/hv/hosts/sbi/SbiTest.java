package hv.hosts.sbi;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SbiTest {

    /** Records what the SBI asked of the machine. */
    static final class FakePlatform implements SbiPlatform {
        final int harts;
        final List<String> calls = new ArrayList<>();
        final ByteArrayOutputStream console = new ByteArrayOutputStream();
        final byte[] ram = new byte[4096];
        final long ramBase = 0x8000_0000L;
        String input = "";

        FakePlatform(int harts) {
            this.harts = harts;
        }

        public int hartCount() { return harts; }
        public void setTimer(int hart, long deadline) { calls.add("timer " + hart + " " + deadline); }
        public void sendIpi(int hart) { calls.add("ipi " + hart); }
        public void clearIpi(int hart) { calls.add("clear-ipi " + hart); }
        public void remoteFenceI(int hart) { calls.add("fence.i " + hart); }
        public void remoteSfenceVma(int hart, long start, long size, long asid) { calls.add("sfence " + hart + " " + start + " " + size + " " + asid); }
        public void awaitRemoteFences(int hart) { calls.add("await " + hart); }
        public long hartStart(int hart, long start, long opaque) { calls.add("start " + hart + " " + start + " " + opaque); return hart == 0 ? Sbi.ERR_ALREADY_AVAILABLE : 0; }
        public long hartStop(int hart) { calls.add("stop " + hart); return 0; }
        public long hartStatus(int hart) { return hart == 0 ? 0 : 1; }
        public long hartSuspend(int hart, long type, long resume, long opaque) { calls.add("suspend " + hart + " " + type); return 0; }
        public void systemReset(long type, long reason) { calls.add("reset " + type + " " + reason); }
        public void consoleWrite(byte b) { console.write(b); }
        public int consoleRead() {
            if (input.isEmpty()) {
                return -1;
            }
            char c = input.charAt(0);
            input = input.substring(1);
            return c;
        }
        public boolean readPhysical(long address, byte[] dst, int length) {
            long off = address - ramBase;
            if (off < 0 || off + length > ram.length) {
                return false;
            }
            System.arraycopy(ram, (int) off, dst, 0, length);
            return true;
        }
        public boolean writePhysical(long address, byte[] src, int length) {
            long off = address - ramBase;
            if (off < 0 || off + length > ram.length) {
                return false;
            }
            System.arraycopy(src, 0, ram, (int) off, length);
            return true;
        }
    }

    private static long[] call(Sbi sbi, int hart, long eid, long fid, long... args) {
        long[] x = new long[32];
        System.arraycopy(args, 0, x, 10, args.length);
        x[17] = eid;
        x[16] = fid;
        sbi.handle(hart, x);
        return new long[] {x[10], x[11]};
    }

    @Test
    void baseReportsVersionAndProbesExtensions() {
        Sbi sbi = new Sbi(new FakePlatform(1));
        assertArrayEquals(new long[] {0, 2L << 24}, call(sbi, 0, 0x10, 0));
        assertArrayEquals(new long[] {0, Sbi.IMPL_ID}, call(sbi, 0, 0x10, 1));
        assertArrayEquals(new long[] {0, 1}, call(sbi, 0, 0x10, 3, 0x48534DL));
        assertArrayEquals(new long[] {0, 1}, call(sbi, 0, 0x10, 3, 0x4442434EL));
        assertArrayEquals(new long[] {0, 0}, call(sbi, 0, 0x10, 3, 0x12345678L));
        assertEquals(Sbi.ERR_NOT_SUPPORTED, call(sbi, 0, 0x10, 99)[0]);
        assertEquals(Sbi.ERR_NOT_SUPPORTED, call(sbi, 0, 0x0A000000L, 0)[0], "unknown extension");
    }

    @Test
    void ipiHonoursMaskAndBase() {
        FakePlatform p = new FakePlatform(4);
        Sbi sbi = new Sbi(p);
        assertEquals(0, call(sbi, 0, 0x735049L, 0, 0b101, 1)[0]);
        assertEquals(List.of("ipi 1", "ipi 3"), p.calls);
        p.calls.clear();
        assertEquals(0, call(sbi, 0, 0x735049L, 0, 0, -1)[0]);
        assertEquals(List.of("ipi 0", "ipi 1", "ipi 2", "ipi 3"), p.calls);
        p.calls.clear();
        assertEquals(Sbi.ERR_INVALID_PARAM, call(sbi, 0, 0x735049L, 0, 0b1, 4)[0], "hart 4 does not exist");
        assertEquals(List.of(), p.calls, "an invalid mask must not half-apply");
    }

    @Test
    void rfenceForwardsRangeAndAsid() {
        FakePlatform p = new FakePlatform(2);
        Sbi sbi = new Sbi(p);
        call(sbi, 0, 0x52464E43L, 0, 0b10, 0);
        call(sbi, 0, 0x52464E43L, 1, 0b01, 0, 0x1000, 0x2000);
        call(sbi, 0, 0x52464E43L, 2, 0b01, 0, 0x1000, 0x2000, 7);
        assertEquals(List.of("fence.i 1", "await 1", "sfence 0 4096 8192 -1", "await 0", "sfence 0 4096 8192 7", "await 0"),
                p.calls);
        assertEquals(Sbi.ERR_NOT_SUPPORTED, call(sbi, 0, 0x52464E43L, 3, 1, 0)[0]);
    }

    @Test
    void rfenceAsksEveryTargetBeforeWaitingForAny() {
        FakePlatform p = new FakePlatform(3);
        Sbi sbi = new Sbi(p);
        assertEquals(0, call(sbi, 0, 0x52464E43L, 1, 0b110, 0, 0, -1)[0]);
        assertEquals(List.of("sfence 1 0 -1 -1", "sfence 2 0 -1 -1", "await 1", "await 2"), p.calls);
        p.calls.clear();
        assertEquals(0, call(sbi, 2, 0x52464E43L, 0, 0, -1)[0], "hart_mask_base -1: all harts");
        assertEquals(List.of("fence.i 0", "fence.i 1", "fence.i 2", "await 0", "await 1", "await 2"), p.calls);
        p.calls.clear();
        assertEquals(Sbi.ERR_INVALID_PARAM, call(sbi, 0, 0x52464E43L, 0, 0b1000, 0)[0]);
        assertEquals(List.of(), p.calls, "an invalid mask neither fences nor waits");
    }

    @Test
    void hsmValidatesHartIds() {
        FakePlatform p = new FakePlatform(2);
        Sbi sbi = new Sbi(p);
        assertEquals(0, call(sbi, 0, 0x48534DL, 0, 1, 0x80200000L, 42)[0]);
        assertEquals(Sbi.ERR_ALREADY_AVAILABLE, call(sbi, 1, 0x48534DL, 0, 0, 0x80200000L, 42)[0]);
        assertEquals(Sbi.ERR_INVALID_PARAM, call(sbi, 0, 0x48534DL, 0, 2, 0, 0)[0]);
        assertEquals(Sbi.ERR_INVALID_PARAM, call(sbi, 0, 0x48534DL, 0, -1, 0, 0)[0]);
        assertArrayEquals(new long[] {0, 1}, call(sbi, 0, 0x48534DL, 2, 1));
        assertEquals(List.of("start 1 2149580800 42", "start 0 2149580800 42"), p.calls);
    }

    @Test
    void srstShutdownAndRejectsBadType() {
        FakePlatform p = new FakePlatform(1);
        Sbi sbi = new Sbi(p);
        assertEquals(Sbi.ERR_INVALID_PARAM, call(sbi, 0, 0x53525354L, 0, 3, 0)[0]);
        assertEquals(0, call(sbi, 0, 0x53525354L, 0, 0, 0)[0]);
        assertEquals(List.of("reset 0 0"), p.calls);
    }

    @Test
    void debugConsoleWritesFromGuestMemoryAndRefusesBadAddresses() {
        FakePlatform p = new FakePlatform(1);
        byte[] msg = "hello".getBytes();
        System.arraycopy(msg, 0, p.ram, 16, msg.length);
        Sbi sbi = new Sbi(p);
        assertArrayEquals(new long[] {0, 5}, call(sbi, 0, 0x4442434EL, 0, 5, 0x8000_0010L, 0));
        assertEquals("hello", p.console.toString());
        assertEquals(Sbi.ERR_INVALID_PARAM, call(sbi, 0, 0x4442434EL, 0, 5, 0x1000, 0)[0]);
        assertEquals(Sbi.ERR_INVALID_PARAM, call(sbi, 0, 0x4442434EL, 0, 5, 0x8000_0010L, 1)[0]);
        call(sbi, 0, 0x4442434EL, 2, '!');
        assertEquals("hello!", p.console.toString());
        p.input = "ab";
        assertArrayEquals(new long[] {0, 2}, call(sbi, 0, 0x4442434EL, 1, 8, 0x8000_0100L, 0));
        assertEquals('a', p.ram[0x100]);
        assertEquals('b', p.ram[0x101]);
    }

    @Test
    void pmuDescribesCycleTimeInstretAndRefusesEvents() {
        Sbi sbi = new Sbi(new FakePlatform(1));
        assertArrayEquals(new long[] {0, 1}, call(sbi, 0, 0x10, 3, 0x504D55L));
        assertArrayEquals(new long[] {0, 3}, call(sbi, 0, 0x504D55L, 0));
        assertArrayEquals(new long[] {0, 0xC01 | (63L << 12)}, call(sbi, 0, 0x504D55L, 1, 1));
        assertEquals(Sbi.ERR_INVALID_PARAM, call(sbi, 0, 0x504D55L, 1, 3)[0]);
        assertEquals(Sbi.ERR_NOT_SUPPORTED, call(sbi, 0, 0x504D55L, 2, 0, 7, 0, 1)[0]);
    }

    @Test
    void legacyConsoleAndTimer() {
        FakePlatform p = new FakePlatform(1);
        Sbi sbi = new Sbi(p);
        call(sbi, 0, 1, 0, 'x');
        assertEquals("x", p.console.toString());
        assertEquals(-1, call(sbi, 0, 2, 0)[0]);
        p.input = "q";
        assertEquals('q', call(sbi, 0, 2, 0)[0]);
        call(sbi, 0, 0, 0, 12345);
        assertEquals(List.of("timer 0 12345"), p.calls);
    }

    @Test
    void callCountsAreExactWhenHartsCallConcurrently() throws InterruptedException {
        Sbi sbi = new Sbi(new FakePlatform(4));
        int perHart = 100_000;
        Thread[] vcpus = new Thread[4];
        for (int h = 0; h < vcpus.length; h++) {
            int hart = h;
            vcpus[h] = new Thread(() -> {
                long[] x = new long[32];
                for (int i = 0; i < perHart; i++) {
                    x[17] = 0x10; // BASE get_spec_version: touches nothing but the counters
                    x[16] = 0;
                    sbi.handle(hart, x);
                }
            });
        }
        for (Thread t : vcpus) {
            t.start();
        }
        for (Thread t : vcpus) {
            t.join();
        }
        assertEquals(4L * perHart, sbi.callCounts()[1], "every vCPU's ecall is counted, none lost to a race");
    }

    @Test
    void everyCallWritesBothReturnRegisters() {
        Sbi sbi = new Sbi(new FakePlatform(2));
        long[] x = new long[32];
        x[10] = 0b11;
        x[11] = 0;
        x[17] = 0x735049L; // IPI
        sbi.handle(0, x);
        assertArrayEquals(new long[] {0, 0}, new long[] {x[10], x[11]}, "a1 is 0, not the stale hart_mask_base");
        x[11] = 77;
        x[17] = 0x54494D45L; // TIME, fid 1 does not exist
        x[16] = 1;
        sbi.handle(0, x);
        assertArrayEquals(new long[] {Sbi.ERR_NOT_SUPPORTED, 0}, new long[] {x[10], x[11]});
    }
}
