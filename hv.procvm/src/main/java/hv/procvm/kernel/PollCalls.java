package hv.procvm.kernel;

import hv.procvm.fs.Errno;
import hv.procvm.fs.ErrnoException;
import hv.procvm.fs.OpenFile;
import hv.procvm.mem.AddressSpace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * ppoll and pselect6: readiness comes from each file's poll(); when nothing is ready the thread
 * re-checks every few milliseconds (pipes and host streams share no wake-up source), interruptibly.
 */
final class PollCalls {

    /** A timespec pointer as nanoseconds; -1 for NULL (wait forever). */
    static long timeout(GuestThread t, long tsPtr) throws ErrnoException {
        if (tsPtr == 0) {
            return -1;
        }
        long sec = t.process.as.readLong(tsPtr);
        long nsec = t.process.as.readLong(tsPtr + 8);
        if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return sec > Long.MAX_VALUE / 2_000_000_000L ? Long.MAX_VALUE / 2 : sec * 1_000_000_000L + nsec;
    }

    long ppoll(GuestThread t, long fdsPtr, long nfds, long tsPtr) throws ErrnoException {
        if (nfds < 0 || nfds > 4096) {
            return -Errno.EINVAL;
        }
        long timeout = timeout(t, tsPtr);
        long deadline = System.nanoTime() + timeout;
        AddressSpace as = t.process.as;
        byte[] raw = as.readBytes(fdsPtr, (int) nfds * 8);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        Object idle = new Object();
        while (true) {
            int ready = 0;
            for (int i = 0; i < nfds; i++) {
                int fd = b.getInt(i * 8);
                short events = b.getShort(i * 8 + 4);
                int rev = 0;
                if (fd >= 0) {
                    OpenFile f = t.process.fds.acquire(fd);
                    if (f == null) {
                        rev = OpenFile.POLLNVAL;
                    } else {
                        rev = f.poll() & (events | OpenFile.POLLERR | OpenFile.POLLHUP);
                        f.release();
                    }
                }
                b.putShort(i * 8 + 6, (short) rev);
                if (rev != 0) {
                    ready++;
                }
            }
            if (ready > 0 || timeout == 0 || (timeout > 0 && System.nanoTime() >= deadline)) {
                as.writeBytes(fdsPtr, raw, 0, raw.length);
                return ready;
            }
            if (!t.await(idle, () -> false, 5_000_000L)) {
                t.restartAllowed = false;
                return -Errno.ERESTARTSYS;
            }
        }
    }

    long pselect6(GuestThread t, int nfds, long readPtr, long writePtr, long exceptPtr, long tsPtr) throws ErrnoException {
        if (nfds < 0 || nfds > hv.procvm.fs.FdTable.MAX_FDS) {
            return -Errno.EINVAL;
        }
        long timeout = timeout(t, tsPtr);
        long deadline = System.nanoTime() + timeout;
        AddressSpace as = t.process.as;
        int words = (nfds + 63) / 64;
        long[] rin = readSet(as, readPtr, words);
        long[] win = readSet(as, writePtr, words);
        long[] ein = readSet(as, exceptPtr, words);
        Object idle = new Object();
        while (true) {
            long[] rout = new long[words];
            long[] wout = new long[words];
            int ready = 0;
            for (int fd = 0; fd < nfds; fd++) {
                long bit = 1L << (fd & 63);
                int w = fd >> 6;
                boolean wantR = (rin[w] & bit) != 0;
                boolean wantW = (win[w] & bit) != 0;
                if (!wantR && !wantW && (ein[w] & bit) == 0) {
                    continue;
                }
                OpenFile f = t.process.fds.acquire(fd);
                if (f == null) {
                    return -Errno.EBADF;
                }
                int ev = f.poll();
                f.release();
                if (wantR && (ev & (OpenFile.POLLIN | OpenFile.POLLHUP | OpenFile.POLLERR)) != 0) {
                    rout[w] |= bit;
                    ready++;
                }
                if (wantW && (ev & (OpenFile.POLLOUT | OpenFile.POLLERR)) != 0) {
                    wout[w] |= bit;
                    ready++;
                }
            }
            if (ready > 0 || timeout == 0 || (timeout > 0 && System.nanoTime() >= deadline)) {
                writeSet(as, readPtr, rout);
                writeSet(as, writePtr, wout);
                writeSet(as, exceptPtr, new long[words]);
                return ready;
            }
            if (!t.await(idle, () -> false, 5_000_000L)) {
                t.restartAllowed = false;
                return -Errno.ERESTARTSYS;
            }
        }
    }

    private static long[] readSet(AddressSpace as, long ptr, int words) {
        long[] s = new long[words];
        if (ptr != 0) {
            for (int i = 0; i < words; i++) {
                s[i] = as.readLong(ptr + 8L * i);
            }
        }
        return s;
    }

    private static void writeSet(AddressSpace as, long ptr, long[] s) {
        if (ptr != 0) {
            for (int i = 0; i < s.length; i++) {
                as.writeLong(ptr + 8L * i, s[i]);
            }
        }
    }
}
