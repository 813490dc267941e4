package hv.procvm.kernel;

import hv.cpu.elf.ElfException;
import hv.cpu.elf.ElfFile;
import hv.procvm.fs.Errno;
import hv.procvm.fs.HostRandom;
import hv.procvm.fs.ErrnoException;
import hv.procvm.fs.FileSystemView;
import hv.procvm.loader.ElfLoader;
import hv.procvm.loader.InitialStack;
import hv.procvm.mem.AddressSpace;
import hv.procvm.mem.Prot;
import hv.procvm.mem.Vma;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * execve's work: finds the program, follows "#!" interpreter lines, parses the ELF and its
 * PT_INTERP, builds a fresh address space (segments, stack, sigreturn trampoline, initial stack)
 * and tells where to start. Nothing of the calling process changes until the image is complete,
 * so a failing exec returns an error to the caller as Linux's does.
 */
final class ProgramLoader {
    /** Linux's BINPRM_BUF_SIZE-era limit on "#!" lines and on nested interpreters. */
    static final int MAX_SHEBANG = 256;
    static final int MAX_INTERP_DEPTH = 4;

    /** A new process image, ready to enter. */
    record Loaded(AddressSpace as, long entry, long sp, String exeGuestPath, Path exeHostPath, String comm, byte[] cmdline) {
    }

    private ProgramLoader() {
    }

    /** A program file: its host path and the guest path it was named by. */
    record ProgramFile(Path host, String guestPath) {
    }

    /**
     * Resolves a program named by the guest (execve) to a host file. /proc/self/exe is the
     * running program itself, wherever it came from.
     */
    static ProgramFile resolveForExec(Kernel k, GuestProcess p, String path) throws ErrnoException {
        String abs = FileSystemView.normalize(FileSystemView.absolute(p.cwd, path));
        if ((abs.equals("/proc/self/exe") || abs.equals("/proc/" + p.pid + "/exe")) && p.exeHostPath != null) {
            return new ProgramFile(p.exeHostPath, p.exeGuestPath);
        }
        FileSystemView.Resolved r = k.fs.resolve(p.cwd, path, true);
        return new ProgramFile(r.host(), path);
    }

    /**
     * The first program (hv exec's PROGRAM): a guest path first; otherwise a host path (the user
     * grants that one file); a bare name is searched in the guest's PATH.
     */
    static ProgramFile resolveForStart(Kernel k, GuestProcess p, String program, List<String> env) throws IOException {
        List<String> candidates = new ArrayList<>();
        if (program.contains("/")) {
            candidates.add(program);
        } else {
            String path = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
            for (String e : env) {
                if (e.startsWith("PATH=")) {
                    path = e.substring(5);
                }
            }
            for (String dir : path.split(":")) {
                if (!dir.isEmpty()) {
                    candidates.add(dir + "/" + program);
                }
            }
        }
        for (String c : candidates) {
            try {
                FileSystemView.Resolved r = k.fs.resolve(p.cwd, c, true);
                if (Files.isRegularFile(r.host())) {
                    return new ProgramFile(r.host(), c);
                }
            } catch (ErrnoException e) {
                // try the next candidate
            }
        }
        Path host = Path.of(program);
        if (program.contains("/") && Files.isRegularFile(host)) {
            return new ProgramFile(host.toAbsolutePath(), program);
        }
        throw new java.nio.file.NoSuchFileException(program, null, "program not found" + (k.fs.jailed() ? " in the sysroot or on the host" : ""));
    }

    static Loaded loadForStart(Kernel k, GuestProcess p, String program, List<String> args, List<String> env)
            throws ElfException, IOException {
        ProgramFile file = resolveForStart(k, p, program, env);
        List<byte[]> argv = new ArrayList<>();
        argv.add(program.getBytes(StandardCharsets.UTF_8));
        for (String a : args) {
            argv.add(a.getBytes(StandardCharsets.UTF_8));
        }
        List<byte[]> envp = new ArrayList<>();
        for (String e : env) {
            envp.add(e.getBytes(StandardCharsets.UTF_8));
        }
        try {
            return load(k, p, file, argv, envp, 0);
        } catch (ErrnoException e) {
            throw new IOException(program + ": " + describe(e.errno()));
        }
    }

    static String describe(int errno) {
        return switch (errno) {
            case Errno.ENOENT -> "no such file";
            case Errno.EACCES -> "permission denied (not an executable file)";
            case Errno.ELOOP -> "too many levels of interpreters or links";
            case Errno.ENOMEM -> "not enough guest memory";
            case Errno.ENOEXEC -> "bad \"#!\" line";
            default -> "cannot execute (errno " + errno + ")";
        };
    }

    /**
     * Loads a program into a fresh address space. ELF problems throw {@link ElfException}
     * (execve maps them to ENOEXEC); file problems throw {@link ErrnoException}.
     */
    static Loaded load(Kernel k, GuestProcess p, ProgramFile file, List<byte[]> argv, List<byte[]> envp, int depth)
            throws ElfException, ErrnoException {
        if (depth > MAX_INTERP_DEPTH) {
            throw new ErrnoException(Errno.ELOOP);
        }
        if (Files.isDirectory(file.host()) || !Files.isRegularFile(file.host())) {
            throw new ErrnoException(Files.exists(file.host()) ? Errno.EACCES : Errno.ENOENT);
        }
        if (!Files.isExecutable(file.host())) {
            throw new ErrnoException(Errno.EACCES);
        }
        byte[] head = readHead(file.host());
        if (head.length >= 2 && head[0] == '#' && head[1] == '!') {
            return loadScript(k, p, file, head, argv, envp, depth);
        }
        ElfFile elf;
        try {
            elf = k.images.load(file.host());
        } catch (IOException e) {
            throw new ErrnoException(Errno.of(e));
        }
        ElfFile interp = null;
        String interpName = null;
        if (elf.interpreter().isPresent()) {
            interpName = elf.interpreter().get();
            Path ih;
            try {
                ih = k.fs.resolve("/", interpName, true).host();
            } catch (ErrnoException e) {
                ih = null;
            }
            if (ih == null || !Files.isRegularFile(ih)) {
                throw new ElfException("ELF interpreter " + interpName + " not found"
                        + (k.fs.jailed() ? " in the sysroot" : " (a dynamically linked program needs --sysroot)"));
            }
            try {
                interp = k.images.load(ih);
            } catch (IOException e) {
                throw new ErrnoException(Errno.of(e));
            } catch (ElfException e) {
                throw new ElfException("ELF interpreter " + interpName + ": " + e.getMessage());
            }
        }
        String name = file.host().getFileName() == null ? "program" : file.host().getFileName().toString();
        String mapName = FileSystemView.normalize(FileSystemView.absolute(p.cwd, file.guestPath()));
        final ElfFile program = elf;
        final ElfFile interpreter = interp;
        final String iname = interpName;
        ImageTemplates.Instance made = k.templates.instantiate(elf, interp, mapName, interpName, () -> {
            AddressSpace t = k.newAddressSpace();
            try {
                ElfLoader.prepareLayout(t);
                ElfLoader.Mapped m = ElfLoader.loadProgram(t, program, mapName);
                ElfLoader.Mapped i = interpreter == null ? null : ElfLoader.loadInterpreter(t, interpreter, iname);
                mapTrampoline(t);
                return new ImageTemplates.Template(t, m, i);
            } catch (ElfException | RuntimeException e) {
                t.destroy();
                throw e;
            }
        });
        AddressSpace as = made.as();
        try {
            ElfLoader.Mapped main = made.main();
            ElfLoader.Mapped im = made.interp();
            byte[] random = new byte[16];
            HostRandom.fill(random);
            byte[] execfn = file.guestPath().getBytes(StandardCharsets.UTF_8);
            long interpBase = im == null ? 0 : im.bias() + ElfLoader.lowVaddr(interp);
            long sp = InitialStack.build(as, ElfLoader.STACK_TOP, argv, envp, execfn, new InitialStack.Params(
                    main.phdr(), elf.programHeaderCount(), interpBase, main.entry(), k.uid, k.gid, random));
            String comm = name.length() > 15 ? name.substring(0, 15) : name;
            return new Loaded(as, im != null ? im.entry() : main.entry(), sp, file.guestPath(), file.host(), comm,
                    ProcFiles.cmdline(argv));
        } catch (RuntimeException e) {
            as.destroy();
            throw e;
        }
    }

    private static byte[] readHead(Path host) throws ErrnoException {
        try (InputStream in = Files.newInputStream(host)) {
            return in.readNBytes(MAX_SHEBANG);
        } catch (IOException e) {
            throw new ErrnoException(Errno.of(e));
        }
    }

    /** "#!interpreter [one argument]" (execve(2), "Interpreter scripts"). */
    private static Loaded loadScript(Kernel k, GuestProcess p, ProgramFile file, byte[] head, List<byte[]> argv,
            List<byte[]> envp, int depth) throws ElfException, ErrnoException {
        int end = 2;
        while (end < head.length && head[end] != '\n') {
            end++;
        }
        String line = new String(head, 2, end - 2, StandardCharsets.UTF_8).strip();
        if (line.isEmpty()) {
            throw new ErrnoException(Errno.ENOEXEC);
        }
        int sp = indexOfBlank(line);
        String interp = sp < 0 ? line : line.substring(0, sp);
        String arg = sp < 0 ? null : line.substring(sp).strip();
        List<byte[]> newArgv = new ArrayList<>();
        newArgv.add(interp.getBytes(StandardCharsets.UTF_8));
        if (arg != null && !arg.isEmpty()) {
            newArgv.add(arg.getBytes(StandardCharsets.UTF_8));
        }
        newArgv.add(file.guestPath().getBytes(StandardCharsets.UTF_8));
        for (int i = 1; i < argv.size(); i++) {
            newArgv.add(argv.get(i));
        }
        ProgramFile interpFile = resolveForExec(k, p, interp);
        return load(k, p, interpFile, newArgv, envp, depth + 1);
    }

    private static int indexOfBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }

    /** The sigreturn trampoline page (read + execute) at {@link SignalFrames#TRAMPOLINE}. */
    private static void mapTrampoline(AddressSpace as) {
        as.map(SignalFrames.TRAMPOLINE, AddressSpace.USER_END, Prot.READ | Prot.EXEC, Vma.PRIVATE, "[sigreturn]");
        ByteBuffer code = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (int insn : SignalFrames.TRAMPOLINE_CODE) {
            code.putInt(insn);
        }
        as.poke(SignalFrames.TRAMPOLINE, code.array(), 0, 8);
    }

    /** Sets a thread's registers to enter a loaded image (ELF_PLAT_INIT: everything zero but sp and pc). */
    static void enter(GuestThread t, Loaded l) {
        Arrays.fill(t.cpu.x(), 0);
        Arrays.fill(t.cpu.f(), 0);
        t.cpu.setFcsr(0);
        t.cpu.x()[2] = l.sp();
        t.cpu.setPc(l.entry());
        t.process.exeGuestPath = l.exeGuestPath();
        t.process.exeHostPath = l.exeHostPath();
        t.process.comm = l.comm();
        t.process.cmdline = l.cmdline();
        t.activate(l.as());
    }
}
