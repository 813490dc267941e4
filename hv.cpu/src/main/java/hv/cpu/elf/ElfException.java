package hv.cpu.elf;

/** An ELF file HV cannot run; the message names the problem in one line. */
public class ElfException extends Exception {
    private static final long serialVersionUID = 1L;

    public ElfException(String message) {
        super(message);
    }
}
