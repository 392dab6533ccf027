package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What {@link MultiHeadAttention} and {@link GroupQueryAttention} share: Keras's EinsumDense
 * projections (query, key, value, output, and GroupQueryAttention's gate) with their kernel and
 * bias options, the call options kept as layer options (use_causal_mask, return_attention_scores,
 * attention_mask as the last input), and the per-head scaled dot-product attention of Keras's
 * {@code _compute_attention}. Package-private so that users see only the two layers; their fluent
 * setters stay on them because each returns its own type.
 */
abstract sealed class ProjectedAttention extends Layer permits MultiHeadAttention, GroupQueryAttention {
    /** Projection indices; Keras's output projection has its heads on the input side. */
    static final int QUERY = 0;
    static final int KEY = 1;
    static final int VALUE = 2;
    static final int OUTPUT = 3;

    float dropout;
    boolean useBias = true;
    Initializer kernelInitializer = Initializers.glorotUniform();
    Initializer biasInitializer = Initializers.zeros();
    Regularizer kernelRegularizer;
    Regularizer biasRegularizer;
    Constraint kernelConstraint;
    Constraint biasConstraint;
    boolean useCausalMask;
    boolean returnAttentionScores;
    boolean useAttentionMask;
    /** Kernels by projection index; biases likewise (null without use_bias, or for an unused projection). */
    private final Weight[] kernels;
    private final Weight[] biases;

    ProjectedAttention(String defaultName, int projections) {
        super(defaultName);
        this.kernels = new Weight[projections];
        this.biases = new Weight[projections];
    }

    /** Fraction of the attention probabilities dropped in training (Keras's dropout; 0 by default). */
    public float dropout() {
        return dropout;
    }

    /** Whether the projections have biases (Keras's use_bias; true by default). */
    public boolean useBias() {
        return useBias;
    }

    /** The kernels' initializer (Keras's kernel_initializer; glorot_uniform by default). */
    public Initializer kernelInitializer() {
        return kernelInitializer;
    }

    /** The biases' initializer (Keras's bias_initializer; zeros by default). */
    public Initializer biasInitializer() {
        return biasInitializer;
    }

    /** The kernel regularizer, or null. */
    public Regularizer kernelRegularizer() {
        return kernelRegularizer;
    }

    /** The bias regularizer, or null. */
    public Regularizer biasRegularizer() {
        return biasRegularizer;
    }

    /** The kernel constraint, or null. */
    public Constraint kernelConstraint() {
        return kernelConstraint;
    }

    /** The bias constraint, or null. */
    public Constraint biasConstraint() {
        return biasConstraint;
    }

    /** Whether query step i attends to value steps j &lt;= i only (Keras's use_causal_mask call argument). */
    public boolean useCausalMask() {
        return useCausalMask;
    }

    /** Whether the attention probabilities are a second output (Keras's return_attention_scores call argument). */
    public boolean returnAttentionScores() {
        return returnAttentionScores;
    }

    /** Whether the last input is Keras's attention_mask (B, T, S). */
    public boolean useAttentionMask() {
        return useAttentionMask;
    }

    @Override
    protected Shape build(Shape inputShape, RandomGenerator random) {
        return build(List.of(inputShape), random);
    }

    /**
     * Adds projection p's kernel and (with use_bias) bias, named {@code name/kernel} and
     * {@code name/bias}. Keras's EinsumDense sets a VarianceScaling initializer's fans from the
     * kernel's input and output axes: (in, heads·d) for a kernel (in, heads, d), (heads·d, out) for
     * the output's (heads, d, out).
     */
    final void addProjection(int p, String name, Shape kernel, Shape bias, RandomGenerator random) {
        Shape fans = p == OUTPUT ? Shape.of(kernel.dim(0) * kernel.dim(1), kernel.dim(2))
                : Shape.of(kernel.dim(0), kernel.dim(1) * kernel.dim(2));
        kernels[p] = addWeight(name + "/kernel", kernel, EinsumDense.withKerasFans(kernelInitializer, fans), random,
                kernelRegularizer, kernelConstraint, true);
        if (useBias) {
            biases[p] = addWeight(name + "/bias", bias, biasInitializer, random, biasRegularizer, biasConstraint,
                    true);
        }
    }

    /**
     * Keras's EinsumDense p on x (B, T, in): kernel p flattened to (in, out), its bias to (out):
     * (B, T, out), a projection's heads laid out as Keras's (N, d).
     */
    final Variable project(Variable x, int p) {
        Shape ks = kernels[p].shape();
        int out = p == OUTPUT ? ks.dim(2) : ks.dim(1) * ks.dim(2);
        int in = Math.toIntExact(ks.size() / out);
        Variable y = Ops.matmul(Ops.reshape(x, -1, in), Ops.reshape(kernels[p].variable(), in, out));
        if (biases[p] != null) {
            y = Ops.add(y, Ops.reshape(biases[p].variable(), out));
        }
        return Ops.reshape(y, x.dim(0), x.dim(1), out);
    }

    /** The query, value and key shapes among the inputs: all but the last with the attention mask. */
    final List<Shape> dataShapes(List<Shape> shapes) {
        return useAttentionMask ? shapes.subList(0, shapes.size() - 1) : shapes;
    }

    /** The inputs' shapes without the batch axis, checking that each is (batch, T, dim) of one batch. */
    final List<Shape> sampleShapes(List<Variable> inputs) {
        List<Shape> samples = new ArrayList<>();
        for (Variable v : inputs) {
            if (v.rank() != 3 || v.dim(0) != inputs.get(0).dim(0)) {
                throw new IllegalArgumentException(where() + " expects batches "
                        + "(batch, T, dim) of one size, got " + inputs.stream().map(Variable::shape).toList());
            }
            samples.add(v.shape().tail());
        }
        return samples;
    }

    /** Whether Keras takes its fused dot_product_attention path: no dropout and no scores returned. */
    final boolean fused() {
        return !(dropout > 0f || returnAttentionScores);
    }

    /** The joined heads (B, T, heads·valueDim) and the probabilities (B, heads, T, S) before dropout. */
    record Attended(Variable heads, Variable probs) {}

    /**
     * Keras's {@code _compute_attention} on the projected query, key and value: per query head h,
     * scores against key/value head {@code h / group} scaled by float32 {@code 1/sqrt(keyDim)} (on
     * the explicit path the query before, on the fused path the products after), the masked softmax
     * over S, dropout in training, then the probabilities times the value head.
     */
    final Attended attend(Variable query, Variable key, Variable value, Tensor keep, int heads, int group,
            int keyDim, int valueDim, CallContext ctx) {
        int b = query.dim(0);
        int t = query.dim(1);
        int s = value.dim(1);
        float scale = (float) (1.0 / Math.sqrt(keyDim));
        Variable q = fused() ? project(query, QUERY) : Ops.scale(project(query, QUERY), scale);
        Variable k = project(key, KEY);
        Variable v = project(value, VALUE);
        Variable[] perHead = new Variable[heads];
        for (int h = 0; h < heads; h++) {
            Variable scores = Ops.batchMatmul(Ops.slice(q, 2, h * keyDim, keyDim),
                    Ops.slice(k, 2, (h / group) * keyDim, keyDim), false, true);
            perHead[h] = Ops.reshape(scores, b, 1, t, s);
        }
        Variable scores = heads == 1 ? perHead[0] : Ops.concat(1, perHead);
        if (fused()) {
            scores = Ops.scale(scores, scale);
        }
        Variable probs = AttentionMasks.softmax(scores, keep, fused());
        Variable dropped = probs;
        if (ctx.training() && dropout > 0f) {
            dropped = Ops.mul(probs, Variable.constant(Masks.dropout(query.device(), probs.shape(), dropout,
                    ctx.random(), name())));
        }
        for (int h = 0; h < heads; h++) {
            Variable p = Ops.reshape(Ops.slice(dropped, 1, h, 1), b, t, s);
            perHead[h] = Ops.batchMatmul(p, Ops.slice(v, 2, (h / group) * valueDim, valueDim), false, false);
        }
        // The heads come out already in (T, heads·valueDim) order, as Keras's output projection reads them.
        return new Attended(heads == 1 ? perHead[0] : Ops.concat(2, perHead), probs);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        return forwardAll(List.of(x), Collections.singletonList(mask), ctx).get(0);
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return mask;
    }

    /** The output carries the query's mask (as Keras's call sets it); the scores carry none. */
    @Override
    public List<Tensor> computeMasks(List<Variable> inputs, List<Tensor> masks) {
        List<Tensor> out = new ArrayList<>(Arrays.asList(masks.get(0)));
        if (returnAttentionScores) {
            out.add(null);
        }
        return out;
    }
}
