package hv.cpu.elf;

/** An ELF file that cannot be used: the message is one line naming the problem. */
public final class ElfException extends Exception {
    private static final long serialVersionUID = 1L;

    public ElfException(String message) {
        super(message);
    }
}
