package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A stride-1, one-group 1-D convolution (a cross-correlation, as Keras's Conv1D) of x
 * {@code (B, T, C)} with a kernel {@code (K, C, F)} at dilation d, x padded with zeros by
 * {@code left} and {@code right} steps: {@code y[b, t] = Σ_k xp[b, t + k·d] · W[k]}, y
 * {@code (B, Tout, F)} with {@code Tout = Tp − (K−1)·d}, {@code Tp = left + T + right}.
 *
 * <p>Computed as K GEMMs into one accumulator instead of an im2col copy and one GEMM: the padded
 * input viewed as a {@code (B·Tp, C)} matrix, shifted down by {@code k·d} rows, is a
 * {@code (R, C)} view ({@code R = B·Tp − (K−1)·d}) whose row {@code b·Tp + t} is what tap k reads
 * for output {@code (b, t)}, so {@code Y = Σ_k X_shift_k · W_k} (beta 1 after the first tap) holds
 * every output at row {@code b·Tp + t}, {@code t < Tout}; the {@code (K−1)·d} rows after each
 * sequence mix two sequences and are dropped by one split along the steps. Backward has the same
 * shape: the gradient placed back at those rows (zeros elsewhere) is {@code dY},
 * {@code dW_k = X_shift_kᵀ · dY}, {@code dXp[shift k] += dY · W_kᵀ}, and the padding is cut off.
 *
 * <p>Cost: forward {@code 2·R·C·F·K} flops, K GEMMs over views of the padded input (no copy of it
 * per tap), i.e. the im2col product's {@code 2·B·Tout·K·C·F} plus the {@code (B−1)·(K−1)·d}
 * dropped rows; bytes moved besides the GEMMs: the padded input written once
 * ({@code B·Tp·C} floats, only when there is padding) and the result copied once
 * ({@code B·Tout·F}), against im2col's {@code B·Tout·K·C} gathered. Backward: twice the forward's
 * flops, plus the gradient spread once ({@code B·Tp·F}) and the input gradient cut once
 * ({@code B·T·C}, only with padding). Saved for backward: the padded input and the kernel.
 */
final class ShiftedConv1D extends Function {
    private final int dilation;
    private final int left;
    private final int right;

    ShiftedConv1D(int dilation, int left, int right) {
        if (dilation < 1 || left < 0 || right < 0) {
            throw new IllegalArgumentException("conv1d: dilation must be >= 1 and padding >= 0, got dilation "
                    + dilation + ", padding " + left + " and " + right);
        }
        this.dilation = dilation;
        this.left = left;
        this.right = right;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        Tensor w = in[1];
        if (x.rank() != 3 || w.rank() != 3 || w.dim(1) != x.dim(2)) {
            throw new IllegalArgumentException("conv1d: expected x (batch, steps, channels) and a kernel (size, "
                    + "channels, filters), got " + x.shape() + " and " + w.shape());
        }
        int span = (w.dim(0) - 1) * dilation;
        int tp = left + x.dim(1) + right;
        if (tp < span) {
            throw new IllegalArgumentException("conv1d: " + tp + " padded steps are shorter than the kernel's reach "
                    + (span + 1) + " (x " + x.shape() + ", kernel " + w.shape() + ", dilation " + dilation + ")");
        }
        Device d = x.device();
        int batch = x.dim(0);
        int tout = tp - span;
        int f = w.dim(2);
        Tensor out = d.zeros(batch, tout, f);
        Tensor xp = padded(x);
        save(needsGrad(1) ? xp : null, needsGrad(0) ? w : null);
        if (empty(batch, x.dim(2), f, tout)) {
            return out;
        }
        // Without a span the accumulator is the output itself; else it has the dropped rows too.
        Tensor acc = span == 0 ? out.reshape(batch * tp, f) : d.zeros(batch * tp, f);
        int rows = batch * tp - span;
        Tensor accRows = acc.narrow(0, rows);
        for (int k = 0; k < w.dim(0); k++) {
            d.gemm(false, false, 1f, xp.narrow(k * dilation, rows), w.slice(k), k == 0 ? 0f : 1f, accRows);
        }
        if (span > 0) {
            d.split(acc.reshape(batch, tp, f), 1, new Tensor[] {out, d.zeros(batch, span, f)});
        }
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Variable x = inputs[0];
        Variable w = inputs[1];
        Device d = g.device();
        int batch = x.dim(0);
        int c = x.dim(2);
        int f = w.dim(2);
        int span = (w.dim(0) - 1) * dilation;
        int tp = left + x.dim(1) + right;
        int tout = tp - span;
        Tensor dx = needsGrad(0) ? d.zeros(x.shape()) : null;
        Tensor dw = needsGrad(1) ? d.zeros(w.shape()) : null;
        if (empty(batch, c, f, tout)) {
            return new Tensor[] {dx, dw};
        }
        Tensor dy;
        if (span == 0) {
            dy = g.reshape(batch * tp, f);
        } else {
            dy = d.zeros(batch * tp, f);
            d.concat(new Tensor[] {g, d.zeros(batch, span, f)}, 1, dy.reshape(batch, tp, f));
        }
        int rows = batch * tp - span;
        Tensor dyRows = dy.narrow(0, rows);
        if (dw != null) {
            Tensor xp = saved(0);
            for (int k = 0; k < w.dim(0); k++) {
                d.gemm(true, false, 1f, xp.narrow(k * dilation, rows), dyRows, 0f, dw.slice(k));
            }
        }
        if (dx != null) {
            Tensor kernel = saved(1);
            Tensor dxp = left + right == 0 ? dx.reshape(batch * tp, c) : d.zeros(batch * tp, c);
            for (int k = 0; k < w.dim(0); k++) {
                d.gemm(false, true, 1f, dyRows, kernel.slice(k), 1f, dxp.narrow(k * dilation, rows));
            }
            if (left + right > 0) {
                d.split(dxp.reshape(batch, tp, c), 1, around(dx, batch, c));
            }
        }
        return new Tensor[] {dx, dw};
    }

    /** Nothing to multiply: the output, or both GEMM operands, hold no element. */
    private static boolean empty(int batch, int channels, int filters, int tout) {
        return (long) batch * tout * filters == 0 || channels == 0;
    }

    /** x with its padding, as the {@code (B·Tp, C)} matrix the taps' views shift along. */
    private Tensor padded(Tensor x) {
        int batch = x.dim(0);
        int c = x.dim(2);
        int tp = left + x.dim(1) + right;
        if (left + right == 0) {
            return x.reshape(batch * tp, c);
        }
        Tensor xp = x.device().zeros(batch, tp, c);
        x.device().concat(around(x, batch, c), 1, xp);
        return xp.reshape(batch * tp, c);
    }

    /** Zero blocks of the left and right padding around {@code middle}, omitting empty ones. */
    private Tensor[] around(Tensor middle, int batch, int c) {
        List<Tensor> parts = new ArrayList<>(3);
        if (left > 0) {
            parts.add(middle.device().zeros(batch, left, c));
        }
        parts.add(middle);
        if (right > 0) {
            parts.add(middle.device().zeros(batch, right, c));
        }
        return parts.toArray(Tensor[]::new);
    }
}
