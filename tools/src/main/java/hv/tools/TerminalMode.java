package hv.tools;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Puts the controlling terminal in raw mode while a VM owns the console (so Ctrl-C, arrows and
 * tab reach the guest's shell), and restores the saved mode on close or JVM exit. Does nothing
 * when stdin is not a terminal (pipes, CI).
 */
final class TerminalMode implements AutoCloseable {
    private final String saved;

    private TerminalMode(String saved) {
        this.saved = saved;
    }

    static TerminalMode rawIfTerminal() {
        if (System.console() == null || !System.console().isTerminal()) {
            return new TerminalMode(null);
        }
        String saved = stty("-g");
        if (saved == null) {
            return new TerminalMode(null);
        }
        TerminalMode mode = new TerminalMode(saved.trim());
        Runtime.getRuntime().addShutdownHook(new Thread(mode::restore, "hv-tty-restore"));
        stty("raw", "-echo");
        return mode;
    }

    private static String stty(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/tty")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private synchronized void restore() {
        if (saved != null) {
            stty(saved);
        }
    }

    @Override
    public void close() {
        restore();
    }
}
