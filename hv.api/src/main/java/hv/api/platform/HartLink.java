package hv.api.platform;

/**
 * What an interrupt controller or timer sees of one hart. Every method is thread-safe and
 * lock-free; a hart parked in WFI wakes when a pending bit it could take becomes set.
 * Bits follow the mip register of the privileged spec (section 3.1.9).
 */
public interface HartLink {

    int SSIP = 1, MSIP = 3, STIP = 5, MTIP = 7, SEIP = 9, MEIP = 11;

    int hartId();

    /** Sets or clears an externally driven interrupt-pending bit (MSIP, MEIP, SEIP). */
    void setInterruptPending(int bit, boolean level);

    /**
     * The ACLINT mtimecmp of this hart changed: MTIP is pending exactly while
     * {@code mtime >= compare}. The hart arms its own deadline from this value.
     */
    void setMachineTimerCompare(long compare);
}
