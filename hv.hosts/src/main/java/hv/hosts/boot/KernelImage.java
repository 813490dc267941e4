package hv.hosts.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A RISC-V Linux kernel "Image" (the kernel's boot-image header, Documentation/arch/riscv/boot-image-header.rst):
 * a 64-byte little-endian header with the load offset from the start of RAM (text_offset) and the
 * memory the kernel occupies once running, bss included (image_size). Validated before anything
 * is placed in guest RAM, so a bad file fails with a message instead of a confused guest.
 */
public record KernelImage(byte[] bytes, long textOffset, long imageSize) {

    static final int HEADER_SIZE = 64;
    private static final long MAGIC = 0x0000_0056_4353_4952L; // "RISCV\0\0\0" little-endian
    private static final int MAGIC2 = 0x0543_5352;             // "RSC\x05" little-endian

    /** True when the bytes start with a RISC-V Image header (as opposed to an ELF or a raw binary). */
    public static boolean looksLikeImage(byte[] data) {
        if (data.length < HEADER_SIZE) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        return b.getLong(0x30) == MAGIC;
    }

    /**
     * A truncated kernel would boot into garbage, so we look for its true end: distribution kernels
     * carry an EFI stub, a PE/COFF image whose section table says where the file's data ends (PE
     * format, "Section Table"); otherwise the file must hold at least half of image_size (the rest
     * being bss, which is never that large).
     */
    private static void checkNotTruncated(String name, byte[] data, ByteBuffer b, long imageSize) throws BootException {
        if (data.length >= 0x40 && data[0] == 'M' && data[1] == 'Z') {
            long pe = Integer.toUnsignedLong(b.getInt(0x3c));
            if (pe + 24 <= data.length && b.getInt((int) pe) == 0x0000_4550) { // "PE\0\0"
                int sections = Short.toUnsignedInt(b.getShort((int) pe + 6));
                int optionalHeader = Short.toUnsignedInt(b.getShort((int) pe + 20));
                long table = pe + 24 + optionalHeader;
                if (table + 40L * sections > data.length) {
                    throw new BootException(name + ": truncated kernel Image (its PE section table lies beyond the end of the file)");
                }
                long end = 0;
                for (int i = 0; i < sections; i++) {
                    int at = (int) (table + 40L * i);
                    long rawSize = Integer.toUnsignedLong(b.getInt(at + 16));
                    long rawPointer = Integer.toUnsignedLong(b.getInt(at + 20));
                    end = Math.max(end, rawPointer + rawSize);
                }
                if (end > data.length) {
                    throw new BootException(name + ": truncated kernel Image: its sections end at byte " + end + " but the file has "
                            + data.length + " (image_size " + imageSize + ")");
                }
                return;
            }
        }
        if (data.length < imageSize / 2) {
            throw new BootException(name + ": kernel Image looks truncated: " + data.length + " bytes for an image_size of " + imageSize);
        }
    }

    /**
     * Parses and validates the header.
     *
     * @throws BootException naming the problem: too short, bad magic, big-endian, or a size that cannot be right
     */
    public static KernelImage parse(String name, byte[] data) throws BootException {
        if (data.length < HEADER_SIZE) {
            throw new BootException(name + ": too short to be a RISC-V kernel Image (" + data.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getLong(0x30) != MAGIC) {
            throw new BootException(name + ": not a RISC-V kernel Image (no \"RISCV\" magic at offset 0x30)");
        }
        if (b.getInt(0x38) != MAGIC2) {
            throw new BootException(name + ": RISC-V Image header has a bad second magic (expected \"RSC\\x05\")");
        }
        long textOffset = b.getLong(0x08);
        long imageSize = b.getLong(0x10);
        long flags = b.getLong(0x18);
        if ((flags & 1) != 0) {
            throw new BootException(name + ": big-endian kernel Image; HV runs little-endian RV64 only");
        }
        if (imageSize == 0) {
            imageSize = data.length; // header version 0.1 kernels may leave it 0; the file is the best bound we have
        }
        if (imageSize < data.length) {
            throw new BootException(name + ": Image header says image_size " + imageSize + " but the file has " + data.length + " bytes (truncated header or corrupt file)");
        }
        checkNotTruncated(name, data, b, imageSize);
        if (textOffset < 0 || textOffset % 4096 != 0 || textOffset > (1L << 30)) {
            throw new BootException(name + ": Image header has an implausible text_offset 0x" + Long.toHexString(textOffset));
        }
        if (imageSize > (4L << 30)) {
            throw new BootException(name + ": Image header has an implausible image_size " + imageSize);
        }
        return new KernelImage(data, textOffset, imageSize);
    }
}
