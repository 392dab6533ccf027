package io.rnn4j.kernels.simd.rnn;

import static io.rnn4j.kernels.simd.math.ExpReduction.LN2_HI;
import static io.rnn4j.kernels.simd.math.ExpReduction.LN2_LO;
import static io.rnn4j.kernels.simd.math.ExpReduction.LOG2E;
import static io.rnn4j.kernels.simd.math.ExpReduction.Q0;
import static io.rnn4j.kernels.simd.math.ExpReduction.Q1;
import static io.rnn4j.kernels.simd.math.ExpReduction.Q2;
import static io.rnn4j.kernels.simd.math.ExpReduction.Q3;
import static io.rnn4j.kernels.simd.math.ExpReduction.Q4;
import static io.rnn4j.kernels.simd.math.ExpReduction.ROUND_MAGIC;
import static io.rnn4j.kernels.simd.math.ExpReduction.ROUND_MAGIC_BITS;
import static io.rnn4j.kernels.simd.rnn.Lanes.FMA;
import static io.rnn4j.kernels.simd.rnn.Lanes.L;
import static io.rnn4j.kernels.simd.rnn.Lanes.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * σ and tanh kept as fractions N/D, for the fused gate passes ({@link LstmGates}, {@link GruGates})
 * that combine several activations under one division. With E = e<sup>−|z|</sup>, σ(z) = N/(1 + E)
 * where N is 1 for z ≥ 0 and E below; with M = e<sup>−2|z|</sup> − 1, tanh(z) = sign(z)·(−M)/(M +
 * 2). Each is stored as one signed float: σ as E with z's sign, tanh as its N = sign(z)·(−M), with D
 * = 2 − |N|. Every N lies in [0, 1] and every D in [1, 2], so products of them neither overflow nor
 * lose range, and M comes from an expm1 core, so tanh keeps its relative accuracy near 0.
 *
 * <p>The exponentials use {@code VectorMath}'s reduction and polynomial, with |z| clamped where
 * the result no longer changes: σ at |z| = 87 (e<sup>−87</sup> is still a normal float, so 2<sup>n</sup>
 * scales in one step; below it σ(z) is under 10<sup>−37</sup> and stays there), tanh at |z| = 10
 * (tanh is 1 in float from 9.01 on). NaN stays NaN. Each function is one loop over m floats, m a
 * multiple of the lanes: a Vector API exponential is thousands of C2 nodes, so a caller's loop
 * never holds more than one (see {@code VectorMath}).
 */
final class GateFractions {
    /** The lowest exponent argument: σ's −|z| and tanh's −2|z| (see the class comment). */
    private static final float SIGMOID_LO = -87f;
    private static final float TANH_LO = -20f;

    private GateFractions() {
    }

    /** {@code y = σ(z) = N/D} from the signed E of {@link #sigmoidParts}, over v floats. */
    static void sigmoidOf(float[] s, int so, float[] y, int yo, int v) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < v; j += L) {
            FloatVector sv = FloatVector.fromArray(S, s, so + j);
            FloatVector e = sv.abs();
            e.blend(one, sv.compare(VectorOperators.GE, 0f)).div(e.add(one)).intoArray(y, yo + j);
        }
    }

    /** {@code y = tanh = N/(2 − |N|)} from the signed N of {@link #tanhParts}, over v floats. */
    static void tanhOf(float[] s, int so, float[] y, int yo, int v) {
        FloatVector two = FloatVector.broadcast(S, 2f);
        for (int j = 0; j < v; j += L) {
            FloatVector nv = FloatVector.fromArray(S, s, so + j);
            nv.div(two.sub(nv.abs())).intoArray(y, yo + j);
        }
    }

    /**
     * {@code x = copysign(e^−|x|, x)} over the first {@code m} floats at xo (m a multiple of the
     * lanes): E with z's sign, from which σ's N and D follow.
     */
    static void sigmoidParts(float[] x, int xo, int m) {
        FloatVector lo = FloatVector.broadcast(S, SIGMOID_LO);
        FloatVector log2e = FloatVector.broadcast(S, LOG2E);
        FloatVector magic = FloatVector.broadcast(S, ROUND_MAGIC);
        FloatVector ln2hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector ln2lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector q0 = FloatVector.broadcast(S, Q0);
        FloatVector q1 = FloatVector.broadcast(S, Q1);
        FloatVector q2 = FloatVector.broadcast(S, Q2);
        FloatVector q3 = FloatVector.broadcast(S, Q3);
        FloatVector q4 = FloatVector.broadcast(S, Q4);
        for (int j = 0; j < m; j += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + j);
            // −|x| by setting the sign bit; the clamp leaves NaN as it is.
            FloatVector a = v.reinterpretAsInts().or(0x8000_0000).reinterpretAsFloats();
            a = a.blend(lo, a.compare(VectorOperators.LT, lo));
            FloatVector k = FMA ? a.fma(log2e, magic) : a.mul(log2e).add(magic);
            FloatVector nf = k.sub(magic);
            FloatVector r = FMA ? nf.fma(ln2hi, a) : nf.mul(ln2hi).add(a);
            r = FMA ? nf.fma(ln2lo, r) : nf.mul(ln2lo).add(r);
            FloatVector q = FMA ? r.fma(q4, q3) : r.mul(q4).add(q3);
            q = FMA ? q.fma(r, q2) : q.mul(r).add(q2);
            q = FMA ? q.fma(r, q1) : q.mul(r).add(q1);
            q = FMA ? q.fma(r, q0) : q.mul(r).add(q0);
            FloatVector pm1 = FMA ? r.mul(r).fma(q, r) : r.mul(r).mul(q).add(r);
            // 2^n, n ≥ −126 (a ≥ −87): a normal float.
            FloatVector t = k.reinterpretAsInts().add(127 - ROUND_MAGIC_BITS).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretAsFloats();
            FloatVector e = FMA ? t.fma(pm1, t) : t.mul(pm1).add(t);
            IntVector sign = v.reinterpretAsInts().and(0x8000_0000);
            e.reinterpretAsInts().or(sign).reinterpretAsFloats().intoArray(x, xo + j);
        }
    }

    /**
     * {@code y = copysign(1 − e^−2|x|, x)} over m floats (a multiple of the lanes): tanh's N, with
     * D = 2 − |N|; y may be x.
     */
    static void tanhParts(float[] x, int xo, float[] y, int yo, int m) {
        FloatVector lo = FloatVector.broadcast(S, TANH_LO);
        FloatVector log2e = FloatVector.broadcast(S, LOG2E);
        FloatVector magic = FloatVector.broadcast(S, ROUND_MAGIC);
        FloatVector ln2hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector ln2lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector q0 = FloatVector.broadcast(S, Q0);
        FloatVector q1 = FloatVector.broadcast(S, Q1);
        FloatVector q2 = FloatVector.broadcast(S, Q2);
        FloatVector q3 = FloatVector.broadcast(S, Q3);
        FloatVector q4 = FloatVector.broadcast(S, Q4);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < m; j += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + j);
            FloatVector a = v.reinterpretAsInts().or(0x8000_0000).reinterpretAsFloats().mul(2f);
            a = a.blend(lo, a.compare(VectorOperators.LT, lo));
            FloatVector k = FMA ? a.fma(log2e, magic) : a.mul(log2e).add(magic);
            FloatVector nf = k.sub(magic);
            FloatVector r = FMA ? nf.fma(ln2hi, a) : nf.mul(ln2hi).add(a);
            r = FMA ? nf.fma(ln2lo, r) : nf.mul(ln2lo).add(r);
            FloatVector q = FMA ? r.fma(q4, q3) : r.mul(q4).add(q3);
            q = FMA ? q.fma(r, q2) : q.mul(r).add(q2);
            q = FMA ? q.fma(r, q1) : q.mul(r).add(q1);
            q = FMA ? q.fma(r, q0) : q.mul(r).add(q0);
            FloatVector pm1 = FMA ? r.mul(r).fma(q, r) : r.mul(r).mul(q).add(r);
            FloatVector t = k.reinterpretAsInts().add(127 - ROUND_MAGIC_BITS).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretAsFloats();
            // M = 2^n·(1 + p) − 1, as t·p + (t − 1): t − 1 is exact down to n = −24, and at n = 0
            // (small |x|) M is p itself, so tanh keeps its relative accuracy near 0.
            FloatVector mm = FMA ? t.fma(pm1, t.sub(one)) : t.mul(pm1).add(t.sub(one));
            IntVector sign = v.reinterpretAsInts().and(0x8000_0000);
            mm.neg().reinterpretAsInts().or(sign).reinterpretAsFloats().intoArray(y, yo + j);
        }
    }
}
