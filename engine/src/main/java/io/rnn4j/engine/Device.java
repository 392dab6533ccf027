package io.rnn4j.engine;

import io.rnn4j.engine.spi.Backend;
import io.rnn4j.engine.spi.Storage;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * A place tensors live and ops run: one backend instance behind a validating facade.
 *
 * <p>Every op checks its arguments here, once, before the backend sees them — devices, ranks,
 * shapes, bounds, aliasing — and throws {@link IllegalArgumentException} naming the op, the
 * argument, what was expected and what came, with nothing written. Then it calls the backend and
 * records the write on the output's storage (so derived caches such as packed weights are rebuilt).
 * An output may be the very same tensor as an input only where the op says so ("may be x"); any
 * other overlap between an output and an input is refused. Ops are safe to call from many threads
 * at once when their outputs differ.
 */
public final class Device implements AutoCloseable {
    /**
     * Each op's name for messages, made once: an op called per step (a streaming model's bias add)
     * must not build a string each time.
     */
    private static final String[] UNARY_NAMES = names(UnaryOp.values(), UnaryOp::kerasName);
    private static final String[] UNARY_BACKWARD_NAMES = names(UnaryOp.values(), o -> o.kerasName() + " backward");
    private static final String[] BINARY_NAMES = names(BinaryOp.values(), o -> o.name().toLowerCase(Locale.ROOT));
    private static final String[] REDUCE_NAMES = names(ReduceOp.values(), o -> o.name().toLowerCase(Locale.ROOT));

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
        Checks.notNull("zeros", "shape", shape);
        if (!shape.isKnown()) {
            throw new IllegalArgumentException("zeros: shape " + shape + " has an unknown dimension (None)");
        }
        Storage s = backend.allocate(shape.size());
        return new Tensor(this, shape, s, 0, true);
    }

    /** A zero tensor on this device. */
    public Tensor zeros(int... dims) {
        Checks.notNull("zeros", "dims", dims);
        return zeros(Shape.of(dims));
    }

    /** A tensor on this device holding a copy of {@code data}. */
    public Tensor tensor(float[] data, int... dims) {
        Checks.notNull("tensor", "data", data);
        Checks.notNull("tensor", "dims", dims);
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
        if (Float.floatToRawIntBits(value) != 0) { // zeros already; -0f still fills
            fill(t, value);
        }
        return t;
    }

    // ---- memory ops ----

    /** {@code dst = src}, element by element in row-major order; same number of elements, no overlap. */
    public void copy(Tensor src, Tensor dst) {
        Checks.on(this, "copy", "src", src);
        Checks.on(this, "copy", "dst", dst);
        Checks.sameSize("copy", "dst", dst, src);
        Checks.disjoint("copy", "dst", dst, "src", src);
        backend.copy(src, dst);
        written(dst);
    }

    /** Sets every element of {@code dst}. */
    public void fill(Tensor dst, float value) {
        Checks.on(this, "fill", "dst", dst);
        backend.fill(dst, value);
        written(dst);
    }

    /** Writes host data into {@code dst}; {@code src.length} must equal dst's size. */
    public void write(float[] src, Tensor dst) {
        Checks.notNull("write", "src", src);
        Checks.on(this, "write", "dst", dst);
        if (src.length != dst.size()) {
            throw new IllegalArgumentException("write: dst " + dst.shape() + " holds " + dst.size()
                    + " values, got " + src.length);
        }
        backend.write(src, 0, dst.storage(), dst.offset(), src.length);
        written(dst);
    }

    /** Reads {@code src}'s elements into {@code dst}, which must have exactly src's size (no allocation). */
    public void read(Tensor src, float[] dst) {
        Checks.on(this, "read", "src", src);
        Checks.notNull("read", "dst", dst);
        if (dst.length != src.size()) {
            throw new IllegalArgumentException("read: src " + src.shape() + " holds " + src.size()
                    + " values, got an array of " + dst.length);
        }
        backend.read(src.storage(), src.offset(), dst, 0, dst.length);
    }

    // ---- GEMM ----

    /**
     * {@code c = alpha · op(a) · op(b) + beta · c} on 2-D tensors (any batch of rows flattened by the
     * caller); with {@code beta == 0} c is not read. c must not overlap a or b.
     */
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        Checks.on(this, "gemm", "a", a);
        Checks.on(this, "gemm", "b", b);
        Checks.on(this, "gemm", "c", c);
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
        if (c.dim(0) != m || c.dim(1) != n) {  // compared by dims: a Shape made per call would be garbage per step
            Checks.shape("gemm", "c", c, Shape.of(m, n));
        }
        Checks.disjoint("gemm", "c", c, "a", a);
        Checks.disjoint("gemm", "c", c, "b", b);
        // BLAS wants leading dimensions >= 1 even for empty matrices.
        backend.gemm(transA, transB, m, n, k, alpha, a, Math.max(1, a.dim(1)), b, Math.max(1, b.dim(1)), beta, c,
                Math.max(1, n));
        written(c);
    }

    /**
     * BLAS-style GEMM with explicit sizes and leading dimensions over the tensors' elements (row
     * {@code r} of a stored matrix starts at element {@code r · ld}), for sub-matrices: a view of a
     * flat tensor may start anywhere. Bounds are checked against each tensor's size.
     */
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, int lda,
            Tensor b, int ldb, float beta, Tensor c, int ldc) {
        Checks.on(this, "gemm", "a", a);
        Checks.on(this, "gemm", "b", b);
        Checks.on(this, "gemm", "c", c);
        Checks.matrix("gemm", "a", a, transA ? k : m, transA ? m : k, lda);
        Checks.matrix("gemm", "b", b, transB ? n : k, transB ? k : n, ldb);
        Checks.matrix("gemm", "c", c, m, n, ldc);
        Checks.disjoint("gemm", "c", c, "a", a);
        Checks.disjoint("gemm", "c", c, "b", b);
        backend.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        written(c);
    }

    // ---- pointwise ----

    /** {@code out = op(x)}; out has x's shape and may be x. */
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        Checks.notNull("unary", "op", op);
        String name = UNARY_NAMES[op.ordinal()];
        Checks.on(this, name, "x", x);
        Checks.on(this, name, "out", out);
        Checks.shape(name, "out", out, x.shape());
        Checks.inPlaceOrDisjoint(name, "out", out, "x", x);
        backend.unary(op, x, out);
        written(out);
    }

    /** {@code dx = dy · op'(x)}; all of x's shape; dx may be dy, and must not overlap x. */
    public void unaryBackward(UnaryOp op, Tensor x, Tensor dy, Tensor dx) {
        Checks.notNull("unary backward", "op", op);
        String name = UNARY_BACKWARD_NAMES[op.ordinal()];
        Checks.on(this, name, "x", x);
        Checks.on(this, name, "dy", dy);
        Checks.on(this, name, "dx", dx);
        Checks.shape(name, "dy", dy, x.shape());
        Checks.shape(name, "dx", dx, x.shape());
        Checks.inPlaceOrDisjoint(name, "dx", dx, "dy", dy);
        Checks.disjoint(name, "dx", dx, "x", x);
        backend.unaryBackward(op, x, dy, dx);
        written(dx);
    }

    /** {@code out = alpha · x + beta}; out may be x. */
    public void affine(Tensor x, float alpha, float beta, Tensor out) {
        Checks.on(this, "affine", "x", x);
        Checks.on(this, "affine", "out", out);
        Checks.shape("affine", "out", out, x.shape());
        Checks.inPlaceOrDisjoint("affine", "out", out, "x", x);
        backend.affine(x, alpha, beta, out);
        written(out);
    }

    /**
     * {@code out = op(a, b)} with NumPy broadcasting; out has the broadcast shape. out may be a (or
     * b) when that input already has out's size (is not broadcast).
     */
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        Checks.notNull("binary", "op", op);
        String name = BINARY_NAMES[op.ordinal()];
        Checks.on(this, name, "a", a);
        Checks.on(this, name, "b", b);
        Checks.on(this, name, "out", out);
        if (a.shape().equals(out.shape()) && b.shape().equals(out.shape())) {
            // Nothing to broadcast: no shape or view made, so a step that adds a bias row allocates nothing.
            Checks.inPlaceOrDisjoint(name, "out", out, "a", a);
            Checks.inPlaceOrDisjoint(name, "out", out, "b", b);
            backend.binary(op, a, b, out);
            written(out);
            return;
        }
        Shape s = broadcastShape(name, a.shape(), b.shape());
        Checks.shape(name, "out", out, s);
        Checks.inPlaceOrDisjoint(name, "out", out, "a", a);
        Checks.inPlaceOrDisjoint(name, "out", out, "b", b);
        backend.binary(op, Checks.padRank(a, s.rank()), Checks.padRank(b, s.rank()), out);
        written(out);
    }

    /** {@code out = x} broadcast to out's shape (NumPy rules); out must not overlap x. */
    public void broadcast(Tensor x, Tensor out) {
        Checks.on(this, "broadcast", "x", x);
        Checks.on(this, "broadcast", "out", out);
        Shape s = broadcastShape("broadcast", x.shape(), out.shape());
        if (!s.equals(out.shape())) {
            throw new IllegalArgumentException("broadcast: x " + x.shape() + " must broadcast to out's shape, but "
                    + "out " + out.shape() + " would have to grow to " + s);
        }
        Checks.disjoint("broadcast", "out", out, "x", x);
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
        Checks.notNull("reduce", "op", op);
        String name = REDUCE_NAMES[op.ordinal()];
        Checks.on(this, name, "x", x);
        Checks.on(this, name, "out", out);
        int a = Checks.axis(name, "x", x, axis);
        if (!out.shape().equals(x.shape().without(a)) && !out.shape().equals(x.shape().with(a, 1))) {
            throw new IllegalArgumentException(name + ": out must be " + x.shape().without(a) + " or "
                    + x.shape().with(a, 1) + " to reduce " + x.shape() + " along axis " + axis + ", got "
                    + out.shape());
        }
        if (x.shape().dim(a) == 0 && op == ReduceOp.MAX) {
            throw new IllegalArgumentException("max: axis " + axis + " of x " + x.shape()
                    + " must not be empty, got length 0");
        }
        Checks.disjoint(name, "out", out, "x", x);
        backend.reduce(op, x, a, out);
        written(out);
    }

    /** Softmax (or log-softmax) along {@code axis}; out has x's shape and may be x. */
    public void softmax(Tensor x, int axis, boolean log, Tensor out) {
        String name = log ? "log_softmax" : "softmax";
        Checks.on(this, name, "x", x);
        Checks.on(this, name, "out", out);
        int a = Checks.axis(name, "x", x, axis);
        Checks.shape(name, "out", out, x.shape());
        Checks.inPlaceOrDisjoint(name, "out", out, "x", x);
        backend.softmax(x, a, log, out);
        written(out);
    }

    /**
     * The gradient of softmax from its output {@code y}; see {@link Backend#softmaxBackward}. dx must
     * not overlap y or dy.
     */
    public void softmaxBackward(Tensor y, Tensor dy, int axis, boolean log, Tensor dx) {
        String name = log ? "log_softmax backward" : "softmax backward";
        Checks.on(this, name, "y", y);
        Checks.on(this, name, "dy", dy);
        Checks.on(this, name, "dx", dx);
        int a = Checks.axis(name, "y", y, axis);
        Checks.shape(name, "dy", dy, y.shape());
        Checks.shape(name, "dx", dx, y.shape());
        Checks.disjoint(name, "dx", dx, "y", y);
        Checks.disjoint(name, "dx", dx, "dy", dy);
        backend.softmaxBackward(y, dy, a, log, dx);
        written(dx);
    }

    // ---- indexing ----

    /**
     * Embedding lookup: {@code out[i, :] = table[indices[i], :]} with rows of the 2-D table; out is
     * indices' shape + (columns,), or (indices.size, columns).
     */
    public void gather(Tensor table, Tensor indices, Tensor out) {
        Checks.on(this, "gather", "table", table);
        Checks.on(this, "gather", "indices", indices);
        Checks.on(this, "gather", "out", out);
        Checks.rank("gather", "table", table, 2);
        rows("gather", "out", out, indices, table);
        Checks.indices("gather", indices, table.dim(0));
        Checks.disjoint("gather", "out", out, "table", table);
        Checks.disjoint("gather", "out", out, "indices", indices);
        backend.gather(table, indices, out);
        written(out);
    }

    /**
     * The adjoint of gather, accumulating: {@code table[indices[i], :] += src[i, :]}; src is
     * indices' shape + (columns,), or (indices.size, columns). Repeated indices add up.
     */
    public void scatterAdd(Tensor src, Tensor indices, Tensor table) {
        Checks.on(this, "scatter_add", "src", src);
        Checks.on(this, "scatter_add", "indices", indices);
        Checks.on(this, "scatter_add", "table", table);
        Checks.rank("scatter_add", "table", table, 2);
        rows("scatter_add", "src", src, indices, table);
        Checks.indices("scatter_add", indices, table.dim(0));
        Checks.disjoint("scatter_add", "table", table, "src", src);
        Checks.disjoint("scatter_add", "table", table, "indices", indices);
        backend.scatterAdd(src, indices, table);
        written(table);
    }

    /** {@code rowsArg} holds one table row per index: indices' shape + (columns,) or (indices.size, columns). */
    private static void rows(String op, String rowsArg, Tensor rows, Tensor indices, Tensor table) {
        int cols = table.dim(1);
        if (rowsFit(rows, indices, cols)) {
            return;  // compared axis by axis: a streaming lookup makes no shapes per call
        }
        int[] id = indices.shape().dims();
        int[] full = Arrays.copyOf(id, id.length + 1);
        full[id.length] = cols;
        Shape nested = Shape.of(full);
        Shape flat = Shape.of(Math.toIntExact(indices.size()), cols);
        if (!rows.shape().equals(nested) && !rows.shape().equals(flat)) {
            String expected = nested.equals(flat) ? nested.toString() : nested + " or " + flat;
            throw new IllegalArgumentException(op + ": " + rowsArg + " must be " + expected + " (indices "
                    + indices.shape() + ", table " + table.shape() + "), got " + rows.shape());
        }
    }

    /** Whether rows is indices' shape + (cols,), or (indices.size, cols). */
    private static boolean rowsFit(Tensor rows, Tensor indices, int cols) {
        int r = indices.rank();
        if (rows.rank() == 2 && rows.dim(0) == indices.size() && rows.dim(1) == cols) {
            return true;
        }
        if (rows.rank() != r + 1 || rows.dim(r) != cols) {
            return false;
        }
        for (int i = 0; i < r; i++) {
            if (rows.dim(i) != indices.dim(i)) {
                return false;
            }
        }
        return true;
    }

    /** Joins tensors along {@code axis}; out must not overlap any part. */
    public void concat(Tensor[] parts, int axis, Tensor out) {
        Checks.notNull("concat", "parts", parts);
        Checks.on(this, "concat", "out", out);
        int a = Checks.axis("concat", "out", out, axis);
        long total = 0;
        for (int i = 0; i < parts.length; i++) {
            String arg = "parts[" + i + "]";
            Checks.on(this, "concat", arg, parts[i]);
            Checks.sameExceptAxis("concat", arg, parts[i], out.shape(), a);
            Checks.disjoint("concat", "out", out, arg, parts[i]);
            total += parts[i].dim(a);
        }
        if (total != out.dim(a)) {
            throw new IllegalArgumentException("concat: out " + out.shape() + " must have the parts' total " + total
                    + " along axis " + axis + ", got " + out.dim(a));
        }
        backend.concat(parts.clone(), a, out);
        written(out);
    }

    /** Splits {@code x} along {@code axis} into {@code parts}, which must not overlap x or each other. */
    public void split(Tensor x, int axis, Tensor[] parts) {
        Checks.notNull("split", "parts", parts);
        Checks.on(this, "split", "x", x);
        int a = Checks.axis("split", "x", x, axis);
        long total = 0;
        for (int i = 0; i < parts.length; i++) {
            String arg = "parts[" + i + "]";
            Checks.on(this, "split", arg, parts[i]);
            Checks.sameExceptAxis("split", arg, parts[i], x.shape(), a);
            Checks.disjoint("split", arg, parts[i], "x", x);
            for (int j = 0; j < i; j++) {
                Checks.disjoint("split", arg, parts[i], "parts[" + j + "]", parts[j]);
            }
            total += parts[i].dim(a);
        }
        if (total != x.dim(a)) {
            throw new IllegalArgumentException("split: parts must add up to x's " + x.dim(a) + " along axis "
                    + axis + " (x " + x.shape() + "), got " + total);
        }
        backend.split(x, a, parts.clone());
        for (Tensor p : parts) {
            written(p);
        }
    }

    /** out = x reversed along {@code axis}; out must not overlap x. */
    public void reverse(Tensor x, int axis, Tensor out) {
        Checks.on(this, "reverse", "x", x);
        Checks.on(this, "reverse", "out", out);
        int a = Checks.axis("reverse", "x", x, axis);
        Checks.shape("reverse", "out", out, x.shape());
        Checks.disjoint("reverse", "out", out, "x", x);
        backend.reverse(x, a, out);
        written(out);
    }

    // ---- fused recurrent sequences ----

    /** Floats needed by a training workspace; see {@link Backend#rnnWorkspaceSize}. */
    public long rnnWorkspaceSize(RnnSpec spec, int batch, int steps) {
        Checks.notNull("rnn workspace size", "spec", spec);
        if (batch < 0 || steps < 0) {
            throw new IllegalArgumentException("rnn workspace size: batch and steps must be >= 0, got batch=" + batch
                    + " steps=" + steps);
        }
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

    private static <E> String[] names(E[] values, Function<E, String> name) {
        return Arrays.stream(values).map(name).toArray(String[]::new);
    }

    private static void written(Tensor t) {
        if (t != null) {
            t.storage().markWritten();
        }
    }

    /** Waits until every op issued on this device has finished (for timing; reads wait anyway). */
    public void synchronize() {
        backend.synchronize();
    }

    /** What the backend runs on (vector width, threads, GPU name, …); see {@link Backend#describe}. */
    public java.util.Map<String, String> describe() {
        return backend.describe();
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
