package hv.procvm.loader;

/** The file is not a loadable riscv64 Linux ELF executable; the message is one line naming the problem. */
public final class ElfFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ElfFormatException(String message) {
        super(message, null, false, false);
    }
}
