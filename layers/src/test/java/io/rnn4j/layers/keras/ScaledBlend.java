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
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * make_custom_layers.py's ScaledBlend (not registered: found by its class name), called on two
 * tensors [a, b] of one shape: {@code scale·(σ(gate)·a + (1 − σ(gate))·b) + offset}. As in the
 * Python build, the non-trainable offset is added before the trainable gate (Keras saves the gate
 * first).
 */
final class ScaledBlend extends Layer implements KerasSerializable {
    private final double scale;
    private Weight offset;
    private Weight gate;

    ScaledBlend(double scale) {
        super("scaled_blend");
        this.scale = scale;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        return build(List.of(in), random);
    }

    @Override
    protected Shape build(List<Shape> shapes, RandomGenerator random) {
        requireInputCount(shapes.size(), 2, 2);
        if (!shapes.get(0).equals(shapes.get(1))) {
            throw new IllegalArgumentException(name() + ": expected two inputs of one shape, got "
                    + batchless(shapes.get(0)) + " and " + batchless(shapes.get(1)));
        }
        requireKnown(shapes.get(0), -1, "to size gate and offset");
        Shape c = Shape.of(shapes.get(0).dim(-1));
        offset = addWeight("offset", c, Initializers.randomNormal(), random, null, null, false);
        gate = addWeight("gate", c, Initializers.randomNormal(), random, null, null, true);
        return shapes.get(0);
    }

    @Override
    protected List<Shape> outputShapes(List<Shape> shapes) {
        requireInputCount(shapes.size(), 2, 2);
        checkSample(inputShape(), shapes.get(0));
        checkSample(inputShape(), shapes.get(1));
        return List.of(shapes.get(0));
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        throw new IllegalArgumentException(name() + ": takes two inputs [a, b]");
    }

    @Override
    protected List<Variable> forwardAll(List<Variable> in, List<Tensor> masks, CallContext ctx) {
        requireInputCount(in.size(), 2, 2);
        if (!in.get(0).shape().equals(in.get(1).shape())) {
            throw new IllegalArgumentException(name() + ": expected two inputs of one shape, got " + in.get(0).shape()
                    + " and " + in.get(1).shape());
        }
        Variable g = Ops.unary(UnaryOp.SIGMOID, gate.variable());
        Variable mixed = Ops.add(Ops.mul(g, in.get(0)), Ops.mul(Ops.affine(g, -1f, 1f), in.get(1)));
        return List.of(Ops.add(Ops.scale(mixed, (float) scale), offset.variable()));
    }

    double scale() {
        return scale;
    }

    @Override
    public Map<String, Object> kerasConfig() {
        return Map.of("scale", scale);
    }
}
