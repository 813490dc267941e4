package hv.procvm.fs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An epoll instance (epoll(7)): an interest list of (fd, open file) entries with their event mask
 * and the 64-bit user data. Readiness is computed on demand from each file's {@link #poll}, so the
 * ready list is a scan of the interest list; the waiting itself is the caller's (through
 * {@link Readiness}). Level-triggered by default; EPOLLET reports an entry only when its
 * readiness gained a bit or its file's {@link OpenFile#changes} moved since the last report;
 * EPOLLONESHOT disables the entry after one report until EPOLL_CTL_MOD re-arms it.
 *
 * <p>An entry is dropped when its fd no longer refers to the same open file (Linux drops it when
 * the file's last descriptor closes; a dup'ed descriptor kept open elsewhere is the corner case
 * where the two differ).
 */
public final class EpollFile extends OpenFile {
    public static final int EPOLLIN = 0x1, EPOLLPRI = 0x2, EPOLLOUT = 0x4, EPOLLERR = 0x8, EPOLLHUP = 0x10,
            EPOLLRDNORM = 0x40, EPOLLRDBAND = 0x80, EPOLLWRNORM = 0x100, EPOLLWRBAND = 0x200, EPOLLMSG = 0x400,
            EPOLLRDHUP = 0x2000, EPOLLEXCLUSIVE = 1 << 28, EPOLLWAKEUP = 1 << 29, EPOLLONESHOT = 1 << 30,
            EPOLLET = 1 << 31;
    public static final int CTL_ADD = 1, CTL_DEL = 2, CTL_MOD = 3;
    /** Nesting limit of epoll instances inside epoll instances (EP_MAX_NESTS). */
    static final int MAX_NESTING = 4;

    /** Resolves an fd of the owning process to its open file, or null (the caller releases it). */
    public interface Fds {
        OpenFile acquire(int fd);
    }

    private static final class Entry {
        final int fd;
        final OpenFile file;
        int events;
        long data;
        int lastReady;
        long lastChanges = -1;
        boolean disabled;

        Entry(int fd, OpenFile file, int events, long data) {
            this.fd = fd;
            this.file = file;
            this.events = events;
            this.data = data;
        }
    }

    /** One reported event: the epoll_event the guest receives. */
    public record Event(int events, long data) {
    }

    private static long nextIno = 3_000_000;
    private final Map<Integer, Entry> interest = new LinkedHashMap<>();
    private final long ino;
    private final int uid;
    private final int gid;
    private final Fds fds;

    /** {@code fds}: the creating process's descriptors, which the interest list's fds refer to. */
    public EpollFile(Fds fds, int uid, int gid) {
        super(O_RDONLY);
        this.fds = fds;
        synchronized (EpollFile.class) {
            this.ino = nextIno++;
        }
        this.uid = uid;
        this.gid = gid;
    }

    /**
     * Serializes adding an epoll instance to another: the loop check walks instances (taking
     * their locks in containment order, as poll does), and two such additions at once could
     * otherwise each pass the check and make a cycle, or take two instances' locks in opposite
     * orders.
     */
    private static final Object NESTING = new Object();

    /** epoll_ctl: 0 or -errno. {@code file} is the target's open file (still held by the caller). */
    public int control(int op, int fd, OpenFile file, int events, long data) {
        if (file instanceof EpollFile inner && op == CTL_ADD && inner != this) {
            synchronized (NESTING) {
                // Checked without holding this instance's lock: only inner's and its contents'
                // (containment order). Under NESTING no other nesting can appear meanwhile.
                if (inner.reaches(this, 0) || inner.depth(0) + 1 >= MAX_NESTING) {
                    return -Errno.ELOOP;
                }
                synchronized (this) {
                    return controlLocked(op, fd, file, events, data);
                }
            }
        }
        synchronized (this) {
            return controlLocked(op, fd, file, events, data);
        }
    }

    private int controlLocked(int op, int fd, OpenFile file, int events, long data) {
        if (file == this) {
            return -Errno.EINVAL;
        }
        if (!file.pollable()) {
            return -Errno.EPERM;
        }
        Entry e = interest.get(fd);
        if (e != null && e.file != file) {
            interest.remove(fd); // a stale entry: the fd was closed and reused
            e = null;
        }
        switch (op) {
            case CTL_ADD -> {
                if (e != null) {
                    return -Errno.EEXIST;
                }
                interest.put(fd, new Entry(fd, file, events, data));
                return 0;
            }
            case CTL_DEL -> {
                if (e == null) {
                    return -Errno.ENOENT;
                }
                interest.remove(fd);
                return 0;
            }
            case CTL_MOD -> {
                if (e == null) {
                    return -Errno.ENOENT;
                }
                if ((events & EPOLLEXCLUSIVE) != 0 || (e.events & EPOLLEXCLUSIVE) != 0) {
                    return -Errno.EINVAL;
                }
                e.events = events;
                e.data = data;
                e.disabled = false;
                e.lastReady = 0;
                e.lastChanges = -1;
                return 0;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    /**
     * Whether {@code target} is nested in this instance (adding this one to it would make a loop).
     * Never takes {@code target}'s lock.
     */
    private synchronized boolean reaches(EpollFile target, int level) {
        if (level > MAX_NESTING) {
            return true;
        }
        for (Entry e : interest.values()) {
            if (e.file == target || (e.file instanceof EpollFile inner && inner.reaches(target, level + 1))) {
                return true;
            }
        }
        return false;
    }

    private synchronized int depth(int level) {
        int d = 0;
        if (level > MAX_NESTING) {
            return level;
        }
        for (Entry e : interest.values()) {
            if (e.file instanceof EpollFile inner) {
                d = Math.max(d, 1 + inner.depth(level + 1));
            }
        }
        return d;
    }

    /**
     * Collects up to {@code max} ready events (one scan; updates edge-triggered and one-shot
     * state for what it reports). An empty list means nothing is ready now.
     */
    public synchronized List<Event> collect(int max) {
        List<Event> out = new ArrayList<>();
        var it = interest.values().iterator();
        while (it.hasNext() && out.size() < max) {
            Entry e = it.next();
            OpenFile now = fds.acquire(e.fd);
            if (now == null || now != e.file) {
                if (now != null) {
                    now.release();
                }
                it.remove();
                continue;
            }
            int ready;
            long changes;
            try {
                ready = readiness(now);
                changes = now.changes();
            } finally {
                now.release();
            }
            int wanted = e.events & ~(EPOLLET | EPOLLONESHOT | EPOLLEXCLUSIVE | EPOLLWAKEUP);
            int hit = ready & (wanted | EPOLLERR | EPOLLHUP);
            if (e.disabled || hit == 0) {
                e.lastReady = ready;
                continue;
            }
            if ((e.events & EPOLLET) != 0 && (hit & ~e.lastReady) == 0 && changes == e.lastChanges) {
                e.lastReady = ready;
                continue;
            }
            e.lastReady = ready;
            e.lastChanges = changes;
            if ((e.events & EPOLLONESHOT) != 0) {
                e.disabled = true;
            }
            out.add(new Event(hit, e.data));
        }
        return out;
    }

    /** A file's poll() bits in epoll terms (the values coincide; RDNORM/WRNORM follow IN/OUT). */
    private static int readiness(OpenFile f) {
        int p = f.poll();
        int r = p & (EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP);
        if ((p & POLLIN) != 0) {
            r |= EPOLLRDNORM;
        }
        if ((p & POLLOUT) != 0) {
            r |= EPOLLWRNORM;
        }
        if ((p & POLLHUP) != 0) {
            r |= EPOLLRDHUP;
        }
        return r;
    }

    /** An epoll fd is itself readable when one of its entries is ready (a level view: no state changes). */
    @Override
    public synchronized int poll() {
        for (Entry e : interest.values()) {
            OpenFile now = fds.acquire(e.fd);
            if (now == null) {
                continue;
            }
            try {
                if (now == e.file && !e.disabled && (readiness(now) & (e.events | EPOLLERR | EPOLLHUP)) != 0) {
                    return POLLIN;
                }
            } finally {
                now.release();
            }
        }
        return 0;
    }

    public synchronized int size() {
        return interest.size();
    }

    @Override
    public boolean pollable() {
        return true;
    }

    @Override
    public long read(java.nio.ByteBuffer dst, Waiter waiter, boolean block) {
        return -Errno.EINVAL;
    }

    @Override
    public FileStat stat() {
        return FileStat.synthetic(0600, 0, ino, uid, gid);
    }
}
