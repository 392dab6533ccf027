package io.rnn4j.layers.ops;

import io.rnn4j.engine.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * The tests' float64 reference for the operations: a row-major array of doubles and its shape,
 * with NumPy's semantics written as plain loops over every index (no rnn4j code).
 */
record Nd(int[] shape, double[] v) {

    static Nd of(Tensor t) {
        float[] f = t.toArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return new Nd(t.shape().dims(), d);
    }

    static Nd scalar(double x) {
        return new Nd(new int[0], new double[] {x});
    }

    /** The multi-index of flat position {@code flat} in {@code shape}. */
    static int[] index(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            idx[a] = flat % shape[a];
            flat /= shape[a];
        }
        return idx;
    }

    static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** The element at {@code idx}, read NumPy-broadcast: idx aligned at the last axis, size-1 axes read at 0. */
    double at(int[] idx) {
        int off = idx.length - shape.length;
        int flat = 0;
        for (int a = 0; a < shape.length; a++) {
            flat = flat * shape[a] + (shape[a] == 1 ? 0 : idx[off + a]);
        }
        return v[flat];
    }

    static Nd binary(Nd a, Nd b, DoubleBinaryOperator f) {
        int r = Math.max(a.shape.length, b.shape.length);
        int[] s = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.shape.length ? 1 : a.shape[i - (r - a.shape.length)];
            int db = i < r - b.shape.length ? 1 : b.shape[i - (r - b.shape.length)];
            s[i] = Math.max(da, db);
        }
        double[] out = new double[size(s)];
        for (int k = 0; k < out.length; k++) {
            int[] idx = index(k, s);
            out[k] = f.applyAsDouble(a.at(idx), b.at(idx));
        }
        return new Nd(s, out);
    }

    Nd map(DoubleUnaryOperator f) {
        return new Nd(shape, Arrays.stream(v).map(f).toArray());
    }

    /** A reduction over {@code axes} (positive), each group's values in index order. */
    Nd reduce(int[] axes, boolean keepdims, java.util.function.Function<double[], Double> f) {
        boolean[] red = new boolean[shape.length];
        for (int a : axes) {
            red[a] = true;
        }
        int[] kept = shape.clone();
        for (int a : axes) {
            kept[a] = 1;
        }
        int groups = size(kept);
        int per = size(shape) / Math.max(1, groups);
        double[][] vals = new double[groups][per];
        int[] fill = new int[groups];
        for (int k = 0; k < v.length; k++) {
            int[] idx = index(k, shape);
            int g = 0;
            for (int a = 0; a < shape.length; a++) {
                g = g * kept[a] + (red[a] ? 0 : idx[a]);
            }
            vals[g][fill[g]++] = v[k];
        }
        double[] out = new double[groups];
        for (int g = 0; g < groups; g++) {
            out[g] = f.apply(vals[g]);
        }
        if (keepdims) {
            return new Nd(kept, out);
        }
        return new Nd(Arrays.stream(range(shape.length)).filter(a -> !red[a]).map(a -> shape[a]).toArray(), out);
    }

    static double sum(double[] x) {
        double s = 0;
        for (double d : x) {
            s += d;
        }
        return s;
    }

    static double max(double[] x) {
        return Arrays.stream(x).max().orElseThrow();
    }

    static double min(double[] x) {
        return Arrays.stream(x).min().orElseThrow();
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    Nd reshape(int... s) {
        return new Nd(s, v);
    }

    /** Output axis i is input axis axes[i]. */
    Nd transpose(int... axes) {
        int[] s = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            s[i] = shape[axes[i]];
        }
        double[] out = new double[v.length];
        for (int k = 0; k < out.length; k++) {
            int[] o = index(k, s);
            int[] in = new int[axes.length];
            for (int i = 0; i < axes.length; i++) {
                in[axes[i]] = o[i];
            }
            out[k] = at(in);
        }
        return new Nd(s, out);
    }

    static Nd concat(List<Nd> parts, int axis) {
        int[] s = parts.get(0).shape.clone();
        s[axis] = parts.stream().mapToInt(p -> p.shape[axis]).sum();
        double[] out = new double[size(s)];
        for (int k = 0; k < out.length; k++) {
            int[] idx = index(k, s);
            int p = 0;
            while (idx[axis] >= parts.get(p).shape[axis]) {
                idx[axis] -= parts.get(p).shape[axis];
                p++;
            }
            out[k] = parts.get(p).at(idx);
        }
        return new Nd(s, out);
    }

    /** NumPy's matmul of two arrays of one rank >= 2, the leading axes broadcast. */
    static Nd matmul(Nd a, Nd b) {
        int r = a.shape.length;
        int[] s = new int[r];
        for (int i = 0; i < r - 2; i++) {
            s[i] = Math.max(a.shape[i], b.shape[i]);
        }
        int k = a.shape[r - 1];
        s[r - 2] = a.shape[r - 2];
        s[r - 1] = b.shape[r - 1];
        double[] out = new double[size(s)];
        for (int f = 0; f < out.length; f++) {
            int[] idx = index(f, s);
            int[] ia = idx.clone();
            int[] ib = idx.clone();
            double acc = 0;
            for (int j = 0; j < k; j++) {
                ia[r - 1] = j;
                ib[r - 2] = j;
                acc += a.at(ia) * b.at(ib);
            }
            out[f] = acc;
        }
        return new Nd(s, out);
    }

    /** Softmax along {@code axis}: exp(x - max) / sum. */
    Nd softmax(int axis) {
        double[] out = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            int[] idx = index(k, shape);
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < shape[axis]; j++) {
                idx[axis] = j;
                m = Math.max(m, at(idx));
            }
            double z = 0;
            for (int j = 0; j < shape[axis]; j++) {
                idx[axis] = j;
                z += Math.exp(at(idx) - m);
            }
            out[k] = Math.exp(v[k] - m) / z;
        }
        return new Nd(shape, out);
    }
}
