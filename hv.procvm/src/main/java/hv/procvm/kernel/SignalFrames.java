package hv.procvm.kernel;

import hv.procvm.mem.AddressSpace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Signal frames on the guest stack, laid out as Linux riscv64 does (arch/riscv/kernel/signal.c,
 * struct rt_sigframe = siginfo (128 bytes) + ucontext (uapi asm/ucontext.h: flags, link, stack_t,
 * sigmask, padding to 128 bytes, then the sigcontext: pc and x1..x31, f0..f31 and fcsr)), so a
 * SA_SIGINFO handler can read the interrupted context. The handler returns to HV's sigreturn
 * trampoline (there is no vDSO), whose rt_sigreturn restores the context from the frame.
 */
final class SignalFrames {
    /** The trampoline page: the last page of the Sv39 user half, above the stack. */
    static final long TRAMPOLINE = AddressSpace.USER_END - AddressSpace.PAGE;
    /** addi a7, zero, 139 (rt_sigreturn); ecall. */
    static final int[] TRAMPOLINE_CODE = {0x08b00893, 0x00000073};

    static final int SIGINFO_SIZE = 128;
    static final int UC_SIGMASK = 40;
    static final int UC_MCONTEXT = 176;
    static final int UC_SIZE = 960;
    static final int FRAME_SIZE = SIGINFO_SIZE + UC_SIZE;
    static final int SS_ONSTACK = 1, SS_DISABLE = 2;

    private SignalFrames() {
    }

    static void push(GuestThread t, int sig, SigAction a, SigInfo info, long savedMask) {
        long[] x = t.cpu.x();
        long sp = x[2];
        boolean onAlt = t.altStackFlags != SS_DISABLE && sp > t.altStackSp && sp <= t.altStackSp + t.altStackSize;
        if ((a.flags() & Signals.SA_ONSTACK) != 0 && t.altStackFlags != SS_DISABLE && !onAlt) {
            sp = t.altStackSp + t.altStackSize;
        }
        long frame = (sp - FRAME_SIZE) & -16L;
        ByteBuffer b = ByteBuffer.allocate(FRAME_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, info.encode());
        int uc = SIGINFO_SIZE;
        b.putLong(uc + 16, t.altStackSp);
        b.putInt(uc + 24, onAlt ? SS_ONSTACK : t.altStackFlags);
        b.putLong(uc + 32, t.altStackSize);
        b.putLong(uc + UC_SIGMASK, savedMask);
        int regs = uc + UC_MCONTEXT;
        b.putLong(regs, t.cpu.pc());
        for (int i = 1; i < 32; i++) {
            b.putLong(regs + 8 * i, x[i]);
        }
        int fp = regs + 256;
        long[] f = t.cpu.f();
        for (int i = 0; i < 32; i++) {
            b.putLong(fp + 8 * i, f[i]);
        }
        b.putInt(fp + 256, (int) t.cpu.fcsr());
        t.process.as.writeBytes(frame, b.array(), 0, FRAME_SIZE);

        long newBlocked = t.blocked | a.mask();
        if ((a.flags() & Signals.SA_NODEFER) == 0) {
            newBlocked |= Signals.bit(sig);
        }
        t.blocked = newBlocked & ~Signals.UNBLOCKABLE;
        if ((a.flags() & Signals.SA_RESETHAND) != 0) {
            t.process.setAction(sig, SigAction.DEFAULT);
        }
        x[1] = TRAMPOLINE;
        x[2] = frame;
        x[10] = sig;
        x[11] = frame;
        x[12] = frame + SIGINFO_SIZE;
        t.cpu.setPc(a.handler());
    }

    /** rt_sigreturn: restores the context saved by {@link #push}; sp points at the frame. */
    static void restore(GuestThread t) {
        long[] x = t.cpu.x();
        long frame = x[2];
        byte[] raw = t.process.as.readBytes(frame, FRAME_SIZE);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int uc = SIGINFO_SIZE;
        t.blocked = b.getLong(uc + UC_SIGMASK) & ~Signals.UNBLOCKABLE;
        int regs = uc + UC_MCONTEXT;
        t.cpu.setPc(b.getLong(regs));
        for (int i = 1; i < 32; i++) {
            x[i] = b.getLong(regs + 8 * i);
        }
        int fp = regs + 256;
        long[] f = t.cpu.f();
        for (int i = 0; i < 32; i++) {
            f[i] = b.getLong(fp + 8 * i);
        }
        t.cpu.setFcsr(b.getInt(fp + 256) & 0xff);
    }
}
