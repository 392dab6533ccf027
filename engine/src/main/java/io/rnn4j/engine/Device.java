package io.rnn4j.engine;

import io.rnn4j.engine.spi.Backend;
import io.rnn4j.engine.spi.Storage;
import java.util.Objects;

/**
 * A place tensors live and ops run: one backend instance behind a validating facade.
 *
 * <p>Every op checks its arguments here, once, before the backend sees them — devices, ranks,
 * shapes, bounds — and throws {@link IllegalArgumentException} naming the argument, what was
 * expected and what came, with nothing written. Then it calls the backend and records the write on
 * the output's storage (so derived caches such as packed weights are rebuilt). Ops are safe to call
 * from many threads at once when their outputs differ.
 */
public final class Device implements AutoCloseable {
    private final Backend backend;

    Device(Backend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** "scalar", "simd", "cuda:0". */
    public String name() {
        return backend.name();
    }

    /** The backend behind this device; for backends and tests. */
    public Backend backend() {
        return backend;
    }

    // ---- tensors ----

    /** A zero tensor of {@code shape} on this device. */
    public Tensor zeros(Shape shape) {
        Storage s = backend.allocate(shape.size());
        return new Tensor(this, shape, s, 0, true);
    }

    /** A zero tensor on this device. */
    public Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
    }

    /** A tensor on this device holding a copy of {@code data}. */
    public Tensor tensor(float[] data, int... dims) {
        Objects.requireNonNull(data, "data");
        Shape shape = Shape.of(dims);
        if (shape.size() != data.length) {
            throw new IllegalArgumentException("tensor: shape " + shape + " needs " + shape.size()
                    + " values, got " + data.length);
        }
        Tensor t = zeros(shape);
        backend.write(data, 0, t.storage(), 0, data.length);
        return t;
    }

    /** A tensor of {@code shape} with every element {@code value}. */
    public Tensor full(Shape shape, float value) {
        Tensor t = zeros(shape);
        if (value != 0f) {
            fill(t, value);
        }
        return t;
    }

    // ---- memory ops ----

    /** {@code dst = src}; same number of elements. */
    public void copy(Tensor src, Tensor dst) {
        Checks.on(this, "src", src);
        Checks.on(this, "dst", dst);
        Checks.sameSize("copy", "dst", dst, src);
        backend.copy(src, dst);
        written(dst);
    }

    /** Sets every element of {@code dst}. */
    public void fill(Tensor dst, float value) {
        Checks.on(this, "dst", dst);
        backend.fill(dst, value);
        written(dst);
    }

    /** Writes host data into {@code dst}; {@code src.length} must equal dst's size. */
    public void write(float[] src, Tensor dst) {
        Checks.on(this, "dst", dst);
        if (src.length != dst.size()) {
            throw new IllegalArgumentException("write: dst " + dst.shape() + " holds " + dst.size()
                    + " values, got " + src.length);
        }
        backend.write(src, 0, dst.storage(), dst.offset(), src.length);
        written(dst);
    }

    // ---- GEMM ----

    /** {@code c = alpha · op(a) · op(b) + beta · c} on 2-D tensors (any batch of rows flattened by the caller). */
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        Checks.on(this, "a", a);
        Checks.on(this, "b", b);
        Checks.on(this, "c", c);
        Checks.rank("gemm", "a", a, 2);
        Checks.rank("gemm", "b", b, 2);
        Checks.rank("gemm", "c", c, 2);
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (k != kb) {
            throw new IllegalArgumentException("gemm: inner dimensions differ: op(a) is " + m + "x" + k
                    + " (a " + a.shape() + (transA ? ", transposed" : "") + ") but op(b) is " + kb + "x" + n
                    + " (b " + b.shape() + (transB ? ", transposed" : "") + ")");
        }
        Checks.shape("gemm", "c", c, Shape.of(m, n));
        Checks.distinct("gemm", c, a, b);
        backend.gemm(transA, transB, m, n, k, alpha, a, a.dim(1), b, b.dim(1), beta, c, n);
        written(c);
    }

    /**
     * BLAS-style GEMM with explicit sizes and leading dimensions over the tensors' elements, for
     * kernels that work on sub-matrices; bounds are checked against each tensor's size.
     */
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, int lda,
            Tensor b, int ldb, float beta, Tensor c, int ldc) {
        Checks.on(this, "a", a);
        Checks.on(this, "b", b);
        Checks.on(this, "c", c);
        Checks.matrix("gemm", "a", a, transA ? k : m, transA ? m : k, lda);
        Checks.matrix("gemm", "b", b, transB ? n : k, transB ? k : n, ldb);
        Checks.matrix("gemm", "c", c, m, n, ldc);
        Checks.distinct("gemm", c, a, b);
        backend.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        written(c);
    }

    // ---- pointwise ----

    /** {@code out = op(x)}; out has x's shape and may be x. */
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        Checks.on(this, "x", x);
        Checks.on(this, "out", out);
        Checks.shape(op.kerasName(), "out", out, x.shape());
        backend.unary(op, x, out);
        written(out);
    }

    /** {@code dx = dy · op'(x)}; all of x's shape; dx may be dy. */
    public void unaryBackward(UnaryOp op, Tensor x, Tensor dy, Tensor dx) {
        Checks.on(this, "x", x);
        Checks.on(this, "dy", dy);
        Checks.on(this, "dx", dx);
        Checks.shape(op.kerasName() + " backward", "dy", dy, x.shape());
        Checks.shape(op.kerasName() + " backward", "dx", dx, x.shape());
        backend.unaryBackward(op, x, dy, dx);
        written(dx);
    }

    /** {@code out = alpha · x + beta}; out may be x. */
    public void affine(Tensor x, float alpha, float beta, Tensor out) {
        Checks.on(this, "x", x);
        Checks.on(this, "out", out);
        Checks.shape("affine", "out", out, x.shape());
        backend.affine(x, alpha, beta, out);
        written(out);
    }

    /** {@code out = op(a, b)} with NumPy broadcasting; out has the broadcast shape. */
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        Checks.on(this, "a", a);
        Checks.on(this, "b", b);
        Checks.on(this, "out", out);
        Shape s = broadcastShape(op.name().toLowerCase(java.util.Locale.ROOT), a.shape(), b.shape());
        Checks.shape(op.name().toLowerCase(java.util.Locale.ROOT), "out", out, s);
        if ((out.storage() == a.storage() && !a.shape().equals(s))
                || (out.storage() == b.storage() && !b.shape().equals(s))) {
            throw new IllegalArgumentException(op + ": out may alias an input only when that input has out's shape "
                    + s);
        }
        backend.binary(op, Checks.padRank(a, s.rank()), Checks.padRank(b, s.rank()), out);
        written(out);
    }

    /** {@code out = x} broadcast to out's shape (NumPy rules). */
    public void broadcast(Tensor x, Tensor out) {
        Checks.on(this, "x", x);
        Checks.on(this, "out", out);
        Shape s = broadcastShape("broadcast", x.shape(), out.shape());
        Checks.shape("broadcast", "out", out, s);
        Checks.distinct("broadcast", out, x);
        backend.broadcast(Checks.padRank(x, s.rank()), out);
        written(out);
    }

    /** The shape NumPy broadcasting gives {@code a} and {@code b}, or an error naming both. */
    public static Shape broadcastShape(String op, Shape a, Shape b) {
        int r = Math.max(a.rank(), b.rank());
        int[] d = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.rank() ? 1 : a.dim(i - (r - a.rank()));
            int db = i < r - b.rank() ? 1 : b.dim(i - (r - b.rank()));
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + a + " and " + b + " do not broadcast (axis "
                        + i + ": " + da + " vs " + db + ")");
            }
            d[i] = da == 1 ? db : da;
        }
        return Shape.of(d);
    }

    // ---- reductions ----

    /** Reduces along {@code axis}; out has x's shape without that axis (or with it as 1). */
    public void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        Checks.on(this, "x", x);
        Checks.on(this, "out", out);
        int a = x.shape().axis(axis);
        String name = op.name().toLowerCase(java.util.Locale.ROOT);
        if (!out.shape().equals(x.shape().without(a)) && !out.shape().equals(x.shape().with(a, 1))) {
            throw new IllegalArgumentException(name + ": out must be " + x.shape().without(a) + " or "
                    + x.shape().with(a, 1) + " to reduce " + x.shape() + " along axis " + axis + ", got "
                    + out.shape());
        }
        if (x.shape().dim(a) == 0 && op == ReduceOp.MAX) {
            throw new IllegalArgumentException("max: axis " + axis + " of " + x.shape() + " is empty");
        }
        Checks.distinct(name, out, x);
        backend.reduce(op, x, a, out);
        written(out);
    }

    /** Softmax (or log-softmax) along {@code axis}; out has x's shape and may be x. */
    public void softmax(Tensor x, int axis, boolean log, Tensor out) {
        Checks.on(this, "x", x);
        Checks.on(this, "out", out);
        Checks.shape(log ? "log_softmax" : "softmax", "out", out, x.shape());
        backend.softmax(x, x.shape().axis(axis), log, out);
        written(out);
    }

    /** The gradient of softmax from its output {@code y}; see {@link Backend#softmaxBackward}. */
    public void softmaxBackward(Tensor y, Tensor dy, int axis, boolean log, Tensor dx) {
        Checks.on(this, "y", y);
        Checks.on(this, "dy", dy);
        Checks.on(this, "dx", dx);
        String name = log ? "log_softmax backward" : "softmax backward";
        Checks.shape(name, "dy", dy, y.shape());
        Checks.shape(name, "dx", dx, y.shape());
        Checks.distinct(name, dx, y);
        backend.softmaxBackward(y, dy, y.shape().axis(axis), log, dx);
        written(dx);
    }

    // ---- indexing ----

    /** Embedding lookup: out is indices' shape + (columns,), rows taken from the 2-D table. */
    public void gather(Tensor table, Tensor indices, Tensor out) {
        Checks.on(this, "table", table);
        Checks.on(this, "indices", indices);
        Checks.on(this, "out", out);
        Checks.rank("gather", "table", table, 2);
        Checks.indices("gather", indices, table.dim(0));
        if (out.size() != indices.size() * table.dim(1) || out.dim(-1) != table.dim(1)) {
            throw new IllegalArgumentException("gather: out must hold " + indices.size() + " rows of "
                    + table.dim(1) + " (indices " + indices.shape() + ", table " + table.shape() + "), got "
                    + out.shape());
        }
        Checks.distinct("gather", out, table);
        backend.gather(table, indices, out);
        written(out);
    }

    /** {@code table[indices[i], :] += src[i, :]}. */
    public void scatterAdd(Tensor src, Tensor indices, Tensor table) {
        Checks.on(this, "src", src);
        Checks.on(this, "indices", indices);
        Checks.on(this, "table", table);
        Checks.rank("scatter_add", "table", table, 2);
        Checks.indices("scatter_add", indices, table.dim(0));
        if (src.size() != indices.size() * table.dim(1) || src.dim(-1) != table.dim(1)) {
            throw new IllegalArgumentException("scatter_add: src must hold " + indices.size() + " rows of "
                    + table.dim(1) + " (indices " + indices.shape() + ", table " + table.shape() + "), got "
                    + src.shape());
        }
        Checks.distinct("scatter_add", table, src);
        backend.scatterAdd(src, indices, table);
        written(table);
    }

    /** Joins tensors along {@code axis}. */
    public void concat(Tensor[] parts, int axis, Tensor out) {
        Checks.on(this, "out", out);
        int a = out.shape().axis(axis);
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            Checks.on(this, "parts[" + i + "]", parts[i]);
            Checks.sameExceptAxis("concat", "parts[" + i + "]", parts[i], out.shape(), a);
            Checks.distinct("concat", out, parts[i]);
            total += parts[i].dim(a);
        }
        if (total != out.dim(a)) {
            throw new IllegalArgumentException("concat: parts add up to " + total + " along axis " + axis
                    + " but out " + out.shape() + " has " + out.dim(a));
        }
        backend.concat(parts.clone(), a, out);
        written(out);
    }

    /** Splits {@code x} along {@code axis} into {@code parts}. */
    public void split(Tensor x, int axis, Tensor[] parts) {
        Checks.on(this, "x", x);
        int a = x.shape().axis(axis);
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            Checks.on(this, "parts[" + i + "]", parts[i]);
            Checks.sameExceptAxis("split", "parts[" + i + "]", parts[i], x.shape(), a);
            Checks.distinct("split", parts[i], x);
            total += parts[i].dim(a);
        }
        if (total != x.dim(a)) {
            throw new IllegalArgumentException("split: parts add up to " + total + " along axis " + axis
                    + " but x " + x.shape() + " has " + x.dim(a));
        }
        backend.split(x, a, parts.clone());
        for (Tensor p : parts) {
            written(p);
        }
    }

    /** out = x reversed along {@code axis}. */
    public void reverse(Tensor x, int axis, Tensor out) {
        Checks.on(this, "x", x);
        Checks.on(this, "out", out);
        Checks.shape("reverse", "out", out, x.shape());
        Checks.distinct("reverse", out, x);
        backend.reverse(x, x.shape().axis(axis), out);
        written(out);
    }

    // ---- fused recurrent sequences ----

    /** Floats needed by a training workspace; see {@link Backend#rnnWorkspaceSize}. */
    public long rnnWorkspaceSize(RnnSpec spec, int batch, int steps) {
        return backend.rnnWorkspaceSize(spec, batch, steps);
    }

    /** Runs a recurrent cell over a sequence; see {@link Backend#rnnForward} for every argument. */
    public void rnnForward(RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask, RnnWeights weights,
            RnnState initial, Tensor output, RnnState last, Tensor workspace) {
        RnnChecks.forward(this, spec, x, mask, recurrentDropoutMask, weights, initial, output, last,
                workspace);
        backend.rnnForward(spec, x, mask, recurrentDropoutMask, weights, initial == null ? RnnState.none() : initial,
                output, last == null ? RnnState.none() : last, workspace);
        written(output);
        if (last != null) {
            written(last.h());
            written(last.c());
        }
        written(workspace);
    }

    /** Backpropagation through time; see {@link Backend#rnnBackward} for every argument. */
    public void rnnBackward(RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask, RnnWeights weights,
            RnnState initial, Tensor workspace, Tensor dOutput, RnnState dLast, Tensor dx, RnnWeights dWeights,
            RnnState dInitial) {
        RnnChecks.backward(this, spec, x, mask, recurrentDropoutMask, weights, initial, workspace, dOutput, dLast,
                dx, dWeights, dInitial);
        RnnWeights dw = dWeights == null ? new RnnWeights(null, null, null) : dWeights;
        backend.rnnBackward(spec, x, mask, recurrentDropoutMask, weights, initial == null ? RnnState.none() : initial,
                workspace, dOutput, dLast == null ? RnnState.none() : dLast, dx, dw,
                dInitial == null ? RnnState.none() : dInitial);
        written(dx);
        written(dw.kernel());
        written(dw.recurrentKernel());
        written(dw.bias());
        if (dInitial != null) {
            written(dInitial.h());
            written(dInitial.c());
        }
    }

    private static void written(Tensor t) {
        if (t != null) {
            t.storage().markWritten();
        }
    }

    @Override
    public void close() {
        backend.close();
    }

    @Override
    public String toString() {
        return "Device[" + name() + "]";
    }
}
