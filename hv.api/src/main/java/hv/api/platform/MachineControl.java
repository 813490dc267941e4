package hv.api.platform;

/** Requests a device may make of the whole machine (syscon poweroff/reboot, a fatal device error). */
public interface MachineControl {

    /** Power off; the launcher exits with {@code exitCode} (0 for a normal poweroff). */
    void powerOff(int exitCode);

    /** Reset the machine and boot again (or exit, with --no-reboot). */
    void reboot();
}
