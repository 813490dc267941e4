package hv.devices.testing;

import hv.api.platform.MachineControl;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers poweroff/reboot requests. */
public final class RecordingMachine implements MachineControl {
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @Override
    public void powerOff(int exitCode) {
        requests.add("poweroff " + exitCode);
    }

    @Override
    public void reboot() {
        requests.add("reboot");
    }

    public List<String> requests() {
        return requests;
    }
}
