package hv.tools;

import hv.api.device.HostConsole;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The guest console on the launcher's stdin/stdout. Output is unbuffered (straight to file
 * descriptor 1), so a prompt appears as soon as the guest writes it.
 */
final class StdioConsole implements HostConsole {
    private final InputStream in = new FileInputStream(FileDescriptor.in);
    private final OutputStream out = new FileOutputStream(FileDescriptor.out);
    private volatile Runnable quitHandler = () -> { };

    @Override
    public InputStream input() {
        return in;
    }

    @Override
    public OutputStream output() {
        return out;
    }

    @Override
    public void requestQuit() {
        quitHandler.run();
    }

    void onQuit(Runnable handler) {
        quitHandler = handler;
    }
}
