package io.rnn4j.engine.scalar;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.spi.Backend;
import io.rnn4j.engine.spi.HeapStorage;
import io.rnn4j.engine.spi.Storage;

/**
 * The reference backend: every op as the plainest loop over heap arrays. Other backends are
 * optimisations of this one and are tested against it; the fused sequence kernels live in
 * {@link ScalarRnn}, the activations in {@link ScalarMath}.
 */
public final class ScalarBackend implements Backend {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public java.util.Map<String, String> describe() {
        return java.util.Map.of("threads", "1 (the caller's)", "vectors", "none (plain loops: the reference)");
    }

    /** The heap array behind a tensor of a CPU backend. */
    static float[] data(Tensor t) {
        return ((HeapStorage) t.storage()).array();
    }

    /** Where a tensor starts in its heap array. */
    static int off(Tensor t) {
        return (int) t.offset();
    }

    // ---- memory ----

    @Override
    public Storage allocate(long length) {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("allocate: a heap tensor holds at most " + (Integer.MAX_VALUE - 8)
                    + " floats, asked for " + length);
        }
        return new HeapStorage((int) length);
    }

    @Override
    public void write(float[] src, int srcOffset, Storage dst, long dstOffset, int length) {
        System.arraycopy(src, srcOffset, ((HeapStorage) dst).array(), (int) dstOffset, length);
    }

    @Override
    public void read(Storage src, long srcOffset, float[] dst, int dstOffset, int length) {
        System.arraycopy(((HeapStorage) src).array(), (int) srcOffset, dst, dstOffset, length);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        System.arraycopy(data(src), off(src), data(dst), off(dst), (int) src.size());
    }

    @Override
    public void fill(Tensor dst, float value) {
        float[] d = data(dst);
        int o = off(dst);
        for (int i = 0; i < dst.size(); i++) {
            d[o + i] = value;
        }
    }

    // ---- GEMM ----

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, int lda, Tensor b,
            int ldb, float beta, Tensor c, int ldc) {
        float[] av = data(a);
        float[] bv = data(b);
        float[] cv = data(c);
        int ao = off(a);
        int bo = off(b);
        int co = off(c);
        // Accumulated in double and rounded once: the oracle should be more exact than what it judges.
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    float x = transA ? av[ao + p * lda + i] : av[ao + i * lda + p];
                    float y = transB ? bv[bo + j * ldb + p] : bv[bo + p * ldb + j];
                    sum += (double) x * y;
                }
                int at = co + i * ldc + j;
                // beta == 0 means C is not read, so NaN or garbage in C does not propagate (BLAS).
                cv[at] = (float) (beta == 0f ? alpha * sum : alpha * sum + (double) beta * cv[at]);
            }
        }
    }

    // ---- pointwise ----

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        float[] xv = data(x);
        float[] ov = data(out);
        int xo = off(x);
        int oo = off(out);
        for (int i = 0; i < x.size(); i++) {
            ov[oo + i] = ScalarMath.apply(op, xv[xo + i]);
        }
    }

    @Override
    public void unaryBackward(UnaryOp op, Tensor x, Tensor dy, Tensor dx) {
        float[] xv = data(x);
        float[] dyv = data(dy);
        float[] dxv = data(dx);
        for (int i = 0; i < x.size(); i++) {
            dxv[off(dx) + i] = dyv[off(dy) + i] * ScalarMath.derivative(op, xv[off(x) + i]);
        }
    }

    @Override
    public void affine(Tensor x, float alpha, float beta, Tensor out) {
        float[] xv = data(x);
        float[] ov = data(out);
        for (int i = 0; i < x.size(); i++) {
            ov[off(out) + i] = (float) ((double) alpha * xv[off(x) + i] + beta);
        }
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        float[] av = data(a);
        float[] bv = data(b);
        float[] ov = data(out);
        int[] shape = out.shape().dims();
        int[] as = broadcastStrides(a, shape);
        int[] bs = broadcastStrides(b, shape);
        int[] index = new int[shape.length];
        for (int i = 0; i < out.size(); i++) {
            int ai = off(a);
            int bi = off(b);
            for (int d = 0; d < shape.length; d++) {
                ai += index[d] * as[d];
                bi += index[d] * bs[d];
            }
            ov[off(out) + i] = ScalarMath.apply(op, av[ai], bv[bi]);
            increment(index, shape);
        }
    }

    @Override
    public void broadcast(Tensor x, Tensor out) {
        float[] xv = data(x);
        float[] ov = data(out);
        int[] shape = out.shape().dims();
        int[] xs = broadcastStrides(x, shape);
        int[] index = new int[shape.length];
        for (int i = 0; i < out.size(); i++) {
            int xi = off(x);
            for (int d = 0; d < shape.length; d++) {
                xi += index[d] * xs[d];
            }
            ov[off(out) + i] = xv[xi];
            increment(index, shape);
        }
    }

    /** Row-major strides of {@code t} over {@code shape}, 0 along broadcast (size-1) axes. */
    static int[] broadcastStrides(Tensor t, int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = t.dim(d) == 1 ? 0 : s;
            s *= t.dim(d);
        }
        return strides;
    }

    /** Advances a row-major multi-index by one. */
    static void increment(int[] index, int[] shape) {
        for (int d = shape.length - 1; d >= 0; d--) {
            if (++index[d] < shape[d]) {
                return;
            }
            index[d] = 0;
        }
    }

    // ---- reductions ----

    @Override
    public void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        float[] xv = data(x);
        float[] ov = data(out);
        long outer = x.shape().outer(axis);
        int n = x.dim(axis);
        long inner = x.shape().inner(axis);
        for (long o = 0; o < outer; o++) {
            for (long i = 0; i < inner; i++) {
                double acc = op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : 0.0;
                for (int j = 0; j < n; j++) {
                    float v = xv[(int) (off(x) + (o * n + j) * inner + i)];
                    acc = op == ReduceOp.MAX ? Math.max(acc, v) : acc + v;
                }
                if (op == ReduceOp.MEAN) {
                    acc = n == 0 ? Double.NaN : acc / n;
                }
                ov[(int) (off(out) + o * inner + i)] = (float) acc;
            }
        }
    }

    @Override
    public void softmax(Tensor x, int axis, boolean log, Tensor out) {
        float[] xv = data(x);
        float[] ov = data(out);
        long outer = x.shape().outer(axis);
        int n = x.dim(axis);
        long inner = x.shape().inner(axis);
        for (long o = 0; o < outer; o++) {
            for (long i = 0; i < inner; i++) {
                int base = (int) (o * n * inner + i);
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    max = Math.max(max, xv[off(x) + base + (int) (j * inner)]);
                }
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += Math.exp((double) xv[off(x) + base + (int) (j * inner)] - max);
                }
                for (int j = 0; j < n; j++) {
                    double shifted = (double) xv[off(x) + base + (int) (j * inner)] - max;
                    ov[off(out) + base + (int) (j * inner)] = log
                            ? (float) (shifted - Math.log(sum))
                            : (float) (Math.exp(shifted) / sum);
                }
            }
        }
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, int axis, boolean log, Tensor dx) {
        float[] yv = data(y);
        float[] dyv = data(dy);
        float[] dxv = data(dx);
        long outer = y.shape().outer(axis);
        int n = y.dim(axis);
        long inner = y.shape().inner(axis);
        for (long o = 0; o < outer; o++) {
            for (long i = 0; i < inner; i++) {
                int base = (int) (o * n * inner + i);
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    int at = base + (int) (j * inner);
                    dot += log ? dyv[off(dy) + at] : (double) dyv[off(dy) + at] * yv[off(y) + at];
                }
                for (int j = 0; j < n; j++) {
                    int at = base + (int) (j * inner);
                    float yj = yv[off(y) + at];
                    dxv[off(dx) + at] = log
                            ? (float) (dyv[off(dy) + at] - Math.exp(yj) * dot)
                            : (float) (yj * (dyv[off(dy) + at] - dot));
                }
            }
        }
    }

    // ---- indexing ----

    @Override
    public void gather(Tensor table, Tensor indices, Tensor out) {
        float[] tv = data(table);
        float[] iv = data(indices);
        float[] ov = data(out);
        int cols = table.dim(1);
        for (int i = 0; i < indices.size(); i++) {
            int row = (int) iv[off(indices) + i];
            System.arraycopy(tv, off(table) + row * cols, ov, off(out) + i * cols, cols);
        }
    }

    @Override
    public void scatterAdd(Tensor src, Tensor indices, Tensor table) {
        float[] sv = data(src);
        float[] iv = data(indices);
        float[] tv = data(table);
        int cols = table.dim(1);
        for (int i = 0; i < indices.size(); i++) {
            int row = (int) iv[off(indices) + i];
            for (int j = 0; j < cols; j++) {
                tv[off(table) + row * cols + j] += sv[off(src) + i * cols + j];
            }
        }
    }

    @Override
    public void concat(Tensor[] parts, int axis, Tensor out) {
        long outer = out.shape().outer(axis);
        long inner = out.shape().inner(axis);
        int outRow = (int) (out.dim(axis) * inner);
        int at = 0;
        for (Tensor p : parts) {
            int row = (int) (p.dim(axis) * inner);
            for (long o = 0; o < outer; o++) {
                System.arraycopy(data(p), off(p) + (int) (o * row), data(out), off(out) + (int) (o * outRow) + at, row);
            }
            at += row;
        }
    }

    @Override
    public void split(Tensor x, int axis, Tensor[] parts) {
        long outer = x.shape().outer(axis);
        long inner = x.shape().inner(axis);
        int xRow = (int) (x.dim(axis) * inner);
        int at = 0;
        for (Tensor p : parts) {
            int row = (int) (p.dim(axis) * inner);
            for (long o = 0; o < outer; o++) {
                System.arraycopy(data(x), off(x) + (int) (o * xRow) + at, data(p), off(p) + (int) (o * row), row);
            }
            at += row;
        }
    }

    @Override
    public void reverse(Tensor x, int axis, Tensor out) {
        long outer = x.shape().outer(axis);
        int n = x.dim(axis);
        int inner = (int) x.shape().inner(axis);
        for (long o = 0; o < outer; o++) {
            for (int j = 0; j < n; j++) {
                int from = off(x) + (int) ((o * n + j) * inner);
                int to = off(out) + (int) ((o * n + (n - 1 - j)) * inner);
                System.arraycopy(data(x), from, data(out), to, inner);
            }
        }
    }

    // ---- fused recurrent sequences ----

    @Override
    public long rnnWorkspaceSize(RnnSpec spec, int batch, int steps) {
        return ScalarRnn.workspaceSize(spec, batch, steps);
    }

    @Override
    public void rnnForward(RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask, RnnWeights weights,
            RnnState initial, Tensor output, RnnState last, Tensor workspace) {
        ScalarRnn.forward(spec, x, mask, recurrentDropoutMask, weights, initial, output, last, workspace);
    }

    @Override
    public void rnnBackward(RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask, RnnWeights weights,
            RnnState initial, Tensor workspace, Tensor dOutput, RnnState dLast, Tensor dx, RnnWeights dWeights,
            RnnState dInitial) {
        ScalarRnn.backward(spec, x, mask, recurrentDropoutMask, weights, initial, workspace, dOutput, dLast, dx,
                dWeights, dInitial);
    }
}
