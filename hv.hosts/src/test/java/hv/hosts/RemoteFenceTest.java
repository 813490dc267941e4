package hv.hosts;

import hv.api.device.HostConsole;
import hv.api.platform.GuestClock;
import hv.cpu.Hart;
import hv.cpu.HartConfig;
import hv.hosts.sbi.Sbi;
import hv.hosts.vcpu.VcpuThread;
import hv.memory.GuestRam;
import hv.memory.Mmu;
import hv.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SBI RFENCE is synchronous (SBI spec, RFENCE extension: the remote harts have executed the fence
 * when the call returns), tested with real harts on vCPU threads: hart 0 remaps a virtual page of
 * hart 1 from one physical page to another, calls sbi_remote_sfence_vma for hart 1, and right after
 * the call returns poisons the old page, as Linux does when it frees a page after a TLB shootdown.
 * Hart 1 reads the virtual page in a tight loop and records it if it ever sees the poison: that is
 * a stale TLB entry used after the fence returned.
 */
class RemoteFenceTest {
    private static final long RAM_BASE = 0x8000_0000L;
    private static final long CODE_A = RAM_BASE, CODE_B = RAM_BASE + 0x1000, LOOP_B = RAM_BASE + 0x2000,
            BAD_B = RAM_BASE + 0x3000, ROOT = RAM_BASE + 0x10000, L1 = RAM_BASE + 0x11000, L0 = RAM_BASE + 0x12000,
            P1 = RAM_BASE + 0x20000, P2 = RAM_BASE + 0x21000, DONE = RAM_BASE + 0x30000, POISON_SEEN = RAM_BASE + 0x30008;
    /** The virtual page hart 1 reads (VPN2 = VPN1 = 0, VPN0 = 1). */
    private static final long VA = 0x1000;
    private static final long GOOD = 1, POISON = 3;
    private static final int ROUNDS = 5000;
    private static final long EID_RFENCE = 0x52464E43L;
    /** Leaf PTE flags V R W X A D (A and D preset: no A/D updates involved). */
    private static final long LEAF_RWX = 0xCF, LEAF_RW = 0xC7, TABLE = 0x1;

    private static final GuestClock CLOCK = hv.hosts.vcpu.TestHarts.WALL_CLOCK;

    // --- a few RV64 encodings (unprivileged spec chapter 2) ---
    private static int iType(int imm, int rs1, int f3, int rd, int opcode) {
        return imm << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opcode;
    }

    private static int addi(int rd, int rs1, int imm) {
        return iType(imm & 0xfff, rs1, 0, rd, 0x13);
    }

    private static int ld(int rd, int rs1, int imm) {
        return iType(imm & 0xfff, rs1, 3, rd, 0x03);
    }

    private static int sd(int rs2, int rs1, int imm) {
        return (imm >> 5 & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | 3 << 12 | (imm & 0x1f) << 7 | 0x23;
    }

    private static int slli(int rd, int rs1, int sh) {
        return iType(sh, rs1, 1, rd, 0x13);
    }

    private static int srli(int rd, int rs1, int sh) {
        return iType(sh, rs1, 5, rd, 0x13);
    }

    private static int or(int rd, int rs1, int rs2) {
        return rs2 << 20 | rs1 << 15 | 6 << 12 | rd << 7 | 0x33;
    }

    private static int branch(int f3, int rs1, int rs2, int off) {
        return (off >> 12 & 1) << 31 | (off >> 5 & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (off >> 1 & 0xf) << 8
                | (off >> 11 & 1) << 7 | 0x63;
    }

    private static int jal(int rd, int off) {
        return (off >> 20 & 1) << 31 | (off >> 1 & 0x3ff) << 21 | (off >> 11 & 1) << 20 | (off >> 12 & 0xff) << 12 | rd << 7
                | 0x6f;
    }

    private static final int ECALL = 0x73, SFENCE_VMA_ALL = 0x1200_0073, CSRW_SATP_T2 = 0x1803_9073; // csrrw x0, satp, t2
    private static final int T0 = 5, T1 = 6, T2 = 7, S0 = 8, S1 = 9, A0 = 10, A1 = 11, A2 = 12, A3 = 13, A6 = 16, A7 = 17,
            S2 = 18, S3 = 19, S4 = 20, S5 = 21, S6 = 22, S7 = 23, T3 = 28, T4 = 29;

    private static void put(GuestRam ram, long addr, int... words) {
        for (int w : words) {
            ram.putInt(addr - RAM_BASE, w);
            addr += 4;
        }
    }

    /** Hart 0: ROUNDS times remap VA to the other page, fence hart 1 through the SBI, poison the old page. */
    private static void codeA(GuestRam ram) {
        int loop = 0;
        List<Integer> c = new ArrayList<>(List.of(
                sd(S3, S2, 0),                   // new page := GOOD
                srli(T0, S2, 12), slli(T0, T0, 10), or(T0, T0, S6),
                sd(T0, S0, 0),                   // PTE(VA) := new page
                addi(A7, T3, 0), addi(A6, 0, 1), addi(A0, T4, 0), addi(A1, 0, 0), addi(A2, 0, 0), addi(A3, 0, -1),
                ECALL,                           // sbi_remote_sfence_vma(hart 1, all addresses)
                sd(S4, S1, 0),                   // old page := POISON: hart 1 must no longer reach it
                addi(T0, S1, 0), addi(S1, S2, 0), addi(S2, T0, 0),
                addi(S5, S5, -1)));
        c.add(branch(1, S5, 0, (loop - c.size()) * 4)); // bnez s5, loop
        c.add(addi(T1, 0, 1));
        c.add(sd(T1, S7, 0));                  // DONE := 1
        c.add(jal(0, 0));                      // j .
        put(ram, CODE_A, c.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Hart 1: switch to Sv39, then load VA over and over (no taken branch within the page) until it sees POISON. */
    private static void codeB(GuestRam ram) {
        put(ram, CODE_B, CSRW_SATP_T2, SFENCE_VMA_ALL, jal(0, (int) (LOOP_B - (CODE_B + 8))));
        int pairs = 511;
        for (int i = 0; i < pairs; i++) {
            long at = LOOP_B + 8L * i;
            put(ram, at, ld(T0, S0, 0), branch(0, T0, T1, (int) (BAD_B - (at + 4)))); // beq t0, t1, bad
        }
        put(ram, LOOP_B + 8L * pairs, jal(0, (int) -(8L * pairs)));
        put(ram, BAD_B, sd(T1, S7, 0), jal(0, 0)); // POISON_SEEN := 3; j .
    }

    private static void pageTables(GuestRam ram) {
        ram.putLong(ROOT - RAM_BASE, (L1 >>> 12) << 10 | TABLE);                  // VPN2 0 -> L1
        ram.putLong(ROOT - RAM_BASE + 8 * 2, (RAM_BASE >>> 12) << 10 | LEAF_RWX); // VPN2 2: identity gigapage over RAM
        ram.putLong(L1 - RAM_BASE, (L0 >>> 12) << 10 | TABLE);                    // VPN1 0 -> L0
        ram.putLong(L0 - RAM_BASE + 8, (P1 >>> 12) << 10 | LEAF_RW);              // VPN0 1 -> P1
        ram.putLong(P1 - RAM_BASE, GOOD);
        ram.putLong(P2 - RAM_BASE, GOOD);
    }

    /** ROUNDS times sbi_remote_sfence_vma on every hart (hart_mask_base -1), then DONE(s7) := 1. */
    private static void codeFenceAll(GuestRam ram, long at) {
        put(ram, at,
                addi(A7, T3, 0), addi(A6, 0, 1), addi(A0, 0, 0), addi(A1, 0, -1), addi(A2, 0, 0), addi(A3, 0, -1),
                ECALL,
                addi(S5, S5, -1),
                branch(1, S5, 0, -8 * 4),      // bnez s5, back to the first instruction
                addi(T1, 0, 1), sd(T1, S7, 0),
                jal(0, 0));
    }

    private static final class RecordingListener implements VcpuThread.Listener {
        final ConcurrentLinkedQueue<String> fatal = new ConcurrentLinkedQueue<>();

        @Override
        public void sliceEnded(VcpuThread vcpu) {
        }

        @Override
        public void fatal(VcpuThread vcpu, String message) {
            fatal.add(message);
        }

        @Override
        public void started(VcpuThread vcpu) {
        }
    }

    private static final HostConsole NO_CONSOLE = HostConsole.silent();

    /**
     * Two running harts fence each other (and themselves, and a stopped third hart) at the same
     * time: each waits for the other while the other is inside its own SBI call, which must count
     * as done (no deadlock), and the stopped hart must not block anyone.
     */
    @Test
    void hartsThatFenceEachOtherAndAStoppedHartDoNotDeadlock() throws InterruptedException {
        try (GuestRam ram = GuestRam.allocate(RAM_BASE, 16 << 20)) {
            PhysicalMemory phys = new PhysicalMemory(ram);
            codeFenceAll(ram, CODE_A);
            RecordingListener listener = new RecordingListener();
            List<VcpuThread> vcpus = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Hart h = new Hart(i, new Mmu(phys, i), CLOCK, HartConfig.hypervisor());
                h.reset(CODE_A, Hart.PRIV_S);
                h.x[T3] = EID_RFENCE;
                h.x[S5] = ROUNDS;
                h.x[S7] = DONE + 8L * i;
                vcpus.add(new VcpuThread(h, listener, i < 2)); // hart 2 stays stopped (SBI HSM)
            }
            Sbi sbi = new Sbi(new VmSbiPlatform(vcpus, ram, NO_CONSOLE, new VmLifecycle()));
            for (VcpuThread v : vcpus) {
                v.attachSbi(sbi);
                v.start("fence-" + v.hart().hartId());
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while ((ram.getLongVolatile(DONE - RAM_BASE) == 0 || ram.getLongVolatile(DONE + 8 - RAM_BASE) == 0)
                    && listener.fatal.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            for (VcpuThread v : vcpus) {
                v.send(new VcpuThread.Command.Finish());
            }
            for (VcpuThread v : vcpus) {
                v.join();
            }
            assertTrue(listener.fatal.isEmpty(), () -> "vCPU failed: " + listener.fatal);
            assertEquals(1, ram.getLongVolatile(DONE - RAM_BASE), "hart 0 finished its fences");
            assertEquals(1, ram.getLongVolatile(DONE + 8 - RAM_BASE), "hart 1 finished its fences");
            assertEquals(0, vcpus.get(2).hart().retired, "the stopped hart never ran");
        }
    }

    @Test
    void aRemoteSfenceVmaIsDoneOnTheTargetWhenTheCallReturns() throws InterruptedException {
        try (GuestRam ram = GuestRam.allocate(RAM_BASE, 16 << 20)) {
            PhysicalMemory phys = new PhysicalMemory(ram);
            codeA(ram);
            codeB(ram);
            pageTables(ram);
            Hart a = new Hart(0, new Mmu(phys, 0), CLOCK, HartConfig.hypervisor());
            Hart b = new Hart(1, new Mmu(phys, 1), CLOCK, HartConfig.hypervisor());
            a.reset(CODE_A, Hart.PRIV_S);
            b.reset(CODE_B, Hart.PRIV_S);
            a.x[S0] = L0 + 8;
            a.x[S1] = P1;
            a.x[S2] = P2;
            a.x[S3] = GOOD;
            a.x[S4] = POISON;
            a.x[S5] = ROUNDS;
            a.x[S6] = LEAF_RW;
            a.x[S7] = DONE;
            a.x[T3] = EID_RFENCE;
            a.x[T4] = 1L << 1;
            b.x[S0] = VA;
            b.x[T1] = POISON;
            b.x[T2] = 8L << 60 | ROOT >>> 12;
            b.x[S7] = POISON_SEEN;

            RecordingListener listener = new RecordingListener();
            List<VcpuThread> vcpus = List.of(new VcpuThread(a, listener, true), new VcpuThread(b, listener, true));
            Sbi sbi = new Sbi(new VmSbiPlatform(vcpus, ram, NO_CONSOLE, new VmLifecycle()));
            for (VcpuThread v : vcpus) {
                v.attachSbi(sbi);
            }
            vcpus.get(1).start("fence-target");
            vcpus.get(0).start("fence-caller");
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (ram.getLongVolatile(DONE - RAM_BASE) == 0 && ram.getLongVolatile(POISON_SEEN - RAM_BASE) == 0
                    && listener.fatal.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            for (VcpuThread v : vcpus) {
                v.send(new VcpuThread.Command.Finish());
            }
            for (VcpuThread v : vcpus) {
                v.join();
            }
            assertTrue(listener.fatal.isEmpty(), () -> "vCPU failed: " + listener.fatal);
            assertEquals(0, ram.getLongVolatile(POISON_SEEN - RAM_BASE),
                    "hart 1 read the old page through a stale TLB entry after the remote fence returned (round "
                            + (ROUNDS - a.x[S5]) + " of " + ROUNDS + ")");
            assertEquals(1, ram.getLongVolatile(DONE - RAM_BASE), "hart 0 finished all rounds (left: " + a.x[S5] + ")");
        }
    }
}
