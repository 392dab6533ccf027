package io.rnn4j.layers.autograd;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A stride-1 2-D depthwise convolution with a depth multiplier of 1 (Keras's DepthwiseConv2D,
 * channels_last) of x {@code (n, H, W, C)} with a kernel {@code (kh, kw, C)} at dilation
 * {@code (dh, dw)}, x padded with zeros by {@code top, bottom, left, right}:
 * {@code y[b, h, w, c] = Σ_ij xp[b, h + i·dh, w + j·dw, c] · k[i, j, c]}, y {@code (n, Hp − (kh−1)·dh,
 * Wp − (kw−1)·dw, C)}.
 *
 * <p>Computed without gathering windows: the padded input viewed as {@code (n·Hp·Wp, C)} rows,
 * shifted down by {@code i·dh·Wp + j·dw} rows, holds at row {@code (b·Hp + h)·Wp + w} what tap
 * (i, j) reads for output (b, h, w); so {@code Y = Σ_taps X_shift ⊙ k_tap} (the tap's kernel row
 * broadcast along a whole padded image row, {@code Wp·C} floats per multiply) has every output at
 * its padded position, and the positions past the output's edge (mixing rows or images) are cut
 * off by one split per axis. Backward has the same shape: the gradient placed at those positions
 * (zeros elsewhere) is {@code dY}, {@code dk_tap = Σ_rows X_shift ⊙ dY}, {@code dXp[shift] += dY ⊙
 * k_tap}, and the padding is cut off.
 *
 * <p>Cost, with {@code P = n·Hp·Wp·C}: forward {@code 2·taps·P} flops in taps multiplies and adds
 * over contiguous rows (about {@code 5·taps·P} floats moved) plus the padded copy and the cut, against
 * im2col's gather, multiply and sum of {@code taps·n·out·C} floats each plus the window indices.
 * Backward: twice that. Saved for backward: the padded input and the broadcast kernel rows.
 */
final class ShiftedDepthwise2D extends Function {
    private final int dh;
    private final int dw;
    private final int top;
    private final int bottom;
    private final int left;
    private final int right;

    ShiftedDepthwise2D(int[] dilation, int[] padding) {
        if (dilation[0] < 1 || dilation[1] < 1 || padding[0] < 0 || padding[1] < 0 || padding[2] < 0
                || padding[3] < 0) {
            throw new IllegalArgumentException("depthwise_conv2d: dilation must be >= 1 and padding >= 0, got "
                    + "dilation (" + dilation[0] + ", " + dilation[1] + "), padding (" + padding[0] + ", "
                    + padding[1] + ", " + padding[2] + ", " + padding[3] + ")");
        }
        this.dh = dilation[0];
        this.dw = dilation[1];
        this.top = padding[0];
        this.bottom = padding[1];
        this.left = padding[2];
        this.right = padding[3];
    }

    /** The sizes of one call: padded grid, output grid and the taps' row shifts. */
    private record Grid(int n, int h, int w, int c, int hp, int wp, int outH, int outW, int[] shifts) {
        int positions() {
            return n * hp * wp;
        }

        int reach() {
            return shifts[shifts.length - 1];
        }
    }

    private Grid grid(Tensor x, int kh, int kw) {
        int hp = top + x.dim(1) + bottom;
        int wp = left + x.dim(2) + right;
        int outH = hp - (kh - 1) * dh;
        int outW = wp - (kw - 1) * dw;
        if (outH < 0 || outW < 0) {
            throw new IllegalArgumentException("depthwise_conv2d: padded input " + hp + "x" + wp + " is smaller "
                    + "than the kernel's reach (x " + x.shape() + ", kernel " + kh + "x" + kw + ")");
        }
        int[] shifts = new int[kh * kw];
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                shifts[i * kw + j] = i * dh * wp + j * dw;
            }
        }
        return new Grid(x.dim(0), x.dim(1), x.dim(2), x.dim(3), hp, wp, outH, outW, shifts);
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        Tensor k = in[1];
        if (x.rank() != 4 || k.rank() != 3 || k.dim(2) != x.dim(3)) {
            throw new IllegalArgumentException("depthwise_conv2d: expected x (batch, rows, cols, channels) and a "
                    + "kernel (rows, cols, channels), got " + x.shape() + " and " + k.shape());
        }
        Grid g = grid(x, k.dim(0), k.dim(1));
        Device d = x.device();
        Tensor out = d.zeros(g.n(), g.outH(), g.outW(), g.c());
        if (out.size() == 0) {
            save(null, null);
            return out;
        }
        Tensor xp = padded(x, g);
        Tensor rows = d.zeros(g.shifts().length, g.wp(), g.c()); // each tap's kernel row along an image row
        d.broadcast(k.reshape(g.shifts().length, 1, g.c()), rows);
        save(needsGrad(1) ? xp : null, needsGrad(0) ? rows : null);
        int lines = g.n() * g.hp();
        int width = g.wp() * g.c();
        Tensor acc = d.zeros(lines, width);
        Tensor term = d.zeros(lines, width);
        for (int t = 0; t < g.shifts().length; t++) {
            Tensor view = xp.narrow(g.shifts()[t], g.positions()).reshape(lines, width);
            d.binary(BinaryOp.MUL, view, rows.slice(t).reshape(width), t == 0 ? acc : term);
            if (t > 0) {
                d.binary(BinaryOp.ADD, acc, term, acc);
            }
        }
        cut(d, acc.reshape(g.n(), g.hp(), g.wp(), g.c()), 0, g.hp() - g.outH(), 0, g.wp() - g.outW(), out);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Variable x = inputs[0];
        Variable k = inputs[1];
        Device d = grad.device();
        Tensor dx = needsGrad(0) ? d.zeros(x.shape()) : null;
        Tensor dk = needsGrad(1) ? d.zeros(k.shape()) : null;
        Grid g = grid(x.value(), k.dim(0), k.dim(1));
        if (grad.size() == 0) {
            return new Tensor[] {dx, dk};
        }
        int lines = g.n() * g.hp();
        int width = g.wp() * g.c();
        Tensor dy = d.zeros(g.n(), g.hp(), g.wp(), g.c()); // the gradient at the padded positions
        place(d, grad, 0, g.hp() - g.outH(), 0, g.wp() - g.outW(), dy);
        Tensor term = d.zeros(lines, width);
        if (dk != null) {
            Tensor xp = saved(0);
            Tensor kTaps = dk.reshape(g.shifts().length, g.c());
            Tensor flat = term.reshape(g.positions(), g.c());
            for (int t = 0; t < g.shifts().length; t++) {
                d.binary(BinaryOp.MUL, xp.narrow(g.shifts()[t], g.positions()), dy.reshape(g.positions(), g.c()),
                        flat);
                d.reduce(ReduceOp.SUM, flat, 0, kTaps.slice(t));
            }
        }
        if (dx != null) {
            Tensor rows = saved(1);
            Tensor dxp = d.zeros(g.positions() + g.reach(), g.c());
            for (int t = 0; t < g.shifts().length; t++) {
                d.binary(BinaryOp.MUL, dy.reshape(lines, width), rows.slice(t).reshape(width), term);
                Tensor view = dxp.narrow(g.shifts()[t], g.positions()).reshape(lines, width);
                d.binary(BinaryOp.ADD, view, term, view);
            }
            cut(d, dxp.narrow(0, g.positions()).reshape(g.n(), g.hp(), g.wp(), g.c()), top, bottom, left, right, dx);
        }
        return new Tensor[] {dx, dk};
    }

    /**
     * x with its padding, as {@code (n·Hp·Wp + reach, C)} rows: the {@code reach} zero rows after
     * the last image let the last tap's shifted view stay inside (they only meet cut positions).
     */
    private Tensor padded(Tensor x, Grid g) {
        Device d = x.device();
        Tensor xp = d.zeros(g.positions() + g.reach(), g.c());
        place(d, x, top, bottom, left, right, xp.narrow(0, g.positions()).reshape(g.n(), g.hp(), g.wp(), g.c()));
        return xp;
    }

    /** Writes {@code inner} into {@code out} with zero blocks of the given sizes around it (rows, then columns). */
    private static void place(Device d, Tensor inner, int before1, int after1, int before2, int after2, Tensor out) {
        if (before1 + after1 + before2 + after2 == 0) {
            d.copy(inner, out);
            return;
        }
        int n = inner.dim(0);
        int c = inner.dim(3);
        Tensor wide = inner;
        if (before2 + after2 > 0) {
            wide = before1 + after1 == 0 ? out : d.zeros(n, inner.dim(1), out.dim(2), c);
            d.concat(around(d, inner, 2, before2, after2), 2, wide);
        }
        if (before1 + after1 > 0) {
            d.concat(around(d, wide, 1, before1, after1), 1, out);
        }
    }

    /** Reads into {@code out} the part of {@code whole} without the given margins (rows, then columns). */
    private static void cut(Device d, Tensor whole, int before1, int after1, int before2, int after2, Tensor out) {
        if (before1 + after1 + before2 + after2 == 0) {
            d.copy(whole, out);
            return;
        }
        int n = whole.dim(0);
        int c = whole.dim(3);
        Tensor tall = whole;
        if (before1 + after1 > 0) {
            tall = before2 + after2 == 0 ? out : d.zeros(n, out.dim(1), whole.dim(2), c);
            d.split(whole, 1, around(d, tall, 1, before1, after1));
        }
        if (before2 + after2 > 0) {
            d.split(tall, 2, around(d, out, 2, before2, after2));
        }
    }

    /** {@code middle} between zero blocks of {@code before} and {@code after} along {@code axis}, empty ones left out. */
    private static Tensor[] around(Device d, Tensor middle, int axis, int before, int after) {
        List<Tensor> parts = new ArrayList<>(3);
        if (before > 0) {
            parts.add(d.zeros(middle.shape().with(axis, before)));
        }
        parts.add(middle);
        if (after > 0) {
            parts.add(d.zeros(middle.shape().with(axis, after)));
        }
        return parts.toArray(Tensor[]::new);
    }
}
