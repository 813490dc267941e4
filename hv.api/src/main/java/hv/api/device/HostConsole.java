package hv.api.device;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The host side of the guest console: where a UART or virtio-console writes guest output and
 * reads keystrokes. The launcher hands stdin/stdout (in raw mode when stdin is a terminal);
 * tests hand pipes. Only one device owns it at a time.
 */
public interface HostConsole {

    InputStream input();

    OutputStream output();

    /** Asks HV to end the VM (the user typed the quit escape, e.g. Ctrl-A x). */
    void requestQuit();

    /** A console with no keyboard and no screen: reads end at once, writes vanish, quit is ignored. */
    static HostConsole silent() {
        return new HostConsole() {
            @Override
            public InputStream input() {
                return InputStream.nullInputStream();
            }

            @Override
            public OutputStream output() {
                return OutputStream.nullOutputStream();
            }

            @Override
            public void requestQuit() {
            }
        };
    }
}
