package hv.procvm.kernel;

import hv.procvm.fs.DeviceFile;
import hv.procvm.fs.Errno;
import hv.procvm.fs.ErrnoException;
import hv.procvm.fs.HostFile;
import hv.procvm.fs.OpenFile;
import hv.procvm.mem.AddressSpace;
import hv.procvm.mem.Prot;
import hv.procvm.mem.Vma;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * mmap, munmap, mprotect, mremap, madvise: edits of the process's VMAs and page tables. Anonymous
 * memory is populated lazily on first touch; a file mapping gets the file's bytes copied in at
 * mmap time. A MAP_SHARED writable file mapping therefore does not write back to the file
 * (reported once); everything else behaves as on Linux.
 */
final class MemoryCalls {
    static final int MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_SHARED_VALIDATE = 3, MAP_TYPE = 0xf, MAP_FIXED = 0x10,
            MAP_ANONYMOUS = 0x20, MAP_POPULATE = 0x8000, MAP_FIXED_NOREPLACE = 0x100000;
    static final int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;
    static final int MADV_DONTNEED = 4, MADV_FREE = 8;

    private final Kernel k;
    private final AtomicBoolean sharedWriteReported = new AtomicBoolean();

    MemoryCalls(Kernel k) {
        this.k = k;
    }

    private static boolean aligned(long v) {
        return (v & (AddressSpace.PAGE - 1)) == 0;
    }

    long mmap(GuestThread t, long addr, long len, int prot, int flags, int fd, long off) throws ErrnoException {
        AddressSpace as = t.process.as;
        if (len <= 0 || len > AddressSpace.USER_END || !aligned(off) || off < 0) {
            return -Errno.EINVAL;
        }
        if ((prot & ~(Prot.READ | Prot.WRITE | Prot.EXEC)) != 0) {
            return -Errno.EINVAL;
        }
        int type = flags & MAP_TYPE;
        if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE) {
            return -Errno.EINVAL;
        }
        boolean shared = type != MAP_PRIVATE;
        long size = AddressSpace.pageUp(len);
        boolean fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0;
        if (fixed) {
            if (!aligned(addr) || addr + size > AddressSpace.USER_END || addr < 0) {
                return -Errno.EINVAL;
            }
            if ((flags & MAP_FIXED_NOREPLACE) != 0 && !as.isFree(addr, addr + size)) {
                return -Errno.EEXIST;
            }
        }
        boolean anonymous = (flags & MAP_ANONYMOUS) != 0;
        OpenFile f = null;
        if (!anonymous) {
            f = t.process.fds.acquire(fd);
            if (f == null) {
                return -Errno.EBADF;
            }
        }
        try {
            String name = "[anon]";
            HostFile hf = null;
            if (f != null) {
                if (f instanceof DeviceFile) {
                    anonymous = true; // /dev/zero mappings are anonymous memory
                } else if (f instanceof HostFile h && h.isRegular()) {
                    if (!f.readable() || (shared && (prot & Prot.WRITE) != 0 && !f.writable())) {
                        return -Errno.EACCES;
                    }
                    hf = h;
                    name = h.guestPath();
                    if (shared && (prot & Prot.WRITE) != 0 && sharedWriteReported.compareAndSet(false, true)) {
                        k.diag("MAP_SHARED writable file mapping of " + name + ": changes are not written back to the file");
                    }
                } else {
                    return -Errno.ENODEV;
                }
            }
            int kind = shared ? Vma.SHARED : Vma.PRIVATE;
            long start;
            if (fixed) {
                start = addr;
                as.map(start, start + size, prot, kind, name);
            } else {
                // Finding the range and mapping it is one step: another thread may mmap meanwhile.
                start = as.mapAnywhere(size, AddressSpace.pageDown(addr), prot, kind, name);
                if (start < 0) {
                    return -Errno.ENOMEM;
                }
            }
            if (hf != null) {
                long copied = copyFile(as, hf, start, size, off);
                if (copied < 0) {
                    as.unmap(start, start + size);
                    return copied;
                }
            }
            if ((flags & MAP_POPULATE) != 0) {
                as.populateRange(start, start + size);
            }
            return start;
        } finally {
            if (f != null) {
                f.release();
            }
        }
    }

    /** Copies file bytes [off, off+size) (up to EOF) into a fresh mapping. */
    private static long copyFile(AddressSpace as, HostFile f, long start, long size, long off) {
        try {
            long fileSize = f.channel().size();
            long n = Math.max(0, Math.min(size, fileSize - off));
            byte[] chunk = new byte[(int) Math.min(n, 1 << 20)];
            long done = 0;
            while (done < n) {
                int want = (int) Math.min(chunk.length, n - done);
                ByteBuffer b = ByteBuffer.wrap(chunk, 0, want);
                int got = 0;
                while (b.hasRemaining()) {
                    int r = f.channel().read(b, off + done + got);
                    if (r < 0) {
                        break;
                    }
                    got += r;
                }
                as.poke(start + done, chunk, 0, got);
                if (got < want) {
                    break;
                }
                done += got;
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    long munmap(GuestThread t, long addr, long len) {
        if (!aligned(addr) || len <= 0 || addr < 0 || addr + len > AddressSpace.USER_END) {
            return -Errno.EINVAL;
        }
        t.process.as.unmap(addr, addr + AddressSpace.pageUp(len));
        return 0;
    }

    long mprotect(GuestThread t, long addr, long len, int prot) {
        if (!aligned(addr) || len < 0 || (prot & ~(Prot.READ | Prot.WRITE | Prot.EXEC | 0x01000000 | 0x02000000)) != 0) {
            return -Errno.EINVAL;
        }
        if (len == 0) {
            return 0;
        }
        if (addr + len > AddressSpace.USER_END) {
            return -Errno.ENOMEM;
        }
        prot &= Prot.READ | Prot.WRITE | Prot.EXEC;
        return t.process.as.protect(addr, addr + AddressSpace.pageUp(len), prot) ? 0 : -Errno.ENOMEM;
    }

    long mremap(GuestThread t, long old, long oldLen, long newLen, int flags, long newAddr) {
        AddressSpace as = t.process.as;
        if (!aligned(old) || newLen <= 0 || (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) != 0) {
            return -Errno.EINVAL;
        }
        oldLen = AddressSpace.pageUp(oldLen);
        newLen = AddressSpace.pageUp(newLen);
        Vma v = as.vmaAt(old);
        if (v == null || oldLen == 0 || v.end() < old + oldLen) {
            return -Errno.EFAULT;
        }
        if ((flags & MREMAP_FIXED) != 0) {
            if ((flags & MREMAP_MAYMOVE) == 0 || !aligned(newAddr)) {
                return -Errno.EINVAL;
            }
            as.move(old, Math.min(oldLen, newLen), newAddr);
            if (newLen > oldLen && !as.growInPlace(newAddr, newAddr + oldLen, newAddr + newLen)) {
                return -Errno.ENOMEM;
            }
            return newAddr;
        }
        if (newLen < oldLen) {
            as.unmap(old + newLen, old + oldLen);
            return old;
        }
        if (newLen == oldLen) {
            return old;
        }
        if (as.growInPlace(old, old + oldLen, old + newLen)) {
            return old;
        }
        if ((flags & MREMAP_MAYMOVE) == 0) {
            return -Errno.ENOMEM;
        }
        long dst = as.moveAnywhere(old, oldLen, newLen);
        return dst < 0 ? -Errno.ENOMEM : dst;
    }

    long madvise(GuestThread t, long addr, long len, int advice) {
        if (!aligned(addr) || len < 0) {
            return -Errno.EINVAL;
        }
        if ((advice == MADV_DONTNEED || advice == MADV_FREE) && len > 0) {
            long end = Math.min(AddressSpace.USER_END, addr + AddressSpace.pageUp(len));
            if (end > addr) {
                t.process.as.discard(addr, end);
            }
        }
        return 0;
    }

    long mincore(GuestThread t, long addr, long len, long vec) {
        if (!aligned(addr)) {
            return -Errno.EINVAL;
        }
        int pages = (int) Math.min(AddressSpace.pageUp(len) / AddressSpace.PAGE, 1 << 20);
        byte[] v = new byte[pages];
        java.util.Arrays.fill(v, (byte) 1);
        t.process.as.writeBytes(vec, v, 0, pages);
        return 0;
    }
}
