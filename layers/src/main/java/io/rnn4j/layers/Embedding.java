package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.internal.Piecewise;
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

    /**
     * Keras's {@code Embedding(input_dim, output_dim)}: embeddings_initializer uniform in ±0.05,
     * mask_zero false, no regularizer or constraint.
     *
     * @param inputDim  Keras's input_dim: the vocabulary size, ids run from 0 to inputDim − 1 (with
     *                  maskZero, 0 is padding, so the vocabulary size + 1)
     * @param outputDim Keras's output_dim: the size of each embedding vector
     * @throws IllegalArgumentException for a size below 1
     */
    public Embedding(int inputDim, int outputDim) {
        super("embedding");
        if (inputDim < 1 || outputDim < 1) {
            throw new IllegalArgumentException(name() + ": input_dim and output_dim must be >= 1, got " + inputDim
                    + " and " + outputDim);
        }
        this.inputDim = inputDim;
        this.outputDim = outputDim;
    }

    /** Keras's input_dim: the number of ids. */
    public int inputDim() {
        return inputDim;
    }

    /** Keras's output_dim: the size of each embedding vector. */
    public int outputDim() {
        return outputDim;
    }

    /** Whether id 0 is padding (masked for the layers after). */
    public boolean maskZero() {
        return maskZero;
    }

    /** The table's initializer as configured (Keras's embeddings_initializer). */
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

    /**
     * Keras's mask_zero: id 0 is padding, masked for the layers after (a recurrent layer skips those
     * steps), so the vocabulary takes ids from 1; default false.
     */
    public Embedding maskZero(boolean on) {
        requireNotBuilt("mask_zero");
        this.maskZero = on;
        return this;
    }

    /** Keras's embeddings_initializer: draws the table, default RandomUniform(-0.05, 0.05). */
    public Embedding embeddingsInitializer(Initializer init) {
        requireNotBuilt("embeddings_initializer");
        this.initializer = init;
        return this;
    }

    /** Keras's embeddings_regularizer: a penalty on the table added to the loss, or null (default none). */
    public Embedding embeddingsRegularizer(Regularizer r) {
        requireNotBuilt("embeddings_regularizer");
        this.regularizer = r;
        return this;
    }

    /** Keras's embeddings_constraint: applied to the table after each update, or null (default none). */
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
        return maskZero ? Piecewise.nonZero(x.value()) : null;
    }
}
