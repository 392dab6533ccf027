package io.rnn4j.layers.constraints;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.KerasConfig;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Keras's weight constraints, as device ops: max_norm, non_neg, unit_norm. Norms are taken along
 * {@code axis} (Keras's default 0: each column of a (in, out) kernel), with Keras's epsilon 1e-7.
 */
public final class Constraints {
    /** Keras's backend epsilon. */
    private static final float EPSILON = 1e-7f;

    private Constraints() {
    }

    /** Keras's MaxNorm(max_value=2, axis=0). */
    public static Constraint maxNorm() {
        return maxNorm(2f, 0);
    }

    /**
     * Keras's MaxNorm(max_value, axis): {@code w · clip(‖w‖, 0, maxValue) / (eps + ‖w‖)}, norms along
     * {@code axis}; max_value is kept as a float32.
     */
    public static Constraint maxNorm(double maxValue, int axis) {
        float max = (float) maxValue;
        return new Named(KerasConfig.of("MaxNorm", "max_value", KerasConfig.decimal(max), "axis", axis), w -> {
            Device d = w.device();
            Tensor norms = norms(w, axis);
            Tensor desired = d.zeros(norms.shape());
            d.binary(BinaryOp.MIN, norms, d.full(Shape.of(), max), desired);
            d.affine(norms, 1f, EPSILON, norms);
            d.binary(BinaryOp.DIV, desired, norms, desired);
            d.binary(BinaryOp.MUL, w, desired, w);
        });
    }

    /** Keras's MinMaxNorm(min_value=0, max_value=1, rate=1, axis=0). */
    public static Constraint minMaxNorm() {
        return minMaxNorm(0.0, 1.0, 1.0, 0);
    }

    /**
     * Keras's MinMaxNorm(min_value, max_value, rate, axis): {@code w · desired / (eps + ‖w‖)} with
     * {@code desired = rate · clip(‖w‖, min, max) + (1 − rate) · ‖w‖}, norms along {@code axis}, in
     * float32 as Keras computes it ({@code 1 − rate} taken in double first, as Python does).
     *
     * @throws IllegalArgumentException for a min above the max, or a rate outside [0, 1]
     */
    public static Constraint minMaxNorm(double minValue, double maxValue, double rate, int axis) {
        if (!(minValue <= maxValue) || !(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("MinMaxNorm: expected min_value <= max_value and rate in [0, 1], got "
                    + "min_value=" + minValue + ", max_value=" + maxValue + ", rate=" + rate);
        }
        float lo = (float) minValue;
        float hi = (float) maxValue;
        float r = (float) rate;
        float rest = (float) (1 - rate);
        KerasConfig config = KerasConfig.of("MinMaxNorm", "min_value", KerasConfig.decimal(lo), "max_value",
                KerasConfig.decimal(hi), "rate", KerasConfig.decimal(r), "axis", axis);
        return new Named(config, w -> {
            Device d = w.device();
            Tensor norms = norms(w, axis);
            Tensor desired = d.zeros(norms.shape());
            Tensor kept = d.zeros(norms.shape());
            d.binary(BinaryOp.MAX, norms, d.full(Shape.of(), lo), desired);  // clip: min(max(x, lo), hi)
            d.binary(BinaryOp.MIN, desired, d.full(Shape.of(), hi), desired);
            d.binary(BinaryOp.MUL, desired, d.full(Shape.of(), r), desired);
            d.binary(BinaryOp.MUL, norms, d.full(Shape.of(), rest), kept);
            d.binary(BinaryOp.ADD, desired, kept, desired);
            d.affine(norms, 1f, EPSILON, norms);
            d.binary(BinaryOp.DIV, desired, norms, desired);
            d.binary(BinaryOp.MUL, w, desired, w);
        });
    }

    /** Negative values set to zero. */
    public static Constraint nonNeg() {
        return new Named(KerasConfig.of("NonNeg"), w -> w.device().unary(UnaryOp.RELU, w, w));
    }

    /** Keras's UnitNorm(axis=0). */
    public static Constraint unitNorm() {
        return unitNorm(0);
    }

    /** {@code w / (eps + ‖w‖)}, norms along {@code axis}. */
    public static Constraint unitNorm(int axis) {
        return new Named(KerasConfig.of("UnitNorm", "axis", axis), w -> {
            Tensor norms = norms(w, axis);
            w.device().affine(norms, 1f, EPSILON, norms);
            w.device().binary(BinaryOp.DIV, w, norms, w);
        });
    }

    /** sqrt(Σ w²) along axis, kept as 1 so that it broadcasts against w. */
    private static Tensor norms(Tensor w, int axis) {
        Device d = w.device();
        int a = w.shape().axis(axis);
        Tensor sq = d.zeros(w.shape());
        d.unary(UnaryOp.SQUARE, w, sq);
        Tensor norms = d.zeros(w.shape().with(a, 1));
        d.reduce(ReduceOp.SUM, sq, a, norms);
        d.unary(UnaryOp.SQRT, norms, norms);
        return norms;
    }

    /** A projection and the Keras class it is. */
    private record Named(KerasConfig config, Consumer<Tensor> projection) implements Constraint {
        @Override
        public void apply(Tensor weight) {
            projection.accept(weight);
        }

        @Override
        public Optional<KerasConfig> kerasConfig() {
            return Optional.of(config);
        }
    }
}
