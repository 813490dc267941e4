package hv.hosts;

import hv.api.config.VmConfig;
import hv.cpu.Hart;
import hv.cpu.elf.ElfException;
import hv.cpu.elf.ElfFile;
import hv.hosts.boot.BootException;
import hv.hosts.boot.BootLayout;
import hv.hosts.boot.KernelImage;
import hv.memory.GuestRam;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Puts the boot images in guest RAM and decides how the harts start. Three modes:
 * <ul>
 *   <li>hypervisor (default): HV is the SBI; the kernel (Image or ELF) is entered in S-mode on hart 0
 *       with a0 = hartid, a1 = DTB; the other harts wait for SBI HSM hart_start;</li>
 *   <li>{@code --bios none}: every hart starts at the kernel's entry in M-mode (as QEMU virt does);</li>
 *   <li>{@code --bios FILE}: firmware (OpenSBI fw_dynamic/fw_jump, ELF or raw) at the start of RAM,
 *       every hart enters it in M-mode with a0 = hartid, a1 = DTB, a2 = the fw_dynamic info block
 *       that tells it where the kernel is.</li>
 * </ul>
 */
final class BootLoader {

    static final long RAM_BASE = GuestRam.DEFAULT_BASE;
    /** OpenSBI fw_dynamic_info (include/sbi/fw_dynamic.h): magic "OSBI", version 1 (boot hart by lottery). */
    static final long FW_DYNAMIC_MAGIC = 0x4942534fL;
    static final long FW_DYNAMIC_VERSION = 1;
    static final long NEXT_MODE_S = 1;

    /** The DTB generator: (initrdStart, initrdEnd) → DTB bytes; -1/-1 without an initrd. */
    interface DtbSource {
        byte[] dtb(long initrdStart, long initrdEnd) throws VmConfigException;
    }

    private BootLoader() {
    }

    static BootPlan load(VmConfig config, GuestRam ram, DtbSource dtbSource) throws VmConfigException {
        String bios = config.bios().orElse(null);
        boolean firmware = bios != null && !bios.equals("none");
        boolean bare = "none".equals(bios);
        long occupiedEnd = RAM_BASE;
        long firmwareEntry = 0;
        if (firmware) {
            Path fw = Path.of(bios);
            byte[] fwBytes = read("--bios", fw);
            if (isElf(fwBytes)) {
                ElfFile elf = parseElf(fw, fwBytes);
                occupiedEnd = loadElf(fw, elf, ram);
                firmwareEntry = elf.entry();
            } else {
                occupiedEnd = loadRaw(fw, fwBytes, RAM_BASE, ram);
                firmwareEntry = RAM_BASE;
            }
        }

        Path kernelPath = config.kernel();
        byte[] kernel = read("--kernel", kernelPath);
        long kernelEntry;
        long tohost = -1;
        if (KernelImage.looksLikeImage(kernel)) {
            KernelImage image;
            try {
                image = KernelImage.parse(kernelPath.toString(), kernel);
            } catch (BootException e) {
                throw new VmConfigException(e.getMessage());
            }
            long load = RAM_BASE + image.textOffset();
            if (firmware && load < align(occupiedEnd, 2L << 20)) {
                load = align(occupiedEnd, 2L << 20); // keep 2 MiB alignment (RV64 Linux's requirement)
            }
            long end = load + image.imageSize();
            requireRam(kernelPath, load, end, ram);
            ram.write(load, kernel);
            kernelEntry = load;
            occupiedEnd = Math.max(occupiedEnd, end);
        } else if (isElf(kernel)) {
            ElfFile elf = parseElf(kernelPath, kernel);
            long end = loadElf(kernelPath, elf, ram);
            kernelEntry = elf.entry();
            occupiedEnd = Math.max(occupiedEnd, end);
            tohost = elf.symbol("tohost").orElse(-1L);
        } else if (bare) {
            occupiedEnd = Math.max(occupiedEnd, loadRaw(kernelPath, kernel, RAM_BASE, ram));
            kernelEntry = RAM_BASE;
        } else {
            throw new VmConfigException("--kernel " + kernelPath + ": neither a RISC-V Linux Image nor an RV64 ELF");
        }

        byte[] initrd = config.initrd().isPresent() ? read("--initrd", config.initrd().get()) : new byte[0];
        BootLayout layout;
        try {
            layout = BootLayout.place(RAM_BASE, ram.size(), occupiedEnd, 0, initrd.length);
        } catch (BootException e) {
            throw new VmConfigException(e.getMessage());
        }
        if (initrd.length > 0) {
            ram.write(layout.initrdAddress(), initrd);
        }
        byte[] dtb = initrd.length > 0 ? dtbSource.dtb(layout.initrdAddress(), layout.initrdAddress() + initrd.length)
                : dtbSource.dtb(-1, -1);
        if (dtb.length > BootLayout.DTB_RESERVE) {
            throw new VmConfigException("the device tree (" + dtb.length + " bytes) is larger than the " + BootLayout.DTB_RESERVE + " reserved; shorten --append");
        }
        ram.write(layout.dtbAddress(), dtb);

        if (firmware) {
            ByteBuffer info = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
            info.putLong(FW_DYNAMIC_MAGIC).putLong(FW_DYNAMIC_VERSION).putLong(kernelEntry).putLong(NEXT_MODE_S).putLong(0);
            ram.write(layout.firmwareInfoAddress(), info.array());
            return new BootPlan(firmwareEntry, Hart.PRIV_M, true, layout.dtbAddress(), layout.firmwareInfoAddress(), tohost);
        }
        if (bare) {
            return new BootPlan(kernelEntry, Hart.PRIV_M, true, layout.dtbAddress(), 0, tohost);
        }
        return new BootPlan(kernelEntry, Hart.PRIV_S, false, layout.dtbAddress(), 0, tohost);
    }

    private static boolean isElf(byte[] d) {
        return d.length >= 4 && d[0] == 0x7f && d[1] == 'E' && d[2] == 'L' && d[3] == 'F';
    }

    private static byte[] read(String option, Path p) throws VmConfigException {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new VmConfigException(option + " " + p + ": cannot read: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            throw new VmConfigException(option + " " + p + ": too large to load");
        }
    }

    private static ElfFile parseElf(Path p, byte[] bytes) throws VmConfigException {
        try {
            return ElfFile.parse(bytes);
        } catch (ElfException e) {
            throw new VmConfigException(p + ": " + e.getMessage());
        }
    }

    private static long loadElf(Path p, ElfFile elf, GuestRam ram) throws VmConfigException {
        long end = RAM_BASE;
        for (ElfFile.Segment s : elf.loadSegments()) {
            long start = s.paddr();
            long segEnd = start + s.memsz();
            requireRam(p, start, segEnd, ram);
            ram.write(start, elf.fileBytes(s));
            // bss: RAM is zero at power-on and we load each image once, so nothing to clear.
            end = Math.max(end, segEnd);
        }
        return end;
    }

    private static long loadRaw(Path p, byte[] bytes, long at, GuestRam ram) throws VmConfigException {
        requireRam(p, at, at + bytes.length, ram);
        ram.write(at, bytes);
        return at + bytes.length;
    }

    private static void requireRam(Path p, long start, long end, GuestRam ram) throws VmConfigException {
        if (end < start || !ram.contains(start, end - start)) {
            throw new VmConfigException(String.format("%s: needs guest memory [0x%x, 0x%x), outside RAM [0x%x, 0x%x): give more --memory or check the link address",
                    p, start, end, ram.base(), ram.base() + ram.size()));
        }
    }

    static long align(long v, long a) {
        return (v + a - 1) & -a;
    }
}
