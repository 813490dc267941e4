package hv.hosts.snapshot;

import hv.api.state.StateException;
import hv.memory.GuestRam;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Guest RAM in "ram" sections: records of (page index: int, kind: byte, [4096 bytes if kind is
 * DATA]), at most {@link SectionFormat#RAM_CHUNK_PAGES} per section. A snapshot and the first
 * migration round skip zero pages (the receiving RAM starts zeroed); later migration rounds send a
 * page that became zero as a ZERO record, which costs 5 bytes instead of 4 KiB.
 */
public final class RamPages {
    public static final int VERSION = 1;
    static final byte ZERO = 0;
    static final byte DATA = 1;
    private static final int PAGE = (int) GuestRam.PAGE_SIZE;
    private static final MemorySegment ZERO_PAGE = MemorySegment.ofArray(new byte[PAGE]);

    /** Counts of what was sent. */
    public static final class Counts {
        public long dataPages;
        public long zeroPages;
        public long skippedZeroPages;
    }

    private final GuestRam ram;
    private final SectionOutput out;
    private final StateBuffer chunk = new StateBuffer();
    private final byte[] page = new byte[PAGE];
    private int inChunk;
    final Counts counts = new Counts();
    /** A live migration's progress, told after every chunk; null for a snapshot. */
    private MigrationProgress progress;

    RamPages(GuestRam ram, SectionOutput out) {
        this.ram = ram;
        this.out = out;
    }

    void reportTo(MigrationProgress p) {
        this.progress = p;
    }

    /**
     * Sends the pages whose bits are set in {@code bitmap} (bit i of word i/64 = page i), or every
     * page with a null bitmap; zero pages are skipped when {@code skipZero}, sent as ZERO records otherwise.
     */
    void send(long[] bitmap, boolean skipZero) throws IOException {
        long pages = ram.size() / PAGE;
        for (long p = 0; p < pages; p++) {
            if (bitmap != null && (bitmap[(int) (p >>> 6)] & (1L << p)) == 0) {
                if ((p & 63) == 0 && bitmap[(int) (p >>> 6)] == 0) {
                    p += 63; // a clean word: skip its 64 pages
                }
                continue;
            }
            sendPage(p, skipZero);
        }
    }

    private void sendPage(long p, boolean skipZero) throws IOException {
        MemorySegment seg = ram.segment().asSlice(p * PAGE, PAGE);
        boolean zero = seg.mismatch(ZERO_PAGE) < 0;
        if (zero && skipZero) {
            counts.skippedZeroPages++;
            return;
        }
        chunk.putInt((int) p);
        if (zero) {
            chunk.putBoolean(false);
            counts.zeroPages++;
        } else {
            chunk.putBoolean(true);
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, 0, page, 0, PAGE);
            chunk.putRaw(page, 0, PAGE);
            counts.dataPages++;
        }
        if (++inChunk == SectionFormat.RAM_CHUNK_PAGES) {
            flush();
        }
    }

    /** Writes the pending chunk, if any. */
    void flush() throws IOException {
        if (inChunk > 0) {
            out.section(SectionFormat.RAM, VERSION, chunk);
            chunk.clear();
            inChunk = 0;
            if (progress != null) {
                progress.sent(out.bytes(), counts.dataPages + counts.zeroPages);
            }
        }
    }

    /** Loads one "ram" section into {@code ram}. */
    static void load(GuestRam ram, SectionInput.Section s) throws StateException {
        if (s.version() != VERSION) {
            throw new StateException("ram: unknown version " + s.version());
        }
        StateCursor c = s.cursor();
        long pages = ram.size() / PAGE;
        MemorySegment mem = ram.segment();
        while (!c.atEnd()) {
            int p = c.getInt();
            boolean data = c.getBoolean();
            if (p < 0 || p >= pages) {
                throw new StateException("ram: page " + p + " is beyond this machine's " + (ram.size() >> 20) + " MiB");
            }
            if (data) {
                int at = c.position();
                c.skip(PAGE);
                MemorySegment.copy(c.array(), at, mem, ValueLayout.JAVA_BYTE, (long) p * PAGE, PAGE);
            } else {
                mem.asSlice((long) p * PAGE, PAGE).fill((byte) 0);
            }
        }
    }
}
