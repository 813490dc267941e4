package hv.it;

import hv.api.device.DeviceProvider;
import org.junit.jupiter.api.Test;

import java.lang.module.ModuleFinder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static hv.it.LauncherAssertions.assertNoStackTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./hv version} and {@code ./hv --version}. */
class VersionCommandTest {

    private static final Pattern VERSION_LINE =
            Pattern.compile("hv (\\S+) \\(device SPI (\\d+), Java (\\d+)[^,]*, (\\S+)\\)");

    @Test
    void versionPrintsHvVersionSpiAndJava() {
        Hv.Result r = Hv.run("version");

        assertNoStackTrace(r);
        assertEquals(0, r.exit(), r::toString);
        assertEquals(1, r.outLines().size(), r::toString);
        Matcher m = VERSION_LINE.matcher(r.outLines().get(0));
        assertTrue(m.matches(), r::toString);
        String toolsVersion = ModuleFinder.of(BuildImage.lib()).find("hv.tools").orElseThrow()
                .descriptor().rawVersion().orElse("(none)");
        assertEquals(toolsVersion, m.group(1), "the version of the hv.tools module in build/lib");
        assertEquals(DeviceProvider.SPI_VERSION, Integer.parseInt(m.group(2)), "the SPI of the hv.api under test");
        assertEquals("25", m.group(3), "the launcher must pick a JDK 25");
    }

    @Test
    void versionOptionPrintsTheSameLine() {
        Hv.Result command = Hv.run("version");
        Hv.Result option = Hv.run("--version");

        assertEquals(0, option.exit(), option::toString);
        assertEquals(command.out(), option.out());
    }
}
