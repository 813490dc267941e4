package hv.hosts;

/** How a VM run ended. */
public record VmOutcome(Kind kind, int exitCode, String message) {

    public enum Kind {
        /** The guest powered off (syscon, SBI SRST shutdown, HTIF tohost); exitCode is the guest's. */
        POWER_OFF,
        /** The guest asked for a reset. */
        REBOOT,
        /** The user quit from the console (Ctrl-A x). */
        QUIT,
        /** HV hit an internal error; message says what. */
        ERROR,
        /** The VM moved to another HV (live migration); this copy ends. message has the figures. */
        MIGRATED
    }

    public static VmOutcome powerOff(int code) {
        return new VmOutcome(Kind.POWER_OFF, code, "powered off");
    }

    public static VmOutcome reboot() {
        return new VmOutcome(Kind.REBOOT, 0, "reboot");
    }

    public static VmOutcome quit() {
        return new VmOutcome(Kind.QUIT, 0, "quit");
    }

    public static VmOutcome migrated(String message) {
        return new VmOutcome(Kind.MIGRATED, 0, message);
    }

    public static VmOutcome error(String message) {
        return new VmOutcome(Kind.ERROR, 1, message);
    }
}
