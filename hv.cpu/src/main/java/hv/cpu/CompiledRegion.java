package hv.cpu;

/**
 * A region of one decoded page translated to JVM bytecode (see {@link RegionEmitter}). Each region is
 * an instance of its own hidden class extending this one; dropping the last reference (the page's
 * {@link DecodeCache.Page#regions} slot, cleared when the page's bytes change) lets the class unload.
 *
 * <p>Contract of {@link #run}: executes guest instructions starting at the region's entry in the
 * virtual page {@code vbase} (the same physical page may be mapped at several virtual addresses, so
 * every pc-relative value is computed from {@code vbase} at run time). {@code n} is the number of
 * instructions retired so far in this {@code Hart.loop}; at every backward branch the region exits
 * when {@code n >= limit} or an asynchronous request is pending. On a normal exit it has written every
 * guest register it changed back to {@link Hart#x}, set {@link Hart#pc} to the next instruction and
 * returns the new {@code n}. On a synchronous exception it writes the registers back, sets pc to the
 * faulting instruction and {@link Hart#jitFaultCount} to the count before it, and rethrows the
 * {@link hv.memory.MemoryFault}: exactly the state the interpreter would leave (precise traps).
 */
abstract class CompiledRegion {
    /** The decoded entry this region's start replaced in the page (the page holds a JIT_REGION marker). */
    long entry;
    /** Guest instructions in the region and bytes of its run() method (statistics, tests). */
    int instructions, bytecodeBytes;
    /**
     * For a region that goes on into the next or previous virtual page: the bytes of that page it was
     * translated from (checked by {@link Hart#crossInto} before the region's code enters it); else null.
     */
    byte[] second;

    abstract long run(Hart h, long vbase, long n, long limit);
}
