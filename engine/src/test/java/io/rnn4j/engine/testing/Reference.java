package io.rnn4j.engine.testing;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.ReduceOp;
import java.util.ArrayList;
import java.util.List;

/**
 * The generic ops in float64, element by element from their definitions (multi-indices, not the
 * block copies and strides the backends use), for the contract tests to judge backends by. Where an
 * op sums, it also returns each result's magnitude (the sum of the absolute terms) that a rounding
 * error bound scales with.
 */
public final class Reference {
    private Reference() {
    }

    /** Results and, per result, the sum of the absolute values of the terms that made it. */
    public record Expected(double[] values, double[] magnitudes) {
    }

    /**
     * {@code alpha · op(A) · op(B) + beta · C} as an m×n row-major result, reading the stored matrices
     * at their offsets with their leading dimensions; with {@code beta == 0}, C is not read.
     */
    public static Expected gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, float[] a,
            int aOffset, int lda, float[] b, int bOffset, int ldb, double beta, float[] c, int cOffset, int ldc) {
        double[] values = new double[m * n];
        double[] magnitudes = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p];
                    double y = transB ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j];
                    sum += x * y;
                    abs += Math.abs(x * y);
                }
                double cij = beta == 0 ? 0 : c[cOffset + i * ldc + j];
                values[i * n + j] = alpha * sum + (beta == 0 ? 0 : beta * cij);
                magnitudes[i * n + j] = Math.abs(alpha) * abs + Math.abs(beta * cij);
            }
        }
        return new Expected(values, magnitudes);
    }

    /** {@code op(a, b)} with NumPy broadcasting to {@code outShape} (ranks aligned on the right). */
    public static double[] binary(BinaryOp op, float[] a, int[] aShape, float[] b, int[] bShape, int[] outShape) {
        double[] out = new double[Nd.size(outShape)];
        int[] index = new int[outShape.length];
        for (int f = 0; f < out.length; f++, Nd.next(index, outShape)) {
            double x = a[source(index, aShape)];
            double y = b[source(index, bShape)];
            out[f] = switch (op) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> x / y;
                case MAX -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.max(x, y);
                case MIN -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.min(x, y);
            };
        }
        return out;
    }

    /** {@code x} broadcast NumPy-style to {@code outShape}. */
    public static double[] broadcast(float[] x, int[] xShape, int[] outShape) {
        double[] out = new double[Nd.size(outShape)];
        int[] index = new int[outShape.length];
        for (int f = 0; f < out.length; f++, Nd.next(index, outShape)) {
            out[f] = x[source(index, xShape)];
        }
        return out;
    }

    /** The flat position in a broadcast operand of {@code shape} of the element feeding output {@code index}. */
    private static int source(int[] index, int[] shape) {
        int lead = index.length - shape.length;
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            flat = flat * shape[d] + (shape[d] == 1 ? 0 : index[lead + d]);
        }
        return flat;
    }

    /** {@code op} along {@code axis}; the result has the shape without that axis. */
    public static Expected reduce(ReduceOp op, float[] x, int[] shape, int axis) {
        int[] outShape = Nd.without(shape, axis);
        int n = shape[axis];
        double[] values = new double[Nd.size(outShape)];
        double[] magnitudes = new double[values.length];
        for (int f = 0; f < values.length; f++) {
            int[] o = Nd.index(outShape, f);
            int[] index = new int[shape.length];
            for (int d = 0, j = 0; d < shape.length; d++) {
                index[d] = d == axis ? 0 : o[j++];
            }
            double sum = 0;
            double abs = 0;
            double max = Double.NEGATIVE_INFINITY;
            boolean nan = false;
            for (int j = 0; j < n; j++) {
                index[axis] = j;
                double v = x[Nd.flat(shape, index)];
                sum += v;
                abs += Math.abs(v);
                nan |= Double.isNaN(v);
                max = v > max ? v : max;
            }
            values[f] = switch (op) {
                case SUM -> sum;
                case MEAN -> sum / n; // NaN for an empty axis, as NumPy's mean
                case MAX -> nan ? Double.NaN : max;
            };
            magnitudes[f] = op == ReduceOp.MEAN ? abs / n : op == ReduceOp.MAX ? Math.abs(values[f]) : abs;
        }
        return new Expected(values, magnitudes);
    }

    /** Softmax (or log-softmax) along {@code axis}, max-shifted, on float64 input. */
    public static double[] softmax(double[] x, int[] shape, int axis, boolean log) {
        double[] out = new double[x.length];
        int n = shape[axis];
        int[] outer = Nd.with(shape, axis, 1);
        for (int f = 0; f < Nd.size(outer); f++) {
            int[] index = Nd.index(outer, f);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                index[axis] = j;
                max = Math.max(max, x[Nd.flat(shape, index)]);
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                index[axis] = j;
                sum += Math.exp(x[Nd.flat(shape, index)] - max);
            }
            // Shift by the max first: with logits near 1e30, max + log(sum) would lose log(sum).
            for (int j = 0; j < n; j++) {
                index[axis] = j;
                int at = Nd.flat(shape, index);
                out[at] = log ? (x[at] - max) - Math.log(sum) : Math.exp(x[at] - max) / sum;
            }
        }
        return out;
    }

    /** {@code out[i, :] = table[indices[i], :]} for a row-major table with {@code cols} columns. */
    public static double[] gather(float[] table, int cols, float[] indices) {
        double[] out = new double[indices.length * cols];
        for (int i = 0; i < indices.length; i++) {
            int row = (int) indices[i];
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = table[row * cols + j];
            }
        }
        return out;
    }

    /** {@code table + Σ_i e_{indices[i]} ⊗ src[i, :]}, with magnitudes. */
    public static Expected scatterAdd(float[] src, float[] indices, float[] table, int cols) {
        double[] values = Approx.widen(table);
        double[] magnitudes = new double[table.length];
        for (int i = 0; i < table.length; i++) {
            magnitudes[i] = Math.abs(table[i]);
        }
        for (int i = 0; i < indices.length; i++) {
            int row = (int) indices[i];
            for (int j = 0; j < cols; j++) {
                values[row * cols + j] += src[i * cols + j];
                magnitudes[row * cols + j] += Math.abs(src[i * cols + j]);
            }
        }
        return new Expected(values, magnitudes);
    }

    /** The parts joined along {@code axis}: each output element looked up in the part that covers it. */
    public static double[] concat(List<float[]> parts, List<int[]> shapes, int axis) {
        int[] outShape = shapes.get(0).clone();
        outShape[axis] = 0;
        for (int[] s : shapes) {
            outShape[axis] += s[axis];
        }
        double[] out = new double[Nd.size(outShape)];
        int[] at = new int[outShape.length];
        for (int f = 0; f < out.length; f++, Nd.next(at, outShape)) {
            int[] index = at.clone();
            int p = 0;
            int start = 0;
            while (index[axis] >= start + shapes.get(p)[axis]) {
                start += shapes.get(p)[axis];
                p++;
            }
            index[axis] -= start;
            out[f] = parts.get(p)[Nd.flat(shapes.get(p), index)];
        }
        return out;
    }

    /** The consecutive slices of {@code x} along {@code axis} with the given lengths. */
    public static List<double[]> split(float[] x, int[] shape, int axis, int[] lengths) {
        List<double[]> parts = new ArrayList<>();
        int start = 0;
        for (int len : lengths) {
            int[] partShape = Nd.with(shape, axis, len);
            double[] part = new double[Nd.size(partShape)];
            for (int f = 0; f < part.length; f++) {
                int[] index = Nd.index(partShape, f);
                index[axis] += start;
                part[f] = x[Nd.flat(shape, index)];
            }
            parts.add(part);
            start += len;
        }
        return parts;
    }

    /** {@code x} with the order along {@code axis} reversed. */
    public static double[] reverse(float[] x, int[] shape, int axis) {
        double[] out = new double[x.length];
        int[] index = new int[shape.length];
        for (int f = 0; f < out.length; f++, Nd.next(index, shape)) {
            int j = index[axis];
            index[axis] = shape[axis] - 1 - j;
            out[f] = x[Nd.flat(shape, index)];
            index[axis] = j;
        }
        return out;
    }

    /** {@code Σ a[i] · b[i]} in float64. */
    public static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** {@code Σ |a[i] · b[i]|} in float64, the magnitude a dot product's rounding scales with. */
    public static double absDot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs((double) a[i] * b[i]);
        }
        return s;
    }
}
