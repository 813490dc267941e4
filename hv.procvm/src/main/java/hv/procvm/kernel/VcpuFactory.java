package hv.procvm.kernel;

/** Creates the hart of a new guest thread. */
public interface VcpuFactory {
    Vcpu create(int tid);

    /** The thread that ran {@code cpu} has ended: keep it for a later {@link #create}, or close it. */
    default void release(Vcpu cpu) {
        cpu.close();
    }
}
