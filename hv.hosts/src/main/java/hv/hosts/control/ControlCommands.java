package hv.hosts.control;

import hv.hosts.Machine;
import hv.hosts.VmOutcome;
import hv.hosts.VmStateException;
import hv.hosts.snapshot.MigrationProgress;
import hv.hosts.snapshot.MigrationSource;
import hv.hosts.snapshot.Snapshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The control API's commands, QMP-style: a request is {@code {"execute": NAME, "arguments":
 * {...}, "id": any}}, a reply {@code {"return": {...}}} or {@code {"error": {"class", "desc"}}}
 * (with the request's id). A command never throws: whatever goes wrong becomes an error reply,
 * and the VM is left as it was.
 *
 * <p>Commands that change the VM (pause, resume, snapshot, migrate, quit) run one at a time; the
 * ones that only look (status, stats, query-migrate) run at once on any client's thread, also
 * while a migration runs. While a migration runs, a command that would change the VM is refused
 * at once (a VmState error) rather than left waiting for the migration's end.
 */
public final class ControlCommands {
    public static final List<String> NAMES = List.of("status", "pause", "resume", "stats", "snapshot", "migrate", "query-migrate", "quit");

    /** A reply, and what to do once it is on the wire (end the VM after quit or migrate). */
    public record Reply(Map<String, Object> body, Runnable after) {
        static Reply ok(Map<String, Object> ret) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("return", ret);
            return new Reply(m, null);
        }

        static Reply error(String cls, String desc) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("class", cls);
            e.put("desc", desc);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("error", e);
            return new Reply(m, null);
        }

        Reply then(Runnable r) {
            return new Reply(body, r);
        }
    }

    private final Supplier<Machine> machine;
    /** Held by the command that changes the VM now (see the class comment). */
    private final ReentrantLock changing = new ReentrantLock();
    /** The migration running now or the last one, for query-migrate; null before any. */
    private volatile MigrationProgress migration;

    /** @param machine the VM now running (null while there is none, e.g. between a reboot's two machines) */
    public ControlCommands(Supplier<Machine> machine) {
        this.machine = machine;
    }

    /** Handles one request line. */
    public Reply handle(String line) {
        Object parsed;
        try {
            parsed = Json.parse(line);
        } catch (Json.ParseException e) {
            return Reply.error("BadRequest", e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> request)) {
            return Reply.error("BadRequest", "a request is a JSON object");
        }
        Reply r;
        try {
            r = dispatch(request);
        } catch (RuntimeException e) {
            r = Reply.error("InternalError", String.valueOf(e));
        }
        Object id = request.get("id");
        if (id != null) {
            r.body().put("id", id);
        }
        return r;
    }

    private Reply dispatch(Map<?, ?> request) {
        if (!(request.get("execute") instanceof String cmd)) {
            return Reply.error("BadRequest", "missing \"execute\": one of " + NAMES);
        }
        Object a = request.get("arguments");
        if (a != null && !(a instanceof Map)) {
            return Reply.error("BadRequest", "\"arguments\" must be an object");
        }
        Map<?, ?> args = a == null ? Map.of() : (Map<?, ?>) a;
        Machine m = machine.get();
        if (m == null) {
            return Reply.error("NoVm", "no VM is running right now");
        }
        switch (cmd) {
            case "status":
                return Reply.ok(status(m));
            case "stats":
                Map<String, Object> ret = new LinkedHashMap<>();
                ret.put("instret", m.instret());
                ret.put("report", m.statsReport());
                return Reply.ok(ret);
            case "query-migrate":
                return Reply.ok(queryMigrate(migration));
            default:
                if (!NAMES.contains(cmd)) {
                    return Reply.error("CommandNotFound", "unknown command '" + cmd + "'; commands: " + NAMES);
                }
                break;
        }
        if (!changing.tryLock()) {
            MigrationProgress running = migration;
            if (running != null && running.status() == MigrationProgress.Status.ACTIVE) {
                return Reply.error("VmState", "a migration is running (query-migrate shows its progress); '" + cmd
                        + "' must wait for its end");
            }
            changing.lock();
        }
        try {
            return switch (cmd) {
                case "pause" -> {
                    m.pause();
                    yield Reply.ok(status(m));
                }
                case "resume" -> {
                    if (!m.paused()) {
                        throw new VmStateException("the VM is not paused");
                    }
                    m.resume();
                    yield Reply.ok(status(m));
                }
                case "snapshot" -> snapshot(m, args);
                case "migrate" -> migrate(m, args);
                case "quit" -> Reply.ok(new LinkedHashMap<>()).then(() -> m.end(VmOutcome.quit()));
                default -> throw new IllegalStateException("command '" + cmd + "' has no handler");
            };
        } catch (VmStateException e) {
            return Reply.error("VmState", e.getMessage());
        } catch (IllegalArgumentException e) {
            return Reply.error("BadArgument", e.getMessage());
        } finally {
            changing.unlock();
        }
    }

    /** query-migrate: the running or last migration's figures ({@code status: none} before any). */
    static Map<String, Object> queryMigrate(MigrationProgress p) {
        Map<String, Object> r = new LinkedHashMap<>();
        if (p == null) {
            r.put("status", "none");
            return r;
        }
        MigrationProgress.Status st = p.status();
        r.put("status", st == MigrationProgress.Status.ACTIVE ? (p.inDowntime() ? "downtime" : "active")
                : st.name().toLowerCase(java.util.Locale.ROOT));
        r.put("rounds", p.rounds());
        r.put("bytes", p.bytes());
        r.put("pages", p.pagesSent());
        r.put("remaining_pages", p.remainingPages());
        r.put("throttle_percent", p.throttlePercent());
        r.put(st == MigrationProgress.Status.ACTIVE ? "elapsed_ms" : "total_ms", Math.round(p.elapsedMillis() * 100) / 100.0);
        if (st == MigrationProgress.Status.COMPLETED) {
            r.put("downtime_ms", Math.round(p.downtimeMillis() * 100) / 100.0);
        }
        if (p.error() != null) {
            r.put("error", p.error());
        }
        return r;
    }

    private static Map<String, Object> status(Machine m) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("state", m.ended() ? "ended" : m.paused() ? "paused" : "running");
        s.put("harts", m.hartCount());
        s.put("uptime_ms", m.uptimeNanos() / 1_000_000);
        s.put("instret", m.instret());
        return s;
    }

    private static Reply snapshot(Machine m, Map<?, ?> args) throws VmStateException {
        String path = stringArg(args, "path");
        try {
            Snapshot.Saved saved = Snapshot.save(m, Path.of(path));
            Map<String, Object> ret = new LinkedHashMap<>();
            ret.put("path", saved.file().toString());
            ret.put("bytes", saved.bytes());
            ret.put("pages", saved.dataPages());
            ret.put("zero_pages_skipped", saved.skippedZeroPages());
            ret.put("paused_ms", Math.round(saved.pausedNanos() / 1e4) / 100.0);
            return Reply.ok(ret);
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return Reply.error("IoError", "snapshot " + path + ": " + e.getMessage());
        }
    }

    private Reply migrate(Machine m, Map<?, ?> args) throws VmStateException {
        String host = args.get("host") == null ? "127.0.0.1" : stringArg(args, "host");
        long port = longArg(args, "port");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
        MigrationSource.Options d = MigrationSource.Options.DEFAULT;
        int rounds = args.get("max_rounds") == null ? d.maxRounds() : (int) longArg(args, "max_rounds");
        if (rounds < 1) {
            throw new IllegalArgumentException("max_rounds must be at least 1");
        }
        boolean autoConverge = args.get("auto_converge") == null ? d.autoConverge() : booleanArg(args, "auto_converge");
        long bandwidth = args.get("max_bandwidth") == null ? d.maxBytesPerSecond() : longArg(args, "max_bandwidth");
        if (bandwidth < 0) {
            throw new IllegalArgumentException("max_bandwidth (bytes per second, 0 for none) must not be negative");
        }
        MigrationProgress progress = new MigrationProgress();
        migration = progress;
        try {
            MigrationSource.Result r = MigrationSource.migrate(m, host, (int) port,
                    new MigrationSource.Options(rounds, d.stopPages(), d.ackTimeoutMillis(), autoConverge, bandwidth), progress);
            Map<String, Object> ret = new LinkedHashMap<>();
            ret.put("outcome", "migrated");
            ret.put("total_ms", Math.round(r.totalNanos() / 1e4) / 100.0);
            ret.put("downtime_ms", Math.round(r.downtimeNanos() / 1e4) / 100.0);
            ret.put("rounds", r.rounds());
            ret.put("bytes", r.bytes());
            ret.put("pages", r.pagesSent());
            ret.put("converged", r.converged());
            ret.put("throttle_percent", r.throttlePercent());
            // Never resumed here: the guest runs on the target now (two copies would both write its disk).
            return Reply.ok(ret).then(() -> m.end(VmOutcome.migrated(r.summary())));
        } catch (IOException e) {
            return Reply.error("MigrationFailed", "migration to " + host + ":" + port + " failed (" + e.getMessage()
                    + "); the VM keeps running here");
        }
    }

    private static String stringArg(Map<?, ?> args, String name) {
        if (!(args.get(name) instanceof String s) || s.isEmpty()) {
            throw new IllegalArgumentException("argument \"" + name + "\" (a string) is required");
        }
        return s;
    }

    private static boolean booleanArg(Map<?, ?> args, String name) {
        Object v = args.get(name);
        if (v instanceof Boolean b) {
            return b;
        }
        if ("true".equals(v) || "false".equals(v)) {
            return Boolean.parseBoolean((String) v); // hv ctl sends key=value pairs as strings
        }
        throw new IllegalArgumentException("argument \"" + name + "\" must be true or false");
    }

    private static long longArg(Map<?, ?> args, String name) {
        Object v = args.get(name);
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("argument \"" + name + "\" must be a number");
            }
        }
        throw new IllegalArgumentException("argument \"" + name + "\" (a number) is required");
    }
}
