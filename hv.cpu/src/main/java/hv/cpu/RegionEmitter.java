package hv.cpu;

import static hv.cpu.Op.*;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;

import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates a {@link RegionScanner.Region} to the class file of a {@link CompiledRegion} subclass
 * (java.lang.classfile). Shape of the generated {@code run} method:
 *
 * <ul>
 * <li>Prologue: every guest register the region touches is loaded from {@code Hart.x} into a JVM
 *     local (x0 is the constant 0), so HotSpot keeps guest registers in host registers.</li>
 * <li>Body: the instructions in page order; branches and jumps to instructions of the region are
 *     JVM gotos, so a guest loop runs inside one compiled method. Loads and stores call the small
 *     {@link RegionRuntime} helpers (TLB fast path, then the MMU).</li>
 * <li>Instruction counting: {@code n} is advanced by a constant at the end of each straight-line
 *     piece (before every branch, before every join point), never per instruction. A backward
 *     branch inside the region first checks {@code n >= limit} and {@code Hart.attention} and exits
 *     with the branch target as pc when either says so: every cycle of the region's control flow
 *     contains a backward branch, so a region never runs unboundedly past its budget or a request.</li>
 * <li>Exits (branch leaving the region or page, jalr, an instruction not translated, budget) store
 *     the next pc in a local and jump to one shared exit block that writes back the registers the
 *     region writes, sets {@code Hart.pc}, counts the exit kind and returns {@code n}.</li>
 * <li>A region may cover part of the next or previous virtual page ({@link RegionScanner}): every
 *     edge from the region's own page into the neighbour first checks, once per run, that the hart's
 *     fetch translation of that virtual page leads to a decoded page with the same bytes the region
 *     was translated from ({@link Hart#crossInto}: jump cache or MMU, which also revalidates after
 *     FENCE.I); if not (remapped, rewritten, not executable, unmapped) the region exits there with
 *     the target as pc and the interpreter fetches it (a fetch fault is then taken exactly as it
 *     would be without the JIT). Nothing inside a region changes the mapping or the page's bytes
 *     as seen by fetch (satp writes, SFENCE.VMA and FENCE.I end regions), so one check per run
 *     suffices.</li>
 * <li>Precise traps: before each instruction that can throw (loads/stores), one int local gets its
 *     index (vidx + 2048) and the number of instructions retired since the last update of {@code n}; one
 *     exception handler covering the body turns that into {@code Hart.pc} and
 *     {@code Hart.jitFaultCount}, writes the registers back and rethrows. The hot path pays one
 *     constant store per memory access, which HotSpot only materialises on the exception edge.</li>
 * </ul>
 */
final class RegionEmitter {
    private RegionEmitter() {
    }

    /** Exit kinds, counted per hart in {@code Hart.jitExits}. */
    static final int EXIT_BRANCH = 0, EXIT_JALR = 1, EXIT_BACKEDGE = 2, EXIT_END = 3, EXIT_FAULT = 4, EXIT_CSR = 5,
            EXIT_CROSS = 6, EXIT_KINDS = 7;
    /** (cross: the neighbouring page was not the one the region was translated from, or not executable) */
    static final String[] EXIT_NAMES = {"branch", "jalr", "budget", "end", "fault", "csr", "cross"};

    private static final ClassDesc CD_HART = ClassDesc.of("hv.cpu.Hart");
    private static final ClassDesc CD_REGION = ClassDesc.of("hv.cpu.CompiledRegion");
    private static final ClassDesc CD_RUNTIME = ClassDesc.of("hv.cpu.RegionRuntime");
    private static final ClassDesc CD_INT_MATH = ClassDesc.of("hv.cpu.IntMath");
    private static final ClassDesc CD_FPU = ClassDesc.of("hv.cpu.Fpu");
    private static final ClassDesc CD_EXT = ClassDesc.of("hv.cpu.Ext");
    private static final MethodTypeDesc FPU_EXECUTE = MethodTypeDesc.of(CD_void, ClassDesc.of("hv.cpu.Hart"), CD_long);
    private static final ClassDesc CD_FAULT = ClassDesc.of("hv.memory.MemoryFault");
    private static final ClassDesc CD_MATH = ClassDesc.of("java.lang.Math");
    private static final ClassDesc CD_LONG = ClassDesc.of("java.lang.Long");
    private static final ClassDesc CD_INTEGER = ClassDesc.of("java.lang.Integer");
    private static final ClassDesc CD_LONG_ARRAY = CD_long.arrayType();
    static final MethodTypeDesc RUN_TYPE = MethodTypeDesc.of(CD_long, CD_HART, CD_long, CD_long, CD_long);
    private static final MethodTypeDesc LOAD = MethodTypeDesc.of(CD_long, CD_HART, CD_long);
    private static final MethodTypeDesc STORE = MethodTypeDesc.of(CD_void, CD_HART, CD_long, CD_long);
    private static final MethodTypeDesc CSR_ACCESS = MethodTypeDesc.of(CD_long, CD_HART, CD_long, CD_long, CD_long);
    private static final MethodTypeDesc CROSS_INTO = MethodTypeDesc.of(CD_int, CD_HART, CD_long, ConstantDescs.CD_byte.arrayType());
    private static final MethodTypeDesc FP_ACCESS = MethodTypeDesc.of(CD_void, CD_HART, CD_long, CD_int);
    private static final MethodTypeDesc J_JJ = MethodTypeDesc.of(CD_long, CD_long, CD_long);
    private static final MethodTypeDesc J_J = MethodTypeDesc.of(CD_long, CD_long);
    private static final MethodTypeDesc J_JI = MethodTypeDesc.of(CD_long, CD_long, CD_int);
    private static final MethodTypeDesc I_J = MethodTypeDesc.of(CD_int, CD_long);
    private static final MethodTypeDesc I_I = MethodTypeDesc.of(CD_int, CD_int);
    private static final MethodTypeDesc I_II = MethodTypeDesc.of(CD_int, CD_int, CD_int);

    // local variable slots of run(Hart h, long vbase, long n, long limit)
    private static final int H = 1, VBASE = 2, N = 4, LIMIT = 6, X = 8, FPC = 9, NPC = 10, KIND = 12, EX = 13, LDT = 14,
            STT = 15, SEG = 16, VA = 17, TI = 19, REG = 20, CROSSED = REG + 62;

    /**
     * Loads/stores inline (TLB compare + segment access in the region) rather than as calls of the
     * small RegionRuntime helpers. Off by default: the segment access path is all @ForceInline, so
     * inline accesses make every region several times bigger for HotSpot's C1 and C2 (a Linux boot
     * spent 3x its interpreter CPU time in the JIT compilers), while C2 inlines a helper where it is hot.
     */
    static final boolean INLINE_MEMORY = Boolean.getBoolean("hv.jit.inlineMemory");
    private static final ClassDesc CD_SEGMENT = ClassDesc.of("java.lang.foreign.MemorySegment");
    private static final ClassDesc CD_OF_BYTE = ClassDesc.of("java.lang.foreign.ValueLayout$OfByte");
    private static final ClassDesc CD_OF_SHORT = ClassDesc.of("java.lang.foreign.ValueLayout$OfShort");
    private static final ClassDesc CD_OF_INT = ClassDesc.of("java.lang.foreign.ValueLayout$OfInt");
    private static final ClassDesc CD_OF_LONG = ClassDesc.of("java.lang.foreign.ValueLayout$OfLong");
    private static final ClassDesc CD_BYTE = ConstantDescs.CD_byte, CD_SHORT = ConstantDescs.CD_short;

    /**
     * Stack maps are generated (class file version 25 requires them); the few types whose hierarchy
     * that needs are resolved by loading them (they are all loaded already) and cached in a concurrent
     * map: every hart's Jit shares this immutable ClassFile.
     */
    private static final ClassFile CLASS_FILE = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
            ClassHierarchyResolver.ofClassLoading(RegionEmitter.class.getClassLoader())
                    .cached(java.util.concurrent.ConcurrentHashMap::new)));

    /** The class file for {@code region} (a hidden class in package hv.cpu, so it may use package members). */
    static byte[] emit(RegionScanner.Region region) {
        return emit(region, INLINE_MEMORY);
    }

    /** As {@link #emit(RegionScanner.Region)}, choosing inline loads/stores or helper calls. */
    static byte[] emit(RegionScanner.Region region, boolean inlineMemory) {
        return CLASS_FILE.build(ClassDesc.of("hv.cpu.Region"), clb -> {
            clb.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC);
            clb.withSuperclass(CD_REGION);
            clb.withMethodBody(ConstantDescs.INIT_NAME, ConstantDescs.MTD_void, 0,
                    cb -> cb.aload(0).invokespecial(CD_REGION, ConstantDescs.INIT_NAME, ConstantDescs.MTD_void).return_());
            clb.withMethodBody("run", RUN_TYPE, ClassFile.ACC_FINAL, cb -> new Body(cb, region, inlineMemory).emit());
        });
    }

    /** Bytes of the run() method's code in a class file made by {@link #emit}. */
    static int codeLength(byte[] classFile) {
        for (MethodModel m : ClassFile.of().parse(classFile).methods()) {
            if (m.methodName().equalsString("run")) {
                return m.findAttribute(Attributes.code()).orElseThrow().codeLength();
            }
        }
        throw new IllegalStateException("no run method");
    }

    /** Whether the op writes its rd field as an integer register. */
    static boolean writesIntRd(int op) {
        if (RegionScanner.isFpArithmetic(op)) {
            return RegionScanner.fpWritesInt(op);
        }
        return switch (op) {
            case NOP, C_NOP, J, BEQ, C_BEQ, BNE, C_BNE, BLT, BGE, BLTU, BGEU, SB, SH, SW, C_SW, SD, C_SD, FLW, FLD, C_FLD,
                    FSW, FSD, C_FSD -> false;
            default -> true;
        };
    }

    private static int slot(int r) {
        return REG + 2 * (r - 1);
    }

    /** Emission state for one run() method. */
    private static final class Body {
        private final CodeBuilder cb;
        private final RegionScanner.Region region;
        private final int[] indices;
        private final long[] entries;
        private final Label[] labels;
        private final boolean[] leader;
        private final boolean[] used = new boolean[32];
        private final boolean[] written = new boolean[32];
        private final Label exit;
        private final List<Runnable> stubs = new ArrayList<>();
        /** Instructions retired since n was last updated. */
        private int pending;
        /** Whether control can fall from the code emitted last into what is emitted next. */
        private boolean open;

        private final boolean inlineMemory;

        Body(CodeBuilder cb, RegionScanner.Region region, boolean inlineMemory) {
            this.inlineMemory = inlineMemory;
            this.cb = cb;
            this.region = region;
            this.indices = region.indices();
            this.entries = region.entries();
            int size = indices.length;
            this.labels = new Label[size];
            this.leader = new boolean[size];
            for (int p = 0; p < size; p++) {
                labels[p] = cb.newLabel();
            }
            this.exit = cb.newLabel();
            leader[region.position(region.start())] = true;
            for (int p = 0; p < size; p++) {
                long e = entries[p];
                int op = op(e);
                if (p > 0) {
                    long pe = entries[p - 1];
                    if (RegionScanner.isJump(op(pe)) || indices[p - 1] + halfwords(pe) != indices[p]
                            || needsCheck(indices[p - 1], indices[p])) {
                        leader[p] = true; // reached only by jumps, or through the crossing check
                    }
                } else {
                    leader[p] = true;
                }
                if (RegionScanner.isBranch(op) || op == JAL || op == J) {
                    int t = RegionScanner.targetIndex(indices[p], e);
                    int tp = t != RegionScanner.NONE ? region.position(t) : -1;
                    if (tp >= 0) {
                        leader[tp] = true;
                    }
                }
                markRegisters(op, e);
            }
        }

        private void markRegisters(int op, long e) {
            if (RegionScanner.isFpArithmetic(op)) {
                if (RegionScanner.fpReadsInt(op)) {
                    used[rs1(e)] = true;
                }
                int rd = rd(e);
                if (RegionScanner.fpWritesInt(op) && rd > 0 && rd < 32) {
                    used[rd] = true;
                    written[rd] = true;
                }
                used[0] = false;
                return;
            }
            boolean fpAccess = op == FLW || op == FLD || op == C_FLD || op == FSW || op == FSD || op == C_FSD;
            used[rs1(e)] = true;
            if (!fpAccess) {
                used[rs2(e)] = true;
            }
            if (writesIntRd(op)) {
                int rd = rd(e);
                if (rd > 0 && rd < 32) {
                    used[rd] = true;
                    written[rd] = true;
                }
            }
            used[0] = false;
        }

        void emit() {
            cb.aload(H).getfield(CD_HART, "x", CD_LONG_ARRAY).astore(X);
            for (int r = 1; r < 32; r++) {
                if (used[r]) {
                    cb.aload(X).loadConstant(r).laload().lstore(slot(r));
                }
            }
            cb.iconst_0().istore(FPC).lconst_0().lstore(NPC).iconst_0().istore(KIND);
            if (region.side() != 0) {
                cb.iconst_0().istore(CROSSED);
            }
            // The MMU's TLB arrays and RAM stay the same objects while a region runs: only CSR writes,
            // traps and xRET (which all end regions) switch them (Hart.refreshTlb).
            cb.aload(H).getfield(CD_HART, "ldTlb", CD_LONG_ARRAY).astore(LDT);
            cb.aload(H).getfield(CD_HART, "stTlb", CD_LONG_ARRAY).astore(STT);
            cb.aload(H).getfield(CD_HART, "seg", CD_SEGMENT).astore(SEG);
            Label bodyStart = cb.newBoundLabel();
            int startPos = region.position(region.start());
            if (startPos != 0) {
                cb.goto_(labels[startPos]);
            }
            open = false;
            for (int p = 0; p < indices.length; p++) {
                if (leader[p]) {
                    if (open) {
                        flush();
                    }
                    cb.labelBinding(labels[p]);
                    pending = 0;
                }
                instruction(p);
            }
            // (every instruction ends with a jump or falls into its successor, which is emitted with a
            // goto/exit when it is not the next one, so `open` is false here)
            for (int i = 0; i < stubs.size(); i++) { // out-of-line paths: TLB misses, exits of taken branches
                stubs.get(i).run();
            }
            Label bodyEnd = cb.newBoundLabel(); // the stubs call the MMU too: inside the handler's range
            // the shared exit
            cb.labelBinding(exit);
            writeBack();
            cb.aload(H).lload(NPC).putfield(CD_HART, "pc", CD_long);
            cb.aload(H).getfield(CD_HART, "jitExits", CD_LONG_ARRAY).iload(KIND).dup2().laload().lconst_1().ladd().lastore();
            cb.lload(N).lreturn();
            // the precise-trap handler
            Label handler = cb.newBoundLabel();
            cb.astore(EX);
            writeBack();
            cb.aload(H).lload(VBASE).iload(FPC).loadConstant(0xffff).iand().loadConstant(DecodeCache.ENTRIES).isub()
                    .iconst_1().ishl().i2l().ladd()
                    .putfield(CD_HART, "pc", CD_long);
            cb.aload(H).lload(N).iload(FPC).loadConstant(16).iushr().i2l().ladd().putfield(CD_HART, "jitFaultCount", CD_long);
            cb.aload(EX).athrow();
            cb.exceptionCatch(bodyStart, bodyEnd, handler, CD_FAULT);
        }

        private void writeBack() {
            for (int r = 1; r < 32; r++) {
                if (written[r]) {
                    cb.aload(X).loadConstant(r).lload(slot(r)).lastore();
                }
            }
        }

        private void flush() {
            if (pending > 0) {
                cb.lload(N).loadConstant((long) pending).ladd().lstore(N);
                pending = 0;
            }
        }

        private void reg(int r) {
            if (r == 0) {
                cb.lconst_0();
            } else {
                cb.lload(slot(r));
            }
        }

        private void setRd(int rd) {
            if (rd <= 0 || rd >= 32) {
                cb.pop2();
            } else {
                cb.lstore(slot(rd));
            }
        }

        /** Exit with pc = vbase + off. */
        private void exitTo(long off, int kind) {
            cb.lload(VBASE).loadConstant(off).ladd().lstore(NPC).loadConstant(kind).istore(KIND).goto_(exit);
        }

        /** After an instruction that does not transfer control: continue with the one at idx {@code next}. */
        private void continueTo(int p, int next) {
            if (p + 1 < indices.length && indices[p + 1] == next && !needsCheck(indices[p], next)) {
                open = true;
                return;
            }
            flush();
            int q = region.position(next);
            if (q >= 0) {
                edge(q, next, indices[p]); // forward (next > this index): no budget check needed
            } else {
                exitTo((long) next << 1, EXIT_END);
            }
            open = false;
        }

        /** Whether an edge from vidx {@code from} to {@code to} enters the neighbouring page (checked at run time). */
        private static boolean needsCheck(int from, int to) {
            return RegionScanner.side(from) == 0 && RegionScanner.side(to) != 0;
        }

        /**
         * Jump to region instruction tp (index t) from index idx, through the crossing check when it
         * enters the neighbouring page (once per run; on failure exit to t, nothing of t retired).
         */
        private void edge(int tp, int t, int idx) {
            if (!needsCheck(idx, t)) {
                jumpInside(tp, t, idx);
                return;
            }
            Label pass = cb.newLabel(), fail = cb.newLabel();
            cb.iload(CROSSED).ifne(pass);
            cb.aload(H).lload(VBASE).loadConstant((long) region.side() * DecodeCache.PAGE_BYTES).ladd()
                    .aload(0).getfield(CD_REGION, "second", ConstantDescs.CD_byte.arrayType())
                    .invokestatic(CD_RUNTIME, "crossInto", CROSS_INTO);
            cb.ifeq(fail);
            cb.iconst_1().istore(CROSSED);
            cb.labelBinding(pass);
            jumpInside(tp, t, idx);
            cb.labelBinding(fail);
            exitTo((long) t << 1, EXIT_CROSS);
        }

        /** Jump to region instruction tp (index t) from index idx: backward jumps check budget and requests. */
        private void jumpInside(int tp, int t, int idx) {
            if (t > idx) {
                cb.goto_(labels[tp]);
                return;
            }
            Label out = cb.newLabel();
            cb.lload(N).lload(LIMIT).lcmp().ifge(out);
            cb.aload(H).getfield(CD_HART, "attention", CD_int).ifne(out);
            cb.goto_(labels[tp]);
            cb.labelBinding(out);
            exitTo((long) t << 1, EXIT_BACKEDGE);
        }

        private void instruction(int p) {
            final int idx = indices[p];
            final long e = entries[p];
            final int op = op(e);
            final int rd = rd(e), rs1 = rs1(e), rs2 = rs2(e);
            final long imm = imm(e);
            final int next = idx + halfwords(e);
            final boolean sink = rd <= 0 || rd >= 32;
            switch (op) {
                case JAL, J -> {
                    if (op == JAL && !sink) {
                        cb.lload(VBASE).loadConstant(((long) idx << 1) + ((long) halfwords(e) << 1)).ladd().lstore(slot(rd));
                    }
                    pending++;
                    flush();
                    int t = RegionScanner.targetIndex(idx, e);
                    int tp = t != RegionScanner.NONE ? region.position(t) : -1;
                    if (tp >= 0) {
                        edge(tp, t, idx);
                    } else {
                        exitTo(((long) idx << 1) + imm, EXIT_BRANCH);
                    }
                    open = false;
                    return;
                }
                case JALR -> {
                    // target first: rd may be rs1 (unprivileged spec 2.5: the target uses the old rs1)
                    reg(rs1);
                    cb.loadConstant(imm).ladd().loadConstant(~1L).land().lstore(NPC);
                    if (!sink) {
                        cb.lload(VBASE).loadConstant(((long) idx << 1) + ((long) halfwords(e) << 1)).ladd().lstore(slot(rd));
                    }
                    pending++;
                    flush();
                    cb.loadConstant(EXIT_JALR).istore(KIND).goto_(exit);
                    open = false;
                    return;
                }
                case BEQ, C_BEQ, BNE, C_BNE, BLT, BGE, BLTU, BGEU -> {
                    pending++;
                    flush();
                    int t = RegionScanner.targetIndex(idx, e);
                    int tp = t != RegionScanner.NONE ? region.position(t) : -1;
                    Label taken;
                    if (tp >= 0 && t > idx && !needsCheck(idx, t)) {
                        taken = labels[tp];
                    } else {
                        Label stub = cb.newLabel();
                        taken = stub;
                        long off = ((long) idx << 1) + imm;
                        stubs.add(() -> {
                            cb.labelBinding(stub);
                            if (tp >= 0) {
                                edge(tp, t, idx);
                            } else {
                                exitTo(off, EXIT_BRANCH);
                            }
                        });
                    }
                    boolean unsigned = op == BLTU || op == BGEU;
                    reg(rs1);
                    if (unsigned) {
                        cb.loadConstant(Long.MIN_VALUE).ladd();
                    }
                    reg(rs2);
                    if (unsigned) {
                        cb.loadConstant(Long.MIN_VALUE).ladd();
                    }
                    cb.lcmp();
                    switch (op) {
                        case BEQ, C_BEQ -> cb.ifeq(taken);
                        case BNE, C_BNE -> cb.ifne(taken);
                        case BLT, BLTU -> cb.iflt(taken);
                        default -> cb.ifge(taken);
                    }
                    continueTo(p, next);
                    return;
                }
                case LB, LBU, LH, LHU, LW, C_LW, LWU, LD, C_LD -> {
                    faultPoint(idx);
                    if (inlineMemory) {
                        inlineLoad(op, rs1, imm, rd);
                        break;
                    }
                    cb.aload(H);
                    address(rs1, imm);
                    String name = loadHelper(op);
                    cb.invokestatic(CD_RUNTIME, name, LOAD);
                    setRd(rd);
                }
                case SB, SH, SW, C_SW, SD, C_SD -> {
                    faultPoint(idx);
                    if (inlineMemory) {
                        inlineStore(op, rs1, imm, rs2);
                        break;
                    }
                    cb.aload(H);
                    address(rs1, imm);
                    reg(rs2);
                    String name = storeHelper(op);
                    cb.invokestatic(CD_RUNTIME, name, STORE);
                }
                case FLW, FLD, C_FLD, FSW, FSD, C_FSD -> {
                    faultPoint(idx);
                    cb.aload(H);
                    address(rs1, imm);
                    boolean load = op == FLW || op == FLD || op == C_FLD;
                    cb.loadConstant(load ? rd : rs2);
                    String name = switch (op) {
                        case FLW -> "flw";
                        case FLD, C_FLD -> "fld";
                        case FSW -> "fsw";
                        default -> "fsd";
                    };
                    cb.invokestatic(CD_RUNTIME, name, FP_ACCESS);
                }
                case NOP, C_NOP -> {
                    // nothing but the count
                }
                case CSR -> {
                    csr(p, idx, e, rd, rs1, next);
                    return;
                }
                case ORC_B, LR_W, SC_W, AMO_W, LR_D, SC_D, AMO_D -> {
                    // Ext works on Hart.x (atomics also on the LR/SC reservation): hand it the sources,
                    // take back rd. Atomics can fault: a fault point.
                    faultPoint(idx);
                    for (int r : new int[] {rs1, rs2}) {
                        if (r > 0 && written[r]) {
                            cb.aload(X).loadConstant(r).lload(slot(r)).lastore();
                        }
                    }
                    cb.aload(H).loadConstant(e).invokestatic(CD_EXT, "execute", FPU_EXECUTE);
                    if (!sink) {
                        cb.aload(X).loadConstant(rd).laload().lstore(slot(rd));
                    }
                }
                case FADD_S, FSUB_S, FMUL_S, FDIV_S, FSQRT_S, FSGNJ_S, FSGNJN_S, FSGNJX_S, FMIN_S, FMAX_S, FCVT_W_S,
                        FCVT_WU_S, FCVT_L_S, FCVT_LU_S, FMV_X_W, FCLASS_S, FEQ_S, FLT_S, FLE_S, FCVT_S_W, FCVT_S_WU,
                        FCVT_S_L, FCVT_S_LU, FMV_W_X, FMADD_S, FMSUB_S, FNMSUB_S, FNMADD_S, FADD_D, FSUB_D, FMUL_D,
                        FDIV_D, FSQRT_D, FSGNJ_D, FSGNJN_D, FSGNJX_D, FMIN_D, FMAX_D, FCVT_W_D, FCVT_WU_D, FCVT_L_D,
                        FCVT_LU_D, FMV_X_D, FCLASS_D, FEQ_D, FLT_D, FLE_D, FCVT_D_W, FCVT_D_WU, FCVT_D_L, FCVT_D_LU,
                        FMV_D_X, FMADD_D, FMSUB_D, FNMSUB_D, FNMADD_D, FCVT_S_D, FCVT_D_S -> {
                    // Fpu works on Hart.x/f: hand it the integer source, take back the integer result.
                    // It throws illegal-instruction for FS=Off or a reserved rounding mode (a fault point).
                    faultPoint(idx);
                    if (RegionScanner.fpReadsInt(op) && rs1 > 0 && written[rs1]) {
                        cb.aload(X).loadConstant(rs1).lload(slot(rs1)).lastore();
                    }
                    cb.aload(H).loadConstant(e).invokestatic(CD_FPU, "execute", FPU_EXECUTE);
                    if (RegionScanner.fpWritesInt(op) && !sink) {
                        cb.aload(X).loadConstant(rd).laload().lstore(slot(rd));
                    }
                }
                default -> {
                    if (!sink) {
                        alu(op, idx, rs1, rs2, imm);
                        cb.lstore(slot(rd));
                    }
                }
            }
            pending++;
            continueTo(p, next);
        }

        /**
         * A CSR instruction ({@link RegionScanner#csrKind}): a helper call that may trap (a fault point,
         * like a load) with the source operand and the count of instructions retired before it (the
         * counters read it). After a checked write the helper may ask to end the region: then exit
         * to the next instruction (n already counts this one).
         */
        private void csr(int p, int idx, long e, int rd, int rs1, int next) {
            boolean checked = RegionScanner.csrKind(e) == RegionScanner.CSR_CHECKED;
            faultPoint(idx);
            cb.aload(H).loadConstant(e);
            if (rs3(e) >= 5) {
                cb.loadConstant((long) rs1); // CSRR*I: the uimm
            } else {
                reg(rs1);
            }
            cb.lload(N);
            if (pending > 0) {
                cb.loadConstant((long) pending).ladd();
            }
            cb.invokestatic(CD_RUNTIME, checked ? "csrChecked" : "csr", CSR_ACCESS);
            setRd(rd);
            pending++;
            if (checked) {
                flush();
                Label stub = cb.newLabel();
                cb.aload(H).getfield(CD_HART, "jitCsrExit", CD_int).ifne(stub);
                stubs.add(() -> {
                    cb.labelBinding(stub);
                    cb.aload(H).iconst_0().putfield(CD_HART, "jitCsrExit", CD_int);
                    exitTo((long) next << 1, EXIT_CSR);
                });
            }
            continueTo(p, next);
        }

        /**
         * The interpreter's TLB hit path (Hart.fast): the tag is the virtual page with the low address
         * bits that would make the access misaligned kept, so one compare checks page and alignment.
         * Leaves the TLB index in TI and the address in VA; jumps to {@code miss} on a miss.
         */
        private void tlbCheck(int table, int rs1, long imm, long tagMask, Label miss) {
            address(rs1, imm);
            cb.lstore(VA);
            cb.lload(VA).loadConstant(12).lushr().l2i().loadConstant(hv.memory.Mmu.TLB_INDEX_MASK).iand().iconst_1().ishl()
                    .istore(TI);
            cb.aload(table).iload(TI).laload().lload(VA).loadConstant(tagMask).land().lcmp().ifne(miss);
            // RAM offset = addend + va
            cb.aload(SEG);
        }

        private void ramOffset(int table) {
            cb.aload(table).iload(TI).iconst_1().iadd().laload().lload(VA).ladd();
        }

        private void inlineLoad(int op, int rs1, long imm, int rd) {
            Label miss = cb.newLabel(), done = cb.newLabel();
            long mask = switch (op) {
                case LB, LBU -> ~0xfffL;
                case LH, LHU -> ~0xffeL;
                case LW, C_LW, LWU -> ~0xffcL;
                default -> ~0xff8L;
            };
            tlbCheck(LDT, rs1, imm, mask, miss);
            switch (op) {
                case LB, LBU -> {
                    cb.getstatic(CD_RUNTIME, "BYTE", CD_OF_BYTE);
                    ramOffset(LDT);
                    cb.invokeinterface(CD_SEGMENT, "get", MethodTypeDesc.of(CD_BYTE, CD_OF_BYTE, CD_long));
                    if (op == LBU) {
                        cb.loadConstant(0xff).iand();
                    }
                    cb.i2l();
                }
                case LH, LHU -> {
                    cb.getstatic(CD_RUNTIME, "LE_SHORT", CD_OF_SHORT);
                    ramOffset(LDT);
                    cb.invokeinterface(CD_SEGMENT, "get", MethodTypeDesc.of(CD_SHORT, CD_OF_SHORT, CD_long));
                    if (op == LHU) {
                        cb.loadConstant(0xffff).iand();
                    }
                    cb.i2l();
                }
                case LW, C_LW, LWU -> {
                    cb.getstatic(CD_RUNTIME, "LE_INT", CD_OF_INT);
                    ramOffset(LDT);
                    cb.invokeinterface(CD_SEGMENT, "get", MethodTypeDesc.of(CD_int, CD_OF_INT, CD_long));
                    cb.i2l();
                    if (op == LWU) {
                        cb.loadConstant(0xffff_ffffL).land();
                    }
                }
                default -> {
                    cb.getstatic(CD_RUNTIME, "LE_LONG", CD_OF_LONG);
                    ramOffset(LDT);
                    cb.invokeinterface(CD_SEGMENT, "get", MethodTypeDesc.of(CD_long, CD_OF_LONG, CD_long));
                }
            }
            setRd(rd);
            cb.labelBinding(done);
            String name = loadHelper(op);
            stubs.add(() -> {
                cb.labelBinding(miss);
                cb.aload(H).lload(VA).invokestatic(CD_RUNTIME, name, LOAD);
                setRd(rd);
                cb.goto_(done);
            });
        }

        private void inlineStore(int op, int rs1, long imm, int rs2) {
            Label miss = cb.newLabel(), done = cb.newLabel();
            long mask = switch (op) {
                case SB -> ~0xfffL;
                case SH -> ~0xffeL;
                case SW, C_SW -> ~0xffcL;
                default -> ~0xff8L;
            };
            tlbCheck(STT, rs1, imm, mask, miss);
            switch (op) {
                case SB -> {
                    cb.getstatic(CD_RUNTIME, "BYTE", CD_OF_BYTE);
                    ramOffset(STT);
                    reg(rs2);
                    cb.l2i().i2b().invokeinterface(CD_SEGMENT, "set", MethodTypeDesc.of(CD_void, CD_OF_BYTE, CD_long, CD_BYTE));
                }
                case SH -> {
                    cb.getstatic(CD_RUNTIME, "LE_SHORT", CD_OF_SHORT);
                    ramOffset(STT);
                    reg(rs2);
                    cb.l2i().i2s().invokeinterface(CD_SEGMENT, "set", MethodTypeDesc.of(CD_void, CD_OF_SHORT, CD_long, CD_SHORT));
                }
                case SW, C_SW -> {
                    cb.getstatic(CD_RUNTIME, "LE_INT", CD_OF_INT);
                    ramOffset(STT);
                    reg(rs2);
                    cb.l2i().invokeinterface(CD_SEGMENT, "set", MethodTypeDesc.of(CD_void, CD_OF_INT, CD_long, CD_int));
                }
                default -> {
                    cb.getstatic(CD_RUNTIME, "LE_LONG", CD_OF_LONG);
                    ramOffset(STT);
                    reg(rs2);
                    cb.invokeinterface(CD_SEGMENT, "set", MethodTypeDesc.of(CD_void, CD_OF_LONG, CD_long, CD_long));
                }
            }
            cb.labelBinding(done);
            String name = storeHelper(op);
            stubs.add(() -> {
                cb.labelBinding(miss);
                cb.aload(H).lload(VA);
                reg(rs2);
                cb.invokestatic(CD_RUNTIME, name, STORE);
                cb.goto_(done);
            });
        }

        private void faultPoint(int idx) {
            cb.loadConstant((idx + DecodeCache.ENTRIES) | pending << 16).istore(FPC);
        }

        private void address(int rs1, long imm) {
            reg(rs1);
            if (imm != 0) {
                cb.loadConstant(imm).ladd();
            }
        }

        private void unsignedCompare(int a, long b, boolean bIsImm, int rs2) {
            reg(a);
            cb.loadConstant(Long.MIN_VALUE).ladd();
            if (bIsImm) {
                cb.loadConstant(b + Long.MIN_VALUE);
            } else {
                reg(rs2);
                cb.loadConstant(Long.MIN_VALUE).ladd();
            }
            cb.lcmp().loadConstant(31).iushr().i2l(); // lcmp is -1 exactly when a < b
        }

        /** Pushes the result of an ALU op (the value for rd). */
        private void alu(int op, int idx, int rs1, int rs2, long imm) {
            switch (op) {
                case LUI, C_LUI, LI, C_LI -> cb.loadConstant(imm);
                case AUIPC -> cb.lload(VBASE).loadConstant(((long) idx << 1) + imm).ladd();
                case MV, C_MV -> reg(rs1);
                case ADDI, C_ADDI -> {
                    reg(rs1);
                    if (imm != 0) {
                        cb.loadConstant(imm).ladd();
                    }
                }
                case SLTI -> {
                    reg(rs1);
                    cb.loadConstant(imm).lcmp().loadConstant(31).iushr().i2l();
                }
                case SLTIU -> unsignedCompare(rs1, imm, true, 0);
                case XORI -> bin(rs1, imm, Bin.XOR);
                case ORI -> bin(rs1, imm, Bin.OR);
                case ANDI, C_ANDI -> bin(rs1, imm, Bin.AND);
                case SLLI, C_SLLI -> shift(rs1, imm, Bin.SHL);
                case SRLI, C_SRLI -> shift(rs1, imm, Bin.USHR);
                case SRAI, C_SRAI -> shift(rs1, imm, Bin.SHR);
                case ADD, C_ADD -> rr(rs1, rs2, Bin.ADD);
                case SUB, C_SUB -> rr(rs1, rs2, Bin.SUB);
                case XOR, C_XOR -> rr(rs1, rs2, Bin.XOR);
                case OR, C_OR -> rr(rs1, rs2, Bin.OR);
                case AND, C_AND -> rr(rs1, rs2, Bin.AND);
                case MUL -> rr(rs1, rs2, Bin.MUL);
                case SLL, SRL, SRA -> {
                    reg(rs1);
                    reg(rs2);
                    cb.l2i(); // the JVM masks a long shift amount to 6 bits, as RV64 does (spec 4.2.2)
                    switch (op) {
                        case SLL -> cb.lshl();
                        case SRL -> cb.lushr();
                        default -> cb.lshr();
                    }
                }
                case SLT -> {
                    reg(rs1);
                    reg(rs2);
                    cb.lcmp().loadConstant(31).iushr().i2l();
                }
                case SLTU -> unsignedCompare(rs1, 0, false, rs2);
                case ADDIW, C_ADDIW -> {
                    reg(rs1);
                    cb.l2i().loadConstant((int) imm).iadd().i2l();
                }
                case SLLIW, SRLIW, SRAIW -> {
                    reg(rs1);
                    cb.l2i().loadConstant((int) imm);
                    switch (op) {
                        case SLLIW -> cb.ishl();
                        case SRLIW -> cb.iushr();
                        default -> cb.ishr();
                    }
                    cb.i2l();
                }
                case ADDW, C_ADDW, SUBW, C_SUBW, SLLW, SRLW, SRAW, MULW -> {
                    reg(rs1);
                    cb.l2i();
                    reg(rs2);
                    cb.l2i(); // int shifts mask to 5 bits, as the W shifts do
                    switch (op) {
                        case ADDW, C_ADDW -> cb.iadd();
                        case SUBW, C_SUBW -> cb.isub();
                        case SLLW -> cb.ishl();
                        case SRLW -> cb.iushr();
                        case SRAW -> cb.ishr();
                        default -> cb.imul();
                    }
                    cb.i2l();
                }
                case MULH -> call2(rs1, rs2, CD_MATH, "multiplyHigh");
                case MULHU -> call2(rs1, rs2, CD_MATH, "unsignedMultiplyHigh");
                case MULHSU -> call2(rs1, rs2, CD_INT_MATH, "mulhsu");
                case DIV -> call2(rs1, rs2, CD_INT_MATH, "div");
                case DIVU -> call2(rs1, rs2, CD_INT_MATH, "divu");
                case REM -> call2(rs1, rs2, CD_INT_MATH, "rem");
                case REMU -> call2(rs1, rs2, CD_INT_MATH, "remu");
                case DIVW -> call2(rs1, rs2, CD_INT_MATH, "divw");
                case DIVUW -> call2(rs1, rs2, CD_INT_MATH, "divuw");
                case REMW -> call2(rs1, rs2, CD_INT_MATH, "remw");
                case REMUW -> call2(rs1, rs2, CD_INT_MATH, "remuw");
                case MAX -> call2(rs1, rs2, CD_MATH, "max");
                case MIN -> call2(rs1, rs2, CD_MATH, "min");
                case MAXU -> call2(rs1, rs2, CD_RUNTIME, "maxu");
                case MINU -> call2(rs1, rs2, CD_RUNTIME, "minu");
                case ADD_UW, SH1ADD_UW, SH2ADD_UW, SH3ADD_UW -> {
                    reg(rs1);
                    cb.loadConstant(0xffff_ffffL).land();
                    int sh = op == ADD_UW ? 0 : op - SH1ADD_UW + 1;
                    if (sh != 0) {
                        cb.loadConstant(sh).lshl();
                    }
                    reg(rs2);
                    cb.ladd();
                }
                case SH1ADD, SH2ADD, SH3ADD -> {
                    reg(rs1);
                    cb.loadConstant(op - SH1ADD + 1).lshl();
                    reg(rs2);
                    cb.ladd();
                }
                case SLLI_UW -> {
                    reg(rs1);
                    cb.loadConstant(0xffff_ffffL).land().loadConstant((int) imm).lshl();
                }
                case ANDN, ORN -> {
                    reg(rs1);
                    reg(rs2);
                    cb.loadConstant(-1L).lxor();
                    if (op == ANDN) {
                        cb.land();
                    } else {
                        cb.lor();
                    }
                }
                case XNOR -> {
                    rr(rs1, rs2, Bin.XOR);
                    cb.loadConstant(-1L).lxor();
                }
                case CLZ, CTZ, CPOP -> {
                    reg(rs1);
                    cb.invokestatic(CD_LONG, op == CLZ ? "numberOfLeadingZeros" : op == CTZ ? "numberOfTrailingZeros" : "bitCount",
                            I_J).i2l();
                }
                case CLZW, CTZW, CPOPW -> {
                    reg(rs1);
                    cb.l2i().invokestatic(CD_INTEGER,
                            op == CLZW ? "numberOfLeadingZeros" : op == CTZW ? "numberOfTrailingZeros" : "bitCount", I_I).i2l();
                }
                case SEXT_B -> {
                    reg(rs1);
                    cb.l2i().i2b().i2l();
                }
                case SEXT_H -> {
                    reg(rs1);
                    cb.l2i().i2s().i2l();
                }
                case ZEXT_H -> bin(rs1, 0xffff, Bin.AND);
                case ROL, ROR -> {
                    reg(rs1);
                    reg(rs2);
                    cb.l2i().invokestatic(CD_LONG, op == ROL ? "rotateLeft" : "rotateRight", J_JI);
                }
                case RORI -> {
                    reg(rs1);
                    cb.loadConstant((int) imm).invokestatic(CD_LONG, "rotateRight", J_JI);
                }
                case ROLW, RORW -> {
                    reg(rs1);
                    cb.l2i();
                    reg(rs2);
                    cb.l2i().invokestatic(CD_INTEGER, op == ROLW ? "rotateLeft" : "rotateRight", I_II).i2l();
                }
                case RORIW -> {
                    reg(rs1);
                    cb.l2i().loadConstant((int) imm).invokestatic(CD_INTEGER, "rotateRight", I_II).i2l();
                }
                case REV8 -> {
                    reg(rs1);
                    cb.invokestatic(CD_LONG, "reverseBytes", J_J);
                }
                case BCLR, BINV, BSET -> {
                    reg(rs1);
                    cb.lconst_1();
                    reg(rs2);
                    cb.l2i().lshl();
                    switch (op) {
                        case BCLR -> cb.loadConstant(-1L).lxor().land();
                        case BINV -> cb.lxor();
                        default -> cb.lor();
                    }
                }
                case BCLRI -> bin(rs1, ~(1L << imm), Bin.AND);
                case BINVI -> bin(rs1, 1L << imm, Bin.XOR);
                case BSETI -> bin(rs1, 1L << imm, Bin.OR);
                case BEXT -> {
                    reg(rs1);
                    reg(rs2);
                    cb.l2i().lushr().lconst_1().land();
                }
                case BEXTI -> {
                    reg(rs1);
                    cb.loadConstant((int) imm).lushr().lconst_1().land();
                }
                default -> throw new IllegalStateException("op " + op + " is not translatable");
            }
        }

        private enum Bin { ADD, SUB, XOR, OR, AND, MUL, SHL, USHR, SHR }

        private void apply(Bin b) {
            switch (b) {
                case ADD -> cb.ladd();
                case SUB -> cb.lsub();
                case XOR -> cb.lxor();
                case OR -> cb.lor();
                case AND -> cb.land();
                case MUL -> cb.lmul();
                case SHL -> cb.lshl();
                case USHR -> cb.lushr();
                case SHR -> cb.lshr();
            }
        }

        private void bin(int rs1, long imm, Bin b) {
            reg(rs1);
            cb.loadConstant(imm);
            apply(b);
        }

        private void shift(int rs1, long imm, Bin b) {
            reg(rs1);
            cb.loadConstant((int) imm & 63);
            apply(b);
        }

        private void rr(int rs1, int rs2, Bin b) {
            reg(rs1);
            reg(rs2);
            apply(b);
        }

        private void call2(int rs1, int rs2, ClassDesc owner, String name) {
            reg(rs1);
            reg(rs2);
            cb.invokestatic(owner, name, J_JJ);
        }
    }

    /** The RegionRuntime load helper for an integer load op (named after the instruction). */
    private static String loadHelper(int op) {
        return switch (op) {
            case LB -> "lb";
            case LBU -> "lbu";
            case LH -> "lh";
            case LHU -> "lhu";
            case LW, C_LW -> "lw";
            case LWU -> "lwu";
            default -> "ld";
        };
    }

    /** The RegionRuntime store helper for an integer store op. */
    private static String storeHelper(int op) {
        return switch (op) {
            case SB -> "sb";
            case SH -> "sh";
            case SW, C_SW -> "sw";
            default -> "sd";
        };
    }
}
