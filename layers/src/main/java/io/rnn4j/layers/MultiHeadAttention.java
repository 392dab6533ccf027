package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.internal.AutoNames;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras's MultiHeadAttention (keras/src/layers/attention/multi_head_attention.py) over the
 * sequence axis of rank-3 inputs: inputs {@code [query (B, T, dq), value (B, S, dv), key (B, S, dk)]},
 * the key defaulting to the value.
 *
 * <ol>
 *   <li>Projections as Keras's EinsumDense sublayers: query and key to (B, ·, N, key_dim), value to
 *       (B, S, N, value_dim); kernels (dim, N, d), biases (N, d).</li>
 *   <li>Scores (B, N, T, S) are the per-head dot products of query and key, scaled by float32
 *       {@code 1/sqrt(key_dim)}: on Keras's explicit path (dropout &gt; 0 or return_attention_scores)
 *       the query is scaled first, on its fused path (TensorFlow's dot_product_attention) the
 *       dot products after.</li>
 *   <li>Masked softmax over S: a masked score is replaced ({@code where}, not added to) by -1e9 on
 *       the explicit path (Keras's Softmax layer), by TensorFlow's {@code -0.7 * 3.38953e38} on the
 *       fused path (nn.py {@code _apply_masks}); they differ once kept scores fall below -1e9.
 *       The attention mask is the AND of the query mask (B, T, 1), the value and key masks
 *       (B, 1, S), the causal mask (j ≤ i) and an explicit attention_mask (B, T, S), as
 *       {@code _compute_attention_mask}.</li>
 *   <li>A row with every position masked (a masked query step, say): Keras 3.13+ zeroes masked
 *       probabilities after the softmax on the path that materialises them (dropout &gt; 0 or
 *       return_attention_scores), so such a row is all zeros; with neither, Keras calls the
 *       backend's fused dot_product_attention, which does not zero them, and the row is uniform
 *       (1/S). Both are matched.</li>
 *   <li>Dropout (training only) on the probabilities; the returned scores are those before dropout.</li>
 *   <li>Per-head outputs (B, T, N, value_dim) projected by the output kernel (N, value_dim, E) and bias (E),
 *       E being output_shape or the query's features.</li>
 * </ol>
 *
 * <p>The output carries the query's mask; the scores none. Weights, in Keras's order: query
 * kernel and bias, key kernel and bias, value kernel and bias, output kernel and bias (no biases
 * without use_bias); Keras 3 files keep them under {@code query_dense}, {@code key_dense},
 * {@code value_dense} and {@code output_dense}. Keras's call arguments {@code use_causal_mask} and
 * {@code return_attention_scores} are options of the layer here; with {@link #useAttentionMask}
 * the layer's last input is Keras's {@code attention_mask} (B, T, S), non-zero where a query step
 * may attend to a value step (a size of 1 on any axis broadcasts, as in Keras).
 *
 * <p>Cost, without a transpose op: four GEMMs for the projections ((B·T)×dq·dq×N·key_dim and the
 * like), then per head two slices of the projected query and key, one batched matmul for its
 * scores and, after the softmax, one slice of the probabilities and one of the projected value
 * and one batched matmul; the heads' scores and outputs are joined with one concat each (the
 * outputs come out already in (T, N·value_dim) order, so no transpose is needed). Masks add two
 * row gathers over (B, N, T, S). Every slice and concat copies, so memory is about three times
 * the projected tensors plus twice the scores.
 *
 * <pre>{@code
 * var h = new Bidirectional(new LSTM(64).returnSequences(true)).apply(in);
 * var a = new MultiHeadAttention(4, 16).apply(h, h);       // [query, value]
 * }</pre>
 */
public final class MultiHeadAttention extends ProjectedAttention {
    private static final String[] PROJECTIONS = {"query", "key", "value", "attention_output"};

    private final int numHeads;
    private final int keyDim;
    private int valueDim;
    private int outputDim;

    /**
     * Keras's {@code MultiHeadAttention(num_heads, key_dim)}.
     *
     * @throws IllegalArgumentException if either is below 1
     */
    public MultiHeadAttention(int numHeads, int keyDim) {
        super("multi_head_attention", 4);
        // Checked before the layer has a name of its own: the message names the class.
        this.numHeads = checkPositive(numHeads, "MultiHeadAttention: num_heads");
        this.keyDim = checkPositive(keyDim, "MultiHeadAttention: key_dim");
        this.valueDim = keyDim;
    }

    private int positive(int n, String option) {
        return checkPositive(n, where() + ": " + option);
    }

    private static int checkPositive(int n, String what) {
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be a positive integer, got " + n);
        }
        return n;
    }

    @Override
    public MultiHeadAttention named(String newName) {
        super.named(newName);
        return this;
    }

    /** Size of each head of the value projection (Keras's value_dim; defaults to key_dim). */
    public MultiHeadAttention valueDim(int n) {
        requireNotBuilt("value_dim");
        this.valueDim = positive(n, "value_dim");
        return this;
    }

    /**
     * The output's last axis (Keras's output_shape as one int); by default the query's features.
     * Keras's output_shape of several axes is not supported.
     */
    public MultiHeadAttention outputShape(int features) {
        requireNotBuilt("output_shape");
        this.outputDim = positive(features, "output_shape");
        return this;
    }

    /**
     * Keras's attention_axes: only the sequence axis of rank-3 inputs (Keras's default None, or
     * written as 1 or -2) is supported.
     *
     * @throws IllegalArgumentException for any other axes
     */
    public MultiHeadAttention attentionAxes(int... axes) {
        requireNotBuilt("attention_axes");
        if (axes.length != 1 || (axes[0] != 1 && axes[0] != -2)) {
            throw new IllegalArgumentException(where() + ": attention_axes="
                    + Arrays.toString(axes) + " is not supported; rnn4j attends over the sequence axis of rank-3 "
                    + "inputs only (attention_axes None, 1 or -2)");
        }
        return this;
    }

    /** Fraction of the attention probabilities dropped in training (Keras's dropout, default 0). */
    public MultiHeadAttention dropout(double rate) {
        requireNotBuilt("dropout");
        this.dropout = Masks.checkRate(rate, name(), "dropout");
        return this;
    }

    /** Whether the four projections have biases (Keras's use_bias, default true). */
    public MultiHeadAttention useBias(boolean on) {
        requireNotBuilt("use_bias");
        this.useBias = on;
        return this;
    }

    /** Initializer of the four kernels (Keras's kernel_initializer, default glorot_uniform). */
    public MultiHeadAttention kernelInitializer(Initializer init) {
        requireNotBuilt("kernel_initializer");
        this.kernelInitializer = Objects.requireNonNull(init, "kernel_initializer");
        return this;
    }

    /** Initializer of the four biases (Keras's bias_initializer, default zeros). */
    public MultiHeadAttention biasInitializer(Initializer init) {
        requireNotBuilt("bias_initializer");
        this.biasInitializer = Objects.requireNonNull(init, "bias_initializer");
        return this;
    }

    /** Penalty on each of the four kernels (Keras's kernel_regularizer), or null. */
    public MultiHeadAttention kernelRegularizer(Regularizer r) {
        requireNotBuilt("kernel_regularizer");
        this.kernelRegularizer = r;
        return this;
    }

    /** Penalty on each of the four biases (Keras's bias_regularizer), or null. */
    public MultiHeadAttention biasRegularizer(Regularizer r) {
        requireNotBuilt("bias_regularizer");
        this.biasRegularizer = r;
        return this;
    }

    /** Constraint on each of the four kernels (Keras's kernel_constraint), or null. */
    public MultiHeadAttention kernelConstraint(Constraint c) {
        requireNotBuilt("kernel_constraint");
        this.kernelConstraint = c;
        return this;
    }

    /** Constraint on each of the four biases (Keras's bias_constraint), or null. */
    public MultiHeadAttention biasConstraint(Constraint c) {
        requireNotBuilt("bias_constraint");
        this.biasConstraint = c;
        return this;
    }

    /** Query step i attends to value steps j &lt;= i only (Keras's use_causal_mask call argument). */
    public MultiHeadAttention useCausalMask(boolean on) {
        requireNotBuilt("use_causal_mask");
        this.useCausalMask = on;
        return this;
    }

    /** Also outputs the attention probabilities (B, N, T, S) (Keras's return_attention_scores call argument). */
    public MultiHeadAttention returnAttentionScores(boolean on) {
        requireNotBuilt("return_attention_scores");
        this.returnAttentionScores = on;
        return this;
    }

    /**
     * Takes Keras's attention_mask call argument as the layer's last input: (B, T, S), non-zero
     * where query step i may attend to value step j.
     */
    public MultiHeadAttention useAttentionMask(boolean on) {
        requireNotBuilt("attention_mask");
        this.useAttentionMask = on;
        return this;
    }

    /** The number of attention heads (Keras's num_heads). */
    public int numHeads() {
        return numHeads;
    }

    /** Size of each head of the query and key projections (Keras's key_dim). */
    public int keyDim() {
        return keyDim;
    }

    /** Size of each head of the value projection (Keras's value_dim; key_dim by default). */
    public int valueDim() {
        return valueDim;
    }

    /** The output_shape given, or 0 for Keras's None (the query's features). */
    public int outputShapeOption() {
        return outputDim;
    }

    @Override
    protected Shape build(List<Shape> shapes, RandomGenerator random) {
        Shape out = shapesFor(shapes).get(0);
        if (!AutoNames.areSuspended()) {
            // Keras's build makes its own Softmax and Dropout layers, which draw those auto names.
            AutoNames.next("softmax");
            AutoNames.next("dropout");
        }
        Shape q = shapes.get(0);
        requireKnown(q, -1, "(the query's features, the query kernel's rows)");
        requireKnown(key(shapes), -1, "(the key's features, the key kernel's rows)");
        requireKnown(shapes.get(1), -1, "(the value's features, the value kernel's rows)");
        int[] dims = {q.dim(-1), key(shapes).dim(-1), shapes.get(1).dim(-1)};
        int[] heads = {keyDim, keyDim, valueDim};
        for (int p = 0; p < 3; p++) {
            addProjection(p, PROJECTIONS[p], Shape.of(dims[p], numHeads, heads[p]), Shape.of(numHeads, heads[p]),
                    random);
        }
        int e = outputDim > 0 ? outputDim : q.dim(-1);
        addProjection(OUTPUT, PROJECTIONS[OUTPUT], Shape.of(numHeads, valueDim, e), Shape.of(e), random);
        return out;
    }

    /** The key's shape: the third data input, or the value's when there is none (Keras's key=None). */
    private Shape key(List<Shape> shapes) {
        List<Shape> data = dataShapes(shapes);
        return data.size() > 2 ? data.get(2) : data.get(1);
    }

    @Override
    protected List<Shape> outputShapes(List<Shape> shapes) {
        List<Shape> out = shapesFor(shapes);
        List<Shape> built = dataShapes(inputShapes());
        List<Shape> given = dataShapes(shapes);
        Shape[] b = {built.get(0), built.get(1), key(inputShapes())};
        Shape[] g = {given.get(0), given.get(1), key(shapes)};
        String[] what = {"query", "value", "key"};
        for (int i = 0; i < 3; i++) {
            if (!Shape.compatible(b[i].dim(-1), g[i].dim(-1))) {
                throw new IllegalArgumentException(where() + " was built for a "
                        + what[i] + " of " + b[i].dim(-1) + " features, got " + batchless(g[i]));
            }
        }
        return out;
    }

    /** Checks the inputs' count and shapes (no batch axis) and gives the output shapes. */
    private List<Shape> shapesFor(List<Shape> shapes) {
        int extra = useAttentionMask ? 1 : 0;
        requireInputCount(shapes.size(), 2 + extra, 3 + extra);
        List<Shape> data = dataShapes(shapes);
        Shape q = data.get(0);
        Shape v = data.get(1);
        Shape k = key(shapes);
        boolean ok = q.rank() == 2 && v.rank() == 2 && k.rank() == 2 && Shape.compatible(k.dim(0), v.dim(0));
        if (!ok) {
            throw new IllegalArgumentException(where() + " expects [query (batch, T, "
                    + "dim), value (batch, S, dim_v), key (batch, S, dim_k)" + (useAttentionMask
                    ? ", attention_mask (batch, T, S)" : "") + "], the key defaulting to the value and attending over "
                    + "the sequence axis (rank-3 inputs only); got " + shapes.stream().map(Layer::batchless).toList());
        }
        if (useAttentionMask) {
            Shape m = shapes.get(shapes.size() - 1);
            if (m.rank() != 2 || !broadcasts(m.dim(0), q.dim(0)) || !broadcasts(m.dim(1), v.dim(0))) {
                throw new IllegalArgumentException(where() + ": the attention_mask "
                        + "must be (batch, T, S) = " + batchless(Shape.withUnknown(q.dim(0), v.dim(0)))
                        + " or broadcast to it (a 1 on T or S), got " + batchless(m));
            }
        }
        int e = outputDim > 0 ? outputDim : q.dim(-1);
        List<Shape> out = new ArrayList<>();
        out.add(Shape.withUnknown(q.dim(0), e));
        if (returnAttentionScores) {
            out.add(Shape.withUnknown(numHeads, q.dim(0), v.dim(0)));
        }
        return out;
    }

    @Override
    protected List<Variable> forwardAll(List<Variable> inputs, List<Tensor> masks, CallContext ctx) {
        outputShapes(sampleShapes(inputs));
        int data = useAttentionMask ? inputs.size() - 1 : inputs.size();
        Variable query = inputs.get(0);
        Variable value = inputs.get(1);
        Variable key = data > 2 ? inputs.get(2) : value;
        if (key.dim(1) != value.dim(1)) {
            throw new IllegalArgumentException(where() + ": the key and the value "
                    + "must have the same steps, got key " + key.shape() + " and value " + value.shape());
        }
        Tensor attentionMask = useAttentionMask ? inputs.get(inputs.size() - 1).value() : null;
        Tensor keep = AttentionMasks.keep(where(), query, value, masks.get(0), masks.get(1),
                data > 2 ? masks.get(2) : null, attentionMask, new AttentionMasks.Spec(useCausalMask, 0));

        Attended a = attend(query, key, value, keep, numHeads, 1, keyDim, valueDim, ctx);
        Variable out = project(a.heads(), OUTPUT);
        return returnAttentionScores ? List.of(out, a.probs()) : List.of(out);
    }

    /** Whether a mask axis of {@code size} broadcasts to {@code dim} (equal, 1, or either unknown). */
    private static boolean broadcasts(int size, int dim) {
        return size == 1 || Shape.compatible(size, dim);
    }
}
