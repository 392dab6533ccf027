package io.rnn4j.layers.ops;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.GradCheck;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Model;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Power, Clip, Cast, Sign, Floor, Ceil and Round against plain-Java references of C's pow,
 * floor, ceil and rint (what TensorFlow's float32 kernels compute), on awkward values: negative
 * bases, 0 and -0, halves, 2^23 and beyond, ±∞ and NaN; their gradients against central
 * differences ({@link GradCheck}) and TensorFlow's conventions where differences cannot tell
 * (_PowGrad's NaN at 0 ** 0, clip's bounds inclusive, zero gradients for the roundings); None
 * timesteps; refusals. Seed 29.
 */
class KerasOpsPowerRoundingTest {
    private final Random r = new Random(29);

    private static final float INF = Float.POSITIVE_INFINITY;
    private static final float[] AWKWARD = {0f, -0f, 1f, -1f, 0.5f, -0.5f, 1.5f, -2.5f, 2.5f, 3f, -3f, 0.1f, -0.7f,
        7.25f, -13.4f, 1e-3f, 123.456f, -1e4f, 8388607.5f, 8388608f, -8388609f, 3e9f, -1e30f, INF, -INF, Float.NaN,
        Float.MIN_VALUE, 4194303.5f, -4194304.5f};

    private static Layer built(Layer op, int... sample) {
        op.build(List.of(Shape.of(sample)), Devices.defaultDevice(), null);
        return op;
    }

    /** The operation on one (1, n) tensor of {@code v}. */
    private static float[] run(Layer op, float[] v) {
        if (!op.isBuilt()) {
            built(op, v.length);
        }
        Variable x = Variable.constant(Tensor.of(v, 1, v.length));
        return op.callAll(List.of(x), null, CallContext.inference()).get(0).value().toArray();
    }

    /** The gradient of sum(op(x)) at x = v. */
    private static float[] gradient(Layer op, float[] v) {
        if (!op.isBuilt()) {
            built(op, v.length);
        }
        Variable x = Variable.parameter(Tensor.of(v, 1, v.length));
        Variable y = op.callAll(List.of(x), null, CallContext.inference()).get(0);
        y.backward(y.value().device().full(y.value().shape(), 1f));
        return x.grad().toArray();
    }

    /** Within {@code ulps} float32 ulps of the reference (NaN for NaN, the same infinity, 0 for 0). */
    private static void near(String what, float[] got, double[] want, double ulps) {
        near(what, got, want, i -> ulps);
    }

    private static void near(String what, float[] got, double[] want, IntToDoubleFunction bar) {
        for (int i = 0; i < got.length; i++) {
            double ulps = bar.applyAsDouble(i);
            float w = (float) want[i];
            if (Float.isNaN(w)) {
                assertThat(got[i]).as("%s: element %d, reference NaN", what, i).isNaN();
            } else if (Float.isInfinite(w) || w == 0f) {
                assertThat(got[i] == w).as("%s: element %d, rnn4j %s, reference %s", what, i, got[i], w).isTrue();
            } else {
                assertThat((double) Math.abs(got[i] - w)).as("%s: element %d, rnn4j %s, reference %s (bar %s ulps)",
                        what, i, got[i], w, ulps).isLessThanOrEqualTo(ulps * Math.ulp(w));
            }
        }
    }

    @Test
    void powerOfANumberExponentIsCsPowWithinUlpsForEverySignAndSpecialValue() {
        float[] exponents = {2f, 3f, 0f, 1f, -1f, -2f, 7f, 0.5f, 1.5f, -0.5f, -2.5f, 2.7f, -0.3f, 40f, 1e9f};
        for (float p : exponents) {
            float[] got = run(new Arithmetic(Arithmetic.Kind.POWER, null, (double) p), AWKWARD);
            double[] want = new double[AWKWARD.length];
            float[] kept = got.clone();
            for (int i = 0; i < AWKWARD.length; i++) {
                want[i] = Math.pow(AWKWARD[i], p); // C's pow special cases; float32's range after rounding
                if (AWKWARD[i] == -INF && p != Math.rint(p)) {
                    // documented: -inf to a non-integral power is NaN here, +inf or +0 in powf
                    assertThat(got[i]).as("-inf ** %s", p).isNaN();
                    want[i] = Float.NaN;
                }
            }
            // correctly rounded for p = 0, 1, 2, 0.5 (1, x, x·x, sqrt); else a few ulps per unit of
            // |p ln x| (repeated squaring and exp(p ln x) both lose so)
            boolean exact = p == 2f || p == 1f || p == 0f || p == 0.5f;
            near("x ** " + p, kept, want, i -> exact ? 0.5 : 4 + 2 * Math.abs(p * Math.log(Math.abs(AWKWARD[i]))));
        }
    }

    @Test
    void integralExponentsKeepANegativeBasesSignAndZeroToTheZeroIsOne() {
        float[] got = run(new Arithmetic(Arithmetic.Kind.POWER, null, 3.0), new float[] {-2f, -0f, -INF});
        assertThat(got).containsExactly(-8f, -0f, -INF);
        assertThat(run(new Arithmetic(Arithmetic.Kind.POWER, null, 0.0), new float[] {0f, Float.NaN, -INF}))
                .as("pow(x, 0) is 1 for every x, NaN included").containsExactly(1f, 1f, 1f);
        assertThat(run(new Arithmetic(Arithmetic.Kind.POWER, null, -1.0), new float[] {0f, -0f}))
                .containsExactly(INF, -INF);
        assertThat(run(new Arithmetic(Arithmetic.Kind.POWER, null, 0.5), new float[] {-0f, -1f}))
                .as("powf(-0, 0.5) is +0; a negative base to a non-integral power is NaN")
                .containsExactly(0f, Float.NaN);
        assertThat(Float.floatToIntBits(run(new Arithmetic(Arithmetic.Kind.POWER, null, 0.5), new float[] {-0f})[0]))
                .as("+0, not -0").isZero();
    }

    @Test
    void aNumberBaseIsExpOfXLnC() {
        float[] ys = {0f, 1f, -1f, 2.5f, -3.75f, 10f, -20f, 0.1f, 100f, -INF, INF, Float.NaN};
        for (double c : new double[] {2, 2.5, 0.5, 10, 1, 1e-3}) {
            float[] got = run(new Arithmetic(Arithmetic.Kind.POWER, c, null), ys);
            double[] want = new double[ys.length];
            for (int i = 0; i < ys.length; i++) {
                want[i] = c == 1 ? 1 : Math.pow((float) c, ys[i]);
            }
            near(c + " ** y", got, want, i -> c == 1 ? 0 : 4 + 2 * Math.abs(ys[i] * Math.log(c)));
        }
    }

    @Test
    void powerGradientsMatchDifferencesAndTensorFlowsPowGradAtZero() {
        Tensor x = uniform(r, 0.3f, 2f, 2, 3);
        float[] signed = x.toArray();
        for (int i = 0; i < signed.length; i += 2) {
            signed[i] = -signed[i];
        }
        Tensor s = Tensor.of(signed, 2, 3);
        for (double p : new double[] {2, 3, -1, -2, 0, 1, 7}) {
            Arithmetic op = new Arithmetic(Arithmetic.Kind.POWER, null, p);
            built(op, 3);
            GradCheck.check("x ** " + p + " over signed x", v -> op.callAll(List.of(v[0]), null,
                    CallContext.inference()).get(0), s);
        }
        for (double p : new double[] {0.5, 1.5, -0.5, 2.7, -1.3}) {
            Arithmetic op = new Arithmetic(Arithmetic.Kind.POWER, null, p);
            built(op, 3);
            GradCheck.check("x ** " + p + " over positive x", v -> op.callAll(List.of(v[0]), null,
                    CallContext.inference()).get(0), x);
        }
        for (double c : new double[] {2.5, 0.5, 1}) {
            Arithmetic op = new Arithmetic(Arithmetic.Kind.POWER, c, null);
            built(op, 3);
            GradCheck.check(c + " ** y", v -> op.callAll(List.of(v[0]), null, CallContext.inference()).get(0), s);
        }
        // _PowGrad: g · p · x ** (p − 1): 0 ** 0 has NaN (0 · 0 ** -1 = 0 · ∞), x ** 2 at 0 has 0,
        // x ** 0.5 at 0 has +∞, x ** -1 at 0 has -∞
        assertThat(gradient(new Arithmetic(Arithmetic.Kind.POWER, null, 0.0), new float[] {0f, 2f, -3f}))
                .containsExactly(Float.NaN, 0f, -0f);
        assertThat(gradient(new Arithmetic(Arithmetic.Kind.POWER, null, 2.0), new float[] {0f, -3f}))
                .containsExactly(0f, -6f);
        assertThat(gradient(new Arithmetic(Arithmetic.Kind.POWER, null, 0.5), new float[] {0f, 4f}))
                .containsExactly(INF, 0.25f);
        assertThat(gradient(new Arithmetic(Arithmetic.Kind.POWER, null, -1.0), new float[] {0f, 2f}))
                .containsExactly(-INF, -0.25f);
    }

    @Test
    void roundingsAreCsFloorCeilAndRintHalfToEvenOnEveryAwkwardValue() {
        double[] floor = new double[AWKWARD.length];
        double[] ceil = new double[AWKWARD.length];
        double[] rint = new double[AWKWARD.length];
        double[] sign = new double[AWKWARD.length];
        for (int i = 0; i < AWKWARD.length; i++) {
            floor[i] = Math.floor(AWKWARD[i]);
            ceil[i] = Math.ceil(AWKWARD[i]);
            rint[i] = Math.rint(AWKWARD[i]);
            sign[i] = Math.signum(AWKWARD[i]); // NaN for NaN, as TensorFlow 2's tf.sign
        }
        near("floor", run(new Rounding(Rounding.Kind.FLOOR), AWKWARD), floor, 0);
        near("ceil", run(new Rounding(Rounding.Kind.CEIL), AWKWARD), ceil, 0);
        near("round", run(new Rounding(Rounding.Kind.ROUND), AWKWARD), rint, 0);
        near("sign", run(new Rounding(Rounding.Kind.SIGN), AWKWARD), sign, 0);
        float[] halves = new float[41];
        double[] even = new double[halves.length];
        for (int i = 0; i < halves.length; i++) {
            halves[i] = (i - 20) + 0.5f;
            even[i] = Math.rint(halves[i]);
        }
        near("round half to even", run(new Rounding(Rounding.Kind.ROUND), halves), even, 0);
    }

    @Test
    void roundWithDecimalsScalesByAFloat32PowerOfTenAsKerasOnTensorFlow() {
        float[] v = uniform(r, -50f, 50f, 64).toArray();
        for (int decimals : new int[] {2, 1, -1, 3}) {
            float f = (float) Math.pow(10, decimals); // exact for these before the float32 rounding
            double[] want = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                want[i] = (float) Math.rint(v[i] * f) / f; // float32 product, rint, float32 quotient
            }
            near("round(x, " + decimals + ")", run(new Rounding(Rounding.Kind.ROUND, decimals), v), want, 0);
        }
    }

    @Test
    void roundingsHaveZeroGradientsAsTensorFlow() {
        float[] v = {-2.5f, -1f, -0.3f, 0f, 0.3f, 0.5f, 1.7f, 3f};
        for (Rounding.Kind k : Rounding.Kind.values()) {
            assertThat(gradient(new Rounding(k), v)).as("%s's gradient", k).containsOnly(0f);
        }
        assertThat(gradient(new Rounding(Rounding.Kind.ROUND, 2), v)).containsOnly(0f);
    }

    @Test
    void clipIsClipByValueWithTheBoundsInclusiveInItsGradient() {
        float[] v = {-2f, -0.5f, -0.49f, 0f, 0.7f, 1f, 1.01f, INF, -INF};
        Clip c = new Clip(-0.5, 1);
        assertThat(run(c, v)).containsExactly(-0.5f, -0.5f, -0.49f, 0f, 0.7f, 1f, 1f, 1f, -0.5f);
        assertThat(gradient(new Clip(-0.5, 1), v)).as("1 where x_min <= x <= x_max, the bounds included")
                .containsExactly(0f, 1f, 1f, 1f, 1f, 1f, 0f, 0f, 0f);
        Clip d = new Clip(-0.4, 0.6);
        built(d, 2, 3);
        GradCheck.check("clip(x, -0.4, 0.6) away from the bounds", v2 -> d.callAll(List.of(v2[0]), null,
                CallContext.inference()).get(0), Tensor.of(new float[] {-1f, -0.2f, 0.1f, 0.3f, 0.9f, 2f, 0f, -0.1f,
                0.5f, -3f, 0.45f, 0.2f}, 2, 2, 3));
    }

    @Test
    void castToFloat32IsXItselfWithItsGradient() {
        float[] v = {1.5f, -2f, Float.NaN};
        assertThat(run(new Cast("float32"), v)).containsExactly(1.5f, -2f, Float.NaN);
        assertThat(gradient(new Cast("float32"), v)).containsExactly(1f, 1f, 1f);
    }

    @Test
    void theOperationsTakeNoneTimestepsInAModel() {
        Input in = Input.shape(Input.NONE, 2);
        var y = KerasOps.round(KerasOps.clip(KerasOps.power(KerasOps.cast(in, "float32"), 2), 0, 5), 1);
        Model m = Model.of(in, KerasOps.sign(KerasOps.floor(KerasOps.ceil(KerasOps.power(2.0, y)))));
        for (int steps : new int[] {1, 4}) {
            Tensor x = uniform(r, -3f, 3f, 2, steps, 2);
            float[] got = m.predict(x).toArray();
            assertThat(m.predict(x).shape().dims()).containsExactly(2, steps, 2);
            assertThat(got).as("2 ** anything is positive; its ceil, floor and sign 1").containsOnly(1f);
        }
    }

    @Test
    void badArgumentsAreRefusedNamingTheOperation() {
        assertThatThrownBy(() -> new Arithmetic(Arithmetic.Kind.POWER)).hasMessageEndingWith("(Power): a "
                + "tensor to the power of a tensor; rnn4j computes power with a number on one side (x ** 2.0, "
                + "2.0 ** x)");
        assertThatThrownBy(() -> new Arithmetic(Arithmetic.Kind.POWER, -2.0, null)).hasMessageEndingWith(
                "(Power): the number base x1 must be finite and above 0 (rnn4j computes c ** x as exp(x ln c)), "
                        + "got -2.0");
        assertThatThrownBy(() -> new Arithmetic(Arithmetic.Kind.POWER, 0.0, null)).hasMessageContaining("above 0");
        assertThatThrownBy(() -> new Arithmetic(Arithmetic.Kind.POWER, null, Double.POSITIVE_INFINITY))
                .hasMessageEndingWith("(Power): the exponent x2 must be a finite float32 number, got Infinity");
        assertThatThrownBy(() -> new Clip(1, 0)).hasMessageEndingWith(
                "(Clip): expected x_min <= x_max (as float32), got x_min 1.0 and x_max 0.0");
        assertThatThrownBy(() -> new Cast("int32")).hasMessageEndingWith(
                "(Cast): dtype 'int32': rnn4j computes in float32 only, so it casts to \"float32\" only");
        assertThatThrownBy(() -> new Rounding(Rounding.Kind.FLOOR, 2)).hasMessageEndingWith(
                "(Floor): decimals=2: only Round takes decimals");
        assertThatThrownBy(() -> new Rounding(Rounding.Kind.ROUND, 50)).hasMessageEndingWith(
                "(Round): decimals=50 makes the float32 factor 10^decimals Infinity; rnn4j rounds with decimals "
                        + "from -45 to 38");
        Layer op = built(new Rounding(Rounding.Kind.SIGN), 3);
        assertThatThrownBy(() -> op.callAll(List.of(Variable.constant(Tensor.of(new float[4], 1, 2, 2))), null,
                CallContext.inference())).hasMessageContaining("Operation 'sign").hasMessageContaining("(Sign): "
                + "expected input 0 of rank 2");
    }
}
