package io.rnn4j.kernels.simd.rnn;

import static io.rnn4j.kernels.simd.platform.SimdConstants.fma;
import static io.rnn4j.kernels.simd.rnn.Lanes.FMA;
import static io.rnn4j.kernels.simd.rnn.Lanes.L;
import static io.rnn4j.kernels.simd.rnn.Lanes.S;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.scalar.ScalarMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The LSTM step's pointwise part, with Keras's default activations (sigmoid gates, tanh),
 * with two divisions per unit instead of five: {@code c' = σ(zf)·c + σ(zi)·tanh(zg)} and
 * {@code h = σ(zo)·tanh(c')}, each activation kept as a fraction N/D and each of c' and h divided
 * once. In a batch's forward this pass is about a sixth of the time (the rest is the step's GEMM),
 * and its divisions take most of the vector unit's time.
 *
 * <p>Training takes the same pass, and also divides i, f, g, o and tanh(c') out of the fractions
 * for backward: c' and h are then the same bits whether or not a workspace is given (the engine's
 * contract compares them exactly), and the stored activations are as accurate as the generic ones.
 *
 * <p>With the activations as {@link GateFractions} (N/D, N in [0, 1], D in [1, 2]):
 * c' = (N<sub>f</sub>·c·D<sub>i</sub>·D<sub>g</sub> + N<sub>i</sub>·N<sub>g</sub>·D<sub>f</sub>) /
 * (D<sub>f</sub>·D<sub>i</sub>·D<sub>g</sub>) and h = N<sub>o</sub>·N<sub>t</sub> /
 * (D<sub>o</sub>·D<sub>t</sub>) with N<sub>t</sub>/D<sub>t</sub> = tanh(c').
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
     * the same bits with or without them; {@code gates} may be z itself.
     */
    static void step(float[] z, int zo, float[] c, int co, float[] h, int ho, float[] out, int oo, int n, float[] t,
            float[] gates, int go, float[] actC, int aco) {
        int v = S.loopBound(n);
        if (v == n) {
            GateFractions.sigmoidParts(z, zo, 2 * n);
        } else {
            // With a tail, f's vectors do not follow i's: two runs (the tails stay for the scalar loop).
            GateFractions.sigmoidParts(z, zo, v);
            GateFractions.sigmoidParts(z, zo + n, v);
        }
        GateFractions.tanhParts(z, zo + 2 * n, z, zo + 2 * n, v);
        GateFractions.sigmoidParts(z, zo + 3 * n, v);
        cell(z, zo, c, co, n, v);
        GateFractions.tanhParts(c, co, t, 0, v);
        hidden(z, zo + 3 * n, t, h, ho, out, oo, v);
        if (gates != null) {
            // Last, after every read of the parts: gates may be z itself (a batch of one trains in place).
            GateFractions.sigmoidOf(z, zo, gates, go, v);
            GateFractions.sigmoidOf(z, zo + n, gates, go + n, v);
            GateFractions.tanhOf(z, zo + 2 * n, gates, go + 2 * n, v);
            GateFractions.sigmoidOf(z, zo + 3 * n, gates, go + 3 * n, v);
            GateFractions.tanhOf(t, 0, actC, aco, v);
        }
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
