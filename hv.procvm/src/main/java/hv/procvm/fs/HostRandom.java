package hv.procvm.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Random bytes for AT_RANDOM, getrandom(2) and /dev/urandom: the host's /dev/urandom read
 * directly (cheap to open, unlike a SecureRandom provider, which costs tens of milliseconds of
 * startup), or a SecureRandom where the host has no /dev/urandom.
 */
public final class HostRandom {
    private static FileChannel urandom;
    private static SecureRandom fallback;
    private static boolean opened;

    private HostRandom() {
    }

    public static synchronized void fill(byte[] b) {
        if (!opened) {
            opened = true;
            try {
                urandom = FileChannel.open(Path.of("/dev/urandom"), StandardOpenOption.READ);
            } catch (IOException | RuntimeException e) {
                urandom = null;
            }
        }
        if (urandom != null) {
            try {
                ByteBuffer buf = ByteBuffer.wrap(b);
                while (buf.hasRemaining()) {
                    if (urandom.read(buf) < 0) {
                        break;
                    }
                }
                if (!buf.hasRemaining()) {
                    return;
                }
            } catch (IOException e) {
                urandom = null;
            }
        }
        if (fallback == null) {
            fallback = new SecureRandom();
        }
        fallback.nextBytes(b);
    }
}
