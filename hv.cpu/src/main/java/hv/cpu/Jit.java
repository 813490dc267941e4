package hv.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.UnaryOperator;

/**
 * One hart's translator front end: counts entries into block starts of decoded pages and, when one
 * gets hot, translates the region starting there ({@link RegionScanner}, {@link RegionEmitter}),
 * defines it as a hidden class and installs it in the page: the page's entry becomes a
 * {@link Op#JIT_REGION} marker, so the interpreter runs the region whenever it reaches that
 * instruction. Each hart has its own Jit and decode cache; the only thing shared between harts is
 * a {@link SharedRegions} (immutable regions, looked up by page content) that the machine hands
 * to all its harts; a hart left alone has one of its own.
 *
 * <p>A guest must never be able to crash HV: any Throwable while translating or defining a region
 * (a bug in the emitter, a verification error) only disables that entry (counted, logged once) and
 * the interpreter keeps running it.
 */
final class Jit {
    /** Region size cap in guest instructions (halved until the method fits {@link #MAX_CODE_BYTES}). */
    static final int MAX_INSTRUCTIONS = Integer.getInteger("hv.jit.maxRegion", 128);
    /**
     * Bytecode size cap of a region's run(): HotSpot does not compile methods above 8000 bytes
     * (HugeMethodLimit), and a region that stays in HotSpot's bytecode interpreter is slower than Hart's.
     */
    static final int MAX_CODE_BYTES = 7000;

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final MethodType CONSTRUCTOR = MethodType.methodType(void.class);
    private static final System.Logger LOG = System.getLogger("hv.cpu.jit");

    private final int threshold;
    /** Size caps (tests lower them to exercise the splitting of long code into several regions). */
    int maxInstructions, maxCodeBytes = MAX_CODE_BYTES;
    /** Loads/stores inline in the region instead of helper calls (see RegionEmitter.INLINE_MEMORY). */
    boolean inlineMemory = RegionEmitter.INLINE_MEMORY;
    /** Reuse regions other harts translated from the same bytes ({@link SharedRegions}). */
    boolean shareRegions = true;
    /** Regions may go on into the next or previous virtual page (hv.jit.crossPages, default on). */
    boolean crossPages = CROSS_PAGES;
    static final boolean CROSS_PAGES = !"false".equals(System.getProperty("hv.jit.crossPages"));
    /** Where regions are looked up and published (replaced by the machine's through Hart.shareTranslations). */
    SharedRegions sharedRegions = new SharedRegions();
    /** Test hook: transforms each class file before it is defined (null in production). */
    UnaryOperator<byte[]> classFileFilter;
    private boolean failureLogged;

    // statistics
    /** bytecodeBytes: class file bytes of the regions (an upper bound of their code). */
    /** entries: regions run; chained: of those, entered directly from the region before (Hart.runRegions). */
    long regions, shared, instructions, bytecodeBytes, compileNanos, emitNanos, defineNanos, failures, rejected, shrunk, entries,
            chained, twoPage;

    Jit(int threshold, int maxInstructions) {
        this.threshold = Math.max(1, Math.min(threshold, Character.MAX_VALUE - 1));
        this.maxInstructions = Math.max(1, maxInstructions);
    }

    /**
     * Heat of an entry that Hart.loop reached by running out of its instruction limit: it stands for up
     * to Hart.TIMER_CHECK_INTERVAL instructions of work that the interpreter did without coming back
     * to the loop (a hot loop inside one page), where an ordinary entry stands for one block.
     */
    static final int SAMPLE_WEIGHT = Integer.getInteger("hv.jit.sampleWeight", 16);

    /** Hart.loop entered the page at entry {@code idx} (a block start): count it, translate when hot. */
    /** The hart's decoded page of a virtual page if it has it at hand (jump cache), else null; see Hart. */
    java.util.function.LongFunction<DecodeCache.Page> knownPage = v -> null;

    /**
     * Hart.loop entered the page at entry {@code idx} (a block start) of the virtual page
     * {@code vbase}: count it, translate when hot.
     */
    void entered(DecodeCache.Page page, int idx, int weight, long vbase) {
        char[] heat = page.heat;
        if (heat == null) {
            heat = page.heat = new char[DecodeCache.ENTRIES];
        }
        int c = heat[idx];
        if (c >= threshold) {
            return; // translated, or tried and not translatable
        }
        c = Math.min(threshold, c + weight);
        heat[idx] = (char) c;
        if (c >= threshold) {
            compile(page, idx, vbase);
        }
    }

    private void compile(DecodeCache.Page page, int idx, long vbase) {
        long t0 = System.nanoTime();
        try {
            long options = ((long) maxInstructions << 32) | ((long) maxCodeBytes << 1) | (inlineMemory ? 1 : 0)
                    | (crossPages ? 1L << 31 : 0);
            boolean share = shareRegions && classFileFilter == null;
            if (share) {
                CompiledRegion other = sharedRegions.find(page, idx, options);
                if (other != null) {
                    install(page, idx, other);
                    shared++;
                    return;
                }
            }
            int cap = maxInstructions;
            // The neighbouring pages as this hart maps them now; a region may go on into one of them
            // (checked at run time whenever the region's code enters it).
            DecodeCache.Page next = crossPages ? knownPage.apply(vbase + DecodeCache.PAGE_BYTES) : null;
            DecodeCache.Page previous = crossPages ? knownPage.apply(vbase - DecodeCache.PAGE_BYTES) : null;
            for (;;) {
                RegionScanner.Region r = RegionScanner.scan(page, idx, cap, next, previous);
                long t1 = System.nanoTime();
                if (r.size() == 0) {
                    rejected++; // the instruction there is one the interpreter must run
                    return;
                }
                byte[] bytes = RegionEmitter.emit(r, inlineMemory);
                // the class file's size bounds its code's: parse it only when the code may be too big
                int len = bytes.length <= maxCodeBytes ? bytes.length : RegionEmitter.codeLength(bytes);
                long t2 = System.nanoTime();
                emitNanos += t2 - t1;
                if (len > maxCodeBytes && cap > 1) {
                    shrunk++;
                    cap = Math.min(cap, r.size()) / 2;
                    continue;
                }
                if (classFileFilter != null) {
                    bytes = classFileFilter.apply(bytes);
                }
                CompiledRegion region = define(bytes);
                defineNanos += System.nanoTime() - t2;
                region.entry = r.entries()[r.position(idx)];
                region.instructions = r.size();
                region.bytecodeBytes = len;
                region.second = r.second();
                if (r.side() != 0) {
                    twoPage++;
                }
                install(page, idx, region);
                if (share) {
                    sharedRegions.publish(page, idx, options, region);
                }
                instructions += r.size();
                bytecodeBytes += len;
                return;
            }
        } catch (Throwable t) {
            // A translator bug must not stop the guest: leave this entry to the interpreter.
            failures++;
            if (!failureLogged) {
                failureLogged = true;
                LOG.log(System.Logger.Level.WARNING, "JIT: could not translate a region (interpreting it instead; "
                        + "further failures only counted)", t);
            }
        } finally {
            compileNanos += System.nanoTime() - t0;
        }
    }

    /** The page's entry becomes a marker: the interpreter runs the region whenever it reaches it. */
    private void install(DecodeCache.Page page, int idx, CompiledRegion region) {
        if (page.regions == null) {
            page.regions = new CompiledRegion[DecodeCache.ENTRIES];
        }
        page.regions[idx] = region;
        page.code[idx] = Op.entry(Op.JIT_REGION, 0, 0, 0, 0, 0);
        regions++;
    }

    private static CompiledRegion define(byte[] classFile) throws Throwable {
        MethodHandles.Lookup hidden = LOOKUP.defineHiddenClass(classFile, true);
        return (CompiledRegion) hidden.findConstructor(hidden.lookupClass(), CONSTRUCTOR).invoke();
    }

    /** One line of counters for {@code hv run --stats}. */
    String statsLine(long[] exits) {
        StringBuilder s = new StringBuilder();
        s.append("jit: threshold=").append(threshold).append(" regions=").append(regions).append(" (from other harts ").append(shared).append(')')
                .append(" two-page=").append(twoPage).append(" guest-insns=").append(instructions).append(" bytecode=").append(bytecodeBytes)
                .append("B compile=").append(compileNanos / 1_000_000).append("ms (emit ").append(emitNanos / 1_000_000).append(" define ").append(defineNanos / 1_000_000)
                .append(") failures=").append(failures)
                .append(" untranslatable-starts=").append(rejected).append(" shrunk=").append(shrunk)
                .append(" entries=").append(entries).append(" (chained ").append(chained).append(") exits={");
        for (int k = 0; k < exits.length; k++) {
            s.append(k == 0 ? "" : ", ").append(RegionEmitter.EXIT_NAMES[k]).append('=').append(exits[k]);
        }
        return s.append('}').toString();
    }
}
