package io.rnn4j.kernels.simd.math;

import static io.rnn4j.kernels.simd.platform.SimdConstants.fma;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The transcendental functions of the activations, one vector at a time, for any species (the
 * species is the argument's). Written here rather than taken from {@code lanewise(EXP/TANH)} so that
 * every platform computes the same numbers at the same speed: the JDK's versions are fast only where
 * it ships a vector math library, and their accuracy is not specified.
 *
 * <p>Method: Cody–Waite reduction {@code x = n·ln2 + r}, |r| ≤ ln2/2, a degree-6 polynomial for
 * e<sup>r</sup> − 1 (coefficients fitted here, near-minimax for |q(r) − (e<sup>r</sup>−1−r)/r²|), and
 * scaling by 2<sup>n</sup> in two exponent steps so that subnormal results are rounded once and
 * correctly. tanh and sigmoid are built on it ({@code tanh|x| = −m/(m+2)} with m = expm1(−2|x|);
 * {@code sigmoid(x) = (x ≥ 0 ? 1 : e)/(1 + e)} with e = exp(−|x|)) so neither cancels near 0 nor
 * overflows far from it.
 *
 * <p>Maximum error against the float64 function, measured over every finite float input (all
 * 4,278,190,080 of them, by {@code VectorMathAccuracy} under the tests; 512-bit species, FMA on;
 * each lane computes the same thing at any width), as |result − exact| in units in the last place
 * of the exact result rounded to float (correct rounding would be 0.5):
 * <ul>
 *   <li>{@link #exp}: 1.10 ulp (subnormal results included);</li>
 *   <li>{@link #expm1}: 1.63 ulp;</li>
 *   <li>{@link #tanh}: 2.50 ulp;</li>
 *   <li>{@link #sigmoid}: 2.40 ulp.</li>
 * </ul>
 * Every finite input gives a finite or correctly infinite result, never NaN; ±∞ saturate (exp: +∞
 * and 0; tanh: ±1; sigmoid: 1 and 0); NaN gives NaN. Without hardware FMA each bound grows by
 * about one ulp (tests allow for both).
 *
 * <p>Every method is small and static so that C2 inlines it into the calling loop: a vector that
 * crosses a call that is not inlined is boxed on the heap (tens of times slower).
 */
public final class VectorMath {
    private VectorMath() {
    }

    /** Below this exp(x) rounds to 0 (e<sup>−104</sup> is under half the least subnormal). */
    private static final float EXP_LO = -104f;
    /** Above this exp(x) overflows; clamping here keeps 2<sup>n</sup> within n ≤ 128. */
    private static final float EXP_HI = 89f;
    private static final float LOG2E = 1.44269504f;
    /** ln 2 split so that n·LN2_HI is exact for |n| < 2<sup>15</sup> even without FMA. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2<sup>23</sup>: adding it rounds to an integer that its low mantissa bits then hold. */
    private static final float ROUND_MAGIC = 12582912f;
    private static final int ROUND_MAGIC_BITS = 0x4B40_0000;
    // q(r) ≈ (e^r − 1 − r)/r² on |r| ≤ ln2/2; fitted (Lawson iterations) to 6.2e-8 absolute.
    private static final float Q0 = 5.000000000e-01f;
    private static final float Q1 = 1.666657627e-01f;
    private static final float Q2 = 4.166637361e-02f;
    private static final float Q3 = 8.363175206e-03f;
    private static final float Q4 = 1.394109800e-03f;

    /** e<sup>x</sup>; within 1 ulp (see the class comment). */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_LO).min(EXP_HI); // NaN stays NaN through max/min
        FloatVector k = fma(xc, x.broadcast(LOG2E), x.broadcast(ROUND_MAGIC));
        FloatVector n = k.sub(ROUND_MAGIC);
        FloatVector r = fma(n, x.broadcast(-LN2_HI), xc);
        r = fma(n, x.broadcast(-LN2_LO), r);
        FloatVector p = expm1Reduced(r).add(1f);
        IntVector ni = (IntVector) k.reinterpretAsInts();
        ni = ni.sub(ROUND_MAGIC_BITS);
        // 2^n in two factors (each exponent within [-75, 64]) so the product rounds once.
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = ni.sub(n1);
        FloatVector s1 = (FloatVector) n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = (FloatVector) n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /** e<sup>x</sup> − 1, accurate near 0 too; within 1 ulp (see the class comment). */
    public static FloatVector expm1(FloatVector x) {
        FloatVector xc = x.max(EXP_LO).min(EXP_HI);
        FloatVector k = fma(xc, x.broadcast(LOG2E), x.broadcast(ROUND_MAGIC));
        FloatVector n = k.sub(ROUND_MAGIC);
        FloatVector r = fma(n, x.broadcast(-LN2_HI), xc);
        r = fma(n, x.broadcast(-LN2_LO), r);
        FloatVector pm1 = expm1Reduced(r);
        IntVector ni = (IntVector) k.reinterpretAsInts();
        ni = ni.sub(ROUND_MAGIC_BITS);
        // For n in [-25, 24], e^x − 1 = 2^n·(p − 1) + (2^n − 1) with 2^n − 1 exact: no cancellation.
        // Beyond, e^x − 1 rounds to e^x (n > 24) or to −1 (n < −25), which the same formula gives
        // with n clamped; e^x itself is taken for the large side so it can overflow correctly.
        IntVector nc = ni.max(-25).min(24);
        FloatVector t = (FloatVector) nc.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector small = fma(t, pm1, t.sub(1f));
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = ni.sub(n1);
        FloatVector s1 = (FloatVector) n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = (FloatVector) n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector large = pm1.add(1f).mul(s1).mul(s2);
        VectorMask<Float> isLarge = n.compare(VectorOperators.GT, 24f);
        // Below 2^-25, e^x − 1 rounds to x itself; taking x keeps the sign of −0.
        VectorMask<Float> tiny = x.abs().compare(VectorOperators.LT, 0x1p-25f);
        return small.blend(large, isLarge).blend(x, tiny);
    }

    /** tanh(x) = sign(x)·(−m/(m + 2)), m = expm1(−2|x|); within 2 ulp, ±1 from |x| ≈ 9 on. */
    public static FloatVector tanh(FloatVector x) {
        FloatVector m = expm1(x.abs().mul(-2f));
        FloatVector t = m.neg().div(m.add(2f));
        // Copy x's sign bit onto t (t ≥ 0): right for ±0 too, and NaN stays NaN.
        IntVector sign = ((IntVector) x.reinterpretAsInts()).and(0x8000_0000);
        return (FloatVector) ((IntVector) t.reinterpretAsInts()).or(sign).reinterpretAsFloats();
    }

    /** 1/(1 + e<sup>−x</sup>) without overflow: (x ≥ 0 ? 1 : e)/(1 + e), e = exp(−|x|); within 2 ulp. */
    public static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        FloatVector num = x.broadcast(1f).blend(e, x.compare(VectorOperators.LT, 0f));
        return num.div(e.add(1f));
    }

    /** (e<sup>r</sup> − 1) for |r| ≤ ln2/2: r + r²·q(r). */
    private static FloatVector expm1Reduced(FloatVector r) {
        FloatVector q = fma(r, r.broadcast(Q4), r.broadcast(Q3));
        q = fma(q, r, r.broadcast(Q2));
        q = fma(q, r, r.broadcast(Q1));
        q = fma(q, r, r.broadcast(Q0));
        return fma(r.mul(r), q, r);
    }
}
