package hv.hosts;

import hv.cpu.Hart;
import hv.devices.platform.Clint;
import hv.devices.platform.MachineClock;
import hv.devices.platform.Plic;

import java.util.ArrayList;
import java.util.List;

/** The state components of a machine, in the order a snapshot writes them. */
final class MachineStates {
    /** Format version of the "clock" section (MachineClock writes one long, mtime). */
    static final int CLOCK_VERSION = 1;

    private MachineStates() {
    }

    static List<StateComponent> components(List<Hart> harts, MachineClock clock, Clint clint, Plic plic, MachineDevices devices) {
        List<StateComponent> list = new ArrayList<>();
        for (Hart h : harts) {
            list.add(new StateComponent("hart" + h.hartId(), Hart.STATE_VERSION, h::saveState, h::restoreState));
        }
        // mtime before the CLINT: restoring mtimecmp re-arms the harts' timers against the new mtime.
        list.add(new StateComponent("clock", CLOCK_VERSION, clock::saveState, clock::restoreState));
        list.add(new StateComponent("clint", clint.stateVersion(), clint::saveState, clint::restoreState));
        list.add(new StateComponent("plic", plic.stateVersion(), plic::saveState, plic::restoreState));
        for (MachineDevices.Placed p : devices.placed()) {
            list.add(new StateComponent(p.name(), p.device().stateVersion(), p.device()::saveState, p.device()::restoreState));
        }
        return list;
    }
}
