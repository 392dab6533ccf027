package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Autograd;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Random;
import java.util.function.Function;

/**
 * Checks an autograd computation's gradients against central finite differences taken in float64:
 * the scalar {@code L = Σ w·f(inputs)} (fixed random w, summed in double on the host) is
 * differenced for every element of every input, and compared with what backward gives.
 *
 * <p>The forward runs in float32 (the devices' type), so the bar is
 * {@code |analytic − numeric| <= ATOL + RTOL·|numeric|} with step {@link #STEP}: float32 rounding
 * contributes about 1e-6 / STEP, truncation about STEP²; a wrong formula misses by orders more.
 */
public final class GradCheck {
    public static final double STEP = 4e-3;
    public static final double ATOL = 2e-3;
    public static final double RTOL = 1e-2;

    private GradCheck() {
    }

    /** Checks every input's gradient; inputs are made parameters for the analytic pass. */
    public static void check(String what, Function<Variable[], Variable> f, Tensor... inputs) {
        check(what, f, new boolean[0], inputs);
    }

    /** As {@link #check(String, Function, Tensor...)}, skipping inputs where {@code constant[i]}. */
    public static void check(String what, Function<Variable[], Variable> f, boolean[] constant, Tensor... inputs) {
        long seed = what.hashCode();
        Variable[] vars = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            boolean isConstant = i < constant.length && constant[i];
            vars[i] = isConstant ? Variable.constant(inputs[i]) : Variable.parameter(inputs[i]);
        }
        Variable out = f.apply(vars);
        float[] w = new float[Math.toIntExact(out.value().size())];
        Random r = new Random(seed);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextDouble() * 2 - 1);
        }
        Tensor wt = out.value().device().tensor(w, out.shape().dims());
        Variable loss = Ops.sumAll(Ops.mul(out, Variable.constant(wt)));
        loss.backward();
        for (int i = 0; i < inputs.length; i++) {
            if (i < constant.length && constant[i]) {
                continue;
            }
            assertThat(vars[i].grad()).as("%s: input %d got a gradient", what, i).isNotNull();
            float[] analytic = vars[i].grad().toArray();
            float[] x = inputs[i].toArray();
            for (int j = 0; j < x.length; j++) {
                float saved = x[j];
                double h = STEP * Math.max(1.0, Math.abs(saved));
                x[j] = (float) (saved + h);
                double hPlus = x[j] - (double) saved;
                inputs[i].device().write(x, inputs[i]);
                double up = weighted(f, inputs, constant, w);
                x[j] = (float) (saved - h);
                double hMinus = saved - (double) x[j];
                inputs[i].device().write(x, inputs[i]);
                double down = weighted(f, inputs, constant, w);
                x[j] = saved;
                inputs[i].device().write(x, inputs[i]);
                double numeric = (up - down) / (hPlus + hMinus);
                assertThat((double) analytic[j])
                        .as("%s: d/d input %d element %d (seed %d): analytic %s vs float64 central difference %s",
                                what, i, j, seed, analytic[j], numeric)
                        .isCloseTo(numeric, org.assertj.core.data.Offset.offset(ATOL + RTOL * Math.abs(numeric)));
            }
        }
    }

    private static double weighted(Function<Variable[], Variable> f, Tensor[] inputs, boolean[] constant, float[] w) {
        try (var scope = Autograd.noGrad()) {
            Variable[] vars = new Variable[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                vars[i] = Variable.constant(inputs[i]);
            }
            float[] out = f.apply(vars).value().toArray();
            double s = 0;
            for (int k = 0; k < out.length; k++) {
                s += (double) w[k] * out[k];
            }
            return s;
        }
    }

    /** A tensor of uniform values in [lo, hi) on the default device. */
    public static Tensor uniform(Random r, float lo, float hi, int... dims) {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * r.nextFloat();
        }
        return Tensor.of(v, dims);
    }
}
