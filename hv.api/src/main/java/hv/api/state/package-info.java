/**
 * Explicit, versioned state streams for snapshots and migration. Every stateful part of the
 * VM (harts, memory, devices) writes its own fields in order with a version number, and reads
 * them back the same way; unknown versions are refused with a {@link hv.api.state.StateException}.
 */
package hv.api.state;
