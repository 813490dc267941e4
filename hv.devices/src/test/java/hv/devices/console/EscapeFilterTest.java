package hv.devices.console;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EscapeFilterTest {

    private final AtomicInteger quits = new AtomicInteger();
    private final EscapeFilter filter = new EscapeFilter(quits::incrementAndGet);

    private byte[] feed(byte... in) {
        byte[] out = new byte[in.length * 2];
        int n = filter.filter(in, in.length, out);
        return Arrays.copyOf(out, n);
    }

    @Test
    void plainBytesPassThrough() {
        assertArrayEquals(new byte[]{'a', 'b', '\r'}, feed((byte) 'a', (byte) 'b', (byte) '\r'));
        assertEquals(0, quits.get());
    }

    @Test
    void ctrlAxQuitsAndSwallowsTheRest() {
        assertArrayEquals(new byte[]{'a'}, feed((byte) 'a', (byte) 1, (byte) 'x', (byte) 'b'));
        assertEquals(1, quits.get());
        assertArrayEquals(new byte[0], feed((byte) 'c'));
    }

    @Test
    void ctrlACtrlASendsOneCtrlA() {
        assertArrayEquals(new byte[]{1, 'z'}, feed((byte) 1, (byte) 1, (byte) 'z'));
        assertEquals(0, quits.get());
    }

    @Test
    void escapeSplitAcrossReads() {
        assertArrayEquals(new byte[0], feed((byte) 1));
        assertArrayEquals(new byte[0], feed((byte) 'X'));
        assertEquals(1, quits.get());
    }

    @Test
    void ctrlAThenSomethingElseSendsBoth() {
        assertArrayEquals(new byte[]{1, 'c'}, feed((byte) 1, (byte) 'c'));
    }
}
