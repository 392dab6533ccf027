package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.internal.Piecewise;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Keras's ReversibleEmbedding: an Embedding (ids to rows of {@code embeddings} (inputDim,
 * outputDim), uniform in ±0.05, mask_zero as Embedding's) that can also be called in reverse
 * (Keras's {@code call(inputs, reverse=True)}): hidden states (..., outputDim) to logits
 * (..., inputDim) against the embeddings transposed ({@code tie_weights}, the default) or a separate
 * trainable {@code reverse_embeddings} (outputDim, inputDim) drawn with the same initializer; with
 * {@code logit_soft_cap} c, {@code logits = tanh(logits / c) · c}. A reverse call passes no mask on.
 * In a functional model, {@link #applyReverse} records a reverse call (Keras's inbound node with
 * {@code reverse: true}); outside one, {@link #reverse} computes it. Weights, in order: embeddings,
 * then reverse_embeddings when not tied.
 */
public final class ReversibleEmbedding extends Layer {
    private final int inputDim;
    private final int outputDim;
    private boolean tieWeights = true;
    private boolean maskZero;
    private Float logitSoftCap;
    private Initializer initializer = Initializers.randomUniform();
    private Regularizer regularizer;
    private Constraint constraint;
    private Weight embeddings;
    private Weight reverseEmbeddings;
    /** The nodes of this layer that are reverse calls (graph construction only). */
    private final Set<Node> reverseNodes = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Set while {@link #applyReverse} applies the layer, so that its output shape is the logits'. */
    private boolean applyingReverse;

    /**
     * Keras's {@code ReversibleEmbedding(input_dim, output_dim)}: tie_weights true, no soft cap,
     * embeddings_initializer uniform in ±0.05, mask_zero false.
     *
     * @throws IllegalArgumentException for a size below 1
     */
    public ReversibleEmbedding(int inputDim, int outputDim) {
        super("reversible_embedding");
        if (inputDim < 1 || outputDim < 1) {
            throw new IllegalArgumentException(where() + ": input_dim and output_dim must be >= 1, got " + inputDim
                    + " and " + outputDim);
        }
        this.inputDim = inputDim;
        this.outputDim = outputDim;
    }

    @Override
    public ReversibleEmbedding named(String newName) {
        super.named(newName);
        return this;
    }

    /** Keras's tie_weights (default true): reverse calls use the embeddings transposed, else reverse_embeddings. */
    public ReversibleEmbedding tieWeights(boolean on) {
        requireNotBuilt("tie_weights");
        this.tieWeights = on;
        return this;
    }

    /** Keras's mask_zero: id 0 is padding, masked for the layers after a forward call (default false). */
    public ReversibleEmbedding maskZero(boolean on) {
        requireNotBuilt("mask_zero");
        this.maskZero = on;
        return this;
    }

    /**
     * Keras's logit_soft_cap: reverse calls give {@code tanh(logits / cap) · cap}; null (default) for none.
     *
     * @throws IllegalArgumentException for a cap that is zero, negative or not finite
     */
    public ReversibleEmbedding logitSoftCap(Double cap) {
        requireNotBuilt("logit_soft_cap");
        if (cap != null && !(cap > 0 && Double.isFinite(cap))) {
            throw new IllegalArgumentException(where() + ": logit_soft_cap must be a positive number or None, got "
                    + KerasConfig.written(cap));
        }
        this.logitSoftCap = cap == null ? null : (float) cap.doubleValue();
        return this;
    }

    /** Keras's embeddings_initializer (default RandomUniform(-0.05, 0.05)), also reverse_embeddings'. */
    public ReversibleEmbedding embeddingsInitializer(Initializer init) {
        requireNotBuilt("embeddings_initializer");
        this.initializer = java.util.Objects.requireNonNull(init);
        return this;
    }

    /** Keras's embeddings_regularizer, or null (default). */
    public ReversibleEmbedding embeddingsRegularizer(Regularizer r) {
        requireNotBuilt("embeddings_regularizer");
        this.regularizer = r;
        return this;
    }

    /** Keras's embeddings_constraint, or null (default). */
    public ReversibleEmbedding embeddingsConstraint(Constraint c) {
        requireNotBuilt("embeddings_constraint");
        this.constraint = c;
        return this;
    }

    public int inputDim() {
        return inputDim;
    }

    public int outputDim() {
        return outputDim;
    }

    public boolean tieWeights() {
        return tieWeights;
    }

    public boolean maskZero() {
        return maskZero;
    }

    /** The soft cap as a float32, or null. */
    public Float logitSoftCap() {
        return logitSoftCap;
    }

    public Initializer embeddingsInitializer() {
        return initializer;
    }

    /** Null when none. */
    public Regularizer embeddingsRegularizer() {
        return regularizer;
    }

    /** Null when none. */
    public Constraint embeddingsConstraint() {
        return constraint;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        embeddings = addWeight("embeddings", Shape.of(inputDim, outputDim), initializer, random, regularizer,
                constraint, true);
        if (!tieWeights) {
            // Keras draws it with the embeddings' initializer and no regularizer or constraint.
            reverseEmbeddings = addWeight("reverse_embeddings", Shape.of(outputDim, inputDim), initializer, random,
                    null, null, true);
        }
        return forwardShape(in);
    }

    /** Ids of any sizes (of the rank it was built for). */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        return forwardShape(in);
    }

    private Shape forwardShape(Shape in) {
        int[] d = new int[in.rank() + 1];
        System.arraycopy(in.dims(), 0, d, 0, in.rank());
        d[in.rank()] = outputDim;
        return Shape.withUnknown(d);
    }

    @Override
    protected List<Shape> outputShapes(List<Shape> shapes) {
        return applyingReverse ? reverseOutputShapes(shapes) : super.outputShapes(shapes);
    }

    /**
     * The logits' sample shape of a reverse call on hidden states of {@code shapes} (one input,
     * (..., outputDim)): the last axis becomes inputDim.
     *
     * @throws IllegalArgumentException naming the layer, for another last axis or count of inputs
     */
    public List<Shape> reverseOutputShapes(List<Shape> shapes) {
        requireInputCount(shapes.size(), 1, 1);
        Shape in = shapes.get(0);
        if (in.rank() < 1 || in.dim(in.rank() - 1) != outputDim) {
            throw new IllegalArgumentException(where() + ": a reverse call takes hidden states (..., " + outputDim
                    + "), got " + batchless(in));
        }
        int[] d = in.dims();
        d[d.length - 1] = inputDim;
        return List.of(Shape.withUnknown(d));
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        try {
            return Ops.gather(embeddings.variable(), x.value());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where() + ": ids must be integers in [0, " + inputDim + "): "
                    + e.getMessage(), e);
        }
    }

    /** A forward call's mask: non-zero ids with mask_zero, else none. */
    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return maskZero ? Piecewise.nonZero(x.value()) : null;
    }

    /**
     * Applies the layer in reverse to symbolic hidden states (Keras's {@code layer(h, reverse=True)}),
     * the layer already applied to ids (or built) so that its weights exist.
     *
     * @throws IllegalArgumentException naming the layer, for hidden states whose last axis is not outputDim
     * @throws IllegalStateException    if the layer is not built yet
     */
    public SymbolicTensor applyReverse(Symbolic hidden) {
        if (!isBuilt()) {
            throw new IllegalStateException(where() + ": apply it to ids (or build it) before a reverse call");
        }
        applyingReverse = true;
        try {
            SymbolicTensor out = apply(hidden);
            reverseNodes.add(out.node());
            return out;
        } finally {
            applyingReverse = false;
        }
    }

    /** Whether {@code node} is one of this layer's reverse calls (made by {@link #applyReverse}). */
    public boolean isReverse(Node node) {
        return reverseNodes.contains(node);
    }

    /**
     * The reverse call: logits of hidden states (batch, ..., outputDim), {@code h · embeddingsᵀ} (or
     * {@code h · reverse_embeddings}), soft-capped if so configured.
     *
     * @throws IllegalArgumentException naming the layer, for hidden states whose last axis is not outputDim
     */
    public Variable reverse(Variable hidden) {
        requireBuilt();
        int[] d = hidden.shape().dims();
        if (d.length < 2 || d[d.length - 1] != outputDim) {
            throw new IllegalArgumentException(where() + ": a reverse call takes hidden states (batch, ..., "
                    + outputDim + "), got " + hidden.shape());
        }
        Variable rows = Ops.reshape(hidden, -1, outputDim);
        Variable logits;
        if (tieWeights) {
            // rows · Eᵀ as one batched product with b transposed: (1, N, D) · (1, V, D)ᵀ
            logits = Ops.batchMatmul(Ops.reshape(rows, 1, -1, outputDim),
                    Ops.reshape(embeddings.variable(), 1, inputDim, outputDim), false, true);
        } else {
            logits = Ops.matmul(rows, reverseEmbeddings.variable());
        }
        if (logitSoftCap != null) {
            Variable cap = Variable.constant(hidden.device().tensor(new float[] {logitSoftCap}));
            logits = Ops.scale(Ops.unary(UnaryOp.TANH, Ops.div(logits, cap)), logitSoftCap);
        }
        d[d.length - 1] = inputDim;
        return Ops.reshape(logits, d);
    }

    /**
     * The reverse call with its (absent) output mask, for a functional model's graph; adds the
     * activity losses of the logits to {@code ctx} (Keras's __call__ runs the reverse call too).
     */
    public Outputs reverseWithMask(Variable hidden, CallContext ctx) {
        Variable logits = reverse(hidden);
        ActivityLosses.add(this, List.of(logits), ctx);
        return new Outputs(List.of(logits), null);
    }
}
