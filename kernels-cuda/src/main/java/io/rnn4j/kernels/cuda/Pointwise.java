package io.rnn4j.kernels.cuda;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;

/** Elementwise ops ({@code pointwise.cu}): grid-stride kernels over contiguous tensors. */
final class Pointwise {
    private final CudaContext ctx;

    Pointwise(CudaContext ctx) {
        this.ctx = ctx;
    }

    private Dim3 grid(long n) {
        return Dim3.of(LaunchConfig.elementwiseBlocks(n, ctx.multiprocessors));
    }

    private static Dim3 block() {
        return Dim3.of(LaunchConfig.ELEMENTWISE_THREADS);
    }

    void unary(UnaryOp op, Tensor x, Tensor out) {
        long n = x.size();
        if (n > 0) {
            ctx.launch(Kernel.UNARY, grid(n), block(), 0,
                    ctx.args().i32(OpCodes.unary(op)).ptr(Tensors.address(x)).ptr(Tensors.address(out)).i64(n));
        }
    }

    void unaryBackward(UnaryOp op, Tensor x, Tensor dy, Tensor dx) {
        long n = x.size();
        if (n > 0) {
            ctx.launch(Kernel.UNARY_BACKWARD, grid(n), block(), 0, ctx.args().i32(OpCodes.unary(op))
                    .ptr(Tensors.address(x)).ptr(Tensors.address(dy)).ptr(Tensors.address(dx)).i64(n));
        }
    }

    void affine(Tensor x, float alpha, float beta, Tensor out) {
        affine(Tensors.address(x), alpha, beta, Tensors.address(out), x.size());
    }

    void affine(long x, float alpha, float beta, long out, long n) {
        if (n > 0) {
            ctx.launch(Kernel.AFFINE, grid(n), block(), 0, ctx.args().ptr(x).f32(alpha).f32(beta).ptr(out).i64(n));
        }
    }

    /** a and b already have out's rank (Device pads them). */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        long n = out.size();
        if (n == 0) {
            return;
        }
        int code = OpCodes.binary(op);
        int[] od = out.shape().dims();
        if (a.shape().equals(out.shape()) && b.shape().equals(out.shape())) {
            ctx.launch(Kernel.BINARY_SAME, grid(n), block(), 0, ctx.args().i32(code).ptr(Tensors.address(a))
                    .ptr(Tensors.address(b)).ptr(Tensors.address(out)).i64(n));
            return;
        }
        int last = od.length - 1;
        if (a.shape().equals(out.shape()) && b.size() == od[last] && b.dim(last) == od[last]) {
            ctx.launch(Kernel.BINARY_ROWVEC, grid(n), block(), 0, ctx.args().i32(code).ptr(Tensors.address(a))
                    .ptr(Tensors.address(b)).ptr(Tensors.address(out)).i64(n).i64(od[last]));
            return;
        }
        long[] s = Broadcasting.struct(od, Broadcasting.strides(a.shape().dims(), od),
                Broadcasting.strides(b.shape().dims(), od));
        ctx.launch(Kernel.BINARY_BROADCAST, grid(n), block(), 0, ctx.args().i32(code).ptr(Tensors.address(a))
                .ptr(Tensors.address(b)).ptr(Tensors.address(out)).i64(n).struct(s));
    }

    void broadcast(Tensor x, Tensor out) {
        long n = out.size();
        if (n == 0) {
            return;
        }
        int[] od = out.shape().dims();
        long[] xs = Broadcasting.strides(x.shape().dims(), od);
        long[] s = Broadcasting.struct(od, xs, new long[od.length]);
        ctx.launch(Kernel.BROADCAST, grid(n), block(), 0,
                ctx.args().ptr(Tensors.address(x)).ptr(Tensors.address(out)).i64(n).struct(s));
    }

    void reverse(Tensor x, int axis, Tensor out) {
        long n = x.size();
        if (n > 0) {
            ctx.launch(Kernel.REVERSE, grid(n), block(), 0, ctx.args().ptr(Tensors.address(x))
                    .ptr(Tensors.address(out)).i64(x.shape().outer(axis)).i64(x.dim(axis))
                    .i64(x.shape().inner(axis)));
        }
    }

    /** {@code rows × cols} floats between row strides (in floats): the body of concat and split. */
    void copy2d(long src, long srcPitch, long dst, long dstPitch, long rows, long cols) {
        long n = rows * cols;
        if (n > 0) {
            ctx.launch(Kernel.COPY2D, grid(n), block(), 0,
                    ctx.args().ptr(src).i64(srcPitch).ptr(dst).i64(dstPitch).i64(rows).i64(cols));
        }
    }

    /**
     * {@code dst} = {@code src} ({@code rows × cols}, contiguous) with every row whose {@code mask}
     * value is 0 set to zeros; {@code dst} may be {@code src}.
     */
    void zeroMaskedRows(long src, long mask, long dst, long rows, long cols) {
        long n = rows * cols;
        if (n > 0) {
            ctx.launch(Kernel.ZERO_MASKED_ROWS, grid(n), block(), 0,
                    ctx.args().ptr(src).ptr(mask).ptr(dst).i64(rows).i64(cols));
        }
    }
}
