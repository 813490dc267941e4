package hv.hosts.debug;

/** What a debug session's thread waits for: input from gdb, a hart stopping, the VM ending. */
sealed interface SessionEvent {
    /** A packet's payload (checksum verified, escapes undone). */
    record Packet(byte[] payload) implements SessionEvent {
        String text() {
            return new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /** gdb sent the interrupt byte 0x03 (the user pressed Ctrl-C). */
    record Interrupt() implements SessionEvent { }

    /** The connection ended (closed, reset, or dropped for garbage). */
    record Disconnected() implements SessionEvent { }

    /** A hart stopped for the debugger (breakpoint or step), in resume round {@code round}. */
    record HartStopped(int hartId, long round) implements SessionEvent { }

    /** The VM ended with this exit code while the session was open. */
    record VmEnded(int exitCode) implements SessionEvent { }
}
