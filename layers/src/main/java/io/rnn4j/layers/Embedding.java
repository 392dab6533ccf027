package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.random.RandomGenerator;

/**
 * Keras's Embedding: integer ids (held as floats) in {@code [0, inputDim)} to rows of the
 * {@code embeddings} table (inputDim, outputDim), initialised uniform in ±0.05. With
 * {@code maskZero}, id 0 is padding: the mask passed on is 0 there.
 */
public final class Embedding extends Layer {
    private final int inputDim;
    private final int outputDim;
    private boolean maskZero;
    private Initializer initializer = Initializers.randomUniform();
    private Regularizer regularizer;
    private Constraint constraint;
    private Weight embeddings;

    public Embedding(int inputDim, int outputDim) {
        super("embedding");
        if (inputDim < 1 || outputDim < 1) {
            throw new IllegalArgumentException(name() + ": input_dim and output_dim must be >= 1, got " + inputDim
                    + " and " + outputDim);
        }
        this.inputDim = inputDim;
        this.outputDim = outputDim;
    }

    public int inputDim() {
        return inputDim;
    }

    public int outputDim() {
        return outputDim;
    }

    /** Whether id 0 is padding (masked for the layers after). */
    public boolean maskZero() {
        return maskZero;
    }

    public Initializer embeddingsInitializer() {
        return initializer;
    }

    /** The regularizer of the table, or null. */
    public Regularizer embeddingsRegularizer() {
        return regularizer;
    }

    /** The constraint of the table, or null. */
    public Constraint embeddingsConstraint() {
        return constraint;
    }

    public Embedding maskZero(boolean on) {
        requireNotBuilt("mask_zero");
        this.maskZero = on;
        return this;
    }

    public Embedding embeddingsInitializer(Initializer init) {
        requireNotBuilt("embeddings_initializer");
        this.initializer = init;
        return this;
    }

    public Embedding embeddingsRegularizer(Regularizer r) {
        requireNotBuilt("embeddings_regularizer");
        this.regularizer = r;
        return this;
    }

    public Embedding embeddingsConstraint(Constraint c) {
        requireNotBuilt("embeddings_constraint");
        this.constraint = c;
        return this;
    }

    @Override
    public Embedding named(String newName) {
        super.named(newName);
        return this;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        embeddings = addWeight("embeddings", Shape.of(inputDim, outputDim), initializer, random, regularizer,
                constraint, true);
        return outputShapeFor(in);
    }

    /** Ids of any sizes (of the rank it was built for). */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        int[] d = new int[in.rank() + 1];
        System.arraycopy(in.dims(), 0, d, 0, in.rank());
        d[in.rank()] = outputDim;
        return Shape.withUnknown(d);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        try {
            return Ops.gather(embeddings.variable(), x.value());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name() + ": ids must be integers in [0, " + inputDim + "): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return maskZero ? Masks.nonZero(x.value()) : null;
    }
}
