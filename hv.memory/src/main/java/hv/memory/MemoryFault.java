package hv.memory;

/**
 * A guest-visible memory exception (privileged spec, table 3.6 / mcause codes): access fault,
 * page fault or misaligned AMO. Thrown by the slow path of {@link Mmu} and caught by the hart's
 * run loop, which turns it into a trap. One instance per {@link Mmu}, reused: no allocation and
 * no stack trace, because page faults are routine for a guest OS (demand paging).
 */
public final class MemoryFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final int INSTRUCTION_MISALIGNED = 0;
    public static final int INSTRUCTION_ACCESS_FAULT = 1;
    public static final int LOAD_MISALIGNED = 4;
    public static final int LOAD_ACCESS_FAULT = 5;
    public static final int STORE_MISALIGNED = 6;
    public static final int STORE_ACCESS_FAULT = 7;
    public static final int INSTRUCTION_PAGE_FAULT = 12;
    public static final int LOAD_PAGE_FAULT = 13;
    public static final int STORE_PAGE_FAULT = 15;

    private int cause;
    private long tval;

    public MemoryFault() {
        super(null, null, false, false);
    }

    /** Fills in this (reused) instance and returns it, ready to throw. */
    public MemoryFault set(int cause, long tval) {
        this.cause = cause;
        this.tval = tval;
        return this;
    }

    /** The exception code for mcause/scause. */
    public int cause() {
        return cause;
    }

    /** The faulting virtual address, for mtval/stval. */
    public long tval() {
        return tval;
    }

    @Override
    public String getMessage() {
        return "memory fault cause=" + cause + " tval=0x" + Long.toHexString(tval);
    }
}
