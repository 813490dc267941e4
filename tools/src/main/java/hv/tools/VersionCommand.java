package hv.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code hv version}: HV's version, the device SPI version and the JVM it runs on. */
@Command(name = "version", description = "Print HV's version, the device SPI version and the Java runtime.")
final class VersionCommand implements Runnable {

    static String versionLine() {
        String v = Main.class.getModule().getDescriptor() != null
                ? Main.class.getModule().getDescriptor().rawVersion().orElse("dev")
                : "dev";
        return "hv " + v + " (device SPI " + hv.api.device.DeviceProvider.SPI_VERSION + ", Java "
                + Runtime.version() + ", " + System.getProperty("os.arch") + ")";
    }

    @Override
    public void run() {
        System.out.println(versionLine());
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {versionLine()};
        }
    }
}
