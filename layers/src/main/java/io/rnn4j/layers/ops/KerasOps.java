package io.rnn4j.layers.ops;

import io.rnn4j.layers.Symbolic;
import io.rnn4j.layers.SymbolicTensor;
import java.util.List;

/**
 * Keras 3's {@code keras.ops} functions and Python operators between the layers of a functional
 * model: each call records a new operation, named as Keras names it ("add", "add_1", ...), and
 * returns its output, saved in a .keras file as Keras 3 writes it. {@code res = x + inputs} is
 * {@code KerasOps.add(x, inputs)}, {@code x * 0.5} is {@code multiply(x, 0.5)}, {@code 1 - x} is
 * {@code subtract(1, x)}, {@code x / y} is {@code trueDivide(x, y)} (Python's {@code /} records
 * TrueDivide, {@code keras.ops.divide} Divide), {@code -x} is {@code negative(x)},
 * {@code keras.ops.mean(x, axis=1)} is {@code mean(x, 1)}.
 *
 * <p>Axes count the batch axis as 0, as Keras's do; an operation must keep the batch axis first and
 * whole (see each operation class). The output carries no mask, as in Keras.
 */
public final class KerasOps {
    private KerasOps() {
    }

    /** {@code x1 + x2} (Keras's Add), NumPy broadcasting. */
    public static SymbolicTensor add(Symbolic x1, Symbolic x2) {
        return new Arithmetic(Arithmetic.Kind.ADD).apply(x1, x2);
    }

    /** {@code x1 + 2.0}. */
    public static SymbolicTensor add(Symbolic x1, double x2) {
        return new Arithmetic(Arithmetic.Kind.ADD, null, x2).apply(x1);
    }

    /** {@code 2.0 + x2} (Python's __radd__ records the number first). */
    public static SymbolicTensor add(double x1, Symbolic x2) {
        return new Arithmetic(Arithmetic.Kind.ADD, x1, null).apply(x2);
    }

    /** {@code x1 - x2} (Keras's Subtract). */
    public static SymbolicTensor subtract(Symbolic x1, Symbolic x2) {
        return new Arithmetic(Arithmetic.Kind.SUBTRACT).apply(x1, x2);
    }

    /** {@code x1 - 2.0}. */
    public static SymbolicTensor subtract(Symbolic x1, double x2) {
        return new Arithmetic(Arithmetic.Kind.SUBTRACT, null, x2).apply(x1);
    }

    /** {@code 1.0 - x2}. */
    public static SymbolicTensor subtract(double x1, Symbolic x2) {
        return new Arithmetic(Arithmetic.Kind.SUBTRACT, x1, null).apply(x2);
    }

    /** {@code x1 * x2} elementwise (Keras's Multiply). */
    public static SymbolicTensor multiply(Symbolic x1, Symbolic x2) {
        return new Arithmetic(Arithmetic.Kind.MULTIPLY).apply(x1, x2);
    }

    /** {@code x1 * 0.5}. */
    public static SymbolicTensor multiply(Symbolic x1, double x2) {
        return new Arithmetic(Arithmetic.Kind.MULTIPLY, null, x2).apply(x1);
    }

    /** {@code 0.5 * x2}. */
    public static SymbolicTensor multiply(double x1, Symbolic x2) {
        return new Arithmetic(Arithmetic.Kind.MULTIPLY, x1, null).apply(x2);
    }

    /** {@code keras.ops.divide(x1, x2)} (Keras's Divide). */
    public static SymbolicTensor divide(Symbolic x1, Symbolic x2) {
        return new Arithmetic(Arithmetic.Kind.DIVIDE).apply(x1, x2);
    }

    /** {@code keras.ops.divide(x1, 2.0)}. */
    public static SymbolicTensor divide(Symbolic x1, double x2) {
        return new Arithmetic(Arithmetic.Kind.DIVIDE, null, x2).apply(x1);
    }

    /** {@code keras.ops.divide(1.0, x2)}. */
    public static SymbolicTensor divide(double x1, Symbolic x2) {
        return new Arithmetic(Arithmetic.Kind.DIVIDE, x1, null).apply(x2);
    }

    /** Python's {@code x1 / x2} (Keras's TrueDivide; the same numbers as divide). */
    public static SymbolicTensor trueDivide(Symbolic x1, Symbolic x2) {
        return new Arithmetic(Arithmetic.Kind.TRUE_DIVIDE).apply(x1, x2);
    }

    /** Python's {@code x1 / 2.0}. */
    public static SymbolicTensor trueDivide(Symbolic x1, double x2) {
        return new Arithmetic(Arithmetic.Kind.TRUE_DIVIDE, null, x2).apply(x1);
    }

    /** Python's {@code 1.0 / x2}. */
    public static SymbolicTensor trueDivide(double x1, Symbolic x2) {
        return new Arithmetic(Arithmetic.Kind.TRUE_DIVIDE, x1, null).apply(x2);
    }

    /** {@code keras.ops.maximum(x1, x2)} elementwise, NumPy broadcasting. */
    public static SymbolicTensor maximum(Symbolic x1, Symbolic x2) {
        return new Arithmetic(Arithmetic.Kind.MAXIMUM).apply(x1, x2);
    }

    /** {@code keras.ops.maximum(x1, 0.0)}. */
    public static SymbolicTensor maximum(Symbolic x1, double x2) {
        return new Arithmetic(Arithmetic.Kind.MAXIMUM, null, x2).apply(x1);
    }

    /** {@code keras.ops.minimum(x1, x2)} elementwise, NumPy broadcasting. */
    public static SymbolicTensor minimum(Symbolic x1, Symbolic x2) {
        return new Arithmetic(Arithmetic.Kind.MINIMUM).apply(x1, x2);
    }

    /** {@code keras.ops.minimum(x1, 1.0)}. */
    public static SymbolicTensor minimum(Symbolic x1, double x2) {
        return new Arithmetic(Arithmetic.Kind.MINIMUM, null, x2).apply(x1);
    }

    /** {@code -x} (Keras's Negative). */
    public static SymbolicTensor negative(Symbolic x) {
        return new Unary(Unary.Kind.NEGATIVE).apply(x);
    }

    /** {@code keras.ops.relu(x)}. */
    public static SymbolicTensor relu(Symbolic x) {
        return new Unary(Unary.Kind.RELU).apply(x);
    }

    /** {@code keras.ops.sigmoid(x)}. */
    public static SymbolicTensor sigmoid(Symbolic x) {
        return new Unary(Unary.Kind.SIGMOID).apply(x);
    }

    /** {@code keras.ops.tanh(x)}. */
    public static SymbolicTensor tanh(Symbolic x) {
        return new Unary(Unary.Kind.TANH).apply(x);
    }

    /** {@code keras.ops.softmax(x)}: along the last axis. */
    public static SymbolicTensor softmax(Symbolic x) {
        return new Unary(Unary.Kind.SOFTMAX).apply(x);
    }

    /** {@code keras.ops.softmax(x, axis=axis)}. */
    public static SymbolicTensor softmax(Symbolic x, int axis) {
        return Unary.softmax(axis).apply(x);
    }

    /** {@code keras.ops.log_softmax(x)}: along the last axis. */
    public static SymbolicTensor logSoftmax(Symbolic x) {
        return logSoftmax(x, -1);
    }

    /** {@code keras.ops.log_softmax(x, axis=axis)}. */
    public static SymbolicTensor logSoftmax(Symbolic x, int axis) {
        return Unary.logSoftmax(axis).apply(x);
    }

    /** {@code keras.ops.exp(x)}. */
    public static SymbolicTensor exp(Symbolic x) {
        return elementwise(Unary.Kind.EXP, x);
    }

    /** {@code keras.ops.log(x)}. */
    public static SymbolicTensor log(Symbolic x) {
        return elementwise(Unary.Kind.LOG, x);
    }

    /** {@code keras.ops.abs(x)} (Keras records Absolute). */
    public static SymbolicTensor abs(Symbolic x) {
        return elementwise(Unary.Kind.ABSOLUTE, x);
    }

    /** {@code keras.ops.square(x)}. */
    public static SymbolicTensor square(Symbolic x) {
        return elementwise(Unary.Kind.SQUARE, x);
    }

    /** {@code keras.ops.sqrt(x)}. */
    public static SymbolicTensor sqrt(Symbolic x) {
        return elementwise(Unary.Kind.SQRT, x);
    }

    /** {@code keras.ops.reciprocal(x)}. */
    public static SymbolicTensor reciprocal(Symbolic x) {
        return elementwise(Unary.Kind.RECIPROCAL, x);
    }

    /** {@code keras.ops.silu(x)} (swish). */
    public static SymbolicTensor silu(Symbolic x) {
        return elementwise(Unary.Kind.SILU, x);
    }

    /** {@code keras.ops.relu6(x)}. */
    public static SymbolicTensor relu6(Symbolic x) {
        return elementwise(Unary.Kind.RELU6, x);
    }

    /** {@code keras.ops.gelu(x)}: the tanh approximation, keras.ops's default ({@code approximate=True}). */
    public static SymbolicTensor gelu(Symbolic x) {
        return gelu(x, true);
    }

    /** {@code keras.ops.gelu(x, approximate=approximate)}. */
    public static SymbolicTensor gelu(Symbolic x, boolean approximate) {
        return new Unary(approximate ? Unary.Kind.GELU_APPROXIMATE : Unary.Kind.GELU).apply(x);
    }

    /**
     * Any other elementwise {@code keras.ops} function by its kind: {@code keras.ops.relu6(x)} is
     * {@code elementwise(Unary.Kind.RELU6, x)}, {@code keras.ops.exp(x)} {@code elementwise(Unary.Kind.EXP, x)};
     * an op with a parameter takes Keras's default (see {@link Unary}).
     *
     * @throws IllegalArgumentException for null, or for a softmax kind, which takes an axis: use
     *                                  {@link #softmax(Symbolic, int)} or {@link #logSoftmax(Symbolic, int)}
     */
    public static SymbolicTensor elementwise(Unary.Kind kind, Symbolic x) {
        if (kind == null) {
            throw new IllegalArgumentException("KerasOps.elementwise: expected a Unary.Kind, got null (Unary.Kind.of "
                    + "takes Keras's class name: \"LeakyRelu\", not \"leaky_relu\")");
        }
        if (kind.unaryOp() == null) {
            throw new IllegalArgumentException("KerasOps.elementwise: expected an elementwise kind, got " + kind
                    + ", which takes an axis (KerasOps.softmax or KerasOps.logSoftmax)");
        }
        return new Unary(kind).apply(x);
    }

    /** {@code keras.ops.mean(x, axis=axis)}. */
    public static SymbolicTensor mean(Symbolic x, int axis) {
        return mean(x, axis, false);
    }

    /** {@code keras.ops.mean(x, axis=axis, keepdims=keepdims)}. */
    public static SymbolicTensor mean(Symbolic x, int axis, boolean keepdims) {
        return reduce(Reduction.Kind.MEAN, x, Axis.of(axis), keepdims);
    }

    /** {@code keras.ops.mean(x, axis=[...], keepdims=keepdims)}. */
    public static SymbolicTensor mean(Symbolic x, int[] axes, boolean keepdims) {
        return reduce(Reduction.Kind.MEAN, x, Axis.list(axes), keepdims);
    }

    /** {@code keras.ops.sum(x, axis=axis)}. */
    public static SymbolicTensor sum(Symbolic x, int axis) {
        return sum(x, axis, false);
    }

    /** {@code keras.ops.sum(x, axis=axis, keepdims=keepdims)}. */
    public static SymbolicTensor sum(Symbolic x, int axis, boolean keepdims) {
        return reduce(Reduction.Kind.SUM, x, Axis.of(axis), keepdims);
    }

    /** {@code keras.ops.sum(x, axis=[...], keepdims=keepdims)}. */
    public static SymbolicTensor sum(Symbolic x, int[] axes, boolean keepdims) {
        return reduce(Reduction.Kind.SUM, x, Axis.list(axes), keepdims);
    }

    /** {@code keras.ops.max(x, axis=axis)}. */
    public static SymbolicTensor max(Symbolic x, int axis) {
        return max(x, axis, false);
    }

    /** {@code keras.ops.max(x, axis=axis, keepdims=keepdims)}. */
    public static SymbolicTensor max(Symbolic x, int axis, boolean keepdims) {
        return reduce(Reduction.Kind.MAX, x, Axis.of(axis), keepdims);
    }

    /** {@code keras.ops.max(x, axis=[...], keepdims=keepdims)}. */
    public static SymbolicTensor max(Symbolic x, int[] axes, boolean keepdims) {
        return reduce(Reduction.Kind.MAX, x, Axis.list(axes), keepdims);
    }

    /** {@code keras.ops.min(x, axis=axis)}. */
    public static SymbolicTensor min(Symbolic x, int axis) {
        return min(x, axis, false);
    }

    /** {@code keras.ops.min(x, axis=axis, keepdims=keepdims)}. */
    public static SymbolicTensor min(Symbolic x, int axis, boolean keepdims) {
        return reduce(Reduction.Kind.MIN, x, Axis.of(axis), keepdims);
    }

    /** {@code keras.ops.min(x, axis=[...], keepdims=keepdims)}. */
    public static SymbolicTensor min(Symbolic x, int[] axes, boolean keepdims) {
        return reduce(Reduction.Kind.MIN, x, Axis.list(axes), keepdims);
    }

    /** {@code keras.ops.any(x, axis, keepdims)}: 1 where any value along axis is not 0, else 0 (Keras's bool). */
    public static SymbolicTensor any(Symbolic x, int axis, boolean keepdims) {
        return reduce(Reduction.Kind.ANY, x, Axis.of(axis), keepdims);
    }

    /** {@code keras.ops.all(x, axis, keepdims)}: 1 where every value along axis is not 0, else 0. */
    public static SymbolicTensor all(Symbolic x, int axis, boolean keepdims) {
        return reduce(Reduction.Kind.ALL, x, Axis.of(axis), keepdims);
    }

    /** {@code keras.ops.split(x, sections, axis)}: that many equal pieces along axis. */
    public static List<SymbolicTensor> split(Symbolic x, int sections, int axis) {
        return new Split(sections, axis).applyAll(x);
    }

    /** {@code keras.ops.split(x, [i1, ...], axis)}: the pieces between the indices along axis. */
    public static List<SymbolicTensor> split(Symbolic x, int[] indices, int axis) {
        return new Split(indices, axis).applyAll(x);
    }

    private static SymbolicTensor reduce(Reduction.Kind kind, Symbolic x, Axis axis, boolean keepdims) {
        return new Reduction(kind, axis, keepdims).apply(x);
    }

    /** {@code keras.ops.expand_dims(x, axis)}: an axis of 1 at {@code axis} of the output. */
    public static SymbolicTensor expandDims(Symbolic x, int axis) {
        return new Shaping(Shaping.Kind.EXPAND_DIMS, Axis.of(axis)).apply(x);
    }

    /** {@code keras.ops.expand_dims(x, [...])}. */
    public static SymbolicTensor expandDims(Symbolic x, int[] axes) {
        return new Shaping(Shaping.Kind.EXPAND_DIMS, Axis.list(axes)).apply(x);
    }

    /** {@code keras.ops.squeeze(x)}: every axis of size 1 (the batch axis kept). */
    public static SymbolicTensor squeeze(Symbolic x) {
        return new Shaping(Shaping.Kind.SQUEEZE, Axis.NONE).apply(x);
    }

    /** {@code keras.ops.squeeze(x, axis=axis)}. */
    public static SymbolicTensor squeeze(Symbolic x, int axis) {
        return new Shaping(Shaping.Kind.SQUEEZE, Axis.of(axis)).apply(x);
    }

    /** {@code keras.ops.squeeze(x, axis=[...])}. */
    public static SymbolicTensor squeeze(Symbolic x, int[] axes) {
        return new Shaping(Shaping.Kind.SQUEEZE, Axis.list(axes)).apply(x);
    }

    /** {@code keras.ops.reshape(x, newshape)}, the batch axis included as -1: {@code reshape(x, -1, 20)}. */
    public static SymbolicTensor reshape(Symbolic x, int... newshape) {
        return new Shaping(Shaping.Kind.RESHAPE, Axis.list(newshape)).apply(x);
    }

    /** {@code keras.ops.transpose(x, axes)}, axes[0] = 0: {@code transpose(x, 0, 2, 1)}. */
    public static SymbolicTensor transpose(Symbolic x, int... axes) {
        return new Shaping(Shaping.Kind.TRANSPOSE, Axis.list(axes)).apply(x);
    }

    /** {@code keras.ops.concatenate([x, y, ...], axis=axis)}. */
    public static SymbolicTensor concatenate(List<? extends Symbolic> xs, int axis) {
        return new Concatenation(xs.size(), axis).applyAll(xs).get(0);
    }

    /** {@code x1 @ x2} ({@code keras.ops.matmul}). */
    public static SymbolicTensor matmul(Symbolic x1, Symbolic x2) {
        return new Matmul().apply(x1, x2);
    }

    /**
     * {@code x1 ** x2} ({@code keras.ops.power(x1, x2)}, Keras's Power) for a finite number exponent:
     * {@code x ** 2}, {@code x ** 0.5}, {@code x ** -1}; integral exponents keep a negative base's sign
     * and {@code 0 ** 0} is 1, as tf.pow (see {@link Arithmetic}).
     */
    public static SymbolicTensor power(Symbolic x1, double x2) {
        return new Arithmetic(Arithmetic.Kind.POWER, null, x2).apply(x1);
    }

    /** {@code x1 ** x2} for a finite number base {@code x1 > 0}: {@code 2 ** x} (Python's __rpow__). */
    public static SymbolicTensor power(double x1, Symbolic x2) {
        return new Arithmetic(Arithmetic.Kind.POWER, x1, null).apply(x2);
    }

    /** {@code keras.ops.clip(x, xMin, xMax)}: each element limited to {@code [xMin, xMax]}. */
    public static SymbolicTensor clip(Symbolic x, double xMin, double xMax) {
        return new Clip(xMin, xMax).apply(x);
    }

    /** {@code keras.ops.cast(x, dtype)}: "float32" only (x itself; rnn4j computes in float32). */
    public static SymbolicTensor cast(Symbolic x, String dtype) {
        return new Cast(dtype).apply(x);
    }

    /** {@code keras.ops.sign(x)}: 1, 0 or -1; a zero gradient. */
    public static SymbolicTensor sign(Symbolic x) {
        return new Rounding(Rounding.Kind.SIGN).apply(x);
    }

    /** {@code keras.ops.floor(x)}; a zero gradient. */
    public static SymbolicTensor floor(Symbolic x) {
        return new Rounding(Rounding.Kind.FLOOR).apply(x);
    }

    /** {@code keras.ops.ceil(x)}; a zero gradient. */
    public static SymbolicTensor ceil(Symbolic x) {
        return new Rounding(Rounding.Kind.CEIL).apply(x);
    }

    /** {@code keras.ops.round(x)}: half to even; a zero gradient. */
    public static SymbolicTensor round(Symbolic x) {
        return new Rounding(Rounding.Kind.ROUND).apply(x);
    }

    /** {@code keras.ops.round(x, decimals)}: {@code round(x · 10^decimals) / 10^decimals}, the factor a float32. */
    public static SymbolicTensor round(Symbolic x, int decimals) {
        return new Rounding(Rounding.Kind.ROUND, decimals).apply(x);
    }

    /** {@code keras.ops.stack(xs, axis)}: tensors of one shape along a new axis (1 and up: the batch stays first). */
    public static SymbolicTensor stack(List<? extends Symbolic> xs, int axis) {
        return new Stack(xs.size(), axis).applyAll(xs).get(0);
    }

    // ---- comparisons, logical operations and where: a bool is 1 or 0 (see Comparison) ----

    /** {@code keras.ops.greater(x1, x2)}: 1 where {@code x1 > x2}, else 0; NumPy broadcasting. */
    public static SymbolicTensor greater(Symbolic x1, Symbolic x2) {
        return new Comparison(Comparison.Kind.GREATER).apply(x1, x2);
    }

    /** {@code keras.ops.greater(x1, 0.5)}. */
    public static SymbolicTensor greater(Symbolic x1, double x2) {
        return new Comparison(Comparison.Kind.GREATER, null, x2).apply(x1);
    }

    /** {@code keras.ops.greater_equal(x1, x2)}: 1 where {@code x1 >= x2}, else 0; NumPy broadcasting. */
    public static SymbolicTensor greaterEqual(Symbolic x1, Symbolic x2) {
        return new Comparison(Comparison.Kind.GREATER_EQUAL).apply(x1, x2);
    }

    /** {@code keras.ops.greater_equal(x1, 0.5)}. */
    public static SymbolicTensor greaterEqual(Symbolic x1, double x2) {
        return new Comparison(Comparison.Kind.GREATER_EQUAL, null, x2).apply(x1);
    }

    /** {@code keras.ops.less(x1, x2)}: 1 where {@code x1 < x2}, else 0; NumPy broadcasting. */
    public static SymbolicTensor less(Symbolic x1, Symbolic x2) {
        return new Comparison(Comparison.Kind.LESS).apply(x1, x2);
    }

    /** {@code keras.ops.less(x1, 0.5)}. */
    public static SymbolicTensor less(Symbolic x1, double x2) {
        return new Comparison(Comparison.Kind.LESS, null, x2).apply(x1);
    }

    /** {@code keras.ops.less_equal(x1, x2)}: 1 where {@code x1 <= x2}, else 0; NumPy broadcasting. */
    public static SymbolicTensor lessEqual(Symbolic x1, Symbolic x2) {
        return new Comparison(Comparison.Kind.LESS_EQUAL).apply(x1, x2);
    }

    /** {@code keras.ops.less_equal(x1, 0.5)}. */
    public static SymbolicTensor lessEqual(Symbolic x1, double x2) {
        return new Comparison(Comparison.Kind.LESS_EQUAL, null, x2).apply(x1);
    }

    /** {@code keras.ops.equal(x1, x2)}: 1 where {@code x1 == x2}, else 0; NumPy broadcasting. */
    public static SymbolicTensor equal(Symbolic x1, Symbolic x2) {
        return new Comparison(Comparison.Kind.EQUAL).apply(x1, x2);
    }

    /** {@code keras.ops.equal(x1, 0.5)}. */
    public static SymbolicTensor equal(Symbolic x1, double x2) {
        return new Comparison(Comparison.Kind.EQUAL, null, x2).apply(x1);
    }

    /** {@code keras.ops.not_equal(x1, x2)}: 1 where {@code x1 != x2}, else 0; NumPy broadcasting. */
    public static SymbolicTensor notEqual(Symbolic x1, Symbolic x2) {
        return new Comparison(Comparison.Kind.NOT_EQUAL).apply(x1, x2);
    }

    /** {@code keras.ops.not_equal(x1, 0.5)}. */
    public static SymbolicTensor notEqual(Symbolic x1, double x2) {
        return new Comparison(Comparison.Kind.NOT_EQUAL, null, x2).apply(x1);
    }

    /** {@code keras.ops.logical_and(x1, x2)}: 1 where both are non-zero, else 0. */
    public static SymbolicTensor logicalAnd(Symbolic x1, Symbolic x2) {
        return new Comparison(Comparison.Kind.LOGICAL_AND).apply(x1, x2);
    }

    /** {@code keras.ops.logical_or(x1, x2)}: 1 where either is non-zero, else 0. */
    public static SymbolicTensor logicalOr(Symbolic x1, Symbolic x2) {
        return new Comparison(Comparison.Kind.LOGICAL_OR).apply(x1, x2);
    }

    /** {@code keras.ops.logical_not(x)}: 1 where x is 0, else 0. */
    public static SymbolicTensor logicalNot(Symbolic x) {
        return new Comparison(Comparison.Kind.LOGICAL_NOT).apply(x);
    }

    /** {@code keras.ops.where(condition, x1, x2)}: x1 where the condition is non-zero, else x2. */
    public static SymbolicTensor where(Symbolic condition, Symbolic x1, Symbolic x2) {
        return new Where().apply(condition, x1, x2);
    }

    /** {@code keras.ops.where(condition, x1, 0.0)}. */
    public static SymbolicTensor where(Symbolic condition, Symbolic x1, double x2) {
        return new Where(null, x2).apply(condition, x1);
    }

    /** {@code keras.ops.where(condition, 1.0, 0.0)}: of the condition's shape, a constant. */
    public static SymbolicTensor where(Symbolic condition, double x1, double x2) {
        return new Where(x1, x2).apply(condition);
    }

    /** {@code keras.ops.where(condition, 1.0, x2)}. */
    public static SymbolicTensor where(Symbolic condition, double x1, Symbolic x2) {
        return new Where(x1, null).apply(condition, x2);
    }
}
