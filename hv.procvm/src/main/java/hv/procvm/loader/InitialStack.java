package hv.procvm.loader;

import hv.procvm.mem.AddressSpace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a new program's initial stack as Linux does for ELF binaries (System V ABI, "Process
 * Initialization"; Linux fs/binfmt_elf.c create_elf_tables): from the stack pointer upwards argc,
 * argv[] and NULL, envp[] and NULL, the auxiliary vector ending in AT_NULL; above them the
 * strings, the 16 AT_RANDOM bytes and the AT_EXECFN name. sp is 16-byte aligned (RISC-V psABI).
 */
public final class InitialStack {
    public static final int AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7,
            AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_HWCAP = 16,
            AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26, AT_EXECFN = 31;

    /** AT_HWCAP for RV64IMAFDC: one bit per single-letter extension, bit (letter - 'a'). */
    public static final long HWCAP_IMAFDC = bit('i') | bit('m') | bit('a') | bit('f') | bit('d') | bit('c');

    private static long bit(char c) {
        return 1L << (c - 'a');
    }

    /** What goes into the auxiliary vector besides the addresses computed here. */
    public record Params(long phdr, int phnum, long interpBase, long entry, int uid, int gid, byte[] random16) {
    }

    private InitialStack() {
    }

    /** Writes the stack below {@code top} and returns the initial sp. */
    public static long build(AddressSpace as, long top, List<byte[]> argv, List<byte[]> envp, byte[] execfn, Params p) {
        // String area, laid out downwards from top: execfn, envp strings, argv strings, random.
        long at = top;
        at -= execfn.length + 1;
        long execfnAddr = at;
        as.writeBytes(at, nulTerminated(execfn), 0, execfn.length + 1);
        List<Long> envAddrs = new ArrayList<>();
        for (int i = envp.size() - 1; i >= 0; i--) {
            at -= envp.get(i).length + 1;
            as.writeBytes(at, nulTerminated(envp.get(i)), 0, envp.get(i).length + 1);
            envAddrs.addFirst(at);
        }
        List<Long> argAddrs = new ArrayList<>();
        for (int i = argv.size() - 1; i >= 0; i--) {
            at -= argv.get(i).length + 1;
            as.writeBytes(at, nulTerminated(argv.get(i)), 0, argv.get(i).length + 1);
            argAddrs.addFirst(at);
        }
        at &= -16L;
        at -= 16;
        long randomAddr = at;
        as.writeBytes(at, p.random16(), 0, 16);

        long[][] aux = {
            {AT_PHDR, p.phdr()}, {AT_PHENT, 56}, {AT_PHNUM, p.phnum()}, {AT_PAGESZ, AddressSpace.PAGE},
            {AT_BASE, p.interpBase()}, {AT_FLAGS, 0}, {AT_ENTRY, p.entry()},
            {AT_UID, p.uid()}, {AT_EUID, p.uid()}, {AT_GID, p.gid()}, {AT_EGID, p.gid()},
            {AT_HWCAP, HWCAP_IMAFDC}, {AT_HWCAP2, 0}, {AT_CLKTCK, 100}, {AT_SECURE, 0},
            {AT_RANDOM, randomAddr}, {AT_EXECFN, execfnAddr}, {AT_NULL, 0},
        };
        int words = 1 + argAddrs.size() + 1 + envAddrs.size() + 1 + aux.length * 2;
        long sp = (at - words * 8L) & -16L;
        ByteBuffer b = ByteBuffer.allocate(words * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(argAddrs.size());
        argAddrs.forEach(b::putLong);
        b.putLong(0);
        envAddrs.forEach(b::putLong);
        b.putLong(0);
        for (long[] a : aux) {
            b.putLong(a[0]).putLong(a[1]);
        }
        as.writeBytes(sp, b.array(), 0, b.capacity());
        return sp;
    }

    private static byte[] nulTerminated(byte[] s) {
        byte[] r = new byte[s.length + 1];
        System.arraycopy(s, 0, r, 0, s.length);
        return r;
    }
}
