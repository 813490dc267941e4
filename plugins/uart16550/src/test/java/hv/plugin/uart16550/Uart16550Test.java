package hv.plugin.uart16550;

import hv.api.device.DeviceOptions;
import hv.api.device.Placement;
import hv.devices.testing.DeviceTreeProbe;
import hv.devices.testing.ArrayGuestMemory;
import hv.devices.testing.MemoryState;
import hv.devices.testing.TestDeviceContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.BooleanSupplier;

import static hv.plugin.uart16550.Uart16550.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NS16550A register behaviour (PC16550D data sheet) and the console connection. */
class Uart16550Test {

    private final TestDeviceContext ctx = new TestDeviceContext("uart0", 0x1000_0000L, 0x100, 10,
            new ArrayGuestMemory(0x8000_0000L, 4096));
    private Uart16550 uart;

    @BeforeEach
    void create() throws Exception {
        uart = (Uart16550) new Uart16550Provider().create(ctx, DeviceOptions.parse("uart16550"));
        uart.start();
    }

    @AfterEach
    void close() {
        uart.close();
    }

    private int r(int reg) {
        return (int) uart.mmio().read(reg, 1);
    }

    private void w(int reg, int v) {
        uart.mmio().write(reg, 1, v);
    }

    private static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(1);
        }
    }

    @Test
    void powerOnState() {
        assertEquals(LSR_THRE | LSR_TEMT, r(LSR), "transmitter empty, no data");
        assertEquals(IIR_NONE, r(IIR_FCR));
        assertEquals(0, r(IER));
        assertEquals(MSR_DCD | MSR_DSR | MSR_CTS, r(MSR));
        assertFalse(ctx.line().isHigh());
    }

    @Test
    void transmittedBytesReachTheConsole() throws Exception {
        for (byte b : "hello\r\n".getBytes(StandardCharsets.US_ASCII)) {
            assertTrue((r(LSR) & LSR_THRE) != 0);
            w(RBR_THR, b);
        }
        await(() -> ctx.testConsole().printed().equals("hello\r\n"), "console output");
    }

    @Test
    void thrEmptyInterruptIsRaisedOnEnableAndAcknowledgedByReadingIir() {
        w(IER, IER_THRE);
        assertTrue(ctx.line().isHigh(), "enabling ETBEI with THR empty interrupts at once");
        assertEquals(IIR_THRE, r(IIR_FCR));
        assertFalse(ctx.line().isHigh(), "reading IIR acknowledged it");
        assertEquals(IIR_NONE, r(IIR_FCR));
        w(RBR_THR, 'x');
        assertTrue(ctx.line().isHigh(), "THR empty again after the write");
        w(IER, 0);
        assertFalse(ctx.line().isHigh());
    }

    @Test
    void receivedBytesRaiseDataReadyAndTheRxInterrupt() throws Exception {
        w(IIR_FCR, FCR_ENABLE);
        w(IER, IER_RDA);
        ctx.testConsole().type("ab");
        await(() -> ctx.line().isHigh(), "rx interrupt");
        assertEquals(IIR_FIFO | IIR_RDA, r(IIR_FCR));
        await(() -> (r(LSR) & LSR_DR) != 0, "DR");
        StringBuilder got = new StringBuilder();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (got.length() < 2 && System.nanoTime() < deadline) {
            if ((r(LSR) & LSR_DR) != 0) {
                got.append((char) r(RBR_THR));
            }
        }
        assertEquals("ab", got.toString());
        assertEquals(0, r(LSR) & LSR_DR);
        assertFalse(ctx.line().isHigh());
    }

    @Test
    void fifoHoldsSixteenBytesThenOverrunsInLoopback() {
        w(IIR_FCR, FCR_ENABLE | FCR_CLEAR_RX);
        w(MCR, MCR_LOOP);
        w(IER, IER_RLS | IER_RDA);
        for (int i = 0; i < 17; i++) {
            w(RBR_THR, 'A' + i);
        }
        assertEquals(IIR_FIFO | IIR_RLS, r(IIR_FCR), "overrun has the highest priority");
        int lsr = r(LSR);
        assertTrue((lsr & LSR_OE) != 0 && (lsr & LSR_DR) != 0);
        assertEquals(0, r(LSR) & LSR_OE, "reading LSR cleared OE");
        for (int i = 0; i < 16; i++) {
            assertEquals('A' + i, r(RBR_THR), "byte " + i);
        }
        assertEquals(0, r(LSR) & LSR_DR, "the 17th byte was lost");
        assertEquals("", ctx.testConsole().printed(), "loopback sends nothing out");
    }

    @Test
    void withoutFifoTheHoldingRegisterKeepsOneByte() {
        w(MCR, MCR_LOOP);
        w(RBR_THR, '1');
        w(RBR_THR, '2');
        assertTrue((r(LSR) & LSR_OE) != 0);
        assertEquals('1', r(RBR_THR));
        assertEquals(IIR_NONE, r(IIR_FCR) & 0x0f);
    }

    @Test
    void fcrClearEmptiesTheReceiveFifo() {
        w(IIR_FCR, FCR_ENABLE);
        w(MCR, MCR_LOOP);
        w(RBR_THR, 'z');
        assertTrue((r(LSR) & LSR_DR) != 0);
        w(IIR_FCR, FCR_ENABLE | FCR_CLEAR_RX);
        assertEquals(0, r(LSR) & LSR_DR);
    }

    @Test
    void divisorLatchSharesOffsetsZeroAndOne() {
        w(IER, IER_RDA);
        w(LCR, LCR_DLAB | 0x03);
        w(RBR_THR, 0x0c);
        w(IER, 0x00);
        assertEquals(0x0c, r(RBR_THR));
        assertEquals(0x00, r(IER));
        w(LCR, 0x03);
        assertEquals(IER_RDA, r(IER), "DLM write did not touch IER");
        assertEquals(0x03, r(LCR));
    }

    @Test
    void loopbackMirrorsModemControlInModemStatus() {
        w(MCR, MCR_LOOP | 0x0f);
        assertEquals(0xf0, r(MSR));
        w(MCR, MCR_LOOP | 0x01);
        assertEquals(0x20, r(MSR), "DTR -> DSR");
        w(MCR, MCR_LOOP | 0x02);
        assertEquals(0x10, r(MSR), "RTS -> CTS");
    }

    @Test
    void scratchRegister() {
        w(SCR, 0x5a);
        assertEquals(0x5a, r(SCR));
    }

    @Test
    void ctrlAxRequestsQuitAndCtrlACtrlASendsOneCtrlA() throws Exception {
        ctx.testConsole().type(new byte[]{'q', 0x01, 0x01, 'w', 0x01, 'x', 'n'});
        await(() -> ctx.testConsole().quitRequests() == 1, "quit request");
        await(() -> (r(LSR) & LSR_DR) != 0, "data");
        byte[] got = new byte[3];
        for (int i = 0; i < 3; i++) {
            got[i] = (byte) r(RBR_THR);
        }
        assertArrayEquals(new byte[]{'q', 0x01, 'w'}, got);
        assertEquals(0, r(LSR) & LSR_DR, "nothing after the quit escape");
    }

    @Test
    void stateRoundTrip() throws Exception {
        w(IIR_FCR, FCR_ENABLE);
        w(MCR, MCR_LOOP);
        w(RBR_THR, 'k');
        w(SCR, 7);
        MemoryState s = new MemoryState();
        uart.saveState(s);
        Uart16550 other = new Uart16550(ctx);
        try {
            other.restoreState(s.reader(), 1);
            assertEquals(7, other.mmio().read(SCR, 1));
            assertEquals('k', other.mmio().read(RBR_THR, 1));
        } finally {
            other.close();
        }
    }

    @Test
    void randomRegisterTrafficNeverThrows() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        try {
            for (int i = 0; i < 50_000; i++) {
                long off = rnd.nextInt(0x110) - 8;
                if (rnd.nextBoolean()) {
                    uart.mmio().read(off, 1 << rnd.nextInt(4));
                } else {
                    uart.mmio().write(off, 1 << rnd.nextInt(4), rnd.nextLong());
                }
            }
        } catch (RuntimeException e) {
            throw new AssertionError("seed " + seed, e);
        }
    }

    @Test
    void providerAndDeviceTreeNode() {
        assertEquals(new Placement.Fixed(0x1000_0000L, 0x100, 10), new Uart16550Provider().placement());
        java.util.Map<String, byte[]> node = DeviceTreeProbe.node(uart, "serial@10000000");
        assertArrayEquals(DeviceTreeProbe.strings("ns16550a"), node.get("compatible"));
        assertArrayEquals(DeviceTreeProbe.cells(3_686_400), node.get("clock-frequency"));
        assertArrayEquals(DeviceTreeProbe.cells(0, 0x1000_0000, 0, 0x100), node.get("reg"));
        assertArrayEquals(DeviceTreeProbe.cells(10), node.get("interrupts"));
    }
}
