package io.rnn4j.kernels.cuda;

import io.rnn4j.engine.Tensor;

/** Gather/scatter ({@code index.cu}) and concat/split as strided 2-D copies. */
final class Indexing {
    private final CudaContext ctx;
    private final Pointwise pointwise;

    Indexing(CudaContext ctx, Pointwise pointwise) {
        this.ctx = ctx;
        this.pointwise = pointwise;
    }

    void gather(Tensor table, Tensor indices, Tensor out) {
        long count = indices.size();
        long cols = table.dim(1);
        if (count * cols > 0) {
            ctx.launch(Kernel.GATHER, Dim3.of(LaunchConfig.elementwiseBlocks(count * cols, ctx.multiprocessors)),
                    Dim3.of(LaunchConfig.ELEMENTWISE_THREADS), 0, ctx.args().ptr(Tensors.address(table))
                            .ptr(Tensors.address(indices)).ptr(Tensors.address(out)).i64(count).i64(cols));
        }
    }

    void scatterAdd(Tensor src, Tensor indices, Tensor table) {
        long count = indices.size();
        long cols = table.dim(1);
        if (count * cols > 0) {
            ctx.launch(Kernel.SCATTER_ADD,
                    Dim3.of(LaunchConfig.elementwiseBlocks(count * cols, ctx.multiprocessors)),
                    Dim3.of(LaunchConfig.ELEMENTWISE_THREADS), 0, ctx.args().ptr(Tensors.address(src))
                            .ptr(Tensors.address(indices)).ptr(Tensors.address(table)).i64(count).i64(cols));
        }
    }

    void concat(Tensor[] parts, int axis, Tensor out) {
        long outer = out.shape().outer(axis);
        long inner = out.shape().inner(axis);
        long outRow = out.dim(axis) * inner;
        long at = 0;
        for (Tensor p : parts) {
            long row = p.dim(axis) * inner;
            pointwise.copy2d(Tensors.address(p), row, Tensors.address(out) + at * Float.BYTES, outRow, outer, row);
            at += row;
        }
    }

    void split(Tensor x, int axis, Tensor[] parts) {
        long outer = x.shape().outer(axis);
        long inner = x.shape().inner(axis);
        long xRow = x.dim(axis) * inner;
        long at = 0;
        for (Tensor p : parts) {
            long row = p.dim(axis) * inner;
            pointwise.copy2d(Tensors.address(x) + at * Float.BYTES, xRow, Tensors.address(p), row, outer, row);
            at += row;
        }
    }
}
