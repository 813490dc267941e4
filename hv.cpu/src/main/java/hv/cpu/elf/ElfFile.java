package hv.cpu.elf;

import hv.memory.GuestRam;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A parsed, validated ELF64 little-endian RISC-V executable (ET_EXEC or ET_DYN). Construction
 * checks everything later code relies on, so a successfully parsed file can be loaded without
 * further bounds checks: header fields, program headers within the file, PT_LOAD file ranges
 * within the file, filesz &lt;= memsz, no address overflow, PT_INTERP a terminated string, and the
 * symbol table (if any) within the file.
 */
public final class ElfFile {
    public static final int EM_RISCV = 243;
    public static final int ET_EXEC = 2, ET_DYN = 3;
    public static final int PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_PHDR = 6;
    public static final int PF_X = 1, PF_W = 2, PF_R = 4;
    private static final int EHDR_SIZE = 64, PHDR_SIZE = 56, SHDR_SIZE = 64, SYM_SIZE = 24;
    private static final int SHT_SYMTAB = 2;
    /** Refuse absurd files early (the whole file is held in memory). */
    private static final long MAX_FILE = Integer.MAX_VALUE - 64;

    /** One program header. */
    public record Segment(int type, int flags, long offset, long vaddr, long paddr, long filesz, long memsz, long align) {
        public boolean isLoad() {
            return type == PT_LOAD;
        }
    }

    private final byte[] data;
    private final int type;
    private final long entry;
    private final int flags;
    private final long phoff;
    private final int phnum;
    private final List<Segment> segments;
    private final String interpreter;
    private final Map<String, Long> symbols;

    private ElfFile(byte[] data) throws ElfException {
        this.data = data;
        if (data.length < 4 || data[0] != 0x7f || data[1] != 'E' || data[2] != 'L' || data[3] != 'F') {
            throw new ElfException("not an ELF file (bad magic)");
        }
        if (data.length < EHDR_SIZE) {
            throw new ElfException("truncated ELF header (" + data.length + " bytes, need " + EHDR_SIZE + ")");
        }
        if (data[4] != 2) {
            throw new ElfException("not a 64-bit ELF (EI_CLASS " + data[4] + "): HV runs RV64 only");
        }
        if (data[5] != 1) {
            throw new ElfException("not a little-endian ELF (EI_DATA " + data[5] + ")");
        }
        if (data[6] != 1) {
            throw new ElfException("unsupported ELF version " + data[6]);
        }
        type = u16(16);
        int machine = u16(18);
        if (machine != EM_RISCV) {
            throw new ElfException("not a RISC-V ELF (e_machine " + machine + ", expected " + EM_RISCV + ")");
        }
        if (type != ET_EXEC && type != ET_DYN) {
            throw new ElfException("not an executable ELF (e_type " + type + ")");
        }
        entry = u64(24);
        phoff = u64(32);
        long shoff = u64(40);
        flags = (int) u32(48);
        int phentsize = u16(54);
        phnum = u16(56);
        int shentsize = u16(58);
        int shnum = u16(60);
        if (phnum == 0xffff) {
            throw new ElfException("extended program header numbering (e_phnum 0xffff) is not supported");
        }
        if (phnum == 0) {
            throw new ElfException("no program headers");
        }
        if (phentsize != PHDR_SIZE) {
            throw new ElfException("bad program header size " + phentsize + " (expected " + PHDR_SIZE + ")");
        }
        checkRange(phoff, (long) phnum * PHDR_SIZE, "program headers");
        List<Segment> segs = new ArrayList<>(phnum);
        String interp = null;
        boolean anyLoad = false;
        for (int i = 0; i < phnum; i++) {
            int p = (int) (phoff + (long) i * PHDR_SIZE);
            Segment s = new Segment((int) u32(p), (int) u32(p + 4), u64(p + 8), u64(p + 16), u64(p + 24), u64(p + 32),
                    u64(p + 40), u64(p + 48));
            if (s.type() == PT_LOAD || s.type() == PT_INTERP) {
                checkRange(s.offset(), s.filesz(), "segment " + i + " file data");
            }
            if (s.type() == PT_LOAD) {
                anyLoad = true;
                if (Long.compareUnsigned(s.filesz(), s.memsz()) > 0) {
                    throw new ElfException("segment " + i + ": file size 0x" + Long.toHexString(s.filesz())
                            + " exceeds memory size 0x" + Long.toHexString(s.memsz()));
                }
                if (overflows(s.vaddr(), s.memsz()) || overflows(s.paddr(), s.memsz())) {
                    throw new ElfException("segment " + i + ": address range overflows (vaddr 0x" + Long.toHexString(s.vaddr())
                            + ", size 0x" + Long.toHexString(s.memsz()) + ")");
                }
                if (s.align() > 1 && Long.bitCount(s.align()) != 1) {
                    throw new ElfException("segment " + i + ": alignment 0x" + Long.toHexString(s.align()) + " is not a power of two");
                }
            }
            if (s.type() == PT_INTERP) {
                if (interp != null) {
                    throw new ElfException("more than one PT_INTERP");
                }
                interp = cString((int) s.offset(), (int) s.filesz(), "PT_INTERP");
            }
            segs.add(s);
        }
        if (!anyLoad) {
            throw new ElfException("no loadable (PT_LOAD) segments");
        }
        segments = Collections.unmodifiableList(segs);
        interpreter = interp;
        symbols = shoff == 0 || shnum == 0 ? Map.of() : readSymbols(shoff, shentsize, shnum);
    }

    /** Parses and validates an ELF image held in memory. */
    public static ElfFile parse(byte[] data) throws ElfException {
        return new ElfFile(data.clone());
    }

    /** Reads and validates an ELF file. */
    public static ElfFile read(Path path) throws ElfException {
        try {
            long size = Files.size(path);
            if (size > MAX_FILE) {
                throw new ElfException(path + ": file too large for an ELF image (" + size + " bytes)");
            }
            return new ElfFile(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new ElfException(path + ": cannot read (" + e.getMessage() + ")");
        } catch (ElfException e) {
            throw e.getMessage().startsWith(path.toString()) ? e : new ElfException(path + ": " + e.getMessage());
        }
    }

    // --- accessors ---

    public int type() {
        return type;
    }

    /** A position-independent executable or shared object (the process VM picks a load bias). */
    public boolean isDynamic() {
        return type == ET_DYN;
    }

    public long entry() {
        return entry;
    }

    /** e_flags (RISC-V: bit 0 RVC, bits 1-2 float ABI, bit 3 RVE, bit 4 TSO). */
    public int flags() {
        return flags;
    }

    public List<Segment> segments() {
        return segments;
    }

    public List<Segment> loadSegments() {
        return segments.stream().filter(Segment::isLoad).toList();
    }

    /** The requested program interpreter (PT_INTERP), e.g. /lib/ld-linux-riscv64-lp64d.so.1. */
    public Optional<String> interpreter() {
        return Optional.ofNullable(interpreter);
    }

    /** File offset of the program headers (e_phoff). */
    public long programHeaderOffset() {
        return phoff;
    }

    public int programHeaderCount() {
        return phnum;
    }

    public int programHeaderEntrySize() {
        return PHDR_SIZE;
    }

    /**
     * The virtual address of the program headers once loaded (AT_PHDR, before any load bias): PT_PHDR's
     * vaddr if present, else the address of e_phoff inside the PT_LOAD segment that covers it.
     */
    public OptionalLong programHeaderAddress() {
        for (Segment s : segments) {
            if (s.type() == PT_PHDR) {
                return OptionalLong.of(s.vaddr());
            }
        }
        for (Segment s : segments) {
            if (s.isLoad() && Long.compareUnsigned(phoff, s.offset()) >= 0
                    && Long.compareUnsigned(phoff + (long) phnum * PHDR_SIZE, s.offset() + s.filesz()) <= 0) {
                return OptionalLong.of(s.vaddr() + (phoff - s.offset()));
            }
        }
        return OptionalLong.empty();
    }

    /** The lowest and highest (exclusive) virtual address of the PT_LOAD segments. */
    public long[] loadRange() {
        long lo = -1, hi = 0;
        for (Segment s : loadSegments()) {
            if (Long.compareUnsigned(s.vaddr(), lo) < 0) {
                lo = s.vaddr();
            }
            if (Long.compareUnsigned(s.vaddr() + s.memsz(), hi) > 0) {
                hi = s.vaddr() + s.memsz();
            }
        }
        return new long[] {lo, hi};
    }

    /** The value of a defined symbol from .symtab (global definitions take precedence over local ones). */
    public OptionalLong symbol(String name) {
        Long v = symbols.get(name);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** A copy of a segment's bytes from the file (filesz bytes; the rest up to memsz is zero). */
    public byte[] fileBytes(Segment s) {
        byte[] out = new byte[(int) s.filesz()];
        System.arraycopy(data, (int) s.offset(), out, 0, out.length);
        return out;
    }

    /** The whole file (not a copy: do not modify). */
    public byte[] bytes() {
        return data;
    }

    /**
     * Loads every PT_LOAD segment at its physical address (p_paddr) into guest RAM, zero-filling
     * from filesz to memsz. Refuses, before writing anything, segments that do not lie inside RAM.
     */
    public void loadPhysical(GuestRam ram) throws ElfException {
        List<Segment> loads = loadSegments();
        for (int i = 0; i < loads.size(); i++) {
            Segment s = loads.get(i);
            if (s.memsz() != 0 && !ram.contains(s.paddr(), s.memsz())) {
                throw new ElfException("segment at 0x" + Long.toHexString(s.paddr()) + " (size 0x" + Long.toHexString(s.memsz())
                        + ") lies outside RAM [0x" + Long.toHexString(ram.base()) + ", 0x"
                        + Long.toHexString(ram.base() + ram.size()) + ")");
            }
        }
        MemorySegment mem = ram.segment();
        for (Segment s : loads) {
            if (s.memsz() == 0) {
                continue;
            }
            long off = ram.offsetOf(s.paddr());
            MemorySegment.copy(data, (int) s.offset(), mem, ValueLayout.JAVA_BYTE, off, (int) s.filesz());
            if (s.memsz() > s.filesz()) {
                mem.asSlice(off + s.filesz(), s.memsz() - s.filesz()).fill((byte) 0);
            }
            ram.codeWrites().noteWritten(off, s.memsz()); // written around the MMU: decoded copies must look again
        }
    }

    // --- parsing helpers ---

    private Map<String, Long> readSymbols(long shoff, int shentsize, int shnum) throws ElfException {
        if (shentsize != SHDR_SIZE) {
            throw new ElfException("bad section header size " + shentsize + " (expected " + SHDR_SIZE + ")");
        }
        checkRange(shoff, (long) shnum * SHDR_SIZE, "section headers");
        Map<String, Long> globals = new HashMap<>();
        Map<String, Long> locals = new HashMap<>();
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * SHDR_SIZE);
            if (u32(sh + 4) != SHT_SYMTAB) {
                continue;
            }
            long off = u64(sh + 24);
            long size = u64(sh + 32);
            long link = u32(sh + 40);
            checkRange(off, size, "symbol table");
            if (link >= shnum) {
                throw new ElfException("symbol table links to missing string table section " + link);
            }
            int strSh = (int) (shoff + link * SHDR_SIZE);
            long strOff = u64(strSh + 24);
            long strSize = u64(strSh + 32);
            checkRange(strOff, strSize, "string table");
            for (long p = off; p + SYM_SIZE <= off + size; p += SYM_SIZE) {
                long nameIdx = u32((int) p);
                int info = data[(int) p + 4] & 0xff;
                int shndx = u16((int) p + 6);
                long value = u64((int) p + 8);
                if (shndx == 0 || nameIdx == 0) {
                    continue; // undefined or unnamed
                }
                if (nameIdx >= strSize) {
                    throw new ElfException("symbol name offset " + nameIdx + " beyond string table");
                }
                String name = cString((int) (strOff + nameIdx), (int) (strSize - nameIdx), "symbol name");
                int bind = info >>> 4;
                (bind == 0 ? locals : globals).putIfAbsent(name, value);
            }
        }
        locals.putAll(globals);
        return Collections.unmodifiableMap(locals);
    }

    private String cString(int off, int max, String what) throws ElfException {
        for (int i = 0; i < max; i++) {
            if (data[off + i] == 0) {
                return new String(data, off, i, StandardCharsets.UTF_8);
            }
        }
        throw new ElfException(what + " is not NUL-terminated");
    }

    private static boolean overflows(long base, long size) {
        return Long.compareUnsigned(base + size, base) < 0;
    }

    private void checkRange(long off, long size, String what) throws ElfException {
        if (off < 0 || size < 0 || off + size < 0 || off + size > data.length) {
            throw new ElfException(what + " (offset 0x" + Long.toHexString(off) + ", size 0x" + Long.toHexString(size)
                    + ") lie beyond the end of the file (" + data.length + " bytes)");
        }
    }

    private int u16(int off) {
        return (data[off] & 0xff) | (data[off + 1] & 0xff) << 8;
    }

    private long u32(int off) {
        return (u16(off) | (long) u16(off + 2) << 16) & 0xffff_ffffL;
    }

    private long u64(int off) {
        return u32(off) | u32(off + 4) << 32;
    }
}
