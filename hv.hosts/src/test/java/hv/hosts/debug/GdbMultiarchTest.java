package hv.hosts.debug;

import static hv.hosts.debug.DebugVm.symbol;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The real gdb (Debian's gdb-multiarch, installed by scripts/setup-host.sh) in batch mode against
 * the stub: it reads target.xml, sets breakpoints by symbol, continues (stepping over its own
 * breakpoint each time, in a loop the JIT has translated), reads registers and memory, single-steps,
 * changes a0 and sees the guest's exit status change, and stops on a write with a hardware watchpoint.
 */
class GdbMultiarchTest {

    @Test
    void gdbMultiarchDebugsABareMetalGuestWithTheJitOn() throws Exception {
        String old = System.getProperty("hv.jit.threshold");
        System.setProperty("hv.jit.threshold", "1");
        DebugVm vm;
        try {
            vm = new DebugVm(2, true);
        } finally {
            if (old == null) {
                System.clearProperty("hv.jit.threshold");
            } else {
                System.setProperty("hv.jit.threshold", old);
            }
        }
        List<String> cmd = new ArrayList<>(List.of("gdb-multiarch", "-nx", "-batch",
                "-ex", "set confirm off",
                "-ex", "target remote 127.0.0.1:" + vm.port));
        for (String c : List.of(
                "info threads",
                "break *hot_mid", "continue", "continue", "continue", "printf \"S3=%d\\n\", $s3",
                "delete", "break *check_result", "continue",
                "info registers a0 pc",
                "stepi", "printf \"PC=%#lx\\n\", $pc",
                "x/gx &magic",
                "info registers priv mstatus fflags",
                "set $a0 = 23",
                "delete",
                "thread 2", "set scheduler-locking on", // only hart 1 runs (vCont;c:2): hart 0 must not finish
                "watch *(long *)&hart1_count", "continue", // hart 1 increments it
                "delete", "set scheduler-locking off", "continue")) {
            cmd.add("-ex");
            cmd.add(c);
        }
        cmd.add(DebugVm.elf().toString());
        Process gdb = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(gdb.getInputStream().readAllBytes());
        assertTrue(gdb.waitFor(30, TimeUnit.SECONDS), out);

        assertTrue(out.contains("Thread 1") && out.contains("Thread 2"), "two harts, two threads:\n" + out);
        assertTrue(out.contains("S3=3"), "three stops in the hot loop:\n" + out);
        assertTrue(out.contains("in check_result"), out);
        assertEquals("0x10", field(out, "(?m)^a0\\s+(\\S+)"), "triple_plus_one(5) = 16:\n" + out);
        assertEquals(String.format("0x%x", symbol("check_result")), field(out, "(?m)^pc\\s+(\\S+)"), out);
        assertEquals(String.format("0x%x", symbol("check_result") + 2), field(out, "PC=(\\S+)"), "one instruction:\n" + out);
        assertTrue(out.contains("0x1122334455667788"), "memory:\n" + out);
        assertTrue(out.matches("(?s).*priv\\s+0x3.*"), "M-mode:\n" + out);
        assertTrue(out.contains("mstatus") && out.contains("fflags"), out);
        assertTrue(out.matches("(?s).*Hardware watchpoint \\d+: \\*\\(long \\*\\)&hart1_count\\s+Old value = \\d+\\s+New value = \\d+.*"),
                "a hardware watchpoint (Z2) on hart 1's counter:\n" + out);
        assertTrue(out.contains("exited with code 027"), "a0 = 23 makes the guest fail with 23 (gdb prints octal):\n" + out);
        assertEquals(23, vm.outcome().exitCode());
    }

    private static String field(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        return m.find() ? m.group(1) : "(not found)";
    }
}
