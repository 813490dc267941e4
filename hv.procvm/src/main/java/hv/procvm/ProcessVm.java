package hv.procvm;

import hv.cpu.elf.ElfException;
import hv.memory.GuestRam;
import hv.memory.MemoryFault;
import hv.memory.PhysicalMemory;
import hv.procvm.fs.DeviceFile;
import hv.procvm.fs.FileSystemView;
import hv.procvm.fs.HostFile;
import hv.procvm.fs.OpenFile;
import hv.procvm.kernel.Kernel;
import hv.procvm.kernel.Signals;
import hv.procvm.mem.PhysicalPages;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code hv exec}: runs one riscv64 Linux program (and whatever it forks) on the host. Allocates
 * the guest RAM that holds every process's pages and page tables, builds the kernel with one
 * hv.cpu hart per guest thread, starts the program and returns its exit status as a shell
 * reports it (the exit code, or 128 + the number of the signal that killed it).
 */
public final class ProcessVm {
    /** Guest RAM shared by all processes (lazily committed: untouched RAM costs nothing). */
    public static final long DEFAULT_MEMORY = 2L << 30;

    /**
     * @param sysroot the guest's root directory, or null for the host's file system
     * @param env     variables added to (or replacing) HV's own environment, which the program inherits
     * @param cwd     the working directory (a guest path under a sysroot), or null for the default
     * @param stats   print counters on stderr when the program ends
     * @param memory  guest RAM size in bytes
     */
    public record Options(Path sysroot, Map<String, String> env, String cwd, boolean stats, long memory, boolean inheritEnv,
            Stdio stdio) {
        public Options {
            env = env == null ? Map.of() : Map.copyOf(env);
        }

        /** hv exec's options: HV's environment inherited, HV's standard streams passed through. */
        public Options(Path sysroot, Map<String, String> env, String cwd, boolean stats, long memory) {
            this(sysroot, env, cwd, stats, memory, true, null);
        }
    }

    /**
     * Host files for the program's fds 0, 1 and 2 instead of HV's own streams (tests, embedding);
     * {@code in} may be null for an empty stdin.
     */
    public record Stdio(Path in, Path out, Path err) {
    }

    private ProcessVm() {
    }

    public static int run(Options options, String program, List<String> args, PrintStream diag)
            throws ExecException, InterruptedException {
        FileSystemView fs;
        try {
            if (options.sysroot() != null && !Files.isDirectory(options.sysroot())) {
                throw new ExecException("sysroot " + options.sysroot() + " is not a directory");
            }
            fs = new FileSystemView(options.sysroot());
        } catch (IOException e) {
            throw new ExecException("sysroot " + options.sysroot() + ": " + e.getMessage());
        }
        String cwd = initialCwd(fs, options.cwd());
        GuestRam ram;
        try {
            ram = GuestRam.allocate(GuestRam.DEFAULT_BASE, options.memory());
        } catch (IllegalArgumentException e) {
            throw new ExecException(e.getMessage());
        }
        PhysicalMemory memory = new PhysicalMemory(ram);
        PhysicalPages pages = new PhysicalPages(ram.segment(), ram.base());
        // Page-table entries go through hv.memory's host-write path, which drops the harts'
        // shadow translations built from the entry (the fault object is never thrown for RAM).
        MemoryFault unused = new MemoryFault();
        pages.setPteWriter((pa, pte) -> memory.write(pa, 8, pte, unused));
        HostClock clock = new HostClock();
        HartVcpuPool harts = new HartVcpuPool(memory, clock);
        Kernel kernel = new Kernel(pages, fs, harts, diag, stdio(options.stdio()));
        if (options.stats()) {
            kernel.enableStats();
        }
        long t0 = System.nanoTime();
        int status;
        try {
            try {
                kernel.start(program, args, environment(options.env(), options.inheritEnv()), cwd);
            } catch (ElfException e) {
                throw new ExecException(program + ": " + e.getMessage());
            } catch (IOException e) {
                throw new ExecException(e.getMessage() == null ? program + ": cannot be read" : e.getMessage());
            }
            status = kernel.awaitExit();
        } finally {
            kernel.shutdown();
            if (kernel.idle()) {
                ram.close(); // otherwise a thread is stuck in host I/O: leave RAM mapped until the JVM ends
            }
        }
        if (options.stats()) {
            diag.printf("hv exec: %.3f s, exit status %d%n", (System.nanoTime() - t0) / 1e9, Signals.shellStatus(status));
            diag.print(kernel.statsReport());
            diag.println(harts.stats());
            diag.flush();
        }
        return Signals.shellStatus(status);
    }

    private static String initialCwd(FileSystemView fs, String requested) throws ExecException {
        try {
            if (!fs.jailed()) {
                Path p = requested == null ? Path.of("").toAbsolutePath() : Path.of(requested);
                if (!Files.isDirectory(p)) {
                    throw new ExecException("--cwd " + requested + " is not a directory");
                }
                return p.toRealPath().toString();
            }
            if (requested == null) {
                return "/";
            }
            FileSystemView.Resolved r = fs.resolve("/", requested, true);
            if (!Files.isDirectory(r.host())) {
                throw new ExecException("--cwd " + requested + " is not a directory in the sysroot");
            }
            return r.guestPath();
        } catch (IOException e) {
            throw new ExecException("--cwd " + requested + ": " + e.getMessage());
        } catch (hv.procvm.fs.ErrnoException e) {
            throw new ExecException("--cwd " + requested + ": not found in the sysroot");
        }
    }

    private static List<OpenFile> stdio(Stdio s) throws ExecException {
        if (s == null) {
            return Kernel.hostStdio();
        }
        try {
            List<OpenFile> out = new ArrayList<>();
            out.add(s.in() == null ? new DeviceFile(DeviceFile.Kind.NULL, "/dev/null", OpenFile.O_RDONLY, 0, 0)
                    : new HostFile(FileChannel.open(s.in(), StandardOpenOption.READ), s.in(), s.in().toString(), OpenFile.O_RDONLY, true));
            for (Path p : new Path[] {s.out(), s.err()}) {
                out.add(new HostFile(FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING), p, p.toString(), OpenFile.O_WRONLY | OpenFile.O_APPEND, true));
            }
            return out;
        } catch (IOException e) {
            throw new ExecException("cannot open standard streams: " + e.getMessage());
        }
    }

    /** HV's environment (as qemu-user passes its own) if inherited, with --env entries added or replaced. */
    private static List<String> environment(Map<String, String> overrides, boolean inherit) {
        Map<String, String> env = inherit ? new LinkedHashMap<>(System.getenv()) : new LinkedHashMap<>();
        env.putAll(overrides);
        List<String> out = new ArrayList<>();
        env.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }
}
