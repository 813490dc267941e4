package hv.procvm;

/** Constants of the Linux riscv64 user ABI this process VM implements. */
public final class LinuxAbi {
    /** Guest page size (the riscv64 Linux ABI uses 4 KiB pages). */
    public static final int PAGE_SIZE = 4096;

    private LinuxAbi() {
    }
}
