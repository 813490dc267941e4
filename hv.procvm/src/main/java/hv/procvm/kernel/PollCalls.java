package hv.procvm.kernel;

import hv.procvm.fs.Errno;
import hv.procvm.fs.ErrnoException;
import hv.procvm.fs.OpenFile;
import hv.procvm.fs.Readiness;
import hv.procvm.mem.AddressSpace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * ppoll and pselect6: readiness comes from each file's poll(); when nothing is ready the thread
 * sleeps until an in-JVM file's readiness changes ({@link Readiness}) or a few milliseconds pass
 * (host streams have no wake-up source), interruptibly. The optional signal mask replaces the
 * thread's for the duration of the call.
 */
final class PollCalls {
    /** Re-check readiness at least this often: host streams (stdin) have no wake-up of their own. */
    private static final long HOST_RECHECK_NANOS = 5_000_000L;

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

    long ppoll(GuestThread t, long fdsPtr, long nfds, long tsPtr, long maskPtr, long maskSize) throws ErrnoException {
        if (nfds < 0 || nfds > 4096) {
            return -Errno.EINVAL;
        }
        long timeout = timeout(t, tsPtr);
        if (maskPtr == 0) {
            return ppollMasked(t, fdsPtr, nfds, timeout);
        }
        if (maskSize != 8) {
            return -Errno.EINVAL;
        }
        t.beginTemporaryMask(t.process.as.readLong(maskPtr));
        long r = 0;
        try {
            r = ppollMasked(t, fdsPtr, nfds, timeout);
            return r;
        } finally {
            t.endTemporaryMask(r == -Errno.ERESTARTSYS);
        }
    }

    private long ppollMasked(GuestThread t, long fdsPtr, long nfds, long timeout) throws ErrnoException {
        long deadline = System.nanoTime() + timeout;
        AddressSpace as = t.process.as;
        byte[] raw = as.readBytes(fdsPtr, (int) nfds * 8);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        while (true) {
            long seen = Readiness.sequence();
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
            long wait = timeout < 0 ? HOST_RECHECK_NANOS : Math.min(deadline - System.nanoTime(), HOST_RECHECK_NANOS);
            if (!Readiness.await(t, seen, Math.max(wait, 1))) {
                t.restartAllowed = false;
                return -Errno.ERESTARTSYS;
            }
        }
    }

    long pselect6(GuestThread t, int nfds, long readPtr, long writePtr, long exceptPtr, long tsPtr, long sigPtr)
            throws ErrnoException {
        if (nfds < 0 || nfds > hv.procvm.fs.FdTable.MAX_FDS) {
            return -Errno.EINVAL;
        }
        long timeout = timeout(t, tsPtr);
        // The sixth argument points at { const sigset_t *ss; size_t ss_len; } (pselect6's ABI).
        long maskPtr = sigPtr == 0 ? 0 : t.process.as.readLong(sigPtr);
        if (maskPtr == 0) {
            return pselectMasked(t, nfds, readPtr, writePtr, exceptPtr, timeout);
        }
        if (t.process.as.readLong(sigPtr + 8) != 8) {
            return -Errno.EINVAL;
        }
        t.beginTemporaryMask(t.process.as.readLong(maskPtr));
        long r = 0;
        try {
            r = pselectMasked(t, nfds, readPtr, writePtr, exceptPtr, timeout);
            return r;
        } finally {
            t.endTemporaryMask(r == -Errno.ERESTARTSYS);
        }
    }

    private long pselectMasked(GuestThread t, int nfds, long readPtr, long writePtr, long exceptPtr, long timeout)
            throws ErrnoException {
        long deadline = System.nanoTime() + timeout;
        AddressSpace as = t.process.as;
        int words = (nfds + 63) / 64;
        long[] rin = readSet(as, readPtr, words);
        long[] win = readSet(as, writePtr, words);
        long[] ein = readSet(as, exceptPtr, words);
        while (true) {
            long seen = Readiness.sequence();
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
            long wait = timeout < 0 ? HOST_RECHECK_NANOS : Math.min(deadline - System.nanoTime(), HOST_RECHECK_NANOS);
            if (!Readiness.await(t, seen, Math.max(wait, 1))) {
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
