package hv.hosts.debug;

import static hv.hosts.debug.DebugVm.symbol;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hv.hosts.VmOutcome;
import org.junit.jupiter.api.Test;

/**
 * The gdb stub driven over TCP by a protocol client ({@link RspClient}) against a bare-metal guest
 * (guests/tests/debug/gdb_target.S): breakpoints, registers, memory, single-step, changing the
 * program's result, Ctrl-C, two harts as two threads, the JIT, and a debugger that misbehaves.
 */
class GdbStubTest {
    private static final int A0 = 10, S2 = 18, S3 = 19, PC = 0x20;

    private static String hex(long v) {
        return Long.toHexString(v);
    }

    @Test
    void breakpointRegistersMemoryStepAndAChangedResult() throws Exception {
        DebugVm vm = new DebugVm(1, true);
        try (RspClient gdb = new RspClient(vm.port)) {
            String features = gdb.ask("qSupported:multiprocess+;swbreak+;xmlRegisters=i386");
            assertTrue(features.contains("PacketSize=4000") && features.contains("qXfer:features:read+"), features);
            String xml = gdb.ask("qXfer:features:read:target.xml:0,3fff");
            assertTrue(xml.startsWith("l") && xml.contains("org.gnu.gdb.riscv.cpu") && xml.contains("org.gnu.gdb.riscv.fpu")
                    && xml.contains("<architecture>riscv:rv64</architecture>") && xml.contains("name=\"mstatus\""), xml);
            gdb.startNoAck();
            assertEquals("T05thread:1;", gdb.ask("?"));
            assertEquals(symbol("_start"), gdb.register(PC), "--gdb-wait: nothing ran yet");

            long check = symbol("check_result");
            gdb.expectOk(gdb.ask("Z0," + hex(check) + ",2"));
            assertEquals("T05thread:1;", gdb.ask("vCont;c"));
            assertEquals(check, gdb.register(PC));
            String g = gdb.ask("g");
            assertEquals(65 * 16, g.length());
            assertEquals(16, RspClient.littleEndian(g.substring(A0 * 16, A0 * 16 + 16)), "triple_plus_one(5) in a0");
            assertEquals(check, RspClient.littleEndian(g.substring(PC * 16, PC * 16 + 16)));
            assertEquals(0x1122334455667788L, gdb.readLong(symbol("magic")));
            assertEquals(3, gdb.register(0x41 + 4096), "priv: M-mode");

            gdb.expectOk(gdb.ask("z0," + hex(check) + ",2"));
            assertEquals("T05thread:1;", gdb.ask("vCont;s:1"));
            assertEquals(check + 2, gdb.register(PC), "one compressed instruction");
            assertEquals(0, gdb.register(A0), "addi a0, a0, -16 ran once");

            gdb.setRegister(A0, 7); // the check now fails with status 7
            gdb.send("c");
            assertEquals("W07", gdb.reply());
        }
        VmOutcome outcome = vm.outcome();
        assertEquals(7, outcome.exitCode(), outcome.toString());
    }

    @Test
    void ctrlCStopsASpinningGuestAndMemoryWritesSteerIt() throws Exception {
        DebugVm vm = new DebugVm(1, true);
        try (RspClient gdb = new RspClient(vm.port)) {
            gdb.writeLong(symbol("spin_flag"), 1);
            gdb.send("c");
            Thread.sleep(200);
            assertFalse(vm.ended());
            gdb.interrupt();
            assertEquals("T02thread:1;", gdb.reply());
            long pc = gdb.register(PC);
            assertTrue(pc >= symbol("spin") && pc < symbol("spin") + 16, "in the spin loop: 0x" + hex(pc));
            long spins = gdb.register(S2);
            assertTrue(spins > 10, "spun " + spins + " times");
            gdb.writeLong(symbol("spin_flag"), 0);
            gdb.send("c");
            assertEquals("W00", gdb.reply());
        }
        assertEquals(0, vm.outcome().exitCode());
    }

    @Test
    void twoHartsAreTwoThreads() throws Exception {
        DebugVm vm = new DebugVm(2, true);
        try (RspClient gdb = new RspClient(vm.port)) {
            assertEquals("m1,2", gdb.ask("qfThreadInfo"));
            assertEquals("l", gdb.ask("qsThreadInfo"));
            assertEquals("OK", gdb.ask("T2"));
            assertTrue(gdb.ask("T3").startsWith("E"));
            long loop = symbol("secondary_loop");
            gdb.writeLong(symbol("spin_flag"), 1); // hart 0 spins until we clear it
            gdb.expectOk(gdb.ask("Z1," + hex(loop) + ",2")); // a hardware breakpoint
            assertEquals("T05thread:2;", gdb.ask("vCont;c"));
            assertEquals("QC2", gdb.ask("qC"));
            gdb.expectOk(gdb.ask("Hg2"));
            assertEquals(loop, gdb.register(PC));
            assertEquals(1, gdb.register(A0), "a0 = mhartid on hart 1");
            gdb.expectOk(gdb.ask("Hg1"));
            long pc1 = gdb.register(PC);
            // hart 0 was stopped too (all-stop), somewhere on its way to the spin loop or in it
            assertTrue(pc1 >= symbol("_start") && pc1 < symbol("spin") + 16, "hart 0 at 0x" + hex(pc1));
            gdb.writeLong(symbol("spin_flag"), 0); // hart 0 may finish once resumed
            long count = gdb.readLong(symbol("hart1_count"));
            gdb.expectOk(gdb.ask("Hc2"));
            gdb.expectOk(gdb.ask("z1," + hex(loop) + ",2"));
            assertEquals("T05thread:2;", gdb.ask("s")); // old-style step of the Hc thread only, over the breakpoint
            gdb.expectOk(gdb.ask("Z1," + hex(loop) + ",2"));
            assertEquals("T05thread:2;", gdb.ask("vCont;c:2")); // hart 0 stays stopped
            gdb.expectOk(gdb.ask("Hg2"));
            assertEquals(loop, gdb.register(PC));
            assertEquals(count + 1, gdb.readLong(symbol("hart1_count")), "one more iteration of hart 1");
            gdb.expectOk(gdb.ask("D")); // detach: breakpoints go, the harts run on and hart 0 passes
        }
        assertEquals(0, vm.outcome().exitCode());
    }

    @Test
    void breakpointsHoldInJitTranslatedCode() throws Exception {
        DebugVm vm = jitVm();
        try (RspClient gdb = new RspClient(vm.port)) {
            gdb.startNoAck();
            long mid = symbol("hot_mid");
            gdb.expectOk(gdb.ask("Z0," + hex(mid) + ",2"));
            for (int i = 1; i <= 4; i++) {
                assertEquals("T05thread:1;", gdb.ask("vCont;c"));
                assertEquals(mid, gdb.register(PC));
                assertEquals(i, gdb.register(S3), "iteration " + i);
                gdb.expectOk(gdb.ask("z0," + hex(mid) + ",2"));
                assertEquals("T05thread:1;", gdb.ask("vCont;s"));
                gdb.expectOk(gdb.ask("Z0," + hex(mid) + ",2"));
            }
            gdb.expectOk(gdb.ask("z0," + hex(mid) + ",2"));
            gdb.send("vCont;c");
            assertEquals("W00", gdb.reply());
        }
        assertEquals(0, vm.outcome().exitCode());
    }

    @Test
    void patchingCodeTheJitTranslatedTakesEffect() throws Exception {
        DebugVm vm = jitVm();
        try (RspClient gdb = new RspClient(vm.port)) {
            gdb.writeLong(symbol("spin_flag"), 1);
            gdb.send("c");
            Thread.sleep(150); // the spin loop runs translated by now
            gdb.interrupt();
            assertEquals("T02thread:1;", gdb.reply());
            long branch = symbol("spin") + 14; // bnez t1, spin
            assertEquals("e31903fe", gdb.ask("m" + hex(branch) + ",4"));
            gdb.expectOk(gdb.ask("M" + hex(branch) + ",4:13000000")); // -> addi x0, x0, 0
            assertEquals("13000000", gdb.ask("m" + hex(branch) + ",4"));
            gdb.send("c"); // the loop ends although spin_flag is still set: the stale translation is gone
            assertEquals("W00", gdb.reply());
        }
        assertEquals(0, vm.outcome().exitCode());
    }

    /** A VM whose harts translate every block at once (-Dhv.jit.threshold=1). */
    private static DebugVm jitVm() throws Exception {
        String old = System.getProperty("hv.jit.threshold");
        System.setProperty("hv.jit.threshold", "1");
        try {
            return new DebugVm(1, true);
        } finally {
            if (old == null) {
                System.clearProperty("hv.jit.threshold");
            } else {
                System.setProperty("hv.jit.threshold", old);
            }
        }
    }

    @Test
    void watchpointsReportTheWatchedAddress() throws Exception {
        DebugVm vm = new DebugVm(2, true);
        try (RspClient gdb = new RspClient(vm.port)) {
            gdb.writeLong(symbol("spin_flag"), 1); // hart 0 spins reading spin_flag; hart 1 counts
            long count = symbol("hart1_count");
            gdb.expectOk(gdb.ask("Z2," + hex(count) + ",8"));
            assertEquals("T05thread:2;watch:" + hex(count) + ";", gdb.ask("vCont;c"));
            gdb.expectOk(gdb.ask("Hg2"));
            assertEquals(symbol("secondary_loop") + 10, gdb.register(PC), "after the store (sd at +6, 4 bytes)");
            assertEquals(1, gdb.readLong(count));
            gdb.expectOk(gdb.ask("z2," + hex(count) + ",8"));
            long flag = symbol("spin_flag");
            gdb.expectOk(gdb.ask("Z3," + hex(flag) + ",8"));
            assertEquals("T05thread:1;rwatch:" + hex(flag) + ";", gdb.ask("vCont;c:1")); // hart 0 alone
            assertEquals("T05thread:1;rwatch:" + hex(flag) + ";", gdb.ask("?"));
            gdb.expectOk(gdb.ask("z3," + hex(flag) + ",8"));
            gdb.writeLong(flag, 0);
            gdb.send("c");
            assertEquals("W00", gdb.reply());
        }
        assertEquals(0, vm.outcome().exitCode());
    }

    @Test
    void killEndsTheVm() throws Exception {
        DebugVm vm = new DebugVm(1, true);
        try (RspClient gdb = new RspClient(vm.port)) {
            gdb.writeLong(symbol("spin_flag"), 1); // left alone, the guest would spin forever
            gdb.send("k");
            assertTrue(gdb.closedByPeer());
        }
        assertEquals(VmOutcome.Kind.QUIT, vm.outcome().kind());
    }

    @Test
    void garbageGetsErrorsAndTheGuestRunsOnWhenTheDebuggerGoes() throws Exception {
        DebugVm vm = new DebugVm(1, true);
        try (RspClient gdb = new RspClient(vm.port)) {
            gdb.raw("$g#00"); // bad checksum: nacked, not executed
            assertEquals('-', gdbRead(gdb));
            gdb.raw("xyz+++\u0001\u00ff"); // noise between packets is ignored
            assertEquals("", gdb.ask("qNoSuchThing"));
            assertEquals("E14", gdb.ask("m0,8"), "unmapped memory");
            assertEquals("E14", gdb.ask("M10,1:00"), "device memory is not written");
            assertTrue(gdb.ask("mzz,8").startsWith("E"));
            assertTrue(gdb.ask("m80000000").startsWith("E"));
            assertTrue(gdb.ask("Pfff0=00").startsWith("E"), "no such register");
            assertTrue(gdb.ask("p1234").startsWith("E"));
            assertTrue(gdb.ask("M80000000,4:0011").startsWith("E"), "length mismatch");
            assertTrue(gdb.ask("Hg99").startsWith("E"));
            assertTrue(gdb.ask("vCont;x").startsWith("E"));
            assertTrue(gdb.ask("Z0,").startsWith("E"));
            assertEquals("", gdb.ask("Z7,80002000,8"), "no such breakpoint type");
            assertTrue(gdb.ask("Z2,80002000,0").startsWith("E"), "an empty watchpoint");
            assertEquals("T05thread:1;", gdb.ask("?"), "still talking");
            gdb.raw("$" + "a".repeat(RspChannel.MAX_PACKET + 100)); // an endless packet: dropped
            assertTrue(gdb.closedByPeer());
        }
        // the harts were released when the connection dropped: the guest runs to its end
        assertEquals(0, vm.outcome().exitCode());
    }

    @Test
    void disconnectingMidPacketResumesTheHartsAndAnotherDebuggerCanAttach() throws Exception {
        DebugVm vm = new DebugVm(1, true);
        long spins;
        try (RspClient gdb = new RspClient(vm.port)) {
            gdb.writeLong(symbol("spin_flag"), 1);
            gdb.expectOk(gdb.ask("Z0," + hex(symbol("check_result")) + ",2"));
            spins = gdb.register(S2);
            gdb.raw("$m8000"); // and gone, mid-packet
        }
        Thread.sleep(100);
        try (RspClient gdb = new RspClient(vm.port)) {
            assertEquals("T05thread:1;", gdb.ask("?"), "attaching stops the running machine");
            assertTrue(gdb.register(S2) > spins + 10, "the hart ran on after the first debugger left");
            gdb.writeLong(symbol("spin_flag"), 0);
            gdb.send("c"); // the first debugger's breakpoint went with it
            assertEquals("W00", gdb.reply());
        }
        assertEquals(0, vm.outcome().exitCode());
    }

    private static int gdbRead(RspClient gdb) throws Exception {
        return gdb.readByte();
    }
}
