package io.rnn4j.layers.autograd;

import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;

/**
 * The differentiable operations, one line each over their {@link Function}s. Layers, losses and
 * user-written cells are written with these; every one runs on the device its inputs live on.
 */
public final class Ops {
    /**
     * The most rows a {@link #gather} or {@link #windowMax} table may have: indices travel as
     * float32 tensors, exact for every row index below 2^24.
     */
    public static final int MAX_GATHER_ROWS = 1 << 24;

    private Ops() {
    }

    /** {@code a + b} with NumPy broadcasting. */
    public static Variable add(Variable a, Variable b) {
        return Autograd.apply(new Add(), a, b);
    }

    /** {@code a - b} with NumPy broadcasting. */
    public static Variable sub(Variable a, Variable b) {
        return Autograd.apply(new Sub(), a, b);
    }

    /** {@code a * b} elementwise with NumPy broadcasting. */
    public static Variable mul(Variable a, Variable b) {
        return Autograd.apply(new Mul(), a, b);
    }

    /** {@code a / b} elementwise with NumPy broadcasting. */
    public static Variable div(Variable a, Variable b) {
        return Autograd.apply(new Div(), a, b);
    }

    /** {@code a · b} for a (m, k) and b (k, n). */
    public static Variable matmul(Variable a, Variable b) {
        return Autograd.apply(new MatMul(), a, b);
    }

    /**
     * {@code op(a[i]) · op(b[i])} for each i of the first axis: a (B, m, k), b (B, k, n), out (B, m, n);
     * {@code transA} takes a as (B, k, m), {@code transB} takes b as (B, n, k).
     */
    public static Variable batchMatmul(Variable a, Variable b, boolean transA, boolean transB) {
        return Autograd.apply(new BatchMatMul(transA, transB), a, b);
    }

    /** {@code op(x)} elementwise; {@link UnaryOp#LINEAR} returns x itself. */
    public static Variable unary(UnaryOp op, Variable x) {
        return op == UnaryOp.LINEAR ? x : Autograd.apply(new Unary(op), x);
    }

    /** {@code alpha · x + beta}. */
    public static Variable affine(Variable x, float alpha, float beta) {
        return Autograd.apply(new Affine(alpha, beta), x);
    }

    /** {@code alpha · x}. */
    public static Variable scale(Variable x, float alpha) {
        return affine(x, alpha, 0f);
    }

    /** Softmax along {@code axis}. */
    public static Variable softmax(Variable x, int axis) {
        return Autograd.apply(new Softmax(axis, false), x);
    }

    /**
     * Keras's softmax activation: softmax along the last axis, remembering x as the result's
     * {@link Variable#logits()} (as Keras 3's activation does), for the crossentropies.
     */
    public static Variable softmaxActivation(Variable x) {
        return softmax(x, -1).withLogits(x);
    }

    /** Keras's sigmoid activation, remembering x as the result's {@link Variable#logits()}. */
    public static Variable sigmoidActivation(Variable x) {
        return unary(UnaryOp.SIGMOID, x).withLogits(x);
    }

    /** Log-softmax along {@code axis}. */
    public static Variable logSoftmax(Variable x, int axis) {
        return Autograd.apply(new Softmax(axis, true), x);
    }

    /** Sum along {@code axis}, which is removed (or kept as 1 with {@code keepDim}). */
    public static Variable sum(Variable x, int axis, boolean keepDim) {
        return Autograd.apply(new Reduce(ReduceOp.SUM, axis, keepDim), x);
    }

    /** Mean along {@code axis}, which is removed (or kept as 1 with {@code keepDim}). */
    public static Variable mean(Variable x, int axis, boolean keepDim) {
        return Autograd.apply(new Reduce(ReduceOp.MEAN, axis, keepDim), x);
    }

    /**
     * The maximum along {@code axis}, which is removed (or kept as 1 with {@code keepDim}), as
     * {@code tf.reduce_max}: the gradient goes to the elements equal to the maximum, split equally
     * among ties. The axis must not be empty.
     */
    public static Variable max(Variable x, int axis, boolean keepDim) {
        return Autograd.apply(new ReduceMax(axis, keepDim), x);
    }

    /**
     * {@code maximum(a, b)} elementwise with NumPy broadcasting, as {@code tf.maximum}: the gradient
     * goes to a where {@code a >= b}, else to b (a tie goes to a).
     */
    public static Variable maximum(Variable a, Variable b) {
        return Autograd.apply(new Extremum(true), a, b);
    }

    /**
     * {@code minimum(a, b)} elementwise with NumPy broadcasting, as {@code tf.minimum}: the gradient
     * goes to a where {@code a <= b}, else to b (a tie goes to a).
     */
    public static Variable minimum(Variable a, Variable b) {
        return Autograd.apply(new Extremum(false), a, b);
    }

    /**
     * Keras's {@code where(keep, a, b)} for a mask, all three broadcast to one shape: a where keep
     * is non-zero, else b, whatever the other holds (NaN, ±∞); the gradient goes to the side taken.
     */
    public static Variable where(Tensor keep, Variable a, Variable b) {
        return Select.where(keep, a, b);
    }

    /** The sum of all elements, as a scalar (shape {@code ()}). */
    public static Variable sumAll(Variable x) {
        return sum(reshape(x, Math.toIntExact(x.value().size())), 0, false);
    }

    /** The mean of all elements, as a scalar (shape {@code ()}). */
    public static Variable meanAll(Variable x) {
        return mean(reshape(x, Math.toIntExact(x.value().size())), 0, false);
    }

    /** A view in another shape (one dimension may be -1). */
    public static Variable reshape(Variable x, int... dims) {
        return Autograd.apply(new Reshape(dims), x);
    }

    /** x broadcast NumPy-style to {@code shape}. */
    public static Variable broadcastTo(Variable x, Shape shape) {
        return Autograd.apply(new BroadcastTo(shape), x);
    }

    /** {@code min(max(x, lo), hi)}; the gradient passes where {@code lo <= x <= hi}. */
    public static Variable clip(Variable x, float lo, float hi) {
        return Autograd.apply(new Clip(lo, hi), x);
    }

    /**
     * {@code x ** p} elementwise for a finite number exponent, as {@code tf.pow}: integral p by
     * repeated squaring (negative bases keep their sign, {@code 0 ** 0} is 1), non-integral p NaN
     * for a negative base; the gradient {@code g · p · x ** (p − 1)} (TensorFlow's, NaN at
     * {@code 0 ** 0}).
     */
    public static Variable power(Variable x, float p) {
        return Autograd.apply(Pow.exponent(p), x);
    }

    /** {@code c ** y} elementwise for a finite number base {@code c > 0}; the gradient {@code g · c ** y · ln c}. */
    public static Variable power(float c, Variable y) {
        return Autograd.apply(Pow.base(c), y);
    }

    /** {@code tf.sign}: 1, 0 or −1 (NaN for NaN, as TensorFlow 2's); a zero gradient. */
    public static Variable sign(Variable x) {
        return Autograd.apply(new Rounding(Rounding.Kind.SIGN, 1f), x);
    }

    /** {@code tf.floor}; a zero gradient (TensorFlow's is None). */
    public static Variable floor(Variable x) {
        return Autograd.apply(new Rounding(Rounding.Kind.FLOOR, 1f), x);
    }

    /** {@code tf.math.ceil}; a zero gradient (TensorFlow's is None). */
    public static Variable ceil(Variable x) {
        return Autograd.apply(new Rounding(Rounding.Kind.CEIL, 1f), x);
    }

    /**
     * Keras's {@code round(x, decimals)} on TensorFlow: {@code tf.round} (half to even) of
     * {@code x · s}, divided by s, for {@code s = float32(10^decimals)} (x itself for decimals 0);
     * a zero gradient.
     */
    public static Variable round(Variable x, int decimals) {
        return Autograd.apply(new Rounding(Rounding.Kind.ROUND, decimals == 0 ? 1f : tenTo(decimals)), x);
    }

    /** 10^n correctly rounded to double (as Python's math.pow(10, n)), then to float32. */
    private static float tenTo(int n) {
        return (float) Double.parseDouble("1e" + n);
    }

    /**
     * Rows of a 2-D {@code table} at integral {@code indices} (any shape); out is indices' shape + (columns,).
     * Float32 indices address rows exactly only below {@link #MAX_GATHER_ROWS}.
     */
    public static Variable gather(Variable table, Tensor indices) {
        return Autograd.apply(new Gather(), table, Variable.constant(indices));
    }

    /**
     * The largest of each window of {@code table}'s rows: {@code out[n, c] = max_j table[indices[n, j], c]}
     * for integral indices {@code (windows, taps)}; the gradient goes to each window's first max, as
     * TensorFlow's max pooling sends it.
     */
    public static Variable windowMax(Variable table, Tensor indices) {
        return Autograd.apply(new WindowMax(), table, Variable.constant(indices));
    }

    /**
     * A stride-1 1-D convolution (Keras's Conv1D cross-correlation, one group) of x
     * {@code (batch, steps, channels)} with a kernel {@code (size, channels, filters)} at
     * {@code dilation}, x padded with {@code left} and {@code right} zero steps: {@code (batch,
     * left + steps + right − (size − 1)·dilation, filters)}, as one GEMM per kernel tap (no im2col).
     */
    public static Variable conv1d(Variable x, Variable kernel, int dilation, int left, int right) {
        return Autograd.apply(new ShiftedConv1D(dilation, left, right), x, kernel);
    }

    /**
     * A stride-1 2-D depthwise convolution with one kernel per channel (Keras's DepthwiseConv2D at
     * depth_multiplier 1, channels_last) of x {@code (batch, rows, cols, channels)} with a kernel
     * {@code (kernel_rows, kernel_cols, channels)} at {@code dilation} (rows, cols), x padded with
     * zeros by {@code padding} (top, bottom, left, right): {@code (batch, rows', cols', channels)},
     * as one broadcast multiply-add per kernel tap over shifted views of the padded input (no
     * window gather).
     */
    public static Variable depthwiseConv2d(Variable x, Variable kernel, int[] dilation, int[] padding) {
        return Autograd.apply(new ShiftedDepthwise2D(dilation, padding), x, kernel);
    }

    /**
     * A 1-D transposed convolution (Keras's Conv1DTranspose, as {@code tf.nn.conv_transpose}) of x
     * {@code (batch, steps, channels)} with a kernel {@code (size, filters, channels)}: input step t
     * adds {@code x[t] · kernel[k]ᵀ} to output step {@code t·stride + k·dilation − crop}, of which
     * steps {@code 0 .. length−1} are kept: {@code (batch, length, filters)}. One GEMM per kernel tap.
     */
    public static Variable conv1dTranspose(Variable x, Variable kernel, int stride, int dilation, int crop,
            int length) {
        return Autograd.apply(new ConvTranspose1D(stride, dilation, crop, length), x, kernel);
    }

    /** Joins {@code parts} along {@code axis}. */
    public static Variable concat(int axis, Variable... parts) {
        return Autograd.apply(new Concat(axis), parts);
    }

    /** Cuts {@code x} along {@code axis} into parts of {@code sizes}. */
    public static Variable[] split(Variable x, int axis, int... sizes) {
        return Autograd.apply(new Split(axis, sizes), x);
    }

    /** x with the order of {@code axis} reversed. */
    public static Variable reverse(Variable x, int axis) {
        return Autograd.apply(new Reverse(axis), x);
    }

    /** Indices {@code start .. start+length-1} of {@code axis}. */
    public static Variable slice(Variable x, int axis, int start, int length) {
        return Autograd.apply(new Slice(axis, start, length), x);
    }

    /**
     * A recurrent cell over a whole sequence, as one node on the device's fused kernels.
     *
     * @param mask                 (B, T) of 0/1, or null
     * @param recurrentDropoutMask (B, H) multiplier of h before its recurrent product, or null
     * @param bias                 null when {@code !spec.useBias()}
     * @param h0                   initial h (B, H), or null for zeros
     * @param c0                   initial c (B, H) for LSTM, or null for zeros
     * @return the output sequence (B, T, H) in processing order, the final h, the final c (null unless LSTM)
     */
    public static Variable[] rnn(RnnSpec spec, Variable x, Tensor mask, Tensor recurrentDropoutMask,
            Variable kernel, Variable recurrentKernel, Variable bias, Variable h0, Variable c0) {
        return Autograd.apply(new RnnSequence(spec, mask, recurrentDropoutMask), x, kernel, recurrentKernel, bias,
                h0, c0);
    }
}
