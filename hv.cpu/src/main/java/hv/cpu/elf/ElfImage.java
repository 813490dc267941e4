package hv.cpu.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated ELF64 little-endian RISC-V image (System V gABI, "ELF Header" and "Program Header";
 * RISC-V psABI for EM_RISCV = 243). Holds the file bytes; segments are views by offset, checked
 * against the file size with overflow-safe arithmetic when parsed.
 */
public final class ElfImage {

    public static final int EM_RISCV = 243;
    public static final int ET_EXEC = 2, ET_DYN = 3;
    public static final int PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_PHDR = 6;
    public static final int PF_X = 1, PF_W = 2, PF_R = 4;

    /** One program header. */
    public record Segment(int type, int flags, long fileOffset, long virtualAddress, long physicalAddress,
                          long fileSize, long memorySize, long align) {
    }

    private final byte[] data;
    private final int type;
    private final long entry;
    private final long phoff;
    private final int phentsize;
    private final List<Segment> segments;
    private final Map<String, Long> symbols;

    private ElfImage(byte[] data, int type, long entry, long phoff, int phentsize, List<Segment> segments, Map<String, Long> symbols) {
        this.data = data;
        this.type = type;
        this.entry = entry;
        this.phoff = phoff;
        this.phentsize = phentsize;
        this.segments = segments;
        this.symbols = symbols;
    }

    /** True when the bytes start with the ELF magic (whatever the class or machine). */
    public static boolean isElf(byte[] d) {
        return d.length >= 4 && d[0] == 0x7f && d[1] == 'E' && d[2] == 'L' && d[3] == 'F';
    }

    public static ElfImage parse(byte[] d) throws ElfException {
        if (!isElf(d)) {
            throw new ElfException("not an ELF file (bad magic)");
        }
        if (d.length < 64) {
            throw new ElfException("truncated ELF header (" + d.length + " bytes)");
        }
        if (d[4] != 2) {
            throw new ElfException("not a 64-bit ELF (EI_CLASS " + d[4] + "); HV runs RV64 only");
        }
        if (d[5] != 1) {
            throw new ElfException("not a little-endian ELF (EI_DATA " + d[5] + ")");
        }
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        int type = Short.toUnsignedInt(b.getShort(16));
        int machine = Short.toUnsignedInt(b.getShort(18));
        if (machine != EM_RISCV) {
            throw new ElfException("not a RISC-V ELF (e_machine " + machine + ")");
        }
        if (type != ET_EXEC && type != ET_DYN) {
            throw new ElfException("not an executable ELF (e_type " + type + ")");
        }
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        long shoff = b.getLong(40);
        int phentsize = Short.toUnsignedInt(b.getShort(54));
        int phnum = Short.toUnsignedInt(b.getShort(56));
        int shentsize = Short.toUnsignedInt(b.getShort(58));
        int shnum = Short.toUnsignedInt(b.getShort(60));
        if (phnum == 0) {
            throw new ElfException("ELF has no program headers");
        }
        if (phentsize < 56) {
            throw new ElfException("ELF program header size " + phentsize + " is too small");
        }
        checkRange(d, phoff, (long) phentsize * phnum, "program headers");
        List<Segment> segs = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int o = (int) (phoff + (long) i * phentsize);
            Segment s = new Segment(b.getInt(o), b.getInt(o + 4), b.getLong(o + 8), b.getLong(o + 16), b.getLong(o + 24),
                    b.getLong(o + 32), b.getLong(o + 40), b.getLong(o + 48));
            if (s.type() == PT_LOAD || s.type() == PT_INTERP) {
                checkRange(d, s.fileOffset(), s.fileSize(), "segment " + i);
                if (Long.compareUnsigned(s.memorySize(), s.fileSize()) < 0) {
                    throw new ElfException("segment " + i + " has p_memsz smaller than p_filesz");
                }
                if (s.virtualAddress() + s.memorySize() < s.virtualAddress() && s.memorySize() != 0
                        || s.physicalAddress() + s.memorySize() < s.physicalAddress() && s.memorySize() != 0) {
                    throw new ElfException("segment " + i + " wraps around the address space");
                }
            }
            segs.add(s);
        }
        if (segs.stream().noneMatch(s -> s.type() == PT_LOAD)) {
            throw new ElfException("ELF has no loadable (PT_LOAD) segment");
        }
        Map<String, Long> symbols = readSymbols(d, b, shoff, shentsize, shnum);
        return new ElfImage(d, type, entry, phoff, phentsize, List.copyOf(segs), symbols);
    }

    /** Symbols from .symtab, if the file has one; an unreadable table is ignored (symbols are optional). */
    private static Map<String, Long> readSymbols(byte[] d, ByteBuffer b, long shoff, int shentsize, int shnum) {
        Map<String, Long> out = new HashMap<>();
        if (shoff == 0 || shnum == 0 || shentsize < 64) {
            return out;
        }
        try {
            checkRange(d, shoff, (long) shentsize * shnum, "section headers");
            for (int i = 0; i < shnum; i++) {
                int sh = (int) (shoff + (long) i * shentsize);
                int shType = b.getInt(sh + 4);
                if (shType != 2) { // SHT_SYMTAB
                    continue;
                }
                long off = b.getLong(sh + 24);
                long size = b.getLong(sh + 32);
                int link = b.getInt(sh + 40);
                long entsize = b.getLong(sh + 56);
                if (entsize < 24 || link < 0 || link >= shnum) {
                    continue;
                }
                int strSh = (int) (shoff + (long) link * shentsize);
                long strOff = b.getLong(strSh + 24);
                long strSize = b.getLong(strSh + 32);
                checkRange(d, off, size, "symbol table");
                checkRange(d, strOff, strSize, "string table");
                for (long e = 0; e + entsize <= size; e += entsize) {
                    int so = (int) (off + e);
                    long nameOff = Integer.toUnsignedLong(b.getInt(so));
                    long value = b.getLong(so + 8);
                    if (nameOff == 0 || nameOff >= strSize) {
                        continue;
                    }
                    int start = (int) (strOff + nameOff);
                    int end = start;
                    while (end < strOff + strSize && d[end] != 0) {
                        end++;
                    }
                    out.putIfAbsent(new String(d, start, end - start, StandardCharsets.UTF_8), value);
                }
            }
        } catch (ElfException e) {
            return Map.of();
        }
        return out;
    }

    private static void checkRange(byte[] d, long off, long len, String what) throws ElfException {
        if (off < 0 || len < 0 || off > d.length || len > d.length - off) {
            throw new ElfException("truncated or corrupt ELF: " + what + " [" + off + ", +" + len + ") lie outside the " + d.length + "-byte file");
        }
    }

    public int type() {
        return type;
    }

    public boolean isPositionIndependent() {
        return type == ET_DYN;
    }

    public long entry() {
        return entry;
    }

    public long programHeaderOffset() {
        return phoff;
    }

    public int programHeaderEntrySize() {
        return phentsize;
    }

    public List<Segment> segments() {
        return segments;
    }

    public List<Segment> loadSegments() {
        return segments.stream().filter(s -> s.type() == PT_LOAD).toList();
    }

    /** The file bytes of a segment (p_filesz of them; the rest up to p_memsz is zero). */
    public byte[] segmentBytes(Segment s) {
        byte[] out = new byte[(int) s.fileSize()];
        System.arraycopy(data, (int) s.fileOffset(), out, 0, out.length);
        return out;
    }

    /** The program interpreter (PT_INTERP), e.g. /lib/ld-linux-riscv64-lp64d.so.1. */
    public Optional<String> interpreter() {
        for (Segment s : segments) {
            if (s.type() == PT_INTERP && s.fileSize() > 0) {
                int len = (int) s.fileSize();
                int end = (int) s.fileOffset();
                while (end < s.fileOffset() + len && data[end] != 0) {
                    end++;
                }
                return Optional.of(new String(data, (int) s.fileOffset(), end - (int) s.fileOffset(), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    public Optional<Long> symbol(String name) {
        return Optional.ofNullable(symbols.get(name));
    }
}
