package hv.hosts.debug;

import hv.cpu.Breakpoints;
import hv.cpu.Hart;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One gdb connection: the remote protocol's commands (GDB manual, appendix E "Remote Serial
 * Protocol": E.2 standard packets, E.3 stop replies, E.4 general queries) in all-stop mode, each
 * hart a thread (thread id = hart id + 1; 0 and -1 mean "any" and "all"). Runs on the stub's
 * thread until gdb detaches, kills the VM, or the connection ends; on every way out the harts run on.
 *
 * <p>Whatever gdb sends, the answer is a reply (an {@code E} error for a malformed or impossible
 * request, an empty packet for an unknown one) and never an exception at the VM.
 */
final class GdbSession {
    private static final System.Logger LOG = System.getLogger("hv.gdb");
    /** SIGTRAP (breakpoint, step) and SIGINT (Ctrl-C) in gdb's signal numbering. */
    private static final int SIGTRAP = 5, SIGINT = 2;

    private final RspChannel channel;
    private final HartControl harts;
    private final GuestMemoryAccess memory;
    private final Breakpoints breakpoints;
    private final RiscvRegisters registers;
    private final Runnable killVm;
    private final BlockingQueue<SessionEvent> events = new LinkedBlockingQueue<>();

    /** Hart for register and memory access (Hg), for old-style c/s (Hc, -1: all), and the last to stop. */
    private int gHart, cHart = -1, stoppedHart;
    /** Whether gdb resumed the harts and waits for a stop reply. */
    private boolean running;
    /** gdb asked to kill the VM: the session ends and the harts are not released. */
    private boolean killed;
    /** The last stop reply (the answer to '?'), or null before the first stop. */
    private String lastStop;

    GdbSession(RspChannel channel, HartControl harts, GuestMemoryAccess memory, Breakpoints breakpoints,
               RiscvRegisters registers, Runnable killVm) {
        this.channel = channel;
        this.harts = harts;
        this.memory = memory;
        this.breakpoints = breakpoints;
        this.registers = registers;
        this.killVm = killVm;
    }

    /** Where the stub posts the VM's end while this session runs. */
    BlockingQueue<SessionEvent> events() {
        return events;
    }

    /** Serves the connection until it ends; the harts run on afterwards (unless gdb killed the VM). */
    void run() {
        harts.reportTo(events);
        channel.startReader(events, "hv-gdb-reader");
        harts.stopAll(); // as QEMU: an attached debugger finds the machine stopped
        boolean release = true;
        try {
            for (;;) {
                SessionEvent e = events.take();
                switch (e) {
                    case SessionEvent.Packet p -> {
                        if (running) {
                            continue; // all-stop: gdb sends nothing but Ctrl-C while the harts run; ignore it
                        }
                        if (!handle(p.text())) {
                            release = !killed;
                            return;
                        }
                    }
                    case SessionEvent.Interrupt i -> {
                        if (running) {
                            stopped(stoppedHart, SIGINT);
                        }
                    }
                    case SessionEvent.HartStopped h -> {
                        if (running && h.round() == harts.round()) {
                            stopped(h.hartId(), SIGTRAP);
                        }
                    }
                    case SessionEvent.VmEnded v -> {
                        channel.send(String.format("W%02x", v.exitCode() & 0xff));
                        release = false;
                        return;
                    }
                    case SessionEvent.Disconnected d -> {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            harts.reportTo(null);
            if (release) {
                breakpoints.clear();
                harts.release();
            }
            channel.close();
        }
    }

    /** All-stop: one hart stopped (or Ctrl-C): pause the rest, then tell gdb. */
    private void stopped(int hart, int signal) {
        harts.stopAll();
        running = false;
        stoppedHart = hart;
        gHart = hart;
        lastStop = stopReply(signal);
        if (signal == SIGTRAP) {
            Breakpoints.Watch w = harts.vcpu(hart).hart().watchpointHit();
            if (w != null) { // E.3: watch/rwatch/awatch:addr; gdb finds its watchpoint by the address
                String kind = w.kind() == Breakpoints.WRITE ? "watch" : w.kind() == Breakpoints.READ ? "rwatch" : "awatch";
                lastStop += kind + ":" + Long.toHexString(w.address()) + ";";
            }
        }
        channel.send(lastStop);
    }

    private String stopReply(int signal) {
        return String.format("T%02xthread:%x;", signal, stoppedHart + 1);
    }

    /** Handles one packet while the harts are stopped; false ends the session (detach, kill). */
    private boolean handle(String cmd) {
        String reply;
        try {
            reply = dispatch(cmd);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            reply = "E01"; // malformed: numbers, hex, missing fields
        }
        if (reply != null) { // null: resumed (the stop reply comes later) or killed (k has no reply)
            channel.send(reply);
        }
        if (cmd.equals("QStartNoAckMode")) {
            channel.disableAcks(); // after the OK, which gdb still acknowledges
        }
        return !killed && !cmd.startsWith("D");
    }

    /** The reply to {@code cmd}; null when the harts were resumed (no reply yet) or the VM killed. */
    private String dispatch(String cmd) {
        if (cmd.isEmpty()) {
            return "";
        }
        return switch (cmd.charAt(0)) {
            case '?' -> lastStop != null ? lastStop : stopReply(SIGTRAP);
            case 'q' -> query(cmd);
            case 'Q' -> cmd.equals("QStartNoAckMode") ? "OK" : "";
            case 'H' -> selectThread(cmd);
            case 'T' -> hartOf(Hex.number(cmd.substring(1))) >= 0 ? "OK" : "E01";
            case 'g' -> readAll();
            case 'G' -> writeAll(cmd.substring(1));
            case 'p' -> readRegister(cmd.substring(1));
            case 'P' -> writeRegister(cmd.substring(1));
            case 'm' -> readMemory(cmd.substring(1));
            case 'M' -> writeMemory(cmd.substring(1), false);
            case 'X' -> writeMemory(cmd.substring(1), true);
            case 'c', 'C' -> oldResume(cmd, HartControl.Action.CONTINUE);
            case 's', 'S' -> oldResume(cmd, HartControl.Action.STEP);
            case 'v' -> vPacket(cmd);
            case 'Z', 'z' -> breakpoint(cmd);
            case 'k' -> {
                kill();
                yield null;
            }
            case 'D' -> "OK";
            default -> "";
        };
    }

    private void kill() {
        killed = true;
        LOG.log(System.Logger.Level.INFO, "gdb: kill request: ending the VM");
        killVm.run();
    }

    // ---------------------------------------------------------------- queries

    private String query(String cmd) {
        if (cmd.startsWith("qSupported")) {
            return "PacketSize=" + Integer.toHexString(RspChannel.PACKET_SIZE)
                    + ";qXfer:features:read+;QStartNoAckMode+;vContSupported+";
        }
        if (cmd.startsWith("qXfer:features:read:")) {
            return featuresRead(cmd.substring("qXfer:features:read:".length()));
        }
        if (cmd.equals("qAttached")) {
            return "1"; // attached to an existing process: detach, not kill, when gdb quits
        }
        if (cmd.equals("qC")) {
            return "QC" + Integer.toHexString(stoppedHart + 1);
        }
        if (cmd.equals("qfThreadInfo")) {
            StringBuilder sb = new StringBuilder("m");
            for (int i = 0; i < harts.count(); i++) {
                sb.append(i == 0 ? "" : ",").append(Integer.toHexString(i + 1));
            }
            return sb.toString();
        }
        if (cmd.equals("qsThreadInfo")) {
            return "l";
        }
        if (cmd.startsWith("qThreadExtraInfo,")) {
            int h = hartOf(Hex.number(cmd.substring("qThreadExtraInfo,".length())));
            if (h < 0) {
                return "E01";
            }
            return Hex.encode("hart " + h + " (" + harts.vcpu(h).state().name().toLowerCase() + ")");
        }
        return "";
    }

    /** qXfer:features:read:annex:offset,length (E.4): m = more follows, l = last part. */
    private String featuresRead(String args) {
        int colon = args.indexOf(':');
        String annex = args.substring(0, colon);
        if (!annex.equals("target.xml")) {
            return "E00";
        }
        String[] ol = args.substring(colon + 1).split(",");
        long offset = Hex.number(ol[0]);
        long length = Math.min(Hex.number(ol[1]), RspChannel.PACKET_SIZE - 16);
        String xml = registers.targetXml();
        if (offset >= xml.length()) {
            return "l";
        }
        int end = (int) Math.min(xml.length(), offset + length);
        return (end < xml.length() ? "m" : "l") + xml.substring((int) offset, end);
    }

    // ---------------------------------------------------------------- threads

    /** The hart of a thread id, or -1 if none (0, "any", is the current one). */
    private int hartOf(long thread) {
        if (thread == 0) {
            return gHart;
        }
        long h = thread - 1;
        return h >= 0 && h < harts.count() ? (int) h : -1;
    }

    private String selectThread(String cmd) {
        char op = cmd.charAt(1);
        String id = cmd.substring(2);
        if (id.equals("-1")) {
            if (op == 'c') {
                cHart = -1;
                return "OK";
            }
            return op == 'g' ? "OK" : "E01"; // Hg-1: registers of "all" threads mean the current one
        }
        int h = hartOf(Hex.number(id));
        if (h < 0) {
            return "E01";
        }
        if (op == 'g') {
            gHart = h;
        } else if (op == 'c') {
            cHart = Hex.number(id) == 0 ? -1 : h;
        } else {
            return "";
        }
        return "OK";
    }

    private Hart hart() {
        return harts.vcpu(gHart).hart();
    }

    // ---------------------------------------------------------------- registers

    private String readAll() {
        Hart h = hart();
        StringBuilder sb = new StringBuilder(RiscvRegisters.G_PACKET_REGS * 16);
        for (int n = 0; n < RiscvRegisters.G_PACKET_REGS; n++) {
            Hex.appendLittleEndian(sb, RiscvRegisters.read(h, n), 8);
        }
        return sb.toString();
    }

    private String writeAll(String hex) {
        int regs = Math.min(hex.length() / 16, RiscvRegisters.G_PACKET_REGS);
        long[] values = new long[regs];
        for (int n = 0; n < regs; n++) {
            values[n] = Hex.littleEndian(hex, n * 16, 8); // parse all first: a bad packet changes nothing
        }
        Hart h = hart();
        for (int n = 0; n < regs; n++) {
            RiscvRegisters.write(h, n, values[n]);
        }
        return "OK";
    }

    private String readRegister(String arg) {
        int n = (int) Hex.number(arg);
        int size = registers.size(n);
        if (size == 0) {
            return "E45";
        }
        StringBuilder sb = new StringBuilder(16);
        Hex.appendLittleEndian(sb, RiscvRegisters.read(hart(), n), size);
        return sb.toString();
    }

    private String writeRegister(String arg) {
        int eq = arg.indexOf('=');
        int n = (int) Hex.number(arg.substring(0, eq));
        int size = registers.size(n);
        String hex = arg.substring(eq + 1);
        if (size == 0 || hex.length() != 2 * size) {
            return "E45";
        }
        return RiscvRegisters.write(hart(), n, Hex.littleEndian(hex, 0, size)) ? "OK" : "E45";
    }

    // ---------------------------------------------------------------- memory

    private String readMemory(String arg) {
        String[] al = arg.split(",");
        long addr = Hex.number(al[0]);
        int len = (int) Math.min(Hex.number(al[1]), RspChannel.PACKET_SIZE / 2);
        if (len == 0) {
            return "";
        }
        byte[] data = memory.read(hart(), addr, len);
        return data.length == 0 ? "E14" : Hex.encode(data); // E14: EFAULT, as gdbserver answers
    }

    private String writeMemory(String arg, boolean binary) {
        int colon = arg.indexOf(':');
        String[] al = arg.substring(0, colon).split(",");
        long addr = Hex.number(al[0]);
        long len = Hex.number(al[1]);
        String body = arg.substring(colon + 1);
        byte[] data = binary ? body.getBytes(StandardCharsets.ISO_8859_1) : Hex.decode(body);
        if (data.length != len) {
            return "E01";
        }
        return memory.write(hart(), addr, data) ? "OK" : "E14";
    }

    // ---------------------------------------------------------------- breakpoints

    /**
     * Z/z type,addr,kind (E.2): 0 software and 1 hardware breakpoints share the machine's set (kind,
     * the instruction length, does not matter: nothing is patched); 2 write, 3 read and 4 access
     * watchpoints of kind bytes at addr.
     */
    private String breakpoint(String cmd) {
        String[] f = cmd.substring(1).split("[,;]");
        int type = (int) Hex.number(f[0]);
        long addr = Hex.number(f[1]);
        boolean insert = cmd.charAt(0) == 'Z';
        switch (type) {
            case 0, 1 -> {
                if (insert) {
                    breakpoints.add(addr);
                } else {
                    breakpoints.remove(addr);
                }
            }
            case 2, 3, 4 -> {
                long length = Hex.number(f[2]);
                int kind = type == 2 ? Breakpoints.WRITE : type == 3 ? Breakpoints.READ : Breakpoints.ACCESS;
                if (length <= 0 || length > 1 << 20) {
                    return "E22";
                }
                if (insert) {
                    breakpoints.addWatch(addr, length, kind);
                } else {
                    breakpoints.removeWatch(addr, length, kind);
                }
            }
            default -> {
                return "";
            }
        }
        return "OK";
    }

    // ---------------------------------------------------------------- resuming

    /** c/C/s/S [addr]: the Hc hart (or the one that stopped), s steps only it; c continues all. */
    private String oldResume(String cmd, HartControl.Action action) {
        String arg = cmd.substring(1);
        if (cmd.charAt(0) == 'C' || cmd.charAt(0) == 'S') { // Csig[;addr]: the signal is ignored (no signals here)
            int semi = arg.indexOf(';');
            arg = semi < 0 ? "" : arg.substring(semi + 1);
        }
        int target = cHart >= 0 ? cHart : gHart;
        if (!arg.isEmpty()) {
            harts.vcpu(target).hart().pc = Hex.number(arg) & ~1L;
        }
        HartControl.Action[] actions = new HartControl.Action[harts.count()];
        Arrays.fill(actions, action == HartControl.Action.STEP ? HartControl.Action.STAY : HartControl.Action.CONTINUE);
        actions[target] = action;
        resume(actions);
        return null;
    }

    private String vPacket(String cmd) {
        if (cmd.equals("vCont?")) {
            return "vCont;c;C;s;S";
        }
        if (cmd.startsWith("vCont;")) {
            return vCont(cmd.substring("vCont;".length()));
        }
        if (cmd.startsWith("vKill")) {
            kill();
            return "OK";
        }
        return ""; // vMustReplyEmpty and everything else we do not support
    }

    /** vCont;action[:thread];...: the first action naming a hart (or naming none) applies to it (E.2). */
    private String vCont(String args) {
        HartControl.Action[] actions = new HartControl.Action[harts.count()];
        for (String part : args.split(";")) {
            int colon = part.indexOf(':');
            String act = colon < 0 ? part : part.substring(0, colon);
            HartControl.Action a = switch (act.isEmpty() ? ' ' : act.charAt(0)) {
                case 'c', 'C' -> HartControl.Action.CONTINUE;
                case 's', 'S' -> HartControl.Action.STEP;
                default -> null;
            };
            if (a == null) {
                return "E01"; // t (stop), r (range step): not in all-stop here
            }
            if (colon < 0) {
                for (int i = 0; i < actions.length; i++) {
                    if (actions[i] == null) {
                        actions[i] = a;
                    }
                }
            } else {
                String id = part.substring(colon + 1);
                int h = id.equals("-1") ? -1 : hartOf(Hex.number(id));
                if (id.equals("-1")) {
                    for (int i = 0; i < actions.length; i++) {
                        if (actions[i] == null) {
                            actions[i] = a;
                        }
                    }
                } else if (h >= 0 && actions[h] == null) {
                    actions[h] = a;
                }
            }
        }
        for (int i = 0; i < actions.length; i++) {
            if (actions[i] == null) {
                actions[i] = HartControl.Action.STAY;
            }
        }
        resume(actions);
        return null;
    }

    private void resume(HartControl.Action[] actions) {
        running = true;
        harts.resume(actions);
    }
}
