package hv.hosts.boot;

/**
 * Where the boot images go in guest RAM. The kernel (and firmware) sit low, at the addresses
 * their formats dictate; the device tree goes at the top of RAM and the initrd just below it, so
 * neither can collide with a large kernel whatever its size (unlike a fixed FDT offset such as
 * OpenSBI fw_jump's, which lands inside a 31 MB kernel). Everything is checked to fit.
 *
 * @param occupiedEnd   first byte above everything already placed low (firmware, kernel incl. bss)
 * @param dtbAddress    8-byte aligned (we use 4 KiB) start of the flattened device tree
 * @param initrdAddress start of the initrd (0 when there is none)
 * @param initrdEnd     end of the initrd (exclusive)
 * @param firmwareInfoAddress where the OpenSBI fw_dynamic info block goes (just below the DTB area)
 */
public record BootLayout(long occupiedEnd, long dtbAddress, long initrdAddress, long initrdEnd, long firmwareInfoAddress) {

    /** Room reserved for the device tree: generous, since bootargs have no small length cap. */
    public static final long DTB_RESERVE = 1L << 20;
    private static final long PAGE = 4096;
    private static final long FW_INFO_RESERVE = PAGE;

    /**
     * Places the DTB and initrd at the top of RAM.
     *
     * @param ramBase     first byte of RAM
     * @param ramSize     bytes of RAM
     * @param occupiedEnd first free byte above the kernel/firmware (already validated to be in RAM)
     * @param dtbSize     size of the generated device tree
     * @param initrdSize  size of the initrd, 0 for none
     */
    public static BootLayout place(long ramBase, long ramSize, long occupiedEnd, long dtbSize, long initrdSize) throws BootException {
        long ramEnd = ramBase + ramSize;
        if (occupiedEnd > ramEnd) {
            throw new BootException(String.format("the kernel needs RAM up to 0x%x but RAM ends at 0x%x: give more --memory", occupiedEnd, ramEnd));
        }
        if (dtbSize > DTB_RESERVE) {
            throw new BootException("the device tree is " + dtbSize + " bytes, more than the " + DTB_RESERVE + " reserved for it (kernel command line too long?)");
        }
        // Keep the DTB inside the first 4 GiB above RAM base when RAM is larger, like QEMU, so
        // 32-bit-limited early boot code can still reach it; 2 MiB aligned as QEMU does.
        long top = Math.min(ramEnd, ramBase + (3L << 30));
        long dtb = alignDown(top - DTB_RESERVE, 2L << 20);
        long fwInfo = dtb - FW_INFO_RESERVE;
        long initrdStart = 0;
        long initrdEnd = 0;
        long lowest = fwInfo;
        if (initrdSize > 0) {
            initrdEnd = fwInfo;
            initrdStart = alignDown(initrdEnd - initrdSize, PAGE);
            lowest = initrdStart;
        }
        if (lowest < occupiedEnd || lowest < ramBase) {
            throw new BootException(String.format("the initrd (%d KiB) and device tree do not fit in %d MiB of RAM above the kernel (which ends at 0x%x): give more --memory",
                    (initrdSize + 1023) / 1024, ramSize >> 20, occupiedEnd));
        }
        return new BootLayout(occupiedEnd, dtb, initrdStart, initrdEnd, fwInfo);
    }

    static long alignDown(long v, long a) {
        return v & -a;
    }

    static long alignUp(long v, long a) {
        return (v + a - 1) & -a;
    }
}
