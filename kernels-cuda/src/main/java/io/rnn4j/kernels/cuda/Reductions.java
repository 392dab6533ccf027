package io.rnn4j.kernels.cuda;

import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.Tensor;

/**
 * Reductions and softmax ({@code reduce.cu}). Many short contiguous rows take one warp each; every
 * other reduction runs in two passes — partial sums over chunks of the axis in double, then their
 * combination in order — so it is deterministic and keeps the GPU busy when few outputs remain
 * (a bias gradient sums thousands of rows into a few hundred columns).
 */
final class Reductions {
    private final CudaContext ctx;
    private final CudaBackend backend;

    Reductions(CudaContext ctx, CudaBackend backend) {
        this.ctx = ctx;
        this.backend = backend;
    }

    void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        reduce(op, Tensors.address(x), x.shape().outer(axis), x.dim(axis), x.shape().inner(axis),
                Tensors.address(out));
    }

    /** x viewed as (outer, n, inner) reduced over n into out (outer, inner); device addresses. */
    void reduce(ReduceOp op, long x, long outer, long n, long inner, long out) {
        long count = outer * inner;
        if (count == 0) {
            return;
        }
        int code = OpCodes.reduce(op);
        if (inner == 1 && outer >= 64) {
            ctx.launch(Kernel.REDUCE_ROWS, Dim3.of(LaunchConfig.warpRowBlocks(outer, ctx.multiprocessors)),
                    Dim3.of(32, 8), 0, ctx.args().i32(code).ptr(x).ptr(out).i64(outer).i64(n));
            return;
        }
        LaunchConfig.ReducePlan plan = LaunchConfig.reducePlan(outer, n, inner, ctx.multiprocessors);
        // The double partials live in a float scratch buffer of twice the length.
        try (CudaStorage partial = backend.scratch(2L * plan.chunks() * count)) {
            ctx.launch(Kernel.REDUCE_PARTIAL, plan.grid(), plan.block(), 0, ctx.args().i32(code).ptr(x)
                    .ptr(partial.address(0)).i64(outer).i64(n).i64(inner).i64(plan.chunkLen()));
            ctx.launch(Kernel.REDUCE_FINISH, Dim3.of(LaunchConfig.elementwiseBlocks(count, ctx.multiprocessors)),
                    Dim3.of(LaunchConfig.ELEMENTWISE_THREADS), 0, ctx.args().i32(code).ptr(partial.address(0))
                            .ptr(out).i64(count).i64(plan.chunks()).i64(n));
        }
    }

    void softmax(Tensor x, int axis, boolean log, Tensor out) {
        long outer = x.shape().outer(axis);
        long inner = x.shape().inner(axis);
        long rows = outer * inner;
        if (rows == 0 || x.dim(axis) == 0) {
            return;
        }
        ctx.launch(Kernel.SOFTMAX, Dim3.of(LaunchConfig.warpRowBlocks(rows, ctx.multiprocessors)), Dim3.of(32, 8), 0,
                ctx.args().ptr(Tensors.address(x)).ptr(Tensors.address(out)).i64(outer).i64(x.dim(axis))
                        .i64(inner).i32(log ? 1 : 0));
    }

    void softmaxBackward(Tensor y, Tensor dy, int axis, boolean log, Tensor dx) {
        long outer = y.shape().outer(axis);
        long inner = y.shape().inner(axis);
        long rows = outer * inner;
        if (rows == 0 || y.dim(axis) == 0) {
            return;
        }
        ctx.launch(Kernel.SOFTMAX_BACKWARD, Dim3.of(LaunchConfig.warpRowBlocks(rows, ctx.multiprocessors)),
                Dim3.of(32, 8), 0, ctx.args().ptr(Tensors.address(y)).ptr(Tensors.address(dy))
                        .ptr(Tensors.address(dx)).i64(outer).i64(y.dim(axis)).i64(inner).i32(log ? 1 : 0));
    }
}
