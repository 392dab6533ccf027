package io.rnn4j.layers.autograd;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;

/**
 * {@code x ** p} for a number exponent, or {@code c ** y} for a number base, as TensorFlow's
 * {@code tf.pow} on float32 (C's {@code powf}), composed of device ops.
 *
 * <p>{@code x ** p}: an integral p is taken by repeated squaring of x itself, so a negative base
 * keeps its sign for an odd p and {@code 0 ** 0} is 1 (a negative p takes the reciprocal first,
 * so {@code 0 ** -1} is +∞ and {@code -0 ** -1} is -∞); a p halfway between integers is
 * {@code sqrt(x) + 0} (NaN below 0, +0 for -0) squared the same way; any other p is
 * {@code exp(p · log x)}, NaN for a negative base. Each is within a few float32 ulps per unit of
 * {@code |p · log x|} of powf. Left apart: {@code -∞} to a non-integral power is NaN here (+∞ or
 * +0 in powf). The gradient is TensorFlow's (_PowGrad): {@code g · p · x ** (p − 1)}, so
 * {@code 0 ** 0}'s is NaN, as TensorFlow's.
 *
 * <p>{@code c ** y} for a base {@code c > 0}: {@code exp(y · ln c)} (1 for c = 1); its gradient
 * {@code g · z · ln c} is _PowGrad's for a positive base.
 */
final class Pow extends Function {
    private final float base;
    private final float exponent;

    private Pow(float base, float exponent) {
        this.base = base;
        this.exponent = exponent;
    }

    /** {@code x ** p}. */
    static Pow exponent(float p) {
        if (!Float.isFinite(p)) {
            throw new IllegalArgumentException("power: expected a finite exponent, got " + p);
        }
        return new Pow(Float.NaN, p);
    }

    /** {@code c ** y} for {@code c > 0}. */
    static Pow base(float c) {
        if (!(c > 0) || !Float.isFinite(c)) {
            throw new IllegalArgumentException("power: expected a finite positive number base, got " + c);
        }
        return new Pow(c, Float.NaN);
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        Device d = x.device();
        if (Float.isNaN(base)) {
            save(x);
            return power(x, exponent);
        }
        Tensor out = d.zeros(x.shape());
        if (base == 1f) {
            d.fill(out, 1f);
        } else {
            d.binary(BinaryOp.MUL, x, d.full(Shape.of(), lnBase()), out);
            d.unary(UnaryOp.EXP, out, out);
        }
        save(out);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Device d = g.device();
        Tensor dx = d.zeros(g.shape());
        if (Float.isNaN(base)) {
            // TensorFlow's order: (g · p) · x ** (p − 1), with p − 1 in float32
            d.binary(BinaryOp.MUL, g, d.full(Shape.of(), exponent), dx);
            d.binary(BinaryOp.MUL, dx, power(saved(0), exponent - 1f), dx);
        } else {
            d.binary(BinaryOp.MUL, g, saved(0), dx);
            d.binary(BinaryOp.MUL, dx, d.full(Shape.of(), lnBase()), dx);
        }
        return new Tensor[] {dx};
    }

    /** ln c rounded to float32, as TensorFlow's float32 log of the base (0 for c = 1). */
    private float lnBase() {
        return (float) Math.log(base);
    }

    /** {@code x ** p} elementwise, a new tensor. */
    static Tensor power(Tensor x, float p) {
        Device d = x.device();
        Tensor out = d.zeros(x.shape());
        if (p == Math.rint(p)) {
            integral(x, p, out);
        } else if (2 * (double) p == Math.rint(2 * (double) p)) {
            Tensor root = d.zeros(x.shape());
            d.unary(UnaryOp.SQRT, x, root);
            d.binary(BinaryOp.ADD, root, d.full(Shape.of(), 0f), root); // -0 becomes +0, as powf(-0, 0.5)
            integral(root, (float) (2 * (double) p), out);
        } else {
            d.unary(UnaryOp.LOG, x, out);
            d.binary(BinaryOp.MUL, out, d.full(Shape.of(), p), out);
            d.unary(UnaryOp.EXP, out, out);
        }
        return out;
    }

    /** {@code x ** n} for an integral n into out, by squaring: exact sign, 0 ** 0 = 1. */
    private static void integral(Tensor x, float n, Tensor out) {
        Device d = x.device();
        d.fill(out, 1f);
        if (n == 0f) {
            return;
        }
        Tensor square = d.zeros(x.shape());
        if (n < 0) {
            d.unary(UnaryOp.RECIPROCAL, x, square);
        } else {
            d.copy(x, square);
        }
        double k = Math.abs((double) n);
        while (true) {
            if (k % 2 == 1) {
                d.binary(BinaryOp.MUL, out, square, out);
            }
            k = Math.floor(k / 2);
            if (k == 0) {
                return;
            }
            d.binary(BinaryOp.MUL, square, square, square);
        }
    }
}
