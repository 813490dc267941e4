package hv.procvm.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The in-JVM pipe: ring buffer, blocking, EOF, EPIPE/SIGPIPE, interruption. */
class PipeTest {
    /** A waiter that blocks for real (as a guest thread would) unless told to report a signal. */
    static final class TestWaiter implements Waiter {
        final AtomicBoolean signal = new AtomicBoolean();
        boolean sigpipe;

        @Override
        public boolean await(Object monitor, BooleanSupplier ready, long timeoutNanos) {
            synchronized (monitor) {
                while (!ready.getAsBoolean()) {
                    if (signal.get()) {
                        return false;
                    }
                    try {
                        monitor.wait(10);
                    } catch (InterruptedException e) {
                        return false;
                    }
                }
                return true;
            }
        }

        @Override
        public void raiseSigpipe() {
            sigpipe = true;
        }
    }

    @Test
    void dataFlowsThroughTheRingAndEofFollowsTheLastWriter() throws Exception {
        Pipe p = new Pipe(0, 0, 0);
        TestWaiter w = new TestWaiter();
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 251);
        }
        Thread writer = new Thread(() -> {
            assertEquals(data.length, p.writeEnd().write(ByteBuffer.wrap(data), w));
            p.writeEnd().release();
        });
        writer.start();
        ByteBuffer got = ByteBuffer.allocate(data.length + 10);
        long n;
        while ((n = p.readEnd().read(got, w, true)) > 0) {
            assertTrue(n <= Pipe.CAPACITY);
        }
        writer.join();
        assertEquals(0, n, "EOF");
        assertEquals(data.length, got.position());
        for (int i = 0; i < data.length; i++) {
            assertEquals(data[i], got.get(i));
        }
    }

    @Test
    void writingWithoutReadersIsEpipeAndSigpipe() {
        Pipe p = new Pipe(0, 0, 0);
        TestWaiter w = new TestWaiter();
        p.readEnd().release();
        assertEquals(-Errno.EPIPE, p.writeEnd().write(ByteBuffer.wrap(new byte[] {1}), w));
        assertTrue(w.sigpipe);
    }

    @Test
    void nonBlockingAndInterruptedReads() {
        Pipe p = new Pipe(OpenFile.O_NONBLOCK, 0, 0);
        TestWaiter w = new TestWaiter();
        assertEquals(-Errno.EAGAIN, p.readEnd().read(ByteBuffer.allocate(1), w, true));
        Pipe q = new Pipe(0, 0, 0);
        w.signal.set(true);
        assertEquals(-Errno.ERESTARTSYS, q.readEnd().read(ByteBuffer.allocate(1), w, true));
        assertEquals(OpenFile.POLLOUT, q.writeEnd().poll());
        assertEquals(0, q.readEnd().poll());
    }
}
