package hv.hosts;

import hv.api.state.StateException;
import hv.api.state.StateReader;
import hv.api.state.StateWriter;

/**
 * One part of a machine whose state a snapshot or migration carries, under a stable name (a
 * hart, the clock, an interrupt controller, a device by its bus name). The component writes and
 * reads its own fields (hv.api.state); {@code version} is the layout it writes today.
 */
public record StateComponent(String name, int version, Saver saver, Loader loader) {

    public interface Saver {
        void save(StateWriter out);
    }

    public interface Loader {
        void restore(StateReader in, int version) throws StateException;
    }

    public void save(StateWriter out) {
        saver.save(out);
    }

    public void restore(StateReader in, int savedVersion) throws StateException {
        loader.restore(in, savedVersion);
    }
}
