package io.rnn4j.layers.model;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.ELU;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.LeakyReLU;
import io.rnn4j.layers.PReLU;
import io.rnn4j.layers.ReLU;
import io.rnn4j.layers.Softmax;
import io.rnn4j.layers.internal.Piecewise;

/**
 * The steps of the activation layers for {@link StepRunner}: the same device ops, in the same
 * order, as each layer's forward (so a step gives predict's numbers bit for bit), on buffers
 * allocated here once. Refused: ReLU with a threshold (its {@code where(x > threshold, x, 0)} is a
 * gather whose indices would be made per step), PReLU with an alpha per step (the step's position
 * is not known here), and Softmax over any axis but the features (it needs the whole sequence).
 */
final class ActivationSteps {
    private ActivationSteps() {
    }

    /** The step of {@code l} reading {@code in} (1, features) and writing {@code out} (its shape). */
    static StepRunner.Step of(Layer l, Tensor in, Tensor out) {
        Device d = in.device();
        return switch (l) {
            case ReLU r -> relu(r, in, out);
            case LeakyReLU r -> slopes(in, r.negativeSlope(), in, out);
            case ELU e -> {
                StepRunner.Step scale = slopes(in, e.alpha(), out, out);
                yield e.alpha() == 1f ? () -> d.unary(UnaryOp.ELU, in, out) : () -> {
                    d.unary(UnaryOp.ELU, in, out);
                    scale.run();
                };
            }
            case PReLU p -> prelu(p, in, out);
            case Softmax s -> softmax(s, in, out);
            default -> throw new IllegalArgumentException("not an activation layer: " + l);
        };
    }

    /** {@code out = y · (x > 0 ? 1 : slope)}: TensorFlow's leaky_relu for {@code y = x}. */
    private static StepRunner.Step slopes(Tensor x, float slope, Tensor y, Tensor out) {
        Device d = x.device();
        Tensor ones = d.full(x.shape(), 1f);
        Tensor tmp = d.zeros(x.shape());
        Tensor m = d.zeros(x.shape());
        return () -> {
            Piecewise.slopes(x, slope, ones, tmp, m);
            d.binary(BinaryOp.MUL, y, m, out);
        };
    }

    private static StepRunner.Step relu(ReLU r, Tensor in, Tensor out) {
        Device d = in.device();
        float slope = r.negativeSlope();
        Float max = r.maxValue();
        if (r.threshold() != 0f) {
            throw new IllegalArgumentException("layer '" + r.name() + "' (ReLU) has threshold " + r.threshold()
                    + " and cannot run step by step; stepping takes ReLU without a threshold");
        }
        if (slope != 0f && max == null) {
            return slopes(in, slope, in, out);
        }
        Tensor neg = d.zeros(in.shape());
        Tensor zero = d.full(Shape.of(), 0f);
        Tensor hi = max == null ? null : d.full(Shape.of(), max);
        boolean relu6 = max != null && max == 6f;
        return () -> {
            if (slope != 0f) {
                d.affine(in, -1f, 0f, neg);
                d.unary(UnaryOp.RELU, neg, neg);
            }
            if (!relu6) {
                d.unary(UnaryOp.RELU, in, out);
            }
            if (hi != null) {  // relu6, and clip: min(max(y, 0), max_value)
                d.binary(BinaryOp.MAX, relu6 ? in : out, zero, out);
                d.binary(BinaryOp.MIN, out, hi, out);
            }
            if (slope != 0f) {
                d.affine(neg, slope, 0f, neg);
                d.binary(BinaryOp.SUB, out, neg, out);
            }
        };
    }

    private static StepRunner.Step prelu(PReLU p, Tensor in, Tensor out) {
        Tensor alpha = p.alpha().value();
        Shape sample = p.inputShape();
        if (sample.rank() > 2 || sample.rank() == 2 && alpha.dim(0) != 1) {
            throw new IllegalArgumentException("layer '" + p.name() + "' (PReLU) has an alpha " + alpha.shape()
                    + " per step and cannot run step by step; stepping takes a PReLU whose alpha is shared over "
                    + "the steps (shared_axes=[1])");
        }
        Device d = in.device();
        // One alpha per feature, or a single one when the features are shared too (it broadcasts).
        int alphas = Math.toIntExact(alpha.size());
        Tensor alphaRow = alpha.reshape(1, alphas);
        Tensor negAlpha = d.zeros(1, alphas);
        Tensor pos = d.zeros(in.shape());
        Tensor neg = d.zeros(in.shape());
        return () -> {
            d.unary(UnaryOp.RELU, in, pos);
            d.affine(in, -1f, 0f, neg);
            d.unary(UnaryOp.RELU, neg, neg);
            d.affine(alphaRow, -1f, 0f, negAlpha);  // read each step: training may change alpha
            d.binary(BinaryOp.MUL, negAlpha, neg, neg);
            d.binary(BinaryOp.ADD, pos, neg, out);
        };
    }

    private static StepRunner.Step softmax(Softmax s, Tensor in, Tensor out) {
        int[] axes = s.axes();
        int rank = s.inputShape().rank() + 1;
        if (axes.length != 1 || (axes[0] < 0 ? axes[0] + rank : axes[0]) != rank - 1) {
            throw new IllegalArgumentException("layer '" + s.name() + "' (Softmax) is taken over axis "
                    + java.util.Arrays.toString(axes) + " of a (batch, " + (rank == 3 ? "steps, " : "")
                    + "features) input and cannot run step by step; stepping takes a softmax over the last axis");
        }
        Device d = in.device();
        return () -> d.softmax(in, -1, false, out);
    }
}
