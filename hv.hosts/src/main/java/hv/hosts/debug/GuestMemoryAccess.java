package hv.hosts.debug;

import hv.cpu.Hart;
import hv.memory.GuestRam;

import java.util.List;

/**
 * Guest memory as gdb sees it: addresses are virtual, translated through the selected hart's
 * current address space (satp; Bare and M-mode use them as physical) page by page, with a physical
 * fallback for an address the page tables do not map (so a kernel's physical load address still
 * reads before paging is on). Only RAM is accessible: device registers are never touched on gdb's
 * behalf (a read could have side effects), and everything else is an error for gdb, not for the VM.
 *
 * <p>Writes go through {@link GuestRam#write}, which records them in the RAM's code-write log, and
 * then make every hart revalidate its decoded and translated code (as FENCE.I would), so a patched
 * instruction runs as written. Call only while the harts are paused.
 */
final class GuestMemoryAccess {
    private final GuestRam ram;
    private final List<Hart> harts;

    GuestMemoryAccess(GuestRam ram, List<Hart> harts) {
        this.ram = ram;
        this.harts = List.copyOf(harts);
    }

    /** The guest-physical address of {@code length} bytes at {@code va} within one page, or -1. */
    private long physical(Hart hart, long va, int length) {
        long pa = hart.mmu().debugTranslate(va);
        if (pa >= 0 && ram.contains(pa, length)) {
            return pa;
        }
        return ram.contains(va, length) ? va : -1;
    }

    /** Reads up to {@code length} bytes at {@code va}: fewer (maybe none) if memory ends being readable. */
    byte[] read(Hart hart, long va, int length) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(length);
        long a = va;
        int left = length;
        while (left > 0) {
            int chunk = (int) Math.min(left, 4096 - (a & 0xfff));
            long pa = physical(hart, a, chunk);
            if (pa < 0) {
                break;
            }
            byte[] b = new byte[chunk];
            ram.read(pa, b);
            out.writeBytes(b);
            a += chunk;
            left -= chunk;
        }
        return out.toByteArray();
    }

    /** Writes all of {@code data} at {@code va}, or nothing (false) if some byte is not in RAM. */
    boolean write(Hart hart, long va, byte[] data) {
        int pages = 0;
        long[] targets = new long[data.length / 4096 + 2];
        int[] sizes = new int[targets.length];
        long a = va;
        int left = data.length;
        while (left > 0) {
            int chunk = (int) Math.min(left, 4096 - (a & 0xfff));
            long pa = physical(hart, a, chunk);
            if (pa < 0) {
                return false;
            }
            targets[pages] = pa;
            sizes[pages++] = chunk;
            a += chunk;
            left -= chunk;
        }
        int from = 0;
        for (int i = 0; i < pages; i++) {
            ram.write(targets[i], java.util.Arrays.copyOfRange(data, from, from + sizes[i]));
            from += sizes[i];
        }
        if (data.length > 0) {
            for (Hart h : harts) {
                h.flushDecodeCache(); // the bytes may be code: revalidate before it runs again (FENCE.I)
            }
        }
        return true;
    }
}
