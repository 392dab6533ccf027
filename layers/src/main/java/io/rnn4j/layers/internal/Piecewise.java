package io.rnn4j.layers.internal;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;

/**
 * The 0/1 and slope masks the piecewise activation layers (ReLU, LeakyReLU, ELU) multiply by or
 * select with, made from device ops only, for the layers' forward and for stepping (which passes
 * buffers it allocated once). A comparison is relu's derivative, which every backend gives as 1
 * exactly where its argument is positive ({@code x - t > 0} exactly where {@code x > t} for
 * floats), so NaN compares false on every side, as TensorFlow's {@code x > t} does.
 */
public final class Piecewise {
    private Piecewise() {
    }

    /**
     * {@code out = 1} where {@code x > t}, else 0 (NaN: 0). {@code ones} holds 1s of x's shape;
     * {@code tmp} is scratch of x's shape (unused when t is 0); out must not overlap x or tmp.
     */
    public static void greater(Tensor x, float t, Tensor ones, Tensor tmp, Tensor out) {
        Device d = x.device();
        Tensor arg = x;
        if (t != 0f) {
            d.affine(x, 1f, -t, tmp);
            arg = tmp;
        }
        d.unaryBackward(UnaryOp.RELU, arg, ones, out);
    }

    /**
     * {@code out = 1} where {@code x < t}, else 0 (NaN: 0), from {@code t - x > 0}; buffers as
     * {@link #greater}.
     */
    public static void less(Tensor x, float t, Tensor ones, Tensor tmp, Tensor out) {
        Device d = x.device();
        d.affine(x, -1f, t, tmp);
        d.unaryBackward(UnaryOp.RELU, tmp, ones, out);
    }

    /**
     * {@code out = 1} where {@code x > 0}, else {@code slope} (NaN: slope), exactly: the 0/1 mask m
     * plus {@code slope − slope·m} (0 or slope, no rounding), so {@code x · out} is TensorFlow's
     * leaky_relu {@code x > 0 ? x : x·slope} bit for bit and its gradient LeakyReluGrad's.
     */
    public static void slopes(Tensor x, float slope, Tensor ones, Tensor tmp, Tensor out) {
        Device d = x.device();
        d.unaryBackward(UnaryOp.RELU, x, ones, out);
        d.affine(out, -slope, slope, tmp);
        d.binary(BinaryOp.ADD, out, tmp, out);
    }

    /** {@link #slopes} into new tensors. */
    public static Tensor slopes(Tensor x, float slope) {
        Device d = x.device();
        Tensor out = d.zeros(x.shape());
        slopes(x, slope, d.full(x.shape(), 1f), d.zeros(x.shape()), out);
        return out;
    }

    /** {@link #greater} into new tensors. */
    public static Tensor greater(Tensor x, float t) {
        Device d = x.device();
        Tensor out = d.zeros(x.shape());
        greater(x, t, d.full(x.shape(), 1f), d.zeros(x.shape()), out);
        return out;
    }

    /** {@link #less} into new tensors. */
    public static Tensor less(Tensor x, float t) {
        Device d = x.device();
        Tensor out = d.zeros(x.shape());
        less(x, t, d.full(x.shape(), 1f), d.zeros(x.shape()), out);
        return out;
    }

    /**
     * 1 where {@code x} is not 0, else 0, in a new tensor: a cast to bool (NaN counts as not 0), as
     * Keras's masks, bool Inputs and reductions such as {@code any} take their values.
     */
    public static Tensor nonZero(Tensor x) {
        float[] v = x.toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] != 0f ? 1f : 0f;
        }
        return x.device().tensor(v, x.shape().dims());
    }
}
