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
