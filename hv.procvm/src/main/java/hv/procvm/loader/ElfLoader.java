package hv.procvm.loader;

import hv.cpu.elf.ElfException;
import hv.cpu.elf.ElfFile;
import hv.procvm.mem.AddressSpace;
import hv.procvm.mem.Prot;
import hv.procvm.mem.Vma;

/**
 * Maps ELF images into an {@link AddressSpace} the way Linux's binfmt_elf does: PT_LOAD segments
 * at their addresses (ET_EXEC) or at a load bias (ET_DYN: the program at {@link #ET_DYN_BASE},
 * its interpreter wherever mmap would put it), the file part copied in, the bss left zero, the
 * program break right after the program's highest segment, and the stack VMA below
 * {@link #STACK_TOP}.
 */
public final class ElfLoader {
    /** Linux riscv: ELF_ET_DYN_BASE = 2/3 of TASK_SIZE (Sv39: 256 GiB), page-aligned. */
    public static final long ET_DYN_BASE = 0x2a_aaaa_a000L;
    /** Top of the initial stack: one guard page below the end of the Sv39 user half. */
    public static final long STACK_TOP = AddressSpace.USER_END - AddressSpace.PAGE;
    /** The stack VMA (RLIMIT_STACK's usual 8 MiB), populated lazily. */
    public static final long STACK_SIZE = 8L << 20;
    /** Gap between the stack VMA and the top of the mmap area. */
    static final long STACK_GAP = 16L << 20;

    /** Where an image landed. */
    public record Mapped(long bias, long entry, long phdr, long end) {
    }

    private ElfLoader() {
    }

    private static int prot(int pflags) {
        int p = 0;
        if ((pflags & ElfFile.PF_R) != 0) {
            p |= Prot.READ;
        }
        if ((pflags & ElfFile.PF_W) != 0) {
            p |= Prot.WRITE;
        }
        if ((pflags & ElfFile.PF_X) != 0) {
            p |= Prot.EXEC;
        }
        return p;
    }

    /** Sets up the stack VMA and the mmap area of a fresh address space. */
    public static void prepareLayout(AddressSpace as) {
        long stackLow = STACK_TOP - STACK_SIZE;
        as.map(stackLow, STACK_TOP, Prot.RW, Vma.PRIVATE, "[stack]");
        as.setMmapTop(stackLow - STACK_GAP);
    }

    /**
     * Maps the main program. ET_EXEC at its own addresses; ET_DYN (PIE, static-pie) at
     * {@link #ET_DYN_BASE}. Also places the program break after the image.
     */
    public static Mapped loadProgram(AddressSpace as, ElfFile elf, String name) throws ElfException {
        long bias = elf.type() == ElfFile.ET_DYN ? ET_DYN_BASE - lowVaddr(elf) : 0;
        Mapped m = map(as, elf, bias, name);
        as.initBrk(m.end());
        return m;
    }

    /** Maps the ELF interpreter (ld.so) at a free range chosen like an mmap without a hint. */
    public static Mapped loadInterpreter(AddressSpace as, ElfFile elf, String name) throws ElfException {
        if (elf.type() != ElfFile.ET_DYN) {
            throw new ElfException("the ELF interpreter is not position-independent");
        }
        long span = highVaddr(elf) - lowVaddr(elf);
        long at = as.findFree(span, 0);
        if (at < 0) {
            throw new ElfException("no room for the ELF interpreter");
        }
        return map(as, elf, at - lowVaddr(elf), name);
    }

    /** Lowest page of the image (before the load bias). */
    public static long lowVaddr(ElfFile elf) {
        return elf.loadRange()[0] & -4096L;
    }

    /** End of the image, page-aligned up (before the load bias). */
    public static long highVaddr(ElfFile elf) {
        return (elf.loadRange()[1] + 4095) & -4096L;
    }

    private static Mapped map(AddressSpace as, ElfFile elf, long bias, String name) throws ElfException {
        byte[] data = elf.bytes();
        long mappedEnd = 0;
        long end = 0;
        java.util.List<ElfFile.Segment> loads = new java.util.ArrayList<>();
        for (ElfFile.Segment s : elf.loadSegments()) {
            if (s.memsz() > 0) {
                loads.add(s);
            }
        }
        loads.sort((a, b) -> Long.compareUnsigned(a.vaddr(), b.vaddr()));
        for (ElfFile.Segment s : loads) {
            if (s.vaddr() < 0 || s.vaddr() + s.memsz() > AddressSpace.USER_END || bias + s.vaddr() < 0) {
                throw new ElfException("segment at 0x" + Long.toHexString(s.vaddr()) + " outside the user address space");
            }
            long start = AddressSpace.pageDown(bias + s.vaddr());
            long stop = AddressSpace.pageUp(bias + s.vaddr() + s.memsz());
            if (start < 0x1000 || stop > ElfLoader.STACK_TOP - STACK_SIZE || stop <= start) {
                throw new ElfException("segment at 0x" + Long.toHexString(s.vaddr()) + " outside the usable address space");
            }
            int prot = prot(s.flags());
            if (start < mappedEnd) {
                // Two segments share a page (no separate-code linking): the page gets both protections.
                Vma shared = as.vmaAt(start);
                long overlapEnd = Math.min(mappedEnd, stop);
                as.protect(start, overlapEnd, prot | (shared == null ? 0 : shared.prot()));
                start = overlapEnd;
            }
            if (start < stop) {
                as.map(start, stop, prot, Vma.PRIVATE, name);
            }
            as.poke(bias + s.vaddr(), data, (int) s.offset(), (int) s.filesz());
            mappedEnd = Math.max(mappedEnd, stop);
            end = Math.max(end, stop);
        }
        java.util.OptionalLong phdr = elf.programHeaderAddress();
        return new Mapped(bias, bias + elf.entry(), phdr.isPresent() ? bias + phdr.getAsLong() : 0, end);
    }
}
