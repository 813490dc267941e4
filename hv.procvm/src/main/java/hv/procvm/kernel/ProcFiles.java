package hv.procvm.kernel;

import hv.procvm.mem.Prot;
import hv.procvm.mem.Vma;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few /proc files HV generates for a guest, in both path modes (without a sysroot the host's
 * /proc would describe the JVM, not the guest): /proc/self/maps (glibc reads it for the main
 * thread's stack), /proc/self/cmdline, /proc/self/comm, /proc/meminfo and /proc/cpuinfo, in the
 * formats of Documentation/filesystems/proc.rst and arch/riscv/kernel/cpu.c.
 */
final class ProcFiles {
    private ProcFiles() {
    }

    /** The content of a /proc path (already normalized, /proc/PID as /proc/self), or null. */
    static byte[] content(Kernel k, GuestProcess p, String path) {
        return switch (path) {
            case "/proc/self/maps" -> maps(p);
            case "/proc/self/cmdline" -> p.cmdline;
            case "/proc/self/comm" -> (p.comm + "\n").getBytes(StandardCharsets.UTF_8);
            case "/proc/meminfo" -> meminfo(k);
            case "/proc/cpuinfo" -> cpuinfo();
            default -> null;
        };
    }

    static byte[] maps(GuestProcess p) {
        StringBuilder sb = new StringBuilder();
        for (Vma v : p.as.vmas()) {
            int prot = v.prot();
            String name = v.name() == null || v.name().equals("[anon]") ? "" : v.name();
            sb.append(String.format("%08x-%08x %c%c%c%c 00000000 00:00 0", v.start(), v.end(),
                    (prot & Prot.READ) != 0 ? 'r' : '-', (prot & Prot.WRITE) != 0 ? 'w' : '-',
                    (prot & Prot.EXEC) != 0 ? 'x' : '-', v.kind() == Vma.SHARED ? 's' : 'p'));
            if (!name.isEmpty()) {
                sb.append(" ".repeat(Math.max(1, 26 - 10))).append(name);
            }
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] meminfo(Kernel k) {
        long totalKb = (long) k.pages.frameCount() * 4;
        long freeKb = totalKb - (long) k.pages.framesInUse() * 4;
        String s = String.format("MemTotal:       %8d kB%nMemFree:        %8d kB%nMemAvailable:   %8d kB%n"
                + "Buffers:               0 kB%nCached:                0 kB%nSwapTotal:             0 kB%nSwapFree:              0 kB%n",
                totalKb, freeKb, freeKb);
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] cpuinfo() {
        int cpus = Math.min(64, Runtime.getRuntime().availableProcessors());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cpus; i++) {
            sb.append("processor\t: ").append(i).append('\n').append("hart\t\t: ").append(i).append('\n')
                    .append("isa\t\t: rv64imafdc_zicsr_zifencei_zba_zbb_zbs\n").append("mmu\t\t: sv39\n")
                    .append("uarch\t\t: hv,process-vm\n\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** argv as /proc/self/cmdline has it: each argument NUL-terminated. */
    static byte[] cmdline(java.util.List<byte[]> argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] a : argv) {
            out.writeBytes(a);
            out.write(0);
        }
        return out.toByteArray();
    }
}
