package hv.hosts.sbi;

/** What the SBI handler needs from the machine. Implemented by the VMM; faked in tests. */
public interface SbiPlatform {

    int hartCount();

    /** SBI TIME: STIP rises when mtime reaches {@code deadline}; writing clears a pending STIP. */
    void setTimer(int hart, long deadline);

    /** SBI IPI: raise the supervisor software interrupt (SSIP) on {@code hart}. */
    void sendIpi(int hart);

    /** Legacy clear_ipi: clear SSIP on the calling hart. */
    void clearIpi(int hart);

    /** SBI RFENCE: FENCE.I on {@code hart} (drop its decoded-instruction cache). */
    void remoteFenceI(int hart);

    /** SBI RFENCE: SFENCE.VMA on {@code hart}; {@code asid} &lt; 0 means all ASIDs. */
    void remoteSfenceVma(int hart, long start, long size, long asid);

    /**
     * SBI RFENCE: waits until {@code hart} has done every fence requested of it so far (the spec's
     * remote fences are complete when the call returns). Called after all targets of one call
     * have been asked, so they fence in parallel; must return at once for a hart that is not
     * running guest code (the caller itself, a stopped or sleeping hart, one in an SBI call that
     * fences us back).
     */
    void awaitRemoteFences(int hart);

    /** SBI HSM hart_start; returns an SBI error code. */
    long hartStart(int hart, long startAddress, long opaque);

    /** SBI HSM hart_stop, called on the hart that stops itself; returns an SBI error code. */
    long hartStop(int hart);

    /** SBI HSM hart_get_status: an HSM state, or a negative SBI error. */
    long hartStatus(int hart);

    /** SBI HSM hart_suspend (retentive default suspend acts as WFI). */
    long hartSuspend(int hart, long type, long resumeAddress, long opaque);

    /** SBI SRST: type 0 shutdown, 1 cold reboot, 2 warm reboot; reason 1 = system failure. */
    void systemReset(long type, long reason);

    /** Console output (SBI DBCN and legacy putchar). */
    void consoleWrite(byte b);

    /** Console input, or -1 when nothing is waiting. */
    int consoleRead();

    /**
     * Reads guest-physical memory for DBCN console_write; returns false if the range is not RAM.
     */
    boolean readPhysical(long address, byte[] dst, int length);

    /** Writes guest-physical memory for DBCN console_read; returns false if the range is not RAM. */
    boolean writePhysical(long address, byte[] src, int length);
}
