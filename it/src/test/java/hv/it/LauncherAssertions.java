package hv.it;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every launcher run must look like, whatever went wrong. */
final class LauncherAssertions {

    private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$/]+\\(.*\\)$");
    private static final Pattern USAGE_HINT = Pattern.compile("usage: (hv(?: [a-z][\\w-]*)*) --help");

    private LauncherAssertions() {
    }

    /** HV never shows a Java stack trace to the user (only with HV_DEBUG, which the tests clear). */
    static void assertNoStackTrace(Hv.Result r) {
        String all = r.out() + r.err();
        assertFalse(STACK_FRAME.matcher(all).find(), () -> "stack trace escaped:\n" + r);
        assertFalse(all.contains("Exception in thread"), () -> "uncaught exception:\n" + r);
        assertFalse(all.contains("Caused by: "), () -> "stack trace escaped:\n" + r);
    }

    /**
     * Bad configuration or input: exit 3, nothing on stdout, every stderr line an {@code hv: ...}
     * line, the last one naming {@code named} (the option, file or section at fault).
     */
    static void assertBadInput(Hv.Result r, String named) {
        assertNoStackTrace(r);
        assertEquals(3, r.exit(), r::toString);
        assertEquals("", r.out(), r::toString);
        List<String> err = r.errLines();
        assertTrue(!err.isEmpty() && err.stream().allMatch(l -> l.startsWith("hv: ")), () -> "every stderr line starts with 'hv: ':\n" + r);
        assertTrue(err.get(err.size() - 1).contains(named), () -> "the last line should name '" + named + "':\n" + r);
    }

    /**
     * A usage error: exit 2, nothing on stdout, and on stderr exactly one {@code hv: ...} line that
     * names the offending argument, then a usage hint that is itself a working command.
     */
    static void assertUsageError(Hv.Result r, String offending) {
        assertUsageErrorShape(r);
        List<String> err = r.errLines();
        assertTrue(err.get(0).contains(offending), () -> "the error line should name '" + offending + "':\n" + r);
    }

    /** Exit 2, nothing on stdout, one {@code hv: ...} line and a working usage hint on stderr. */
    static void assertUsageErrorShape(Hv.Result r) {
        assertNoStackTrace(r);
        assertEquals(2, r.exit(), r::toString);
        assertEquals("", r.out(), r::toString);
        List<String> err = r.errLines();
        assertEquals(2, err.size(), () -> "one error line and one usage hint expected:\n" + r);
        assertTrue(err.get(0).startsWith("hv: "), () -> "the error line should start with 'hv: ':\n" + r);
        assertHintWorks(r, err.get(1));
    }

    /** The hint {@code usage: hv [cmd] --help} must run and print that command's usage (each hint is run once per test JVM). */
    static void assertHintWorks(Hv.Result r, String hintLine) {
        Matcher m = USAGE_HINT.matcher(hintLine);
        assertTrue(m.matches(), () -> "not a usage hint: '" + hintLine + "'\n" + r);
        if (WORKING_HINTS.contains(hintLine)) {
            return;
        }
        String[] command = m.group(1).split(" ");
        String[] args = new String[command.length];
        System.arraycopy(command, 1, args, 0, command.length - 1);
        args[command.length - 1] = "--help";
        Hv.Result help = Hv.run(args);
        assertEquals(0, help.exit(), () -> "the usage hint '" + hintLine + "' does not work:\n" + help);
        assertTrue(help.out().startsWith("Usage: " + m.group(1)), help::toString);
        WORKING_HINTS.add(hintLine);
    }

    private static final Set<String> WORKING_HINTS = ConcurrentHashMap.newKeySet();
}
