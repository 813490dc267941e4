package hv.cpu.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline can fail: an instruction whose result legitimately differs between the two
 * runs (rdtime: HV's test clock stands at 0, qemu-user reads the host's) must be reported as a
 * difference and minimized down to itself; an instruction HV refuses must be reported as an HV fault
 * of that block only.
 */
class DifferTest {
    private static Differ differ;

    @BeforeAll
    static void tools() throws Exception {
        differ = new Differ(Toolchain.find());
    }

    private static Block block(int number, String... lines) {
        Block random = new BlockGenerator(99, Set.of()).generate(number, 1);
        List<Item> items = new ArrayList<>();
        for (String line : lines) {
            items.add(new Item(items.size(), Kind.INT, List.of(line), -1));
        }
        return random.withItems(items);
    }

    @Test
    void aMissingToolFailsNamingTheDebianPackage() {
        org.opentest4j.AssertionFailedError e = org.junit.jupiter.api.Assertions.assertThrows(
                org.opentest4j.AssertionFailedError.class, () -> Toolchain.onPath("riscv64-no-such-tool", "qemu-user"));
        assertTrue(e.getMessage().contains("hv.cpu.diff") && e.getMessage().contains("apt-get install qemu-user"),
                e.getMessage());
    }

    @Test
    void sameStraightLineCodeAgrees() throws Exception {
        Differ.Run run = differ.run("differtest-agree", List.of(block(0, "add a0, a1, a2", "sd a0, 16(s0)", "mulh a3, a0, a1"),
                block(1, "fadd.d fa0, fa1, fa2, rtz", "fsd fa0, 8(sp)")));
        for (Differ.Verdict v : run.verdicts()) {
            assertFalse(v.failed(), () -> v.fault() + " " + v.differences());
        }
    }

    @Test
    void aDifferingRegisterIsReportedAndMinimizedToItsCause() throws Exception {
        Block b = block(0, "add a1, a2, a3", "xor a4, a5, a6", "sd a4, 8(s0)", "rdtime a0", "sub a7, a1, a4",
                "srli a0, a0, 0", "mul t0, t1, t2");
        Differ.Verdict v = differ.run("differtest-rdtime", List.of(b)).verdicts().get(0);
        assertTrue(v.failed());
        assertEquals(null, v.fault());
        assertEquals(List.of("x10/a0"), v.differences().stream().map(BlockState.Difference::field).toList(),
                "exactly a0 differs");
        Differ.Verdict m = new Minimizer(differ).minimize(v);
        assertEquals(List.of("rdtime a0"), m.block().items().stream().map(Item::toString).toList());
        String report = FailureReport.of(v, m, differ);
        assertTrue(report.contains("minimized from 7 to 1 items") && report.contains("rdtime") && report.contains(b.replay()),
                report);
    }

    @Test
    void hvGivesTheSpecificationsAnswersToTheReferenceProbe() throws Exception {
        // what the random blocks leave out because qemu gets it wrong is checked here against the spec
        HvRunner.Outcome hv = HvRunner.run(differ.tools().build("reference-probe-hv", ReferenceQuirks.source()), 0);
        assertEquals(Map.of(), hv.faults());
        assertEquals(0, hv.exitStatus());
        long[] got = ReferenceQuirks.results(hv.stdout());
        for (int i = 0; i < got.length; i++) {
            ReferenceQuirks.Probe p = ReferenceQuirks.PROBES.get(i);
            assertEquals(p.expected(), got[i], p.insn() + " after " + p.setup() + ": " + p.spec());
        }
    }

    @Test
    void anHvFaultIsChargedToItsBlockAndTheOthersStillCompare() throws Exception {
        Block before = block(0, "add a0, a1, a2", "sd a0, 0(s0)");
        Block after = block(2, "sub a0, a1, a2", "sd a0, 8(s0)", "fmul.s ft0, ft1, ft2");
        // U-mode may not touch mstatus: HV's process-mode hart exits with an illegal-instruction TRAP
        // (qemu would kill the program with SIGILL, so HV runs this program alone)
        Block bad = block(1, "add a3, a3, a3", "csrr a0, mstatus", "add a4, a4, a4");
        var elf = differ.tools().build("differtest-fault", ProgramSource.render(List.of(before, bad, after)));
        HvRunner.Outcome hv = HvRunner.run(elf, 3);
        assertEquals(0, hv.exitStatus());
        assertEquals(Set.of(1), hv.faults().keySet(), hv.faults().toString());
        assertTrue(hv.faults().get(1).contains("illegal instruction"), hv.faults().get(1));

        // the blocks around it match qemu running the same program with a nop (same size) in its place
        var ok = differ.tools().build("differtest-nofault", ProgramSource.render(List.of(before, block(1, "add a3, a3, a3", "nop", "add a4, a4, a4"), after)));
        Toolchain.Result q = differ.tools().runQemu(ok);
        assertEquals(0, q.status(), q.stderr());
        for (int k : new int[] {0, 2}) {
            assertEquals(List.of(), BlockState.differences(BlockState.finalState(q.stdout(), k),
                    BlockState.finalState(hv.stdout(), k)), "block " + k);
        }
        assertNotNull(BlockState.finalState(hv.stdout(), 1));
    }
}
