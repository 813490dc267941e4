package hv.procvm.kernel;

import hv.procvm.fs.Errno;
import hv.procvm.mem.AddressSpace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * futex(2) over guest memory: wait queues keyed by the physical address of the futex word, so
 * threads of one process and processes sharing a MAP_SHARED page meet on the same queue. The
 * compare-and-block of FUTEX_WAIT happens under this table's lock, which every waker also takes,
 * so a wake between the guest's store and the waiter's sleep cannot be lost.
 */
final class Futexes {
    static final int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5,
            FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
    static final int FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
    static final int BITSET_ALL = -1;

    private static final class Node {
        final int bitset;
        boolean woken;

        Node(int bitset) {
            this.bitset = bitset;
        }
    }

    private final Map<Long, List<Node>> queues = new HashMap<>();

    /** FUTEX_WAIT: blocks while *uaddr == val. Returns 0, -EAGAIN, -ETIMEDOUT or -EINTR. */
    long wait(GuestThread t, AddressSpace as, long uaddr, int val, long timeoutNanos, int bitset) {
        if ((uaddr & 3) != 0) {
            return -Errno.EINVAL;
        }
        if (bitset == 0) {
            return -Errno.EINVAL;
        }
        long key = as.physicalAddress(uaddr, false);
        Node node = new Node(bitset);
        synchronized (this) {
            if (as.readInt(uaddr) != val) {
                return -Errno.EAGAIN;
            }
            List<Node> q = queues.computeIfAbsent(key, k -> new ArrayList<>());
            q.add(node);
            long deadline = timeoutNanos < 0 ? 0 : System.nanoTime() + timeoutNanos;
            while (!node.woken) {
                long left = timeoutNanos < 0 ? -1 : deadline - System.nanoTime();
                if (timeoutNanos >= 0 && left <= 0) {
                    remove(key, node);
                    return -Errno.ETIMEDOUT;
                }
                if (!t.await(this, () -> node.woken, left)) {
                    if (node.woken) {
                        return 0;
                    }
                    remove(key, node);
                    return -Errno.EINTR;
                }
            }
            return 0;
        }
    }

    private void remove(long key, Node node) {
        List<Node> q = queues.get(key);
        if (q != null) {
            q.remove(node);
            if (q.isEmpty()) {
                queues.remove(key);
            }
        }
    }

    /** FUTEX_WAKE: wakes up to n waiters whose bitset intersects; returns how many. */
    long wake(AddressSpace as, long uaddr, int n, int bitset) {
        if ((uaddr & 3) != 0) {
            return -Errno.EINVAL;
        }
        long key = as.physicalAddress(uaddr, false);
        synchronized (this) {
            return wakeKey(key, n, bitset);
        }
    }

    private int wakeKey(long key, int n, int bitset) {
        List<Node> q = queues.get(key);
        int woken = 0;
        if (q != null) {
            for (Iterator<Node> it = q.iterator(); it.hasNext() && woken < n;) {
                Node node = it.next();
                if ((node.bitset & bitset) != 0) {
                    node.woken = true;
                    it.remove();
                    woken++;
                }
            }
            if (q.isEmpty()) {
                queues.remove(key);
            }
        }
        if (woken > 0) {
            notifyAll();
        }
        return woken;
    }

    /** FUTEX_REQUEUE / FUTEX_CMP_REQUEUE: wakes n, moves up to n2 more to uaddr2. */
    long requeue(AddressSpace as, long uaddr, int n, long uaddr2, int n2, boolean compare, int cmpVal) {
        long key = as.physicalAddress(uaddr, false);
        long key2 = as.physicalAddress(uaddr2, false);
        synchronized (this) {
            if (compare && as.readInt(uaddr) != cmpVal) {
                return -Errno.EAGAIN;
            }
            int woken = wakeKey(key, n, BITSET_ALL);
            List<Node> q = queues.get(key);
            int moved = 0;
            if (q != null && key != key2) {
                List<Node> target = queues.computeIfAbsent(key2, k -> new ArrayList<>());
                for (Iterator<Node> it = q.iterator(); it.hasNext() && moved < n2;) {
                    target.add(it.next());
                    it.remove();
                    moved++;
                }
                if (q.isEmpty()) {
                    queues.remove(key);
                }
            }
            return woken + moved;
        }
    }

    /** FUTEX_WAKE_OP (linux/futex.h encoding): *uaddr2 = op(*uaddr2, oparg); wake uaddr; maybe wake uaddr2. */
    long wakeOp(AddressSpace as, long uaddr, int n, long uaddr2, int n2, int encoded) {
        long key = as.physicalAddress(uaddr, false);
        long key2 = as.physicalAddress(uaddr2, true);
        int op = (encoded >>> 28) & 0xf;
        int cmp = (encoded >>> 24) & 0xf;
        int oparg = (encoded << 8) >> 20;
        int cmparg = (encoded << 20) >> 20;
        if ((op & 8) != 0) {
            op &= 7;
            oparg = 1 << (oparg & 31);
        }
        synchronized (this) {
            int old = as.readInt(uaddr2);
            int nv = switch (op) {
                case 0 -> oparg;
                case 1 -> old + oparg;
                case 2 -> old | oparg;
                case 3 -> old & ~oparg;
                case 4 -> old ^ oparg;
                default -> old;
            };
            as.writeInt(uaddr2, nv);
            int woken = wakeKey(key, n, BITSET_ALL);
            boolean hit = switch (cmp) {
                case 0 -> old == cmparg;
                case 1 -> old != cmparg;
                case 2 -> old < cmparg;
                case 3 -> old <= cmparg;
                case 4 -> old > cmparg;
                case 5 -> old >= cmparg;
                default -> false;
            };
            if (hit) {
                woken += wakeKey(key2, n2, BITSET_ALL);
            }
            return woken;
        }
    }
}
