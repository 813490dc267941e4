package hv.devices.testing;

import hv.api.device.HostConsole;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** A host console over a pipe (keys typed by the test) and a byte buffer (guest output). */
public final class TestConsole implements HostConsole {
    private final PipedOutputStream keys = new PipedOutputStream();
    private final PipedInputStream input;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final OutputStream syncOutput = new OutputStream() {
        @Override
        public void write(int b) {
            synchronized (output) {
                output.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (output) {
                output.write(b, off, len);
            }
        }
    };
    private final AtomicInteger quits = new AtomicInteger();

    public TestConsole() {
        try {
            input = new PipedInputStream(keys, 4096);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return syncOutput;
    }

    @Override
    public void requestQuit() {
        quits.incrementAndGet();
    }

    public int quitRequests() {
        return quits.get();
    }

    public void type(byte... bytes) {
        try {
            keys.write(bytes);
            keys.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void type(String s) {
        type(s.getBytes(StandardCharsets.UTF_8));
    }

    public String printed() {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    public byte[] outputBytes() {
        synchronized (output) {
            return output.toByteArray();
        }
    }
}
