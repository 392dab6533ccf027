package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A 1-D transposed convolution, as {@code tf.nn.conv_transpose} (the gradient of a Conv1D with
 * respect to its input), of x {@code (B, T, C)} with a kernel {@code (K, F, C)} (Keras's
 * Conv1DTranspose layout) at stride s and dilation d: each input step t adds
 * {@code x[b, t] · W[k]ᵀ} to output step {@code t·s + k·d − crop} for every tap k, and the output
 * keeps steps {@code 0 ≤ j < length}: y {@code (B, length, F)}. Steps no tap reaches stay 0.
 *
 * <p>Computed as K GEMMs into one buffer, with no scatter and no zero insertion. Each sequence
 * of x is padded with zero rows to {@code Tq} rows, Tq chosen so that the buffer's
 * {@code P = Tq·s} steps per sequence hold every tap's reach and the kept window. Viewed with a
 * leading dimension of {@code s·F} floats, the buffer's row r starting {@code k·d} steps in is output step
 * {@code (r mod Tq)·s + k·d} of sequence {@code r div Tq}: exactly where tap k sends x's row r.
 * So {@code Y_k += Xp · W_kᵀ} is one GEMM per tap. A real row reaches at most
 * {@code (T−1)·s + (K−1)·d < P} steps into its own sequence's block; only zero rows (t ≥ T) write
 * across into the next block, and they add zeros. Only the first {@code (B−1)·Tq + T} rows are
 * multiplied (the last sequence's zero rows would reach past the buffer). Then one split cuts out the kept window.
 * Backward has the same shape: the gradient placed into the buffer, {@code dW_k = Y_kᵀ·Xp} and
 * {@code dXp += Y_k·W_k} over the same strided views, and the zero rows cut off.
 *
 * <p>Cost, forward: {@code 2·((B−1)·Tq + T)·C·F·K} flops, i.e. the useful {@code 2·B·T·C·F·K}
 * plus about {@code (reach + crop)/s} zero rows per sequence. Bytes moved besides the GEMMs: x
 * padded once ({@code B·Tq·C}, when Tq > T), the buffer zeroed ({@code B·P·F}) and the window
 * copied out ({@code B·length·F}). The alternatives cost more. One GEMM to {@code (B·T, K·F)} then
 * a scatter-add has the same flops but writes and scatters {@code B·T·K·F} more floats. Inserting
 * s−1 zeros between steps and running a stride-1 convolution multiplies the flops by s. Backward:
 * twice the forward's flops, plus the gradient spread once ({@code B·P·F}) and the input gradient
 * cut once ({@code B·T·C}, when Tq > T). Saved for backward: the padded x and the kernel.
 */
final class ConvTranspose1D extends Function {
    private final int stride;
    private final int dilation;
    private final int crop;
    private final int length;

    ConvTranspose1D(int stride, int dilation, int crop, int length) {
        if (stride < 1 || dilation < 1 || crop < 0 || length < 0) {
            throw new IllegalArgumentException("conv1d_transpose: stride and dilation must be >= 1, crop and length "
                    + ">= 0, got stride " + stride + ", dilation " + dilation + ", crop " + crop + " and length "
                    + length);
        }
        this.stride = stride;
        this.dilation = dilation;
        this.crop = crop;
        this.length = length;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        Tensor w = in[1];
        if (x.rank() != 3 || w.rank() != 3 || w.dim(2) != x.dim(2)) {
            throw new IllegalArgumentException("conv1d_transpose: expected x (batch, steps, channels) and a kernel "
                    + "(size, filters, channels), got " + x.shape() + " and " + w.shape());
        }
        Device d = x.device();
        int batch = x.dim(0);
        int f = w.dim(1);
        Tensor out = d.zeros(batch, length, f);
        if (empty(x, w)) {
            save(null, null);
            return out;
        }
        int tq = paddedSteps(x.dim(1), w.dim(0));
        Tensor xp = padded(x, tq);
        Tensor buffer = d.zeros(batch, tq * stride, f);
        for (int k = 0; k < w.dim(0); k++) {
            d.gemm(false, true, rows(x, tq), f, x.dim(2), 1f, xp, x.dim(2), w.slice(k), x.dim(2), 1f,
                    tapView(buffer, k, f), stride * f);
        }
        d.split(buffer, 1, window(out, buffer));
        save(needsGrad(1) ? xp : null, needsGrad(0) ? w : null);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Variable x = inputs[0];
        Variable w = inputs[1];
        Device d = g.device();
        Tensor dx = needsGrad(0) ? d.zeros(x.shape()) : null;
        Tensor dw = needsGrad(1) ? d.zeros(w.shape()) : null;
        if (empty(x.value(), w.value())) {
            return new Tensor[] {dx, dw};
        }
        int batch = x.dim(0);
        int steps = x.dim(1);
        int c = x.dim(2);
        int f = w.dim(1);
        int tq = paddedSteps(steps, w.dim(0));
        int m = rows(x.value(), tq);
        Tensor buffer = d.zeros(batch, tq * stride, f);
        d.concat(window(g, buffer), 1, buffer);
        if (dw != null) {
            Tensor xp = saved(0);
            for (int k = 0; k < w.dim(0); k++) {
                d.gemm(true, false, f, c, m, 1f, tapView(buffer, k, f), stride * f, xp, c, 0f, dw.slice(k), c);
            }
        }
        if (dx != null) {
            Tensor kernel = saved(1);
            Tensor dxp = tq == steps ? dx : d.zeros(batch, tq, c);
            for (int k = 0; k < w.dim(0); k++) {
                d.gemm(false, false, m, c, f, 1f, tapView(buffer, k, f), stride * f, kernel.slice(k), c, 1f, dxp, c);
            }
            if (tq > steps) {
                d.split(dxp, 1, new Tensor[] {dx, d.zeros(batch, tq - steps, c)});
            }
        }
        return new Tensor[] {dx, dw};
    }

    /** Nothing to multiply: no input row, no channel, no filter or no kept step. */
    private boolean empty(Tensor x, Tensor w) {
        return (long) x.dim(0) * x.dim(1) * x.dim(2) * w.dim(1) == 0 || length == 0;
    }

    /**
     * Rows per sequence of the padded x (at least T): the buffer's {@code Tq·s} steps must hold the
     * last tap of the last step, {@code (T−1)·s + (K−1)·d}, and the kept window, {@code crop + length}.
     */
    private int paddedSteps(int steps, int size) {
        long reach = (long) (steps - 1) * stride + (long) (size - 1) * dilation + 1;
        long need = Math.max(reach, (long) crop + length);
        return Math.toIntExact((need + stride - 1) / stride);
    }

    /** The rows multiplied: every sequence's Tq, but the last one's T (its zero rows would overrun). */
    private static int rows(Tensor x, int tq) {
        return (x.dim(0) - 1) * tq + x.dim(1);
    }

    /** The buffer from tap k's first output step on, flat: rows of s·F floats from there are its GEMM's C. */
    private Tensor tapView(Tensor buffer, int k, int f) {
        long start = (long) k * dilation * f;
        Tensor flat = buffer.reshape(Math.toIntExact(buffer.size()));
        return flat.narrow(Math.toIntExact(start), Math.toIntExact(buffer.size() - start));
    }

    /** x with zero rows after each sequence up to Tq, as the {@code (B·Tq, C)} matrix; x itself when Tq = T. */
    private static Tensor padded(Tensor x, int tq) {
        int batch = x.dim(0);
        int c = x.dim(2);
        if (tq == x.dim(1)) {
            return x.reshape(batch * tq, c);
        }
        Tensor xp = x.device().zeros(batch, tq, c);
        x.device().concat(new Tensor[] {x, x.device().zeros(batch, tq - x.dim(1), c)}, 1, xp);
        return xp.reshape(batch * tq, c);
    }

    /** The buffer's steps as parts along axis 1: cropped on the left, {@code kept}, the rest (empty parts left out). */
    private Tensor[] window(Tensor kept, Tensor buffer) {
        Device d = kept.device();
        int batch = buffer.dim(0);
        int f = buffer.dim(2);
        int rest = buffer.dim(1) - crop - length;
        List<Tensor> parts = new ArrayList<>(3);
        if (crop > 0) {
            parts.add(d.zeros(batch, crop, f));
        }
        parts.add(kept);
        if (rest > 0) {
            parts.add(d.zeros(batch, rest, f));
        }
        return parts.toArray(Tensor[]::new);
    }
}
