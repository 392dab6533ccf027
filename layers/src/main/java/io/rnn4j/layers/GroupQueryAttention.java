package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.internal.AutoNames;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras's GroupQueryAttention (keras/src/layers/attention/grouped_query_attention.py): attention
 * of rank-3 inputs {@code [query (B, T, dq), value (B, S, dv), key (B, S, dk)]} (the key
 * defaulting to the value) with {@code num_query_heads} query heads sharing
 * {@code num_key_value_heads} key/value heads: query head h reads key/value head
 * {@code h / (num_query_heads / num_key_value_heads)} (Keras's {@code ops.repeat} on the head axis).
 *
 * <p>Projections as Keras's EinsumDense sublayers: query (dq, Nq, head_dim) and bias (Nq,
 * head_dim), key (dk, Nkv, head_dim), value (dv, Nkv, head_dim), each bias likewise, output
 * (Nq, head_dim, dq) and bias (dq): the output has the query's features. Scores are scaled by
 * float32 {@code 1/sqrt(head_dim)} and softmaxed over S with the masks ANDed (the query's (B, T, 1),
 * the value's and key's (B, 1, S), causal j &lt;= i, a sliding window |i - j| &lt; w, an explicit
 * attention_mask (B, T, S)); the two paths of Keras and their treatment of masked scores and of
 * fully masked rows are {@link MultiHeadAttention}'s (explicit with dropout &gt; 0 or
 * return_attention_scores: query scaled first, -1e9, masked probabilities zeroed; otherwise
 * TensorFlow's fused dot_product_attention: products scaled after, -0.7·3.38953e38, nothing
 * zeroed). With use_gate (Keras 3.14+) the heads are multiplied by {@code sigmoid(gate(query))}, a
 * fourth projection like the query's, before the output projection. flash_attention changes the
 * kernel, not the numbers, and is kept for the file; as in Keras it refuses dropout &gt; 0 and
 * returning the scores.
 *
 * <p>The output carries the query's mask; the scores none. Weights in Keras's order: query,
 * key, (gate,) value, output, each kernel then bias; Keras 3 files keep them under
 * {@code _query_dense}, {@code _key_dense}, {@code _gate_dense}, {@code _value_dense},
 * {@code _output_dense}. Keras's call arguments use_causal_mask and return_attention_scores are
 * options here; with {@link #useAttentionMask} the last input is Keras's attention_mask.
 *
 * <pre>{@code
 * var a = new GroupQueryAttention(16, 8, 2).useCausalMask(true).apply(h, h);
 * }</pre>
 */
public final class GroupQueryAttention extends ProjectedAttention {
    private final int headDim;
    private final int numQueryHeads;
    private final int numKeyValueHeads;
    private boolean useGate;
    private int slidingWindow;
    private Boolean flashAttention;
    /** Projection index of the gate (Keras's _gate_dense), after the four of MultiHeadAttention. */
    private static final int GATE = 4;

    /**
     * Keras's {@code GroupQueryAttention(head_dim, num_query_heads, num_key_value_heads)}.
     *
     * @throws IllegalArgumentException for a size below 1, or query heads not a multiple of the key/value heads
     */
    public GroupQueryAttention(int headDim, int numQueryHeads, int numKeyValueHeads) {
        super("grouped_query_attention", 5);
        this.headDim = positive(headDim, "head_dim");
        this.numQueryHeads = positive(numQueryHeads, "num_query_heads");
        this.numKeyValueHeads = positive(numKeyValueHeads, "num_key_value_heads");
        if (numQueryHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException(where() + ": num_query_heads must be divisible by "
                    + "num_key_value_heads, got " + numQueryHeads + " and " + numKeyValueHeads);
        }
    }

    private int positive(int n, String option) {
        if (n < 1) {
            throw new IllegalArgumentException(where() + ": " + option + " must be a positive integer, got " + n);
        }
        return n;
    }

    /** Keras's GroupQueryAttention's exported name (its Python class is GroupedQueryAttention). */
    @Override
    public String className() {
        return "GroupQueryAttention";
    }

    @Override
    public GroupQueryAttention named(String newName) {
        super.named(newName);
        return this;
    }

    /** Fraction of the attention probabilities dropped in training (Keras's dropout, default 0). */
    public GroupQueryAttention dropout(double rate) {
        requireNotBuilt("dropout");
        float r = Masks.checkRate(rate, name(), "dropout");
        checkFlash(Boolean.TRUE.equals(flashAttention), r, returnAttentionScores);
        this.dropout = r;
        return this;
    }

    /** Whether the projections have biases (Keras's use_bias, default true). */
    public GroupQueryAttention useBias(boolean on) {
        requireNotBuilt("use_bias");
        this.useBias = on;
        return this;
    }

    /** A sigmoid gate on the heads before the output projection (Keras 3.14+'s use_gate, default false). */
    public GroupQueryAttention useGate(boolean on) {
        requireNotBuilt("use_gate");
        this.useGate = on;
        return this;
    }

    /** Query step i attends to value steps j with |i - j| &lt; w only (Keras's sliding_window); 0 for None. */
    public GroupQueryAttention slidingWindow(int w) {
        requireNotBuilt("sliding_window");
        if (w < 0) {
            throw new IllegalArgumentException(where() + ": sliding_window must be None or a positive integer, "
                    + "got " + w);
        }
        this.slidingWindow = w;
        return this;
    }

    /**
     * Keras's flash_attention (null: Keras's default, off on the CPU): another kernel for the same
     * numbers; true refuses dropout and returned scores, as Keras does.
     */
    public GroupQueryAttention flashAttention(Boolean on) {
        requireNotBuilt("flash_attention");
        checkFlash(Boolean.TRUE.equals(on), dropout, returnAttentionScores);
        this.flashAttention = on;
        return this;
    }

    private void checkFlash(boolean flash, float rate, boolean scores) {
        if (flash && rate > 0f) {
            throw new IllegalArgumentException(where() + ": dropout is not supported when flash attention is "
                    + "enabled (flash_attention=true, dropout=" + rate + "), as in Keras");
        }
        if (flash && scores) {
            throw new IllegalArgumentException(where() + ": returning attention scores is not supported when "
                    + "flash attention is enabled (flash_attention=true), as in Keras");
        }
    }

    /** Initializer of the kernels (Keras's kernel_initializer, default glorot_uniform). */
    public GroupQueryAttention kernelInitializer(Initializer init) {
        requireNotBuilt("kernel_initializer");
        this.kernelInitializer = Objects.requireNonNull(init, "kernel_initializer");
        return this;
    }

    /** Initializer of the biases (Keras's bias_initializer, default zeros). */
    public GroupQueryAttention biasInitializer(Initializer init) {
        requireNotBuilt("bias_initializer");
        this.biasInitializer = Objects.requireNonNull(init, "bias_initializer");
        return this;
    }

    /** Penalty on each kernel (Keras's kernel_regularizer), or null. */
    public GroupQueryAttention kernelRegularizer(Regularizer r) {
        requireNotBuilt("kernel_regularizer");
        this.kernelRegularizer = r;
        return this;
    }

    /** Penalty on each bias (Keras's bias_regularizer), or null. */
    public GroupQueryAttention biasRegularizer(Regularizer r) {
        requireNotBuilt("bias_regularizer");
        this.biasRegularizer = r;
        return this;
    }

    /** Constraint on each kernel (Keras's kernel_constraint), or null. */
    public GroupQueryAttention kernelConstraint(Constraint c) {
        requireNotBuilt("kernel_constraint");
        this.kernelConstraint = c;
        return this;
    }

    /** Constraint on each bias (Keras's bias_constraint), or null. */
    public GroupQueryAttention biasConstraint(Constraint c) {
        requireNotBuilt("bias_constraint");
        this.biasConstraint = c;
        return this;
    }

    /** Query step i attends to value steps j &lt;= i only (Keras's use_causal_mask call argument). */
    public GroupQueryAttention useCausalMask(boolean on) {
        requireNotBuilt("use_causal_mask");
        this.useCausalMask = on;
        return this;
    }

    /** Also outputs the probabilities (B, Nq, T, S) (Keras's return_attention_scores call argument). */
    public GroupQueryAttention returnAttentionScores(boolean on) {
        requireNotBuilt("return_attention_scores");
        checkFlash(Boolean.TRUE.equals(flashAttention), dropout, on);
        this.returnAttentionScores = on;
        return this;
    }

    /** Takes Keras's attention_mask call argument (B, T, S) as the layer's last input. */
    public GroupQueryAttention useAttentionMask(boolean on) {
        requireNotBuilt("attention_mask");
        this.useAttentionMask = on;
        return this;
    }

    /** Size of each head (Keras's head_dim). */
    public int headDim() {
        return headDim;
    }

    /** Keras's num_query_heads. */
    public int numQueryHeads() {
        return numQueryHeads;
    }

    /** Keras's num_key_value_heads. */
    public int numKeyValueHeads() {
        return numKeyValueHeads;
    }

    /** Keras's use_gate. */
    public boolean useGate() {
        return useGate;
    }

    /** Keras's sliding_window, 0 for None. */
    public int slidingWindow() {
        return slidingWindow;
    }

    /** Keras's flash_attention, null for its default. */
    public Boolean flashAttention() {
        return flashAttention;
    }

    @Override
    protected Shape build(List<Shape> shapes, RandomGenerator random) {
        Shape out = shapesFor(shapes).get(0);
        if (!AutoNames.areSuspended()) {
            // Keras's build makes its own Softmax and Dropout layers, which draw those auto names.
            AutoNames.next("softmax");
            AutoNames.next("dropout");
        }
        List<Shape> data = dataShapes(shapes);
        Shape key = data.size() > 2 ? data.get(2) : data.get(1);
        requireKnown(data.get(0), -1, "(the query's features, the query kernel's rows)");
        requireKnown(key, -1, "(the key's features, the key kernel's rows)");
        requireKnown(data.get(1), -1, "(the value's features, the value kernel's rows)");
        int dq = data.get(0).dim(-1);
        // Keras's order: query, key, gate, value, output.
        addProjection(QUERY, "query", Shape.of(dq, numQueryHeads, headDim), Shape.of(numQueryHeads, headDim), random);
        addProjection(KEY, "key", Shape.of(key.dim(-1), numKeyValueHeads, headDim),
                Shape.of(numKeyValueHeads, headDim), random);
        if (useGate) {
            addProjection(GATE, "gate", Shape.of(dq, numQueryHeads, headDim), Shape.of(numQueryHeads, headDim), random);
        }
        addProjection(VALUE, "value", Shape.of(data.get(1).dim(-1), numKeyValueHeads, headDim),
                Shape.of(numKeyValueHeads, headDim), random);
        addProjection(OUTPUT, "attention_output", Shape.of(numQueryHeads, headDim, dq), Shape.of(dq), random);
        return out;
    }

    @Override
    protected List<Shape> outputShapes(List<Shape> shapes) {
        List<Shape> out = shapesFor(shapes);
        List<Shape> built = dataShapes(inputShapes());
        List<Shape> given = dataShapes(shapes);
        String[] what = {"query", "value", "key"};
        for (int i = 0; i < given.size(); i++) {
            Shape b = built.get(Math.min(i, built.size() - 1));
            if (i == 2 && built.size() < 3) {
                b = built.get(1);
            }
            if (!Shape.compatible(b.dim(-1), given.get(i).dim(-1))) {
                throw new IllegalArgumentException(where() + " was built for a " + what[i] + " of " + b.dim(-1)
                        + " features, got " + batchless(given.get(i)));
            }
        }
        return out;
    }

    /** Checks the inputs' count and shapes (no batch axis), as Keras's compute_output_shape, and gives the outputs'. */
    private List<Shape> shapesFor(List<Shape> shapes) {
        int extra = useAttentionMask ? 1 : 0;
        requireInputCount(shapes.size(), 2 + extra, 3 + extra);
        List<Shape> data = dataShapes(shapes);
        Shape q = data.get(0);
        Shape v = data.get(1);
        Shape k = data.size() > 2 ? data.get(2) : v;
        if (q.rank() != 2 || v.rank() != 2 || k.rank() != 2) {
            throw new IllegalArgumentException(where() + " expects [query (batch, T, dim), value (batch, S, dim), "
                    + "key (batch, S, dim_k)" + (useAttentionMask ? ", attention_mask (batch, T, S)" : "")
                    + "] of rank 3; got " + shapes.stream().map(Layer::batchless).toList());
        }
        if (!Shape.compatible(q.dim(-1), v.dim(-1))) {
            throw new IllegalArgumentException(where() + ": the last dimension of the query and the value must be "
                    + "equal, got query " + batchless(q) + " and value " + batchless(v));
        }
        if (!Shape.compatible(k.dim(0), v.dim(0))) {
            throw new IllegalArgumentException(where() + ": the key and the value must have the same steps, got "
                    + "value " + batchless(v) + " and key " + batchless(k));
        }
        List<Shape> out = new ArrayList<>();
        out.add(q);
        if (returnAttentionScores) {
            out.add(Shape.withUnknown(numQueryHeads, q.dim(0), v.dim(0)));
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
        Tensor attention = useAttentionMask ? inputs.get(inputs.size() - 1).value() : null;
        AttentionMasks.Spec spec = new AttentionMasks.Spec(useCausalMask, slidingWindow);
        Tensor keep = AttentionMasks.keep(where(), query, value, masks.get(0), masks.get(1),
                data > 2 ? masks.get(2) : null, attention, spec);
        Attended a = attend(query, key, value, keep, numQueryHeads, numQueryHeads / numKeyValueHeads, headDim,
                headDim, ctx);
        Variable heads = a.heads(); // (B, T, Nq·head_dim)
        if (useGate) {
            heads = Ops.mul(heads, Ops.sigmoidActivation(project(query, GATE)));
        }
        Variable out = project(heads, OUTPUT);
        return returnAttentionScores ? List.of(out, a.probs()) : List.of(out);
    }
}
