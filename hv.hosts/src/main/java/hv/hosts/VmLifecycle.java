package hv.hosts;

import hv.api.platform.MachineControl;

import java.util.concurrent.CompletableFuture;

/**
 * The one place a VM's end is decided: the first of poweroff (syscon, SBI SRST, HTIF), reboot,
 * a user quit or a fatal error wins; later requests are ignored.
 */
final class VmLifecycle implements MachineControl {
    private final CompletableFuture<VmOutcome> outcome = new CompletableFuture<>();

    @Override
    public void powerOff(int exitCode) {
        outcome.complete(VmOutcome.powerOff(exitCode));
    }

    @Override
    public void reboot() {
        outcome.complete(VmOutcome.reboot());
    }

    void quit() {
        outcome.complete(VmOutcome.quit());
    }

    void end(VmOutcome o) {
        outcome.complete(o);
    }

    void fail(String message) {
        outcome.complete(VmOutcome.error(message));
    }

    VmOutcome await() throws InterruptedException {
        try {
            return outcome.get();
        } catch (java.util.concurrent.ExecutionException e) {
            return VmOutcome.error(String.valueOf(e.getCause()));
        }
    }

    boolean ended() {
        return outcome.isDone();
    }
}
