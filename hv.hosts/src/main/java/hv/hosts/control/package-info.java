/**
 * The control API ({@code hv run --control unix:PATH | tcp:[HOST:]PORT}), QMP-like: one JSON
 * object per line each way, on a Unix socket or loopback TCP. Commands: status, pause, resume,
 * stats, snapshot, migrate, query-migrate, quit ({@link hv.hosts.control.ControlCommands}; the
 * looking ones answer while a migration runs); a small hand-written
 * JSON reader/writer ({@link hv.hosts.control.Json}). Errors are error replies: a client's bad
 * line never closes its connection or touches the VM.
 *
 * <p>May touch: hv.hosts' Machine and hv.hosts.snapshot. Must never come in: a JSON library,
 * System.out (the guest console owns it).
 */
package hv.hosts.control;
