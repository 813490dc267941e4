package hv.memory;

/** The three kinds of access the MMU checks permissions for (privileged spec 4.3.2). */
public final class AccessType {
    public static final int FETCH = 0;
    public static final int LOAD = 1;
    public static final int STORE = 2;

    private AccessType() {
    }

    /** The page-fault cause for an access type. */
    public static int pageFaultCause(int access) {
        return switch (access) {
            case FETCH -> MemoryFault.INSTRUCTION_PAGE_FAULT;
            case LOAD -> MemoryFault.LOAD_PAGE_FAULT;
            default -> MemoryFault.STORE_PAGE_FAULT;
        };
    }

    /** The access-fault cause for an access type. */
    public static int accessFaultCause(int access) {
        return switch (access) {
            case FETCH -> MemoryFault.INSTRUCTION_ACCESS_FAULT;
            case LOAD -> MemoryFault.LOAD_ACCESS_FAULT;
            default -> MemoryFault.STORE_ACCESS_FAULT;
        };
    }
}
