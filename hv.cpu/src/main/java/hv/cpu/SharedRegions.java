package hv.cpu;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Translated regions shared by the harts of one machine (or one process VM), addressed by the content of the page they were
 * translated from: a region depends only on the page's bytes, its entry index and the translator's
 * options (the virtual page and all hart state are run-time arguments), so a hart whose page holds
 * the same bytes reuses another hart's region, and the compiled code HotSpot made for it, instead
 * of translating again. On an SMP guest every hart otherwise translates (and HotSpot compiles) the
 * same kernel code once per hart.
 *
 * <p>Thread-safe: a concurrent map of immutable page versions whose region slots are published
 * with volatile stores (a CompiledRegion is fully built before it is published). Bounded: when more
 * than {@link #MAX_PAGES} page versions are held the map starts over (regions in use stay valid;
 * they are only no longer shared). The bound also bounds what this map keeps alive of hidden classes
 * and their compiled code (HotSpot stops compiling altogether when its code cache is full).
 */
public final class SharedRegions {
    static final int MAX_PAGES = 2048;

    /** One version of a page: its bytes, the translator options, and the regions by entry index. */
    private record PageVersion(byte[] bytes, long options, AtomicReferenceArray<CompiledRegion> regions) {
    }

    private final ConcurrentHashMap<Long, PageVersion> pages = new ConcurrentHashMap<>();

    /** An empty set: give the same instance to every hart that should share (see {@link Hart#shareTranslations}). */
    public SharedRegions() {
    }

    private static long key(byte[] bytes, long options) {
        return (long) Arrays.hashCode(bytes) * 0x9e37_79b9_7f4a_7c15L ^ options;
    }

    /** The region another hart translated at entry {@code idx} of a page with these bytes, or null. */
    CompiledRegion find(DecodeCache.Page page, int idx, long options) {
        PageVersion v = pages.get(key(page.snapshot, options));
        if (v == null || v.options != options || !Arrays.equals(v.bytes, page.snapshot)) {
            return null;
        }
        return v.regions.get(idx);
    }

    /** Offers a region translated from {@code page} to the other harts. */
    void publish(DecodeCache.Page page, int idx, long options, CompiledRegion region) {
        long k = key(page.snapshot, options);
        PageVersion v = pages.get(k);
        if (v == null || v.options != options || !Arrays.equals(v.bytes, page.snapshot)) {
            if (pages.size() >= MAX_PAGES) {
                pages.clear();
            }
            v = new PageVersion(page.snapshot.clone(), options, new AtomicReferenceArray<>(DecodeCache.ENTRIES));
            pages.put(k, v);
        }
        v.regions.set(idx, region);
    }
}
