package io.rnn4j.layers.keras;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A user's custom layer as a test writes it: make_custom_layers.py's TemporalAttention
 * (registered as "rnn4j_demo>TemporalAttention"). Weights W (d, d), b (d,), u (d,), added in the
 * Python build's order; {@code score_t = tanh(h_t·W + b)·u}, softmax over time, the sum of the
 * h_t weighted by it: (batch, timesteps, d) to (batch, d).
 */
final class TemporalAttention extends Layer implements KerasSerializable {
    static final String KEY = "rnn4j_demo>TemporalAttention";
    private Weight w;
    private Weight b;
    private Weight u;

    TemporalAttention() {
        super("temporal_attention");
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        if (in.rank() != 2) {
            throw new IllegalArgumentException(name() + ": expected (batch, timesteps, features), got " + batchless(in));
        }
        requireKnown(in, -1, "to size W, b and u");
        int d = in.dim(-1);
        w = addWeight("W", Shape.of(d, d), Initializers.glorotUniform(), random, null, null, true);
        b = addWeight("b", Shape.of(d), Initializers.randomNormal(), random, null, null, true);
        u = addWeight("u", Shape.of(d), Initializers.randomNormal(), random, null, null, true);
        return Shape.of(d);
    }

    /** Any number of timesteps: the weights bind only the features. */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape(), -1);
    }

    @Override
    protected Shape outputShapeFor(Shape input) {
        return Shape.of(input.dim(-1));
    }

    @Override
    protected Variable forward(Variable h, Tensor mask, CallContext ctx) {
        int batch = h.dim(0);
        int steps = h.dim(1);
        int d = h.dim(2);
        Variable flat = Ops.reshape(h, batch * steps, d);
        Variable t = Ops.unary(UnaryOp.TANH, Ops.add(Ops.matmul(flat, w.variable()), b.variable()));
        Variable score = Ops.reshape(Ops.matmul(t, Ops.reshape(u.variable(), d, 1)), batch, steps);
        Variable a = Ops.reshape(Ops.softmax(score, 1), batch, steps, 1);
        return Ops.sum(Ops.mul(h, a), 1, false);
    }

    @Override
    public String className() {
        return "TemporalAttention";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        return Map.of();
    }

    @Override
    public String kerasRegisteredName() {
        return KEY;
    }
}
