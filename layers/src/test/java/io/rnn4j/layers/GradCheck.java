package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Autograd;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

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
        Variable[] vars = new Variable[inputs.length];
        List<Variable> params = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            boolean isConstant = i < constant.length && constant[i];
            vars[i] = isConstant ? Variable.constant(inputs[i]) : Variable.parameter(inputs[i]);
            if (!isConstant) {
                params.add(vars[i]);
            }
        }
        checkParameters(what, () -> f.apply(vars), params);
    }

    /**
     * Checks the gradients of existing parameters (a layer's weights, an input made a parameter):
     * {@code f} builds the output from them afresh on each call; their values are perturbed in place
     * for the differences and restored.
     */
    public static void checkParameters(String what, Supplier<Variable> f, List<Variable> params) {
        long seed = what.hashCode();
        for (Variable p : params) {
            p.zeroGrad();
        }
        Variable out = f.get();
        float[] w = new float[Math.toIntExact(out.value().size())];
        Random r = new Random(seed);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextDouble() * 2 - 1);
        }
        Tensor wt = out.value().device().tensor(w, out.shape().dims());
        Variable loss = Ops.sumAll(Ops.mul(out, Variable.constant(wt)));
        loss.backward();
        for (int i = 0; i < params.size(); i++) {
            Tensor value = params.get(i).value();
            assertThat(params.get(i).grad()).as("%s: parameter %d got a gradient", what, i).isNotNull();
            float[] analytic = params.get(i).grad().toArray();
            float[] x = value.toArray();
            for (int j = 0; j < x.length; j++) {
                float saved = x[j];
                double h = STEP * Math.max(1.0, Math.abs(saved));
                x[j] = (float) (saved + h);
                double hPlus = x[j] - (double) saved;
                value.device().write(x, value);
                double up = weighted(f, w);
                x[j] = (float) (saved - h);
                double hMinus = saved - (double) x[j];
                value.device().write(x, value);
                double down = weighted(f, w);
                x[j] = saved;
                value.device().write(x, value);
                double numeric = (up - down) / (hPlus + hMinus);
                assertThat((double) analytic[j])
                        .as("%s: d/d parameter %d %s element %d (seed %d): analytic %s vs float64 central difference %s",
                                what, i, value.shape(), j, seed, analytic[j], numeric)
                        .isCloseTo(numeric, org.assertj.core.data.Offset.offset(ATOL + RTOL * Math.abs(numeric)));
            }
            params.get(i).zeroGrad();
        }
    }

    private static double weighted(Supplier<Variable> f, float[] w) {
        try (var _ = Autograd.noGrad()) {
            float[] out = f.get().value().toArray();
            double s = 0;
            for (int k = 0; k < out.length; k++) {
                s += (double) w[k] * out[k];
            }
            return s;
        }
    }

    /**
     * Checks the gradients of {@code out}, which runs the built {@code layer} on the parameter
     * {@code in}, with respect to {@code in} and to every weight of the layer.
     */
    public static void checkLayer(String what, Layer layer, Variable in, Supplier<Variable> out) {
        List<Variable> params = new ArrayList<>();
        params.add(in);
        for (Weight w : layer.weights()) {
            params.add(w.variable());
        }
        checkParameters(what, out, params);
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
