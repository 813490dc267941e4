package hv.procvm.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The kernel's struct termios for TCGETS (asm-generic/termbits.h: four tcflag_t, c_line, 19 c_cc;
 * 36 bytes), filled with a cooked terminal's usual settings. HV cannot change the host terminal
 * through java.nio, so TCSETS is accepted and has no effect (documented limitation).
 */
final class Termios {
    static final int SIZE = 36;

    private Termios() {
    }

    static byte[] defaults() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x0500);   // c_iflag: ICRNL | IXON
        b.putInt(4, 0x0005);   // c_oflag: OPOST | ONLCR
        b.putInt(8, 0x04bf);   // c_cflag: B38400 | CS8 | CREAD | HUPCL
        b.putInt(12, 0x8a3b);  // c_lflag: ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN
        byte[] cc = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0, 0, 0};
        for (int i = 0; i < cc.length; i++) {
            b.put(17 + i, cc[i]);
        }
        return b.array();
    }
}
