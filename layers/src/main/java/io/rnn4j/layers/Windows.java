package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import java.util.Locale;

/**
 * Where the sliding windows of the 1-D convolutions and pooling layers fall along the steps of a
 * {@code (batch, steps, channels)} input, with TensorFlow's padding arithmetic: "valid" reads no
 * padding; "same" gives {@code ceil(steps / strides)} outputs and pads
 * {@code max((out - 1)·strides + (size - 1)·dilation + 1 - steps, 0)} in all, half (rounded down)
 * on the left, the rest on the right; "causal" pads {@code (size - 1)·dilation} on the left only.
 *
 * <p>The windows are given as row indices into the input viewed as a {@code (batch·steps, channels)}
 * table — one row per output step, one column per tap — so that a gather of those rows lays every
 * window out flat (im2col). A tap in the padding reads either the extra row {@code batch·steps}
 * (a zero row the caller appends: convolution, average) or the nearest real row of its window
 * (max pooling, whose max that duplicate cannot change). The indices of the last input size are
 * kept, so a model run on batches of one size computes them once.
 */
final class Windows {
    /** Where a tap that falls in the padding reads. */
    enum Outside {
        /** The zero row appended after the input's rows (index batch·steps). */
        EXTRA_ROW,
        /** The nearest row of the input inside the same window (same sequence). */
        NEAREST
    }

    /** The indices for one input size, and whether any tap reads the padding. */
    record Taps(Device device, int batch, int steps, Tensor indices, boolean readsPadding) {
    }

    private final String layer;
    private final int size;
    private final int stride;
    private final int dilation;
    private final String padding;
    private final Outside outside;
    private volatile Taps last;

    /**
     * @param layer   "Layer 'conv1d' (Conv1D)", for messages
     * @param padding "valid", "same" or "causal", already checked
     */
    Windows(String layer, int size, int stride, int dilation, String padding, Outside outside) {
        this.layer = layer;
        this.size = size;
        this.stride = stride;
        this.dilation = dilation;
        this.padding = padding;
        this.outside = outside;
    }

    /**
     * Keras's padding value lower-cased, or an exception naming the layer and the values allowed.
     *
     * @param causal whether "causal" is allowed (Conv1D)
     */
    static String padding(String layer, String value, boolean causal) {
        String p = value == null ? null : value.toLowerCase(Locale.ROOT);
        if (p == null || !(p.equals("valid") || p.equals("same") || (causal && p.equals("causal")))) {
            throw new IllegalArgumentException(layer + ": padding must be " + (causal ? "'valid', 'same' or 'causal'"
                    : "'valid' or 'same'") + ", got " + (value == null ? "null" : "'" + value + "'"));
        }
        return p;
    }

    /** A positive option (kernel_size, strides, ...), or an exception naming the layer and the option. */
    static int positive(String layer, String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(layer + ": " + option + " must be >= 1, got " + value);
        }
        return value;
    }

    /**
     * Refuses strides and a dilation rate both above 1, as Keras's BaseConv, BaseConvTranspose and
     * ConvLSTM constructors do (its depthwise and separable convolutions take both).
     */
    static void requireStridesOrDilation(String layer, int strides, int dilation) {
        if (strides > 1 && dilation > 1) {
            throw new IllegalArgumentException(layer + ": strides > 1 is not supported together with "
                    + "dilation_rate > 1 (as in Keras), got strides=" + strides + " and dilation_rate=" + dilation);
        }
    }

    /** The step between windows. */
    int stride() {
        return stride;
    }

    /** The spacing of a window's taps. */
    int dilation() {
        return dilation;
    }

    /** How far one window reaches: {@code (size - 1)·dilation + 1} steps. */
    int reach() {
        return (size - 1) * dilation + 1;
    }

    /**
     * The number of output steps for {@code steps} input steps ({@link Shape#UNKNOWN} stays unknown),
     * as Keras's compute_conv_output_shape / compute_pooling_output_shape; at most 0 when "valid"
     * windows do not fit.
     */
    int outSteps(int steps) {
        if (steps == Shape.UNKNOWN) {
            return Shape.UNKNOWN;
        }
        if (padding.equals("valid")) {
            return steps < reach() ? 0 : (steps - reach()) / stride + 1;
        }
        return steps < 1 ? 0 : (steps - 1) / stride + 1;
    }

    /**
     * The output steps for an input of {@code steps}, refusing one that gives none, as Keras
     * refuses it when the layer is built and TensorFlow when it runs; except an empty input with
     * "same" padding, which gives an empty output in Keras (its shape function refuses only
     * "valid") and in TensorFlow.
     *
     * @throws IllegalArgumentException naming the layer, the input length and the window
     */
    int checkedOutSteps(int steps) {
        int out = outSteps(steps);
        if (out == 0 && !(steps == 0 && padding.equals("same"))) {
            throw new IllegalArgumentException(layer + ": an input of " + steps + " steps gives no output step with "
                    + "padding '" + padding + "': a window spans " + reach() + " steps (size " + size
                    + (dilation > 1 ? ", dilation_rate " + dilation : "") + "); Keras refuses it too (\"Computed "
                    + "output size would be zero or negative\")");
        }
        return out;
    }

    /** The padding before the first step. */
    int padLeft(int steps) {
        return switch (padding) {
            case "valid" -> 0;
            case "causal" -> (size - 1) * dilation;
            default -> Math.max((outSteps(steps) - 1) * stride + reach() - steps, 0) / 2;
        };
    }

    /**
     * The padding after the last step: how far the last window reads past the input (negative
     * when strides leave input steps after it unread).
     *
     * @throws IllegalArgumentException as {@link #checkedOutSteps}, when the input gives no output step
     */
    int padRight(int steps) {
        return (checkedOutSteps(steps) - 1) * stride + reach() - steps - padLeft(steps);
    }

    /**
     * The row each tap of each window reads, {@code (batch·outSteps, size)}, on {@code device}.
     *
     * @throws IllegalArgumentException naming the layer, if the input is too short or too large
     */
    Taps taps(Device device, int batch, int steps) {
        Taps t = last;
        if (t != null && t.device() == device && t.batch() == batch && t.steps() == steps) {
            return t;
        }
        int out = checkedOutSteps(steps);
        long rows = (long) batch * steps + 1;
        if (rows > Ops.MAX_GATHER_ROWS || (long) batch * out * size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(layer + ": batch " + batch + " of " + steps + " steps is too large "
                    + "for its window indices (batch·steps must stay below " + Ops.MAX_GATHER_ROWS + ", 2^24); "
                    + "predict in smaller batches");
        }
        int left = padLeft(steps);
        float[] idx = new float[batch * out * size];
        boolean readsPadding = false;
        int k = 0;
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < out; o++) {
                int start = o * stride - left;
                for (int j = 0; j < size; j++) {
                    int pos = start + j * dilation;
                    boolean inside = pos >= 0 && pos < steps;
                    readsPadding |= !inside;
                    if (!inside && outside == Outside.NEAREST) {
                        // A window always holds a real step (TF's padding is less than a window).
                        pos = Math.clamp(pos, Math.max(start, 0), Math.min(start + reach(), steps) - 1);
                    }
                    idx[k++] = inside || outside == Outside.NEAREST ? b * steps + pos : batch * steps;
                }
            }
        }
        t = new Taps(device, batch, steps, device.tensor(idx, batch * out, size), readsPadding);
        last = t;
        return t;
    }
}
