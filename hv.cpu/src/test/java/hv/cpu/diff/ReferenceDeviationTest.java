package hv.cpu.diff;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hv.cpu.diff.EncodingDifferentialTest.Record;
import org.junit.jupiter.api.Test;

/**
 * The two qemu deviations the encoding test tolerates are tolerated only in exactly their shape;
 * any other difference on the same words still fails.
 */
class ReferenceDeviationTest {
    private static final int A0 = 10, A1 = 11, A2 = 12;

    /** sc.w/sc.d rd, rs2, (rs1). */
    private static int sc(boolean dw, int rd, int rs1, int rs2) {
        return (0x03 << 27) | (rs2 << 20) | (rs1 << 15) | ((dw ? 3 : 2) << 12) | (rd << 7) | EncodingGenerator.AMO;
    }

    private static EncodingProgram.Case scCase(int word, boolean pointer, long a0) {
        long[] x = new long[32];
        boolean[] ptr = new boolean[31];
        x[A0] = a0;
        x[A1] = 0x1234;
        ptr[A0] = pointer;
        return new EncodingProgram.Case(0, word, 4, x, ptr, new long[32], 0);
    }

    private static Record record(int outcome, long a1, long hash) {
        long[] x = new long[32];
        x[A0] = 77;
        x[A1] = a1;
        return new Record(x, new long[32], 0, outcome, hash);
    }

    @Test
    void aFailingScToAFaultingAddressIsToleratedOnlyAsSuch() {
        EncodingProgram.Case unmapped = scCase(sc(false, A1, A0, A2), false, 0xdead_0000_0000L);
        Record qemu = record(EncodingProgram.OK, 1, 5);
        Record hv = record(EncodingProgram.MEMORY_FAULT, 0x1234, 5);
        assertTrue(EncodingDifferentialTest.qemuSkipsTheFaultOfAFailingSc(unmapped, qemu, hv));
        EncodingProgram.Case misaligned = scCase(sc(true, A1, A0, A2), true, 12);
        assertTrue(EncodingDifferentialTest.qemuSkipsTheFaultOfAFailingSc(misaligned, qemu, hv));

        // an aligned address in the scratch area must not fault
        assertFalse(EncodingDifferentialTest.qemuSkipsTheFaultOfAFailingSc(scCase(sc(true, A1, A0, A2), true, 16), qemu, hv));
        // another register differing too
        Record hvOther = new Record(hv.x().clone(), hv.f(), 0, EncodingProgram.MEMORY_FAULT, 5);
        hvOther.x()[A2] = 9;
        assertFalse(EncodingDifferentialTest.qemuSkipsTheFaultOfAFailingSc(unmapped, qemu, hvOther));
        // memory written
        assertFalse(EncodingDifferentialTest.qemuSkipsTheFaultOfAFailingSc(unmapped, qemu,
                record(EncodingProgram.MEMORY_FAULT, 0x1234, 6)));
        // qemu's SC "succeeded"
        assertFalse(EncodingDifferentialTest.qemuSkipsTheFaultOfAFailingSc(unmapped, record(EncodingProgram.OK, 0, 5), hv));
        // HV said illegal instead of faulting
        assertFalse(EncodingDifferentialTest.qemuSkipsTheFaultOfAFailingSc(unmapped, qemu,
                record(EncodingProgram.ILLEGAL, 0x1234, 5)));
        // not an SC: amoadd.w
        int amoadd = sc(false, A1, A0, A2) & ~(0x1f << 27);
        assertFalse(EncodingDifferentialTest.qemuSkipsTheFaultOfAFailingSc(scCase(amoadd, false, 0xdead_0000_0000L), qemu, hv));
    }

    @Test
    void aVectorWholeRegisterAccessMustBeIllegalInHv() {
        int vl1re8 = 0x0285_8407; // vl1re8.v v8, (a1)
        int vs1r = 0x0285_8427;   // vs1r.v v8, (a1)
        int vle8 = 0x0205_0407;   // vle8.v v8, (a0): qemu says illegal, nothing to tolerate
        EncodingProgram.Case load = new EncodingProgram.Case(0, vl1re8, 4, new long[32], new boolean[31], new long[32], 0);
        EncodingProgram.Case store = new EncodingProgram.Case(0, vs1r, 4, new long[32], new boolean[31], new long[32], 0);
        EncodingProgram.Case unit = new EncodingProgram.Case(0, vle8, 4, new long[32], new boolean[31], new long[32], 0);
        Record qemuRan = record(EncodingProgram.OK, 1, 5);
        Record hvIllegal = record(EncodingProgram.ILLEGAL, 1, 5);
        assertTrue(EncodingDifferentialTest.qemuRunsAVectorWholeRegisterAccessWithoutV(load, qemuRan, hvIllegal));
        assertFalse(EncodingDifferentialTest.qemuRunsAVectorWholeRegisterAccessWithoutV(load, qemuRan,
                record(EncodingProgram.OK, 1, 5)), "HV must refuse it");
        assertFalse(EncodingDifferentialTest.qemuRunsAVectorWholeRegisterAccessWithoutV(load, qemuRan,
                record(EncodingProgram.ILLEGAL, 1, 6)), "a load changes no memory");
        assertTrue(EncodingDifferentialTest.qemuRunsAVectorWholeRegisterAccessWithoutV(store, qemuRan,
                record(EncodingProgram.ILLEGAL, 1, 6)), "qemu's store may have written the scratch area");
        assertFalse(EncodingDifferentialTest.qemuRunsAVectorWholeRegisterAccessWithoutV(unit,
                record(EncodingProgram.MEMORY_FAULT, 1, 5), hvIllegal));
        assertFalse(EncodingDifferentialTest.qemuRunsAVectorWholeRegisterAccessWithoutV(load, qemuRan,
                record(EncodingProgram.ILLEGAL, 2, 5)), "registers must agree");
    }
}
