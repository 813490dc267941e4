package hv.hosts;

/**
 * How the harts start once the images are in RAM.
 *
 * @param entry        where the boot hart (and, in firmware modes, every hart) starts
 * @param priv         the privilege they start in (S in hypervisor mode, M with firmware or --bios none)
 * @param allHartsStart true: every hart starts at entry (firmware / bare metal); false: only hart 0, the
 *                     others wait for SBI HSM hart_start (hypervisor mode)
 * @param dtbAddress   passed in a1
 * @param a2           passed in a2 (the fw_dynamic info block for OpenSBI; 0 otherwise)
 * @param tohost       guest-physical address of the HTIF tohost word, or -1
 */
record BootPlan(long entry, int priv, boolean allHartsStart, long dtbAddress, long a2, long tohost) {
}
