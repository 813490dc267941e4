package hv.memory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gets host memory for guest RAM.
 *
 * <p>Why mmap: {@code Arena.allocate} commits and zeroes every byte up front, so a 2 GiB guest
 * would cost 2 GiB of host memory before it boots. An anonymous private mapping with
 * MAP_NORESERVE is committed page by page as the guest touches it and reads as zero, like
 * physical RAM after reset. Where mmap is unavailable (not Linux, native access denied) we fall
 * back to an Arena.
 *
 * <p>"Can the host back it?" is judged against MemTotal + SwapTotal from /proc/meminfo: with
 * NORESERVE the mapping itself always succeeds, and a guest that later touches more than the host
 * has would be killed by the OOM killer, which is worse than a clear refusal up front.
 */
final class RamAllocator {
    private static final System.Logger LOG = System.getLogger(RamAllocator.class.getName());

    // Linux mmap constants (asm-generic/mman-common.h; identical on x86-64, arm64 and riscv64).
    private static final int PROT_READ = 1, PROT_WRITE = 2;
    private static final int MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000;
    private static final int MADV_HUGEPAGE = 14;

    private RamAllocator() {
    }

    /** A segment plus how to give it back. */
    interface Allocation extends AutoCloseable {
        MemorySegment segment();

        String description();

        @Override
        void close();
    }

    static Allocation allocate(long size, boolean checkHost) {
        long hostBytes = checkHost ? hostMemoryBytes() : -1;
        if (hostBytes > 0 && size > hostBytes) {
            throw new IllegalArgumentException(String.format(
                    "guest memory of %d MiB is more than this host can back (%d MiB of RAM + swap)",
                    size >> 20, hostBytes >> 20));
        }
        if (isLinux()) {
            try {
                return mmap(size);
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (Throwable e) {
                LOG.log(System.Logger.Level.DEBUG, "mmap of guest RAM unavailable, using an arena: " + e);
            }
        }
        return arena(size);
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux");
    }

    /** MemTotal + SwapTotal in bytes, or -1 when unknown. */
    static long hostMemoryBytes() {
        Path meminfo = Path.of("/proc/meminfo");
        if (!Files.isReadable(meminfo)) {
            return -1;
        }
        try {
            long total = 0;
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemTotal:") || line.startsWith("SwapTotal:")) {
                    String[] parts = line.split("\\s+");
                    total += Long.parseLong(parts[1]) * 1024;
                }
            }
            return total > 0 ? total : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static Allocation arena(long size) {
        Arena arena = Arena.ofShared();
        MemorySegment segment;
        try {
            segment = arena.allocate(size, GuestRam.PAGE_SIZE);
        } catch (OutOfMemoryError | IllegalArgumentException e) {
            arena.close();
            throw new IllegalArgumentException("guest memory of " + (size >> 20) + " MiB cannot be allocated: " + e.getMessage());
        }
        return new Allocation() {
            @Override
            public MemorySegment segment() {
                return segment;
            }

            @Override
            public String description() {
                return "arena";
            }

            @Override
            public void close() {
                arena.close();
            }
        };
    }

    private static Allocation mmap(long size) throws Throwable {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        MethodHandle mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
        MethodHandle munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        MethodHandle madvise = linker.downcallHandle(libc.find("madvise").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        MemorySegment raw = (MemorySegment) mmap.invokeExact(MemorySegment.NULL, size, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
        if (raw.address() == -1L || raw.address() == 0L) {
            throw new IllegalArgumentException("guest memory of " + (size >> 20) + " MiB cannot be mapped by this host");
        }
        // Transparent huge pages cut host TLB misses for a large guest; a refusal is harmless.
        int ignored = (int) madvise.invokeExact(raw, size, MADV_HUGEPAGE);
        Arena arena = Arena.ofShared();
        long address = raw.address();
        MemorySegment segment = raw.reinterpret(size, arena, s -> unmap(munmap, address, size));
        return new Allocation() {
            @Override
            public MemorySegment segment() {
                return segment;
            }

            @Override
            public String description() {
                return ignored == 0 ? "mmap (lazily committed, huge pages advised)" : "mmap (lazily committed)";
            }

            @Override
            public void close() {
                arena.close();
            }
        };
    }

    private static void unmap(MethodHandle munmap, long address, long size) {
        try {
            int rc = (int) munmap.invokeExact(MemorySegment.ofAddress(address), size);
            if (rc != 0) {
                LOG.log(System.Logger.Level.WARNING, "munmap of guest RAM failed");
            }
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.WARNING, "munmap of guest RAM failed: " + e);
        }
    }
}
