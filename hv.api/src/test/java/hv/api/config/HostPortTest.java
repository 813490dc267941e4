package hv.api.config;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostPortTest {

    @Test
    void theFourSpellings() {
        assertEquals(new HostPort("10.1.2.3", 5555), HostPort.parse("10.1.2.3:5555"));
        assertEquals(new HostPort("::1", 7890), HostPort.parse("[::1]:7890"));
        assertEquals(new HostPort("", 80), HostPort.parse(":80"));
        assertEquals(new HostPort("", 0), HostPort.parse("0"));
    }

    @Test
    void noHostMeansLoopback() throws Exception {
        HostPort hp = HostPort.parse("6001");
        assertFalse(hp.hostGiven());
        assertTrue(hp.resolve().getAddress().isLoopbackAddress());
        assertEquals(6001, hp.resolve().getPort());
        assertTrue(HostPort.parse("0.0.0.0:1").hostGiven());
        assertEquals(InetAddress.getByName("0.0.0.0"), HostPort.parse("0.0.0.0:1").resolve().getAddress());
    }

    @Test
    void badPortsNameTheText() {
        for (String bad : new String[] {"", "host:", "host:port", "1.2.3.4:65536", "-1", "x:99999999999"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPort.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }
}
