package io.rnn4j.layers.losses;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Autograd;
import io.rnn4j.layers.autograd.Function;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.autograd.Variable;
import java.util.Optional;

/**
 * Keras's Huber loss ("huber_loss"): with {@code e = ŷ − y},
 * {@code where(|e| <= δ, ½·e², δ·|e| − ½·δ²)} averaged over the last axis; δ defaults to 1.
 */
final class Huber implements Loss {
    private final float delta;

    Huber(double delta) {
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("huber_loss: delta must be > 0 and finite, got " + delta);
        }
        this.delta = (float) delta;
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        return Optional.of(KerasConfig.of("Huber", "name", name(), "reduction", "sum_over_batch_size", "delta",
                KerasConfig.decimal(delta)));
    }

    @Override
    public String name() {
        return "huber_loss";
    }

    @Override
    public void checkLabels(Shape labels, Shape predictions) {
        LabelShapes.sameOrSqueezed(name(), labels, predictions);
    }

    @Override
    public Variable perSample(Variable labels, Variable predictions) {
        Variable error = Ops.sub(predictions, LabelShapes.like(labels, predictions));
        return Ops.mean(Autograd.apply(new Elementwise(delta), error), -1, false);
    }

    /**
     * The elementwise Huber function of the error, each branch computed as Keras writes it and
     * selected exactly (multiplying by a 0/1 mask and adding zero round nothing). Its derivative
     * is {@code clip(e, −δ, δ)}: e inside, δ·sign(e) outside.
     */
    static final class Elementwise extends Function {
        private final float delta;

        Elementwise(float delta) {
            this.delta = delta;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            Tensor e = in[0];
            Device d = e.device();
            Shape s = e.shape();
            Tensor abs = d.zeros(s);
            Tensor outside = d.zeros(s);
            Tensor isOutside = d.zeros(s);
            Tensor out = d.zeros(s);
            d.unary(UnaryOp.ABS, e, abs);
            d.affine(abs, 1f, -delta, outside);                    // |e| − δ > 0 exactly where |e| > δ
            d.unaryBackward(UnaryOp.RELU, outside, d.full(s, 1f), isOutside);
            d.affine(abs, delta, 0f, outside);
            d.affine(outside, 1f, -(0.5f * (delta * delta)), outside);
            d.binary(BinaryOp.MUL, outside, isOutside, outside);
            d.unary(UnaryOp.SQUARE, e, out);
            d.affine(out, 0.5f, 0f, out);
            d.affine(isOutside, -1f, 1f, isOutside);                // now 1 inside
            d.binary(BinaryOp.MUL, out, isOutside, out);
            d.binary(BinaryOp.ADD, out, outside, out);
            save(e);
            return out;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor e = saved(0);
            Device d = g.device();
            Tensor dx = d.zeros(e.shape());
            d.binary(BinaryOp.MAX, e, d.full(Shape.of(), -delta), dx);
            d.binary(BinaryOp.MIN, dx, d.full(Shape.of(), delta), dx);
            d.binary(BinaryOp.MUL, dx, g, dx);
            return new Tensor[] {dx};
        }
    }
}
