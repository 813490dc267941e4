package hv.tools;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SwitchCommandTest {

    @Test
    void badOptionsAreUsageErrors() {
        assertEquals(ExitCodes.USAGE, Main.execute("switch", "--listen", "nowhere"));
        assertEquals(ExitCodes.USAGE, Main.execute("switch", "--listen", "127.0.0.1:70000"));
        assertEquals(ExitCodes.USAGE, Main.execute("switch", "--max-frame", "10"));
        assertEquals(ExitCodes.USAGE, Main.execute("switch", "--frobnicate"));
    }

    @Test
    void aBusyAddressIsABadConfiguration() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(ExitCodes.BAD_INPUT, Main.execute("switch", "--listen", "127.0.0.1:" + busy.getLocalPort()));
        }
    }
}
