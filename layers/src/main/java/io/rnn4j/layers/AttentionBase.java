package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What Keras's Attention and AdditiveAttention share: inputs {@code [query (B, Tq, dim), value (B,
 * Tv, dv), key (B, Tv, dim)]} (key defaults to value); scores (B, Tq, Tv) from query and key;
 * positions where the value mask (or the causal mask) is 0 get {@code -1e9} added to their score;
 * softmax over Tv (dropped out in training); the output {@code weights · value} (B, Tq, dv) is zero
 * where the query mask is 0, and passes the query mask on.
 *
 * <p>Keras's call arguments {@code use_causal_mask} and {@code return_attention_scores} are options
 * of the layer here; with the second the layer has two outputs, the output and the weights.
 */
abstract class AttentionBase<A extends AttentionBase<A>> extends Layer {
    /** Keras's bias for padded positions (float32). */
    private static final float PADDING = 1.0e9f;

    private float dropout;
    private boolean useCausalMask;
    private boolean returnAttentionScores;

    AttentionBase(String kerasPrefix) {
        super(kerasPrefix);
    }

    @SuppressWarnings("unchecked")
    private A self() {
        return (A) this;
    }

    @Override
    public A named(String newName) {
        super.named(newName);
        return self();
    }

    /** Fraction of the attention weights dropped in training (Keras's dropout, default 0). */
    public A dropout(double rate) {
        requireNotBuilt("dropout");
        this.dropout = Masks.checkRate(rate, name(), "dropout");
        return self();
    }

    /** Query position i attends to value positions j <= i only (Keras's use_causal_mask call argument). */
    public A useCausalMask(boolean on) {
        requireNotBuilt("use_causal_mask");
        this.useCausalMask = on;
        return self();
    }

    /** Also outputs the attention weights (B, Tq, Tv) (Keras's return_attention_scores call argument). */
    public A returnAttentionScores(boolean on) {
        requireNotBuilt("return_attention_scores");
        this.returnAttentionScores = on;
        return self();
    }

    public float dropout() {
        return dropout;
    }

    public boolean useCausalMask() {
        return useCausalMask;
    }

    public boolean returnAttentionScores() {
        return returnAttentionScores;
    }

    /** Creates the layer's weights for query dimension {@code dim}. */
    abstract void createWeights(int dim, RandomGenerator random);

    /** The scores (B, Tq, Tv) of query (B, Tq, dim) against key (B, Tv, dim). */
    abstract Variable scores(Variable query, Variable key);

    @Override
    protected Shape build(Shape inputShape, RandomGenerator random) {
        return build(List.of(inputShape), random);
    }

    @Override
    protected Shape build(List<Shape> shapes, RandomGenerator random) {
        Shape out = outputShapesOf(shapes).get(0);
        requireKnown(shapes.get(0), -1, "(the query's features)");
        createWeights(shapes.get(0).dim(-1), random);
        return out;
    }

    @Override
    protected List<Shape> outputShapes(List<Shape> shapes) {
        List<Shape> out = outputShapesOf(shapes);
        if (shapes.get(0).dim(-1) != inputShape().dim(-1)) {
            checkSample(inputShape(), shapes.get(0));
        }
        return out;
    }

    private List<Shape> outputShapesOf(List<Shape> shapes) {
        requireInputCount(shapes.size(), 2, 3);
        Shape q = shapes.get(0);
        Shape v = shapes.get(1);
        Shape k = shapes.size() > 2 ? shapes.get(2) : v;
        boolean ok = q.rank() == 2 && v.rank() == 2 && k.rank() == 2 && Shape.compatible(k.dim(0), v.dim(0))
                && Shape.compatible(q.dim(1), k.dim(1));
        if (!ok) {
            throw new IllegalArgumentException("Layer '" + name() + "' (" + className() + ") expects [query (batch, "
                    + "Tq, dim), value (batch, Tv, dim_v), key (batch, Tv, dim)], the key defaulting to the value; got "
                    + shapes.stream().map(Layer::batchless).toList());
        }
        List<Shape> out = new ArrayList<>();
        out.add(Shape.withUnknown(q.dim(0), v.dim(1)));
        if (returnAttentionScores) {
            out.add(Shape.withUnknown(q.dim(0), v.dim(0)));
        }
        return out;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        return forwardAll(List.of(x), Collections.singletonList(mask), ctx).get(0);
    }

    @Override
    protected List<Variable> forwardAll(List<Variable> inputs, List<Tensor> masks, CallContext ctx) {
        List<Shape> samples = new ArrayList<>();
        for (Variable v : inputs) {
            if (v.rank() != 3 || v.dim(0) != inputs.get(0).dim(0)) {
                throw new IllegalArgumentException("Layer '" + name() + "' (" + className() + ") expects batches "
                        + "(batch, T, dim) of one size, got " + inputs.stream().map(Variable::shape).toList());
            }
            samples.add(v.shape().tail());
        }
        outputShapes(samples);
        Variable q = inputs.get(0);
        Variable v = inputs.get(1);
        Variable k = inputs.size() > 2 ? inputs.get(2) : v;
        Tensor qMask = masks.get(0);
        Tensor vMask = masks.size() > 1 ? masks.get(1) : null;
        checkMask(qMask, q, "query");
        checkMask(vMask, v, "value");
        Variable scores = scores(q, k);
        Tensor padding = padding(vMask, q.dim(0), q.dim(1), v.dim(1));
        if (padding != null) {
            scores = Ops.add(scores, Variable.constant(padding));
        }
        Variable weights = Ops.softmax(scores, -1);
        if (ctx.training() && dropout > 0f) {
            weights = Ops.mul(weights, Variable.constant(Masks.dropout(q.device(), weights.shape(), dropout,
                    ctx.random(), name())));
        }
        Variable out = Ops.batchMatmul(weights, v, false, false);
        if (qMask != null) {
            out = Ops.mul(out, Variable.constant(qMask.reshape(q.dim(0), q.dim(1), 1)));
        }
        return returnAttentionScores ? List.of(out, weights) : List.of(out);
    }

    private void checkMask(Tensor mask, Variable x, String what) {
        if (mask != null && !mask.shape().equals(Shape.of(x.dim(0), x.dim(1)))) {
            throw new IllegalArgumentException(name() + ": the " + what + " mask must be (batch, T) = "
                    + Shape.of(x.dim(0), x.dim(1)) + ", got " + mask.shape());
        }
    }

    /**
     * {@code -1e9} where a score is masked out, else 0: (B, 1, Tv) from the value mask, (B, Tq, Tv)
     * with the causal mask; null when nothing is masked.
     */
    private Tensor padding(Tensor vMask, int b, int tq, int tv) {
        if (vMask == null && !useCausalMask) {
            return null;
        }
        float[] keep = vMask == null ? null : vMask.toArray();
        int rows = useCausalMask ? tq : 1;
        float[] p = new float[b * rows * tv];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < tv; j++) {
                    boolean masked = (keep != null && keep[n * tv + j] == 0f) || (useCausalMask && j > i);
                    p[(n * rows + i) * tv + j] = masked ? -PADDING : 0f;
                }
            }
        }
        return (vMask != null ? vMask.device() : device()).tensor(p, b, rows, tv);
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return mask;
    }

    @Override
    public List<Tensor> computeMasks(List<Variable> inputs, List<Tensor> masks) {
        List<Tensor> out = new ArrayList<>(Arrays.asList(masks.get(0)));
        if (returnAttentionScores) {
            out.add(null);
        }
        return out;
    }
}
