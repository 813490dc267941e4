package hv.procvm.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of an ELF64 executable that a Linux program loader needs (System V gABI, "ELF
 * header" and "Program header"; RISC-V psABI for EM_RISCV): type, entry, program headers,
 * PT_LOAD segments, PT_INTERP and PT_PHDR. Validates everything it reads against the file size,
 * so a truncated or hostile file is refused with a one-line message, never an exception.
 */
public final class ElfFile {
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    static final int EM_RISCV = 243;
    static final int PT_LOAD = 1;
    static final int PT_INTERP = 3;
    static final int PT_PHDR = 6;
    static final int PT_GNU_STACK = 0x6474e551;
    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;

    /** One PT_LOAD program header. */
    public record Segment(long offset, long vaddr, long filesz, long memsz, int flags) {
    }

    private final byte[] data;
    private final int type;
    private final long entry;
    private final long phoff;
    private final int phentsize;
    private final int phnum;
    private final List<Segment> loads;
    private final String interpreter;
    private final long phdrVaddr;

    private ElfFile(byte[] data, int type, long entry, long phoff, int phentsize, int phnum, List<Segment> loads,
            String interpreter, long phdrVaddr) {
        this.data = data;
        this.type = type;
        this.entry = entry;
        this.phoff = phoff;
        this.phentsize = phentsize;
        this.phnum = phnum;
        this.loads = loads;
        this.interpreter = interpreter;
        this.phdrVaddr = phdrVaddr;
    }

    /** Whether the bytes start with the ELF magic (for execve's "is it a script?" decision). */
    public static boolean hasElfMagic(byte[] head) {
        return head.length >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
    }

    public static ElfFile parse(byte[] data) throws ElfFormatException {
        if (data.length < 64) {
            throw new ElfFormatException(hasElfMagic(data) ? "truncated ELF header" : "not an ELF file");
        }
        if (!hasElfMagic(data)) {
            throw new ElfFormatException("not an ELF file");
        }
        if (data[4] != 2) {
            throw new ElfFormatException("not a 64-bit ELF (ELFCLASS" + (data[4] == 1 ? "32" : "NONE") + ")");
        }
        if (data[5] != 1) {
            throw new ElfFormatException("not a little-endian ELF");
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int type = b.getShort(16) & 0xffff;
        int machine = b.getShort(18) & 0xffff;
        if (machine != EM_RISCV) {
            throw new ElfFormatException("not a RISC-V ELF (e_machine " + machine + ")");
        }
        if (type != ET_EXEC && type != ET_DYN) {
            throw new ElfFormatException("not an executable (e_type " + type + ")");
        }
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int phentsize = b.getShort(54) & 0xffff;
        int phnum = b.getShort(56) & 0xffff;
        if (phentsize != 56) {
            throw new ElfFormatException("bad program header size " + phentsize);
        }
        if (phnum == 0 || phnum > 512) {
            throw new ElfFormatException("bad program header count " + phnum);
        }
        if (phoff < 0 || phoff + (long) phnum * phentsize > data.length) {
            throw new ElfFormatException("truncated program headers");
        }
        List<Segment> loads = new ArrayList<>();
        String interp = null;
        long phdrVaddr = -1;
        for (int i = 0; i < phnum; i++) {
            int p = (int) (phoff + (long) i * phentsize);
            int ptype = b.getInt(p);
            int flags = b.getInt(p + 4);
            long offset = b.getLong(p + 8);
            long vaddr = b.getLong(p + 16);
            long filesz = b.getLong(p + 32);
            long memsz = b.getLong(p + 40);
            long align = b.getLong(p + 48);
            switch (ptype) {
                case PT_LOAD -> {
                    if (offset < 0 || filesz < 0 || offset + filesz > data.length || filesz > memsz) {
                        throw new ElfFormatException("segment " + i + " lies outside the file");
                    }
                    if (vaddr < 0 || memsz < 0 || vaddr + memsz < vaddr || vaddr + memsz > 0x40_0000_0000L) {
                        throw new ElfFormatException("segment " + i + " lies outside the user address space");
                    }
                    if (((vaddr - offset) & 0xfff) != 0 && align >= 4096) {
                        throw new ElfFormatException("segment " + i + " is not page-congruent");
                    }
                    if (memsz > 0) {
                        loads.add(new Segment(offset, vaddr, filesz, memsz, flags));
                    }
                }
                case PT_INTERP -> {
                    if (offset < 0 || filesz <= 1 || filesz > 4096 || offset + filesz > data.length) {
                        throw new ElfFormatException("bad PT_INTERP");
                    }
                    int len = (int) filesz;
                    while (len > 0 && data[(int) offset + len - 1] == 0) {
                        len--;
                    }
                    interp = new String(data, (int) offset, len, StandardCharsets.UTF_8);
                }
                case PT_PHDR -> phdrVaddr = vaddr;
                default -> {
                }
            }
        }
        if (loads.isEmpty()) {
            throw new ElfFormatException("no loadable segment");
        }
        loads.sort((x, y) -> Long.compareUnsigned(x.vaddr(), y.vaddr()));
        return new ElfFile(data, type, entry, phoff, phentsize, phnum, List.copyOf(loads), interp, phdrVaddr);
    }

    public byte[] data() {
        return data;
    }

    public int type() {
        return type;
    }

    public long entry() {
        return entry;
    }

    public long phoff() {
        return phoff;
    }

    public int phentsize() {
        return phentsize;
    }

    public int phnum() {
        return phnum;
    }

    public List<Segment> loads() {
        return loads;
    }

    /** PT_INTERP path, or null for a static executable. */
    public String interpreter() {
        return interpreter;
    }

    /**
     * The unbiased virtual address of the program headers: PT_PHDR when present, otherwise the
     * PT_LOAD that maps file offset e_phoff; -1 when they are not loaded at all.
     */
    public long phdrVaddr() {
        if (phdrVaddr >= 0) {
            return phdrVaddr;
        }
        for (Segment s : loads) {
            if (phoff >= s.offset() && phoff + (long) phnum * phentsize <= s.offset() + s.filesz()) {
                return s.vaddr() + (phoff - s.offset());
            }
        }
        return -1;
    }

    /** Lowest page of the image (unbiased). */
    public long lowVaddr() {
        return loads.get(0).vaddr() & -4096L;
    }

    /** End of the highest segment (unbiased, page-aligned up). */
    public long highVaddr() {
        long hi = 0;
        for (Segment s : loads) {
            hi = Math.max(hi, s.vaddr() + s.memsz());
        }
        return (hi + 4095) & -4096L;
    }
}
