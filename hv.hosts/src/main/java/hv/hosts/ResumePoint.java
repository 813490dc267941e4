package hv.hosts;

/**
 * What a machine built for resume (snapshot restore, incoming migration) needs besides its
 * configuration: the HTIF tohost word a bare-metal guest reports through (-1: none) and which harts
 * were running (the others wait for SBI HSM hart_start, or were stopped by hart_stop).
 */
public record ResumePoint(long tohost, boolean[] runningHarts) {

    public ResumePoint {
        runningHarts = runningHarts.clone();
    }

    public int harts() {
        return runningHarts.length;
    }

    public boolean running(int hart) {
        return runningHarts[hart];
    }

    @Override
    public boolean[] runningHarts() {
        return runningHarts.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResumePoint r && r.tohost == tohost && java.util.Arrays.equals(r.runningHarts, runningHarts);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(tohost) * 31 + java.util.Arrays.hashCode(runningHarts);
    }

    @Override
    public String toString() {
        return "ResumePoint[tohost=" + tohost + ", running=" + java.util.Arrays.toString(runningHarts) + "]";
    }
}
