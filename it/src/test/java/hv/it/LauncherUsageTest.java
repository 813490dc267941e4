package hv.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static hv.it.LauncherAssertions.assertHintWorks;
import static hv.it.LauncherAssertions.assertNoStackTrace;
import static hv.it.LauncherAssertions.assertUsageError;
import static hv.it.LauncherAssertions.assertUsageErrorShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./hv --help}, and how the launcher treats bad command lines (exit 2, one line, a hint). */
class LauncherUsageTest {

    private static final Pattern COMMAND_ROW = Pattern.compile("^ {2}([a-z][\\w-]*)\\s+\\S.*$");

    @Test
    void helpListsTheSubcommandsAndEachHasItsOwnHelp() {
        Hv.Result help = Hv.run("--help");

        assertEquals(0, help.exit(), help::toString);
        assertEquals("", help.err(), help::toString);
        assertTrue(help.out().startsWith("Usage: hv "), help::toString);
        List<String> commands = listedCommands(help);
        assertTrue(commands.containsAll(List.of("version", "devices")), () -> "subcommands listed: " + commands + "\n" + help);
        for (String command : commands) {
            Hv.Result sub = Hv.run(command, "--help");
            assertEquals(0, sub.exit(), sub::toString);
            assertTrue(sub.out().startsWith("Usage: hv " + command), sub::toString);
            assertNoStackTrace(sub);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"frobnicate", "devic"})
    void unknownSubcommandIsAUsageError(String command) {
        assertUsageError(Hv.run(command), command);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--frobnicate", "-Z"})
    void unknownTopLevelOptionIsAUsageError(String option) {
        assertUsageError(Hv.run(option), option);
    }

    /**
     * picocli checks required options before it reports an unknown one, so for a subcommand with
     * required options (e.g. {@code dtb --out}) the one error line may name the missing option
     * instead; either way it is a one-line usage error with a working hint.
     */
    @Test
    void unknownOptionOfEachSubcommandIsAUsageError() {
        for (String command : listedCommands(Hv.run("--help"))) {
            Hv.Result r = Hv.run(command, "--no-such-option");
            assertUsageErrorShape(r);
            String error = r.errLines().get(0);
            assertTrue(error.contains("--no-such-option") || error.contains("Missing required"), r::toString);
            assertTrue(r.errLines().get(1).contains("hv " + command), r::toString);
        }
    }

    @Test
    void surplusArgumentIsAUsageError() {
        assertUsageError(Hv.run("version", "surplus"), "surplus");
    }

    @Test
    void optionWithoutItsValueIsAUsageError() {
        assertUsageError(Hv.run("devices", "--plugins"), "--plugins");
    }

    @Test
    void noSubcommandIsAUsageErrorWithUsageOnStderr() {
        Hv.Result r = Hv.run();

        assertNoStackTrace(r);
        assertEquals(2, r.exit(), r::toString);
        assertEquals("", r.out(), "the guest console owns stdout; usage goes to stderr\n" + r);
        List<String> err = r.errLines();
        assertTrue(err.size() >= 2 && err.get(err.size() - 2).startsWith("hv: "), r::toString);
        assertHintWorks(r, err.get(err.size() - 1));
    }

    /** The rows of the "Commands:" section of {@code ./hv --help}. */
    private static List<String> listedCommands(Hv.Result help) {
        List<String> commands = new ArrayList<>();
        boolean inCommands = false;
        for (String line : help.outLines()) {
            if (line.equals("Commands:")) {
                inCommands = true;
            } else if (inCommands) {
                Matcher m = COMMAND_ROW.matcher(line);
                if (m.matches()) {
                    commands.add(m.group(1));
                } else if (!line.startsWith("   ")) {
                    break; // end of the section (continuation lines of a long description are indented deeper)
                }
            }
        }
        assertTrue(!commands.isEmpty(), () -> "no Commands: section in\n" + help);
        return commands;
    }
}
