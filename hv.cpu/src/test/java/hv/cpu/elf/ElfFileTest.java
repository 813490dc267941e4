package hv.cpu.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hv.memory.GuestRam;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing and validation of ELF64 RISC-V executables; every malformed input is a one-line ElfException. */
class ElfFileTest {
    static final int PH = 64, CODE = PH + 2 * 56, INTERP = CODE + 16, SYMTAB = INTERP + 32, STRTAB = SYMTAB + 3 * 24,
            SH = STRTAB + 32, SIZE = SH + 3 * 64;

    /** A small valid ET_EXEC: one PT_LOAD (16 bytes of code, 64 of memory), a PT_INTERP, a symtab with `tohost`. */
    static ByteBuffer valid() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putShort(16, (short) 2).putShort(18, (short) 243).putInt(20, 1).putLong(24, 0x8000_0000L).putLong(32, PH)
                .putLong(40, SH).putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) 2)
                .putShort(58, (short) 64).putShort(60, (short) 3);
        // PT_LOAD
        b.putInt(PH, 1).putInt(PH + 4, 5).putLong(PH + 8, CODE).putLong(PH + 16, 0x8000_0000L).putLong(PH + 24, 0x8000_0000L)
                .putLong(PH + 32, 16).putLong(PH + 40, 64).putLong(PH + 48, 0x1000);
        // PT_INTERP
        int p2 = PH + 56;
        byte[] interp = "/lib/ld.so.1\0".getBytes(StandardCharsets.US_ASCII);
        b.putInt(p2, 3).putLong(p2 + 8, INTERP).putLong(p2 + 32, interp.length).putLong(p2 + 40, interp.length);
        b.put(INTERP, interp);
        for (int i = 0; i < 16; i++) {
            b.put(CODE + i, (byte) (0x10 + i));
        }
        // strtab: "\0tohost\0local\0"
        byte[] str = "\0tohost\0local\0".getBytes(StandardCharsets.US_ASCII);
        b.put(STRTAB, str);
        // symbols: null, tohost (global, section 1), local (local)
        b.putInt(SYMTAB + 24, 1).put(SYMTAB + 24 + 4, (byte) 0x11).putShort(SYMTAB + 24 + 6, (short) 1)
                .putLong(SYMTAB + 24 + 8, 0x8000_1000L);
        b.putInt(SYMTAB + 48, 8).put(SYMTAB + 48 + 4, (byte) 0x01).putShort(SYMTAB + 48 + 6, (short) 1)
                .putLong(SYMTAB + 48 + 8, 0x8000_0004L);
        // section headers: null, symtab (link 2), strtab
        int s1 = SH + 64, s2 = SH + 128;
        b.putInt(s1 + 4, 2).putLong(s1 + 24, SYMTAB).putLong(s1 + 32, 3 * 24).putInt(s1 + 40, 2).putLong(s1 + 56, 24);
        b.putInt(s2 + 4, 3).putLong(s2 + 24, STRTAB).putLong(s2 + 32, str.length);
        return b;
    }

    static byte[] bytes(Consumer<ByteBuffer> edit) {
        ByteBuffer b = valid();
        edit.accept(b);
        return b.array();
    }

    static String refused(byte[] data) {
        ElfException e = assertThrows(ElfException.class, () -> ElfFile.parse(data));
        assertFalse(e.getMessage().contains("\n"), "one line");
        return e.getMessage();
    }

    @Test
    void parsesAValidFile() throws Exception {
        ElfFile f = ElfFile.parse(valid().array());
        assertEquals(0x8000_0000L, f.entry());
        assertEquals(1, f.loadSegments().size());
        assertEquals("/lib/ld.so.1", f.interpreter().orElseThrow());
        assertEquals(0x8000_1000L, f.symbol("tohost").orElseThrow());
        assertEquals(0x8000_0004L, f.symbol("local").orElseThrow());
        assertTrue(f.symbol("missing").isEmpty());
        assertFalse(f.isDynamic());
        assertEquals(2, f.programHeaderCount());
        assertTrue(f.programHeaderAddress().isEmpty(), "no PT_PHDR and no PT_LOAD covering e_phoff");
        // a PT_LOAD from file offset 0 covers the program headers: AT_PHDR = its vaddr + e_phoff
        ElfFile g = ElfFile.parse(bytes(b -> b.putLong(PH + 8, 0).putLong(PH + 32, CODE + 16).putLong(PH + 40, CODE + 16)));
        assertEquals(0x8000_0000L + PH, g.programHeaderAddress().orElseThrow());
        ElfFile h = ElfFile.parse(bytes(b -> b.putInt(PH + 56, 6).putLong(PH + 56 + 16, 0x1234_0000L)));
        assertEquals(0x1234_0000L, h.programHeaderAddress().orElseThrow());
        assertTrue(h.interpreter().isEmpty());
    }

    @Test
    void loadsSegmentsIntoRamAndZeroFillsBss() throws Exception {
        ElfFile f = ElfFile.parse(valid().array());
        try (GuestRam ram = GuestRam.allocate(GuestRam.DEFAULT_BASE, GuestRam.MIN_SIZE)) {
            ram.putLong(16, -1L); // will be cleared (bss part of the segment)
            f.loadPhysical(ram);
            byte[] got = new byte[16];
            ram.read(GuestRam.DEFAULT_BASE, got);
            for (int i = 0; i < 16; i++) {
                assertEquals(0x10 + i, got[i]);
            }
            assertEquals(0, ram.getLong(16));
        }
    }

    @Test
    void refusesSegmentsOutsideRam() throws Exception {
        ElfFile f = ElfFile.parse(bytes(b -> b.putLong(PH + 24, 0x1000L)));
        try (GuestRam ram = GuestRam.allocate(GuestRam.DEFAULT_BASE, GuestRam.MIN_SIZE)) {
            ElfException e = assertThrows(ElfException.class, () -> f.loadPhysical(ram));
            assertTrue(e.getMessage().contains("outside RAM"), e.getMessage());
        }
        ElfFile big = ElfFile.parse(bytes(b -> b.putLong(PH + 40, GuestRam.MIN_SIZE + 1)));
        try (GuestRam ram = GuestRam.allocate(GuestRam.DEFAULT_BASE, GuestRam.MIN_SIZE)) {
            assertThrows(ElfException.class, () -> big.loadPhysical(ram));
        }
    }

    @Test
    void refusesMalformedFilesNamingTheProblem() {
        assertTrue(refused(new byte[0]).contains("magic"));
        assertTrue(refused(bytes(b -> b.put(1, (byte) 'X'))).contains("magic"));
        assertTrue(refused(java.util.Arrays.copyOf(valid().array(), 40)).contains("truncated"));
        assertTrue(refused(bytes(b -> b.put(4, (byte) 1))).contains("64-bit"));
        assertTrue(refused(bytes(b -> b.put(5, (byte) 2))).contains("little-endian"));
        assertTrue(refused(bytes(b -> b.putShort(18, (short) 62))).contains("RISC-V"));
        assertTrue(refused(bytes(b -> b.putShort(16, (short) 1))).contains("executable"));
        assertTrue(refused(bytes(b -> b.putShort(56, (short) 0))).contains("program headers"));
        assertTrue(refused(bytes(b -> b.putShort(54, (short) 32))).contains("program header size"));
        assertTrue(refused(bytes(b -> b.putLong(32, SIZE - 10))).contains("beyond the end"));
        assertTrue(refused(bytes(b -> b.putLong(32, Long.MAX_VALUE))).contains("beyond the end"));
        assertTrue(refused(bytes(b -> b.putLong(PH + 8, SIZE + 1))).contains("beyond the end"));
        assertTrue(refused(bytes(b -> b.putLong(PH + 32, Long.MAX_VALUE))).contains("beyond the end"));
        assertTrue(refused(bytes(b -> b.putLong(PH + 32, 100))).contains("exceeds memory size"));
        assertTrue(refused(bytes(b -> b.putLong(PH + 16, -16L))).contains("overflows"));
        assertTrue(refused(bytes(b -> b.putLong(PH + 48, 3))).contains("power of two"));
        assertTrue(refused(bytes(b -> b.putInt(PH, 6))).contains("no loadable"));
        assertTrue(refused(bytes(b -> b.put(INTERP + 12, (byte) 'x').putLong(PH + 56 + 32, 13))).contains("NUL"));
        assertTrue(refused(bytes(b -> b.putLong(SH + 64 + 32, 100_000))).contains("symbol table"));
        assertTrue(refused(bytes(b -> b.putInt(SH + 64 + 40, 9))).contains("string table"));
        assertTrue(refused(bytes(b -> b.putInt(SYMTAB + 24, 1000))).contains("string table"));
        assertTrue(refused(bytes(b -> b.putLong(40, SIZE))).contains("section headers"));
    }

    @Test
    void everyTruncationIsRefusedCleanly() {
        byte[] full = valid().array();
        for (int n = 0; n < full.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(full, n);
            assertFalse(refused(cut).isBlank(), "length " + n); // the section headers come last: every cut hurts
        }
        assertArrayEquals(full, valid().array());
    }

    @Test
    void readsFilesAndNamesThePath(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("bad.elf");
        Files.write(p, new byte[] {1, 2, 3});
        ElfException e = assertThrows(ElfException.class, () -> ElfFile.read(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        ElfException missing = assertThrows(ElfException.class, () -> ElfFile.read(dir.resolve("nope.elf")));
        assertTrue(missing.getMessage().contains("cannot read"));
        Path ok = dir.resolve("ok.elf");
        Files.write(ok, valid().array());
        assertEquals(0x8000_0000L, ElfFile.read(ok).entry());
    }
}
