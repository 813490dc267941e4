package hv.hosts;

/** Temporary: keeps the package non-empty until the machine assembly lands. */
final class Placeholder {
    private Placeholder() {
    }
}
