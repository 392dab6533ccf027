package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** Keras's {@code Activation} layer (named so here because {@link Activation} is the function). Passes the mask on. */
public final class ActivationLayer extends Layer {
    private final Activation activation;

    public ActivationLayer(Activation activation) {
        super("activation");
        this.activation = Objects.requireNonNull(activation, "activation");
    }

    /** @throws IllegalArgumentException for an unknown name, naming this layer */
    public ActivationLayer(String activation) {
        super("activation");
        this.activation = Activations.named(activation, name());
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public String className() {
        return "Activation";
    }

    @Override
    protected Shape build(Shape inputShape, RandomGenerator random) {
        return inputShape;
    }

    /** Any sizes (of the rank it was built for): the output is the input's shape. */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        return in;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        return activation.apply(x);
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return mask;
    }
}
