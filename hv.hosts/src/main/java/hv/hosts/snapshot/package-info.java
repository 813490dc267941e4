/**
 * Snapshots and live migration of a whole VM. One container format serves both
 * ({@link hv.hosts.snapshot.SectionFormat}): a header (magic, format version, HV version), then
 * length-prefixed, CRC-32-checked sections: the machine's config (to rebuild the same machine),
 * RAM in 1 MiB chunks (zero pages skipped), which harts run, and one section per state component
 * (harts, clock, CLINT, PLIC, each device by its bus name), each written by the component itself
 * through hv.api.state. {@link hv.hosts.snapshot.Snapshot} saves to a file and
 * {@link hv.hosts.snapshot.SnapshotRestore} loads one; {@link hv.hosts.snapshot.MigrationSource}
 * streams RAM in pre-copy rounds over the dirty log and {@link hv.hosts.snapshot.MigrationTarget}
 * receives; it throttles the vCPUs when the rounds do not converge (auto-converge), may cap its
 * bandwidth ({@link hv.hosts.snapshot.PacedOutputStream}) and reports as it goes
 * ({@link hv.hosts.snapshot.MigrationProgress}). Format and protocol: docs/snapshot-migration.md.
 *
 * <p>May touch: hv.hosts' Machine (pause/resume, state components, resume builds), hv.memory's
 * GuestRam and DirtyLog, hv.api.state. Must never come in: Java serialization or reflection over
 * fields (every field is written explicitly by its owner), device classes by name, System.out.
 */
package hv.hosts.snapshot;
