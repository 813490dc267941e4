package hv.cpu;

import static hv.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import hv.cpu.elf.ElfFile;
import hv.memory.GuestRam;
import hv.memory.Mmu;
import hv.memory.PhysicalMemory;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test: random user-level instruction sequences (RV64I, M, A, F, D, C, Zba/Zbb/Zbs) run
 * by HV's hart in process mode and by Debian's qemu-riscv64; the final integer and FP registers,
 * fflags and the data buffer must be identical. A bounded count runs in CI; for long runs:
 * {@code -Dhv.diff.count=N -Dhv.diff.seed=S -Dhv.diff.length=L}.
 *
 * <p>Each program is a static Linux ELF written here: load x1..x30 and f0..f31 from a random data
 * buffer (x31 holds its address and is never written), run the random body, store everything to an
 * output area, write(1, out, len), exit(0).
 */
class DifferentialTest {
    static final long BASE = 0x8000_0000L;
    static final long DATA = BASE + 0x1_0000; // 4 KiB of random data the body loads/stores
    static final long OUT = BASE + 0x2_0000; // registers + fflags + data copy
    static final int DATA_BYTES = 4096;
    static final int OUT_BYTES = 31 * 8 + 32 * 8 + 8 + DATA_BYTES;

    @Test
    void randomProgramsMatchQemu(@TempDir Path dir) throws Exception {
        int count = Integer.getInteger("hv.diff.count", 12);
        long seed = Long.getLong("hv.diff.seed", 20260101L);
        int length = Integer.getInteger("hv.diff.length", 300);
        for (int p = 0; p < count; p++) {
            long s = seed + p;
            Random rnd = new Random(s);
            byte[] data = new byte[DATA_BYTES];
            rnd.nextBytes(data);
            // sprinkle special FP values into the data so loads feed NaNs, infinities, zeros, subnormals
            ByteBuffer db = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            long[] specials = {0x7ff8_0000_0000_0000L, 0x7ff0_0000_0000_0001L, 0x7ff0_0000_0000_0000L, 0x8000_0000_0000_0000L,
                0x0000_0000_0000_0001L, 0xffff_ffff_7fc0_0000L, 0xffff_ffff_7f80_0001L, 0xffff_ffff_0000_0001L,
                0x3ff0_0000_0000_0000L, 0xffff_ffff_3f80_0000L};
            for (int i = 0; i < 32; i++) {
                if (rnd.nextInt(3) == 0) {
                    db.putLong(256 + 8 * i, specials[rnd.nextInt(specials.length)]);
                }
            }
            Program prog = new Program(rnd);
            byte[] code = prog.build(length);
            byte[] elf = elf(code, data);
            Path file = (System.getProperty("hv.diff.keep") != null ? Path.of(System.getProperty("hv.diff.keep")) : dir)
                    .resolve("diff-" + s + ".elf");
            Files.write(file, elf);
            file.toFile().setExecutable(true); // qemu-user refuses files without the execute bit
            byte[] qemu = runQemu(file);
            byte[] hv = runHv(file);
            assertEquals(OUT_BYTES, qemu.length, () -> "qemu output length, seed " + s);
            final byte[] q = qemu;
            assertArrayEquals(q, hv, () -> "seed " + s + ": " + firstDifference(q, hv) + "\nprogram:\n" + prog.listing());
        }
    }

    private static String firstDifference(byte[] q, byte[] h) {
        if (h.length != q.length) {
            return "HV wrote " + h.length + " bytes, QEMU " + q.length;
        }
        ByteBuffer qb = ByteBuffer.wrap(q).order(ByteOrder.LITTLE_ENDIAN), hb = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < q.length; i += 8) {
            long a = qb.getLong(i), b = hb.getLong(i);
            if (a != b) {
                String where = i < 31 * 8 ? "x" + (i / 8 + 1) : i < 63 * 8 ? "f" + (i / 8 - 31) : i < 64 * 8 ? "fflags"
                        : "data+" + (i - 64 * 8);
                return where + ": qemu 0x" + Long.toHexString(a) + " hv 0x" + Long.toHexString(b);
            }
        }
        return "?";
    }

    static byte[] runQemu(Path elf) throws Exception {
        Path err = Files.createTempFile(elf.getParent(), "qemu", ".err");
        Process p = new ProcessBuilder("qemu-riscv64", elf.toString()).redirectError(err.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("qemu-riscv64 timed out");
        }
        assertEquals(0, p.exitValue(), () -> "qemu-riscv64 exit status; stderr: " + readQuietly(err));
        return out;
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** Runs the ELF on a process-mode hart (U-mode, Bare translation), emulating write and exit. */
    static byte[] runHv(Path file) throws Exception {
        ElfFile elf = ElfFile.read(file);
        try (GuestRam ram = GuestRam.allocate(GuestRam.DEFAULT_BASE, GuestRam.MIN_SIZE)) {
            elf.loadPhysical(ram);
            PhysicalMemory memory = new PhysicalMemory(ram);
            Hart h = new Hart(0, new Mmu(memory, 0), new ManualClock(), HartConfig.process());
            h.reset(elf.entry(), Hart.PRIV_U);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int steps = 0; steps < 1000; steps++) {
                ExitReason r = h.run(10_000_000);
                if (r == ExitReason.BUDGET) {
                    continue;
                }
                if (r != ExitReason.ECALL) {
                    throw new AssertionError("HV exit " + r + " cause " + h.trapCause + " tval 0x" + Long.toHexString(h.trapTval)
                            + " at pc 0x" + Long.toHexString(h.pc));
                }
                long nr = h.x[17];
                if (nr == 93 || nr == 94) {
                    return out.toByteArray();
                }
                if (nr == 64) {
                    byte[] buf = new byte[(int) h.x[12]];
                    ram.read(h.x[11], buf);
                    out.write(buf);
                    h.x[10] = buf.length;
                } else {
                    h.x[10] = -38; // ENOSYS
                }
                h.advancePastEcall();
            }
            throw new AssertionError("HV did not exit");
        }
    }

    /** A minimal static ELF: one RWX PT_LOAD at BASE holding code, data and the output area. */
    static byte[] elf(byte[] code, byte[] data) {
        int size = (int) (OUT - BASE) + OUT_BYTES;
        int fileOff = 0x1000;
        ByteBuffer b = ByteBuffer.allocate(fileOff + size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putShort(16, (short) 2).putShort(18, (short) 243).putInt(20, 1).putLong(24, BASE).putLong(32, 64).putLong(40, 0)
                .putInt(48, 0x5) // RVC, double-float ABI
                .putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) 1);
        b.putInt(64, 1).putInt(68, 7).putLong(72, fileOff).putLong(80, BASE).putLong(88, BASE).putLong(96, size)
                .putLong(104, size).putLong(112, 0x1000);
        b.put(fileOff, code);
        b.put(fileOff + (int) (DATA - BASE), data);
        return b.array();
    }

    /** Random instruction sequences from a weighted menu. */
    static final class Program {
        private final Random r;
        private final List<Integer> words = new ArrayList<>(); // 32-bit words or 16-bit parcels (marked by < 0x10000 and != 3 low bits)
        private final List<String> text = new ArrayList<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Program(Random r) {
            this.r = r;
        }

        private void w(int insn, String what) {
            for (int i = 0; i < 4; i++) {
                bytes.write(insn >>> (8 * i));
            }
            text.add(String.format("%08x  %s", insn, what));
        }

        private void c(int parcel, String what) {
            bytes.write(parcel);
            bytes.write(parcel >>> 8);
            text.add(String.format("    %04x  %s", parcel & 0xffff, what));
        }

        String listing() {
            return String.join("\n", text);
        }

        /** A destination: any of x1..x30 (never x0, x31). */
        private int rd() {
            return 1 + r.nextInt(30);
        }

        private int rs() {
            return r.nextInt(31); // x0..x30
        }

        private int rp() {
            return 8 + r.nextInt(8);
        }

        byte[] build(int n) {
            for (int i : li(31, DATA)) {
                w(i, "li x31, DATA");
            }
            for (int i = 1; i <= 30; i++) {
                w(ld(i, 31, 8 * (i - 1)), "ld x" + i);
            }
            for (int i = 0; i < 32; i++) {
                w(fld(i, 31, 256 + 8 * i), "fld f" + i);
            }
            w(csrrwi(0, 0x002, r.nextInt(5)), "fsrmi");
            w(csrrwi(0, 0x001, 0), "fsflags 0");
            for (int k = 0; k < n; k++) {
                one();
            }
            // epilogue: x1..x30 to OUT (x31 as well, as the pointer), f regs, fflags, copy data
            for (int i : li(31, OUT)) {
                w(i, "li x31, OUT");
            }
            for (int i = 1; i <= 30; i++) {
                w(sd(i, 31, 8 * (i - 1)), "sd x" + i);
            }
            for (int i : li(1, DATA)) {
                w(i, "li x1, DATA");
            }
            w(sd(1, 31, 8 * 30), "sd x31 slot");
            for (int i = 0; i < 32; i++) {
                w(fsd(i, 31, 8 * (31 + i)), "fsd f" + i);
            }
            w(csrrs(2, 0x001, 0), "frflags x2");
            w(sd(2, 31, 8 * 63), "sd fflags");
            // copy DATA to OUT + 512: x1 = src, x3 = dst, x4 = count
            w(addi(3, 31, 512), "dst");
            w(addi(4, 0, DATA_BYTES / 8), "count");
            w(ld(5, 1, 0), "copy: ld");
            w(sd(5, 3, 0), "sd");
            w(addi(1, 1, 8), "");
            w(addi(3, 3, 8), "");
            w(addi(4, 4, -1), "");
            w(bne(4, 0, -20), "loop");
            // write(1, OUT, OUT_BYTES); exit(0)
            w(addi(10, 0, 1), "a0 = 1");
            w(addi(11, 31, 0), "a1 = OUT");
            for (int i : li(12, OUT_BYTES)) {
                w(i, "a2 = len");
            }
            w(addi(17, 0, 64), "write");
            w(ECALL, "ecall");
            w(addi(10, 0, 0), "a0 = 0");
            w(addi(17, 0, 93), "exit");
            w(ECALL, "ecall");
            return bytes.toByteArray();
        }

        private static final int[][] OPS = {
            // {funct7, funct3, opcode}
            {0, 0, 0x33}, {0x20, 0, 0x33}, {0, 1, 0x33}, {0, 2, 0x33}, {0, 3, 0x33}, {0, 4, 0x33}, {0, 5, 0x33}, {0x20, 5, 0x33},
            {0, 6, 0x33}, {0, 7, 0x33}, {0, 0, 0x3b}, {0x20, 0, 0x3b}, {0, 1, 0x3b}, {0, 5, 0x3b}, {0x20, 5, 0x3b},
            {1, 0, 0x33}, {1, 1, 0x33}, {1, 2, 0x33}, {1, 3, 0x33}, {1, 4, 0x33}, {1, 5, 0x33}, {1, 6, 0x33}, {1, 7, 0x33},
            {1, 0, 0x3b}, {1, 4, 0x3b}, {1, 5, 0x3b}, {1, 6, 0x3b}, {1, 7, 0x3b},
            {0x10, 2, 0x33}, {0x10, 4, 0x33}, {0x10, 6, 0x33}, {0x04, 0, 0x3b}, {0x10, 2, 0x3b}, {0x10, 4, 0x3b}, {0x10, 6, 0x3b},
            {0x20, 7, 0x33}, {0x20, 6, 0x33}, {0x20, 4, 0x33}, {0x05, 4, 0x33}, {0x05, 5, 0x33}, {0x05, 6, 0x33}, {0x05, 7, 0x33},
            {0x30, 1, 0x33}, {0x30, 5, 0x33}, {0x30, 1, 0x3b}, {0x30, 5, 0x3b},
            {0x14, 1, 0x33}, {0x24, 1, 0x33}, {0x24, 5, 0x33}, {0x34, 1, 0x33},
        };

        private int imm12() {
            return r.nextInt(4) == 0 ? (r.nextBoolean() ? 2047 : -2048) : r.nextInt(4096) - 2048;
        }

        private void one() {
            int kind = r.nextInt(100);
            if (kind < 30) {
                int[] op = OPS[r.nextInt(OPS.length)];
                int rd = rd(), a = rs(), b = rs();
                w(Asm.r(op[0], b, a, op[1], rd, op[2]), "op " + op[0] + "/" + op[1] + "/" + Integer.toHexString(op[2]));
            } else if (kind < 42) {
                int rd = rd(), a = rs();
                switch (r.nextInt(12)) {
                    case 0 -> w(addi(rd, a, imm12()), "addi");
                    case 1 -> w(slti(rd, a, imm12()), "slti");
                    case 2 -> w(sltiu(rd, a, imm12()), "sltiu");
                    case 3 -> w(xori(rd, a, imm12()), "xori");
                    case 4 -> w(ori(rd, a, imm12()), "ori");
                    case 5 -> w(andi(rd, a, imm12()), "andi");
                    case 6 -> w(slli(rd, a, r.nextInt(64)), "slli");
                    case 7 -> w(srli(rd, a, r.nextInt(64)), "srli");
                    case 8 -> w(srai(rd, a, r.nextInt(64)), "srai");
                    case 9 -> w(addiw(rd, a, imm12()), "addiw");
                    case 10 -> w(new int[] {slliw(rd, a, r.nextInt(32)), srliw(rd, a, r.nextInt(32)), sraiw(rd, a, r.nextInt(32))}[r.nextInt(3)], "shiftiw");
                    default -> w(lui(rd, r.nextInt() & 0xfffff000), "lui");
                }
            } else if (kind < 47) {
                // Zb immediates and unary ops
                int rd = rd(), a = rs();
                int[] unary = {0x600, 0x601, 0x602, 0x604, 0x605};
                switch (r.nextInt(7)) {
                    case 0 -> w(i(unary[r.nextInt(5)], a, 1, rd, 0x13), "zbb unary");
                    // ctzw (0x601) is left out: qemu-riscv64 7.2 returns the 64-bit count when the low word
                    // is zero (61 for 0x2000000000000000; the spec says 32). BitManipTest covers it.
                    case 1 -> w(i(new int[] {0x600, 0x602}[r.nextInt(2)], a, 1, rd, 0x1b), "zbb unary w");
                    case 2 -> w(i((0b011000 << 6) | r.nextInt(64), a, 5, rd, 0x13), "rori");
                    case 3 -> w(i(new int[] {0x287, 0x6b8}[r.nextInt(2)], a, 5, rd, 0x13), "orc.b/rev8");
                    case 4 -> w(i((new int[] {0b001010, 0b010010, 0b011010}[r.nextInt(3)] << 6) | r.nextInt(64), a, 1, rd, 0x13), "bseti/bclri/binvi");
                    case 5 -> w(i((0b010010 << 6) | r.nextInt(64), a, 5, rd, 0x13), "bexti");
                    default -> w(i((0b000010 << 6) | r.nextInt(64), a, 1, rd, 0x1b), "slli.uw");
                }
            } else if (kind < 57) {
                // loads/stores within the data buffer (aligned)
                int size = 1 << r.nextInt(4);
                int off = r.nextInt(DATA_BYTES / size) * size - 0; // 0..4095
                int rd = rd(), src = rs();
                if (off > 2047) {
                    off -= 2048; // keep the immediate in range; the buffer's first half
                }
                if (r.nextBoolean()) {
                    int[] loads = size == 1 ? new int[] {lb(rd, 31, off), lbu(rd, 31, off)} : size == 2 ? new int[] {lh(rd, 31, off), lhu(rd, 31, off)}
                            : size == 4 ? new int[] {lw(rd, 31, off), lwu(rd, 31, off)} : new int[] {ld(rd, 31, off)};
                    w(loads[r.nextInt(loads.length)], "load" + size);
                } else {
                    int st = size == 1 ? sb(src, 31, off) : size == 2 ? sh(src, 31, off) : size == 4 ? sw(src, 31, off) : sd(src, 31, off);
                    w(st, "store" + size);
                }
            } else if (kind < 62) {
                // AMOs on the buffer, and an adjacent LR/SC pair
                boolean d = r.nextBoolean();
                int off = r.nextInt(64) * 8 + (d ? 0 : 4 * r.nextInt(2));
                w(addi(30, 31, off), "addr");
                int[] f5 = {0x00, 0x01, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c};
                if (r.nextInt(4) == 0) {
                    w(lr(d, rd() % 29 + 1, 30), "lr");
                    w(sc(d, rd() % 29 + 1, 30, rs()), "sc");
                } else {
                    w(Asm.amo(f5[r.nextInt(f5.length)], d, rd() % 29 + 1, 30, rs()), "amo");
                }
            } else if (kind < 68) {
                // forward branches over one instruction (taken or not)
                int[] br = {0, 1, 4, 5, 6, 7};
                w(Asm.b(8, rs(), rs(), br[r.nextInt(br.length)]), "branch +8");
                w(addi(rd(), rs(), imm12()), "maybe skipped");
            } else if (kind < 80) {
                compressed();
            } else {
                fpOp();
            }
        }

        private void compressed() {
            int rd = rd(), rs2 = 1 + r.nextInt(30), rdp = rp(), rs2p = rp();
            int imm6 = r.nextInt(64) - 32;
            switch (r.nextInt(10)) {
                case 0 -> c((0 << 13) | ((imm6 & 32) << 7) | (rd << 7) | ((imm6 & 31) << 2) | 1, "c.addi");
                case 1 -> c((2 << 13) | ((imm6 & 32) << 7) | (rd << 7) | ((imm6 & 31) << 2) | 1, "c.li");
                case 2 -> c((1 << 13) | ((imm6 & 32) << 7) | (rd << 7) | ((imm6 & 31) << 2) | 1, "c.addiw");
                case 3 -> {
                    int sh = 1 + r.nextInt(63);
                    c(((sh & 32) << 7) | (rd << 7) | ((sh & 31) << 2) | 2, "c.slli");
                }
                case 4 -> c((4 << 13) | (rd << 7) | (rs2 << 2) | 2, "c.mv");
                case 5 -> c((4 << 13) | (1 << 12) | (rd << 7) | (rs2 << 2) | 2, "c.add");
                case 6 -> {
                    int sh = r.nextInt(64);
                    int f2 = r.nextInt(3);
                    int v = f2 == 2 ? imm6 : sh;
                    c((4 << 13) | ((v & 32) << 7) | (f2 << 10) | ((rdp - 8) << 7) | ((v & 31) << 2) | 1, "c.srli/srai/andi");
                }
                case 7 -> c((4 << 13) | (3 << 10) | ((rdp - 8) << 7) | (r.nextInt(4) << 5) | ((rs2p - 8) << 2) | 1, "c.sub/xor/or/and");
                case 8 -> c((4 << 13) | (1 << 12) | (3 << 10) | ((rdp - 8) << 7) | (r.nextInt(2) << 5) | ((rs2p - 8) << 2) | 1, "c.subw/addw");
                default -> {
                    int nz = 1 + r.nextInt(31);
                    if (rd == 2) {
                        rd = 3;
                    }
                    c((3 << 13) | (rd << 7) | (nz << 2) | 1, "c.lui");
                }
            }
        }

        private void fpOp() {
            int fmt = r.nextInt(2); // 0 single, 1 double
            int rd = r.nextInt(32), a = r.nextInt(32), b = r.nextInt(32), c3 = r.nextInt(32);
            int rm = r.nextInt(6) == 0 ? 7 : r.nextInt(5);
            switch (r.nextInt(14)) {
                case 0 -> w(fp(0x00, fmt, rd, a, b, rm), "fadd");
                case 1 -> w(fp(0x01, fmt, rd, a, b, rm), "fsub");
                case 2 -> w(fp(0x02, fmt, rd, a, b, rm), "fmul");
                case 3 -> w(fp(0x03, fmt, rd, a, b, rm), "fdiv");
                case 4 -> w(fp(0x0b, fmt, rd, a, 0, rm), "fsqrt");
                case 5 -> w(fp(0x04, fmt, rd, a, b, r.nextInt(3)), "fsgnj*");
                case 6 -> w(fp(0x05, fmt, rd, a, b, r.nextInt(2)), "fmin/fmax");
                case 7 -> w(fp(0x14, fmt, 1 + r.nextInt(30), a, b, r.nextInt(3)), "fle/flt/feq");
                case 8 -> w(fp(0x18, fmt, 1 + r.nextInt(30), a, r.nextInt(4), rm), "fcvt.int.fp");
                case 9 -> w(fp(0x1a, fmt, rd, rs(), r.nextInt(4), rm), "fcvt.fp.int");
                case 10 -> w(fp(0x1c, fmt, 1 + r.nextInt(30), a, 0, r.nextInt(2)), "fmv.x/fclass");
                case 11 -> w(fp(0x1e, fmt, rd, rs(), 0, 0), "fmv.fp.x");
                case 12 -> w(fp(0x08, fmt, rd, a, fmt == 0 ? 1 : 0, rm), "fcvt.s.d/d.s");
                default -> w(fma(new int[] {0x43, 0x47, 0x4b, 0x4f}[r.nextInt(4)], fmt, rd, a, b, c3, rm), "fma");
            }
        }
    }
}
