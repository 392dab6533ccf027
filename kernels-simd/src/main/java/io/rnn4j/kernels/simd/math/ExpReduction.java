package io.rnn4j.kernels.simd.math;

/**
 * The constants of the exponential core every vector activation is built on ({@link VectorMath},
 * and the fused gate passes' fractions, {@code rnn.GateFractions}, which write the same core out in
 * their own loops): Cody–Waite
 * reduction {@code x = n·ln2 + r}, |r| ≤ ln2/2, and a polynomial q with
 * {@code e^r − 1 = r + r²·q(r)}. One place, so that every copy of the algorithm computes the same
 * numbers; {@code static final}, so C2 folds them into the loops that use them.
 */
public final class ExpReduction {
    public static final float LOG2E = 1.44269504f;
    /** ln 2 split so that n·LN2_HI is exact for |n| &lt; 2<sup>15</sup> even without FMA. */
    public static final float LN2_HI = 0.693359375f;
    public static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2<sup>23</sup>: adding it rounds to an integer that its low mantissa bits then hold. */
    public static final float ROUND_MAGIC = 12582912f;
    /** The bits of {@link #ROUND_MAGIC}: subtracted from the sum's bits, they leave n. */
    public static final int ROUND_MAGIC_BITS = 0x4B40_0000;
    // q(r) ≈ (e^r − 1 − r)/r² on |r| ≤ ln2/2; fitted (Lawson iterations) to 6.2e-8 absolute.
    public static final float Q0 = 5.000000000e-01f;
    public static final float Q1 = 1.666657627e-01f;
    public static final float Q2 = 4.166637361e-02f;
    public static final float Q3 = 8.363175206e-03f;
    public static final float Q4 = 1.394109800e-03f;

    private ExpReduction() {
    }
}
