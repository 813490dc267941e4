package hv.procvm.kernel;

/** Creates the hart of a new guest thread. */
public interface VcpuFactory {
    Vcpu create(int tid);
}
