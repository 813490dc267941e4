package hv.api.device;

/**
 * A device's wire into the interrupt controller (a PLIC source). Level-triggered, as the PLIC
 * gateway of the {@code virt} machine treats its sources. Lock-free and callable from any thread.
 */
public interface InterruptLine {

    /** Drives the line high (true) or low (false). */
    void set(boolean level);

    default void raise() {
        set(true);
    }

    default void lower() {
        set(false);
    }
}
