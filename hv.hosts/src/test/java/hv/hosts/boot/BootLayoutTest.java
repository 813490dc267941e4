package hv.hosts.boot;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BootLayoutTest {
    static final long BASE = 0x8000_0000L;

    @Test
    void initrdAndDtbSitAboveABigKernelWithoutOverlap() throws Exception {
        long kernelEnd = BASE + 0x20_0000 + (40L << 20); // a 40 MiB kernel incl. bss at 0x80200000
        BootLayout l = BootLayout.place(BASE, 512L << 20, kernelEnd, 8192, 20L << 20);
        assertTrue(l.initrdAddress() >= kernelEnd);
        assertTrue(l.initrdEnd() <= l.firmwareInfoAddress());
        assertTrue(l.firmwareInfoAddress() + 4096 <= l.dtbAddress());
        assertTrue(l.dtbAddress() + BootLayout.DTB_RESERVE <= BASE + (512L << 20));
        assertEquals(0, l.dtbAddress() % (2 << 20));
        assertEquals(0, l.initrdAddress() % 4096);
    }

    @Test
    void refusesAnInitrdThatDoesNotFit() {
        long kernelEnd = BASE + (40L << 20);
        BootException e = assertThrows(BootException.class, () -> BootLayout.place(BASE, 64L << 20, kernelEnd, 8192, 30L << 20));
        assertTrue(e.getMessage().contains("--memory"), e.getMessage());
    }

    @Test
    void refusesAKernelLargerThanRam() {
        assertThrows(BootException.class, () -> BootLayout.place(BASE, 16L << 20, BASE + (17L << 20), 8192, 0));
    }

    static byte[] image(long textOffset, long imageSize, int fileSize) {
        ByteBuffer b = ByteBuffer.allocate(fileSize).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0x08, textOffset).putLong(0x10, imageSize).putLong(0x18, 0).putInt(0x20, 2);
        b.put(0x30, "RISCV\0\0\0".getBytes()).put(0x38, new byte[] {'R', 'S', 'C', 5});
        return b.array();
    }

    @Test
    void parsesAValidImageHeader() throws Exception {
        KernelImage k = KernelImage.parse("Image", image(0x200000, 1 << 20, 1 << 20));
        assertEquals(0x200000, k.textOffset());
        assertEquals(1 << 20, k.imageSize());
        assertTrue(KernelImage.looksLikeImage(image(0x200000, 1 << 20, 4096)));
    }

    @Test
    void rejectsAFileMuchShorterThanItsImageSize() {
        BootException e = assertThrows(BootException.class, () -> KernelImage.parse("x", image(0x200000, 1 << 20, 4096 * 4)));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void rejectsAnEfiStubImageWhoseSectionsRunPastTheEnd() {
        byte[] img = image(0x200000, 8192, 8192);
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        img[0] = 'M';
        img[1] = 'Z';
        b.putInt(0x3c, 0x40).putInt(0x40, 0x4550).putShort(0x46, (short) 1).putShort(0x54, (short) 0);
        int section = 0x40 + 24;
        b.putInt(section + 16, 4096).putInt(section + 20, 4096); // ends at 8192: fits
        assertTrue(assertDoesNotThrowImage(img));
        b.putInt(section + 16, 8192); // ends at 12288: past the end
        BootException e = assertThrows(BootException.class, () -> KernelImage.parse("x", img));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    private static boolean assertDoesNotThrowImage(byte[] img) {
        try {
            KernelImage.parse("x", img);
            return true;
        } catch (BootException e) {
            throw new AssertionError(e.getMessage());
        }
    }

    @Test
    void rejectsBadImages() {
        assertThrows(BootException.class, () -> KernelImage.parse("x", new byte[10]));
        byte[] noMagic = image(0x200000, 1 << 20, 4096);
        noMagic[0x30] = 'X';
        assertThrows(BootException.class, () -> KernelImage.parse("x", noMagic));
        byte[] big = image(0x200000, 1 << 20, 4096);
        big[0x18] = 1;
        assertThrows(BootException.class, () -> KernelImage.parse("x", big));
        assertThrows(BootException.class, () -> KernelImage.parse("x", image(0x200001, 1 << 20, 4096)));
        BootException truncated = assertThrows(BootException.class, () -> KernelImage.parse("x", image(0x200000, 100, 4096)));
        assertTrue(truncated.getMessage().contains("image_size"));
    }
}
