package io.rnn4j.layers.autograd;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;

/**
 * TensorFlow's {@code tf.sign}, {@code tf.floor}, {@code tf.math.ceil} and {@code tf.round} (half
 * to even) on float32, composed of device ops, with a zero gradient (TensorFlow registers none for
 * Floor, Ceil and Round, and zeros for Sign). Rounding to an integer is float32's own: {@code
 * (|x| + 2^23) − 2^23} rounds |x| below 2^23 half to even (every float32 from 2^23 up is an
 * integer already and is kept), the sign put back after; floor and ceil step that by one where it
 * went the wrong way. The signs come from relu's derivative, 1 exactly where its argument is
 * positive. A result has x's sign bit, as C's floor, ceil and rint: {@code floor(-0)} and
 * {@code ceil(-0.7)} are -0. NaN stays NaN, sign's included (TF 2's tf.sign and jnp.sign);
 * {@code sign(-0)} is +0.
 */
final class Rounding extends Function {
    /** Which function. */
    enum Kind { SIGN, FLOOR, CEIL, ROUND }

    private static final float TWO_23 = 8388608f;

    private final Kind kind;
    private final float scale;

    /** @param scale round's {@code 10^decimals} as float32: {@code round(x · scale) / scale}; 1 for the others */
    Rounding(Kind kind, float scale) {
        if (!(scale > 0) || !Float.isFinite(scale) || (kind != Kind.ROUND && scale != 1f)) {
            throw new IllegalArgumentException(kind + ": bad scale " + scale);
        }
        this.kind = kind;
        this.scale = scale;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        Device d = x.device();
        if (kind == Kind.SIGN) {
            return sign(x);
        }
        Tensor y = x;
        if (scale != 1f) {
            y = d.zeros(x.shape());
            d.binary(BinaryOp.MUL, x, d.full(Shape.of(), scale), y);
        }
        Tensor r = rint(y);
        Tensor bit = signBit(x);
        switch (kind) {
            case FLOOR -> {
                Tensor over = d.zeros(x.shape());
                d.binary(BinaryOp.SUB, r, x, over);      // r − x > 0: rounded up
                d.binary(BinaryOp.SUB, r, positive(over), r);
                withSignOf(r, bit);                      // -0.3 - (-0.3 rounded) gave +0 for ceil's -0
            }
            case CEIL -> {
                Tensor under = d.zeros(x.shape());
                d.binary(BinaryOp.SUB, x, r, under);     // x − r > 0: rounded down
                d.binary(BinaryOp.ADD, r, positive(under), r);
                withSignOf(r, bit);                      // ceil(-0.7) = -1 + 1 is +0; C's is -0
            }
            default -> {
                if (scale != 1f) {
                    d.binary(BinaryOp.DIV, r, d.full(Shape.of(), scale), r);
                }
            }
        }
        return r;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.device().zeros(g.shape())};
    }

    /** 1 where x > 0, else 0 (NaN included). */
    private static Tensor positive(Tensor x) {
        Device d = x.device();
        Tensor step = d.full(x.shape(), 1f);
        d.unaryBackward(UnaryOp.RELU, x, step, step);
        return step;
    }

    /** 1, 0 or −1 as x is positive, zero or negative; NaN for NaN. */
    private static Tensor sign(Tensor x) {
        Device d = x.device();
        Tensor negated = d.zeros(x.shape());
        d.unary(UnaryOp.NEG, x, negated);
        Tensor s = positive(x);
        d.binary(BinaryOp.SUB, s, positive(negated), s);
        // + 0 · min(|x|, 1): +0 for every number (∞ included), NaN for NaN (MIN keeps a NaN)
        Tensor nan = d.zeros(x.shape());
        d.unary(UnaryOp.ABS, x, nan);
        d.binary(BinaryOp.MIN, nan, d.full(Shape.of(), 1f), nan);
        d.binary(BinaryOp.MUL, nan, d.full(Shape.of(), 0f), nan);
        d.binary(BinaryOp.ADD, s, nan, s);
        return s;
    }

    /**
     * 1 or −1 as x's sign bit (−1 for −0; −1 for NaN, harmless where it multiplies a NaN): −1
     * unless x > 0 or 1/x > 0 (+0 has 1/x = +∞, −0 has −∞).
     */
    private static Tensor signBit(Tensor x) {
        Device d = x.device();
        Tensor inverse = d.zeros(x.shape());
        d.unary(UnaryOp.RECIPROCAL, x, inverse);
        Tensor s = positive(x);
        d.binary(BinaryOp.MAX, s, positive(inverse), s);
        d.affine(s, 2f, -1f, s);
        return s;
    }

    /** r := |r| with the sign {@code bit} (±1), in place. */
    private static void withSignOf(Tensor r, Tensor bit) {
        Device d = r.device();
        d.unary(UnaryOp.ABS, r, r);
        d.binary(BinaryOp.MUL, r, bit, r);
    }

    /** x rounded half to even. */
    private static Tensor rint(Tensor x) {
        Device d = x.device();
        Shape s = x.shape();
        Tensor big = d.full(Shape.of(), TWO_23);
        Tensor t = d.zeros(s);
        d.unary(UnaryOp.ABS, x, t);
        Tensor r = d.zeros(s);
        d.binary(BinaryOp.MIN, t, big, r);
        d.binary(BinaryOp.ADD, r, big, r);              // float32 rounding does the work here
        d.binary(BinaryOp.SUB, r, big, r);
        Tensor below = d.zeros(s);
        d.affine(t, -1f, TWO_23, below);                // 2^23 − |x| > 0: |x| below 2^23
        Tensor small = positive(below);
        d.binary(BinaryOp.MUL, r, small, r);
        d.affine(small, -1f, 1f, small);                // now 1 where |x| is 2^23 or more (or NaN)
        d.binary(BinaryOp.MUL, t, small, t);            // |x| there (NaN stays NaN), 0 elsewhere
        d.binary(BinaryOp.ADD, r, t, r);
        d.binary(BinaryOp.MUL, r, signBit(x), r);       // ±|x| rounded: rint(-0) and rint(-0.3) are -0
        return r;
    }
}
