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
import static io.rnn4j.kernels.simd.platform.SimdConstants.fma;
import static io.rnn4j.kernels.simd.rnn.Lanes.FMA;
import static io.rnn4j.kernels.simd.rnn.Lanes.L;
import static io.rnn4j.kernels.simd.rnn.Lanes.S;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.scalar.ScalarMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The LSTM step's pointwise part, for a batch, with Keras's default activations (sigmoid gates, tanh),
 * with two divisions per unit instead of five: {@code c' = σ(zf)·c + σ(zi)·tanh(zg)} and
 * {@code h = σ(zo)·tanh(c')}, each activation kept as a fraction N/D and each of c' and h divided
 * once. In a batch's forward this pass is about a sixth of the time (the rest is the step's GEMM),
 * and its divisions take most of the vector unit's time.
 *
 * <p>Training takes the same pass, and also divides i, f, g, o and tanh(c') out of the fractions
 * for backward: c' and h are then the same bits whether or not a workspace is given (the engine's
 * contract compares them exactly), and the stored activations are as accurate as the generic ones.
 *
 * <p>The fractions: with E = e<sup>−|z|</sup>, σ(z) = N/(1 + E) where N is 1 for z ≥ 0 and E
 * below; with M = e<sup>−2|z|</sup> − 1, tanh(z) = sign(z)·(−M)/(M + 2). Every N lies in [0, 1] and
 * every D in [1, 2], so no product overflows, and M comes from an expm1 core, so tanh keeps its
 * relative accuracy near 0. Then c' = (N<sub>f</sub>·c·D<sub>i</sub>·D<sub>g</sub> +
 * N<sub>i</sub>·N<sub>g</sub>·D<sub>f</sub>) / (D<sub>f</sub>·D<sub>i</sub>·D<sub>g</sub>) and
 * h = N<sub>o</sub>·N<sub>t</sub> / (D<sub>o</sub>·D<sub>t</sub>) with N<sub>t</sub>/D<sub>t</sub>
 * = tanh(c'). The exponentials use the reduction and polynomial of {@code VectorMath} (its
 * coefficients), with |z| clamped where the result no longer changes: σ at |z| = 87 (e<sup>−87</sup>
 * is still a normal float; below it σ(z) is under 10<sup>−37</sup> and stays there), tanh at |z| =
 * 10 (tanh is 1 in float from 9.01 on).
 *
 * <p>Accuracy against float64 ({@code LstmGatesTest}: 400 rows each of 1 to 256 units, z mostly
 * in [−12, 12] and one in eight in [−40, 40], c in [−4, 4]): c' within 6.33 ulp of max(|f·c|,
 * |i·g|) at 512 and 256 bits with FMA, 6.57 without, 5.31 at 128; h within 4.8 ulp of |h| beyond
 * what c's error moves it by; training's stored activations within 2.47 ulp (512 bits). The test
 * holds them to {@value #C_ULPS}, {@value #H_ULPS} and {@value #GATE_ULPS}. (The
 * generic path rounds each activation first, σ within 2.41 ulp and tanh 2.50: its i·g errs on
 * the same scale.) NaN in z or c gives NaN; z = ±∞ saturates (σ(−∞) gives e<sup>−87</sup>, about
 * 1.6·10<sup>−38</sup>, rather than 0). Elements that do not fill a vector take the
 * activations one by one ({@link ScalarMath}) as the generic path does.
 *
 * <p>Each loop holds one exponential: a Vector API exponential is thousands of C2 nodes, and a
 * loop body with several can exceed what C2 inlines (see {@code VectorMath}). So a row goes
 * through four loops: the gates' exponentials into z in place (z is not needed afterwards), c',
 * tanh(c')'s exponential into a scratch row, h. (One loop for the last three, two divisions and
 * an exponential in a chain, measured 7 % slower.) The exponentials clamp with compare and blend
 * rather than {@code max}, which follows Math.max for NaN and ±0 and compiles to six
 * instructions: that took the pass from 0.79 to 0.67 ms at L3's 32 rows × 50 steps.
 */
final class LstmGates {
    /** The measured bounds of the class comment, as the test checks them. */
    static final int C_ULPS = 8;
    static final int H_ULPS = 8;
    static final int GATE_ULPS = 4;

    /** The lowest exponent argument: σ's −|z| and tanh's −2|z| (see the class comment). */
    private static final float SIGMOID_LO = -87f;
    private static final float TANH_LO = -20f;

    private LstmGates() {
    }

    /** Whether this pass computes the cell: sigmoid gates and tanh. */
    static boolean applies(UnaryOp activation, UnaryOp recurrentActivation) {
        return activation == UnaryOp.TANH && recurrentActivation == UnaryOp.SIGMOID;
    }

    /**
     * One row: z at {@code zo} holds the pre-activations (blocks i, f, g, o of n) and is consumed;
     * c at {@code co} becomes c', and h' goes to h at {@code ho} and to out at {@code oo};
     * {@code t} is a scratch row of n floats. In training ({@code gates} not null) also the
     * activations backward needs: i, f, g, o to {@code gates} at {@code go} and tanh(c') to
     * {@code actC} at {@code aco}, each divided out of the same fractions, so that c' and h have
     * the same bits with or without them.
     */
    static void step(float[] z, int zo, float[] c, int co, float[] h, int ho, float[] out, int oo, int n, float[] t,
            float[] gates, int go, float[] actC, int aco) {
        int v = S.loopBound(n);
        if (v == n) {
            sigmoidParts(z, zo, 2 * n);
        } else {
            // With a tail, f's vectors do not follow i's: two runs (the tails stay for the scalar loop).
            sigmoidParts(z, zo, v);
            sigmoidParts(z, zo + n, v);
        }
        tanhParts(z, zo + 2 * n, z, zo + 2 * n, v);
        sigmoidParts(z, zo + 3 * n, v);
        if (gates != null) {
            sigmoidOf(z, zo, gates, go, v);
            sigmoidOf(z, zo + n, gates, go + n, v);
            tanhOf(z, zo + 2 * n, gates, go + 2 * n, v);
            sigmoidOf(z, zo + 3 * n, gates, go + 3 * n, v);
        }
        cell(z, zo, c, co, n, v);
        tanhParts(c, co, t, 0, v);
        if (gates != null) {
            tanhOf(t, 0, actC, aco, v);
        }
        hidden(z, zo + 3 * n, t, h, ho, out, oo, v);
        for (int j = v; j < n; j++) {
            float i = ScalarMath.apply(UnaryOp.SIGMOID, z[zo + j]);
            float f = ScalarMath.apply(UnaryOp.SIGMOID, z[zo + n + j]);
            float g = ScalarMath.apply(UnaryOp.TANH, z[zo + 2 * n + j]);
            float o = ScalarMath.apply(UnaryOp.SIGMOID, z[zo + 3 * n + j]);
            float cn = fma(f, c[co + j], i * g);
            c[co + j] = cn;
            float ac = ScalarMath.apply(UnaryOp.TANH, cn);
            float hv = o * ac;
            h[ho + j] = hv;
            out[oo + j] = hv;
            if (gates != null) {
                gates[go + j] = i;
                gates[go + n + j] = f;
                gates[go + 2 * n + j] = g;
                gates[go + 3 * n + j] = o;
                actC[aco + j] = ac;
            }
        }
    }

    /** {@code y = σ(z) = N/D} from the signed E of {@link #sigmoidParts}, over v floats. */
    private static void sigmoidOf(float[] s, int so, float[] y, int yo, int v) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < v; j += L) {
            FloatVector sv = FloatVector.fromArray(S, s, so + j);
            FloatVector e = sv.abs();
            e.blend(one, sv.compare(VectorOperators.GE, 0f)).div(e.add(one)).intoArray(y, yo + j);
        }
    }

    /** {@code y = tanh = N/(2 − |N|)} from the signed N of {@link #tanhParts}, over v floats. */
    private static void tanhOf(float[] s, int so, float[] y, int yo, int v) {
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
    private static void sigmoidParts(float[] x, int xo, int m) {
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
    private static void tanhParts(float[] x, int xo, float[] y, int yo, int m) {
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

    /** c' from the parts in z (i, f, o as signed E, g as tanh's signed N), over v floats. */
    private static void cell(float[] z, int zo, float[] c, int co, int n, int v) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector two = FloatVector.broadcast(S, 2f);
        for (int j = 0; j < v; j += L) {
            FloatVector si = FloatVector.fromArray(S, z, zo + j);
            FloatVector sf = FloatVector.fromArray(S, z, zo + n + j);
            FloatVector ng = FloatVector.fromArray(S, z, zo + 2 * n + j);
            FloatVector cv = FloatVector.fromArray(S, c, co + j);
            FloatVector ei = si.abs();
            FloatVector ef = sf.abs();
            FloatVector ni = ei.blend(one, si.compare(VectorOperators.GE, 0f));
            FloatVector nf = ef.blend(one, sf.compare(VectorOperators.GE, 0f));
            FloatVector di = ei.add(one);
            FloatVector df = ef.add(one);
            FloatVector dg = two.sub(ng.abs());
            FloatVector didg = di.mul(dg);
            FloatVector keep = nf.mul(cv).mul(didg);
            FloatVector num = FMA ? ni.mul(ng).fma(df, keep) : ni.mul(ng).mul(df).add(keep);
            num.div(df.mul(didg)).intoArray(c, co + j);
        }
    }

    /** h = σ(zo)·tanh(c') from o's signed E and tanh(c')'s signed N, into h and out, over v floats. */
    private static void hidden(float[] z, int so, float[] t, float[] h, int ho, float[] out, int oo, int v) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector two = FloatVector.broadcast(S, 2f);
        for (int j = 0; j < v; j += L) {
            FloatVector s = FloatVector.fromArray(S, z, so + j);
            FloatVector nt = FloatVector.fromArray(S, t, j);
            FloatVector e = s.abs();
            FloatVector no = e.blend(one, s.compare(VectorOperators.GE, 0f));
            FloatVector hv = no.mul(nt).div(e.add(one).mul(two.sub(nt.abs())));
            hv.intoArray(h, ho + j);
            hv.intoArray(out, oo + j);
        }
    }
}
