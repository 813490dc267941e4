package hv.hosts.snapshot;

import hv.api.state.StateException;
import hv.hosts.Machine;
import hv.hosts.StateComponent;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Applies the sections after "config" to a machine built for resume: RAM chunks and each
 * component's state, until "end". Every component of the machine must appear exactly once, and
 * every section must name a component the machine has: anything else means the stream was made
 * for different hardware.
 */
final class StateLoader {
    private final Machine machine;
    private final Map<String, StateComponent> pending = new LinkedHashMap<>();
    private long ramSections;

    StateLoader(Machine machine) {
        this.machine = machine;
        for (StateComponent c : machine.stateComponents()) {
            pending.put(c.name(), c);
        }
    }

    /** Reads sections up to and including "end". */
    void loadAll(SectionInput in, String source) throws SnapshotException, IOException {
        while (true) {
            SectionInput.Section s = in.next();
            try {
                switch (s.name()) {
                    case SectionFormat.END -> {
                        if (!pending.isEmpty()) {
                            throw new SnapshotException(source + ": no state for " + String.join(", ", pending.keySet())
                                    + " (made for a different machine)");
                        }
                        return;
                    }
                    case SectionFormat.RAM -> {
                        RamPages.load(machine.ram(), s);
                        ramSections++;
                    }
                    case SectionFormat.VCPUS -> machine.presetHarts(readVcpus(s, machine.hartCount()));
                    case SectionFormat.CONFIG -> throw new SnapshotException(source + ": a second config section");
                    default -> {
                        StateComponent c = pending.remove(s.name());
                        if (c == null) {
                            throw new SnapshotException(source + ": state for '" + s.name()
                                    + "', which this machine does not have (unknown or repeated device)");
                        }
                        StateCursor cursor = s.cursor();
                        c.restore(cursor, s.version());
                        cursor.expectEnd();
                    }
                }
            } catch (StateException e) {
                throw new SnapshotException(source + ": " + e.getMessage());
            } catch (RuntimeException e) {
                // A component's restore must refuse bad input with StateException; if one slips, name it.
                throw new SnapshotException(source + ": section '" + s.name() + "' could not be applied: " + e);
            }
        }
    }

    static void writeVcpus(SectionOutput out, boolean[] running) throws IOException {
        StateBuffer b = new StateBuffer();
        b.putInt(running.length);
        for (boolean r : running) {
            b.putBoolean(r);
        }
        out.section(SectionFormat.VCPUS, 1, b);
    }

    private static boolean[] readVcpus(SectionInput.Section s, int harts) throws StateException {
        if (s.version() != 1) {
            throw new StateException("vcpus: unknown version " + s.version());
        }
        StateCursor c = s.cursor();
        int n = c.getInt();
        if (n != harts) {
            throw new StateException("vcpus: " + n + " harts, this machine has " + harts);
        }
        boolean[] running = new boolean[n];
        for (int i = 0; i < n; i++) {
            running[i] = c.getBoolean();
        }
        c.expectEnd();
        return running;
    }

    long ramSections() {
        return ramSections;
    }
}
