package io.rnn4j.layers;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.internal.Piecewise;

/**
 * Keras's ReLU layer ({@code keras.layers.ReLU}): {@code max_value} where {@code x >= max_value},
 * x where {@code threshold <= x < max_value}, {@code negative_slope · (x − threshold)} below the
 * threshold. Defaults: no max_value, negative_slope 0, threshold 0 (plain relu). Passes the mask on.
 *
 * <p>Computed as Keras 3's {@code activations.relu} on TensorFlow, step for step, so the values
 * and the gradients at the kinks are TensorFlow's: with a slope and neither max_value nor
 * threshold it is {@code leaky_relu} (gradient {@code negative_slope} at 0); otherwise
 * {@code y = where(x > threshold, x, 0)} (or {@code relu6} for max_value 6 and no threshold, or
 * {@code relu}), then {@code clip(y, 0, max_value)}, then {@code y − negative_slope · relu(threshold − x)}.
 * At the kinks: relu and where give 0 at {@code x == threshold} (and at 0), relu6 gives 0 at 0 and
 * at 6, clip passes the gradient at {@code y == max_value}.
 */
public final class ReLU extends ShapeKeepingLayer {
    private final Float maxValue;
    private final float negativeSlope;
    private final float threshold;

    /** Plain relu: {@code max(x, 0)}. */
    public ReLU() {
        this(null, 0f, 0f);
    }

    /**
     * Keras's {@code ReLU(max_value, negative_slope, threshold)}; each is kept as a float32. A
     * boxed {@code Double} so that null says Keras's None: write {@code new ReLU(6.0, 0.1, 0.0)}.
     *
     * @param maxValue      Keras's max_value: the largest output, or null for none (Keras's None)
     * @param negativeSlope Keras's negative_slope: the slope below the threshold, {@code >= 0}
     * @param threshold     Keras's threshold: below it the output is damped, {@code >= 0}
     * @throws IllegalArgumentException for a negative (or NaN) value, as Keras's ReLU refuses one
     */
    public ReLU(Double maxValue, double negativeSlope, double threshold) {
        super("re_lu");
        this.maxValue = maxValue == null ? null : checked("max_value", maxValue, true);
        this.negativeSlope = checked("negative_slope", negativeSlope, true);
        this.threshold = checked("threshold", threshold, true);
    }

    /** max_value, or null for none. */
    public Float maxValue() {
        return maxValue;
    }

    /** Keras's negative_slope, as the float32 applied. */
    public float negativeSlope() {
        return negativeSlope;
    }

    /** Keras's threshold, as the float32 applied. */
    public float threshold() {
        return threshold;
    }

    /** Whether Keras takes TensorFlow's leaky_relu for these options. */
    boolean isLeaky() {
        return negativeSlope != 0f && maxValue == null && threshold == 0f;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        if (isLeaky()) {
            return LeakyReLU.leaky(x, negativeSlope);
        }
        Device d = x.device();
        Variable negative = negativeSlope != 0f ? Ops.unary(UnaryOp.RELU, Ops.affine(x, -1f, threshold)) : null;
        boolean clip = maxValue != null;
        Variable y;
        if (threshold != 0f) {
            y = Ops.where(Piecewise.greater(x.value(), threshold), x, Variable.constant(d.zeros(Shape.of())));
        } else if (maxValue != null && maxValue == 6f) {
            // TensorFlow's relu6: clip's values, but its gradient is 0 at both ends (0 < x < 6 only).
            Tensor inside = Piecewise.greater(x.value(), 0f);
            d.binary(BinaryOp.MUL, inside, Piecewise.less(x.value(), 6f), inside);
            Tensor clipped = d.zeros(x.shape());
            relu6(x.value(), clipped);
            y = Ops.where(inside, x, Variable.constant(clipped));
            clip = false;
        } else {
            y = Ops.unary(UnaryOp.RELU, x);
        }
        if (clip) {
            y = Ops.clip(y, 0f, maxValue);
        }
        return negative == null ? y : Ops.sub(y, Ops.scale(negative, negativeSlope));
    }

    /** {@code out = min(max(x, 0), 6)}, as Ops.clip computes it. */
    static void relu6(Tensor x, Tensor out) {
        Device d = x.device();
        d.binary(BinaryOp.MAX, x, d.full(Shape.of(), 0f), out);
        d.binary(BinaryOp.MIN, out, d.full(Shape.of(), 6f), out);
    }
}
