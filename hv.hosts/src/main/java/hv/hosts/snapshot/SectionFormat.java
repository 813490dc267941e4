package hv.hosts.snapshot;

import java.nio.charset.StandardCharsets;

/**
 * The container shared by snapshot files and migration streams (docs/snapshot-migration.md):
 * <pre>
 *   header:  magic (8 bytes) | format version (int) | HV version (u16 length + UTF-8)
 *   section: name (u16 length + UTF-8) | state version (int) | payload length (int) | CRC-32 (int) | payload
 * </pre>
 * all big-endian. The CRC-32 covers the name, the version and the payload, so a flipped bit
 * anywhere in a section is caught. A stream ends with the section {@value #END}.
 */
public final class SectionFormat {
    /** A snapshot file. */
    public static final byte[] FILE_MAGIC = "HVSNAP\r\n".getBytes(StandardCharsets.US_ASCII);
    /** A live-migration stream. */
    public static final byte[] MIGRATION_MAGIC = "HVMIGR\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Bumped whenever the container or the section list changes incompatibly. */
    public static final int FORMAT_VERSION = 1;
    /** The largest section payload (RAM goes in chunks of {@link #RAM_CHUNK_PAGES}). */
    public static final int MAX_PAYLOAD = 16 << 20;
    public static final int MAX_NAME = 64;

    public static final String CONFIG = "config";
    public static final String RAM = "ram";
    public static final String END = "end";
    /** Which harts run (the rest wait for SBI HSM hart_start): version 1, int count + one boolean per hart. */
    public static final String VCPUS = "vcpus";
    /** Pages per RAM section: 1 MiB of data, small enough to checksum and buffer, large enough to stream well. */
    public static final int RAM_CHUNK_PAGES = 256;

    private SectionFormat() {
    }

    /** HV's version as the module descriptor has it ("dev" in a class-path run). */
    public static String hvVersion() {
        Module m = SectionFormat.class.getModule();
        return m.getDescriptor() != null ? m.getDescriptor().rawVersion().orElse("dev") : "dev";
    }
}
