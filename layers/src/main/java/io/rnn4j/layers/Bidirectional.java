package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.internal.AutoNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras's Bidirectional: a forward copy of the wrapped layer ("forward_" + its name) and a backward
 * one ("backward_" + its name, go_backwards flipped, as tf.keras builds it), or a given backward
 * layer. It wraps the fused recurrent layers, {@link RNN} over a cell and the {@link ConvLSTM}
 * layers alike ({@link RecurrentLayer}); an RNN's cell is copied with {@link Cell#copy()}. As Keras
 * does, both output zeros at masked steps when returning sequences ({@code zero_output_for_mask =
 * return_sequences}), the backward sequence is reversed back into forward time before the merge,
 * and concat joins the two outputs on their last axis (for a channels_first ConvLSTM, the last
 * spatial axis, as Keras's {@code concatenate(axis=-1)} does). Weights: the forward layer's, then
 * the backward layer's.
 */
public final class Bidirectional extends Layer {
    private final RecurrentLayer forwardLayer;
    private final RecurrentLayer backwardLayer;
    private final MergeMode mergeMode;

    /** Merge mode concat. */
    public Bidirectional(RecurrentLayer layer) {
        this(layer, MergeMode.CONCAT);
    }

    public Bidirectional(RecurrentLayer layer, MergeMode mergeMode) {
        this(layer, mergeMode, null);
    }

    /**
     * @param backwardLayer the layer for the backward direction, or null to copy {@code layer};
     *                      it must differ from layer in go_backwards and agree in stateful,
     *                      return_sequences and return_state. Given one, a layer that cannot be
     *                      copied (an RNN over a cell without {@link Cell#copy()}) is used itself,
     *                      renamed "forward_" + its name.
     */
    public Bidirectional(RecurrentLayer layer, MergeMode mergeMode, RecurrentLayer backwardLayer) {
        super("bidirectional");
        Objects.requireNonNull(layer, "layer");
        this.mergeMode = Objects.requireNonNull(mergeMode, "mergeMode");
        if (layer.layer().isBuilt() || (backwardLayer != null && backwardLayer.layer().isBuilt())) {
            throw new IllegalArgumentException(name() + ": wrap an unbuilt layer (its configuration is copied)");
        }
        this.forwardLayer = prepare(forwardCopy(layer, backwardLayer != null));
        this.backwardLayer = prepare(backwardLayer != null ? backwardLayer
                : copy(layer, "backward_" + strip(layer.name(), "backward_"), !layer.goBackwards()));
        for (String[] a : new String[][] {{"stateful"}, {"return_sequences"}, {"return_state"}}) {
            boolean f = option(forwardLayer, a[0]);
            boolean b = option(this.backwardLayer, a[0]);
            if (f != b) {
                throw new IllegalArgumentException(name() + ": forward and backward layers must agree on " + a[0]
                        + ", got " + f + " and " + b);
            }
        }
        if (forwardLayer.goBackwards() == this.backwardLayer.goBackwards()) {
            throw new IllegalArgumentException(name() + ": forward and backward layers must differ in go_backwards, "
                    + "both have " + forwardLayer.goBackwards());
        }
    }

    private RecurrentLayer copy(RecurrentLayer layer, String newName, boolean backwards) {
        try {
            return withActivityRegularizer(copyUnnamed(layer, newName, backwards), layer);
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException(name() + ": cannot copy layer '" + layer.name() + "' for the other "
                    + "direction: " + e.getMessage(), e);
        }
    }

    /**
     * The forward copy ("forward_" + the name); when a backward layer is given, a layer that cannot
     * be copied serves itself, renamed so.
     */
    private RecurrentLayer forwardCopy(RecurrentLayer layer, boolean backwardGiven) {
        String forwardName = "forward_" + strip(layer.name(), "forward_");
        try {
            return withActivityRegularizer(copyUnnamed(layer, forwardName, layer.goBackwards()), layer);
        } catch (UnsupportedOperationException e) {
            if (!backwardGiven) {
                throw new IllegalArgumentException(name() + ": cannot copy layer '" + layer.name() + "' for the "
                        + "other direction: " + e.getMessage(), e);
            }
            layer.layer().named(forwardName);
            return layer;
        }
    }

    /**
     * The layer's copy, made without drawing automatic names: Keras makes both directions from the
     * wrapped layer's config, names given, so a ConvLSTM's or an RNN's copy (and its cell's) takes
     * nothing from the session's counters, and the next {@code ConvLSTM2D} is still "conv_lstm2d_1".
     */
    private static RecurrentLayer copyUnnamed(RecurrentLayer layer, String newName, boolean backwards) {
        return AutoNames.suspended(() -> layer.copy(newName, backwards));
    }

    /** The copy keeps the layer's activity_regularizer, as Keras's copies from get_config do. */
    private static RecurrentLayer withActivityRegularizer(RecurrentLayer copy, RecurrentLayer of) {
        copy.layer().activityRegularizer(of.layer().activityRegularizer());
        return copy;
    }

    /** A direction's outputs as its layer's __call__ gives them: the output, then the states with return_state. */
    private static List<Variable> outputsOf(RecurrentLayer layer, RnnOutput o) {
        List<Variable> out = new ArrayList<>();
        out.add(o.output());
        if (layer.returnState()) {
            out.addAll(o.states());
        }
        return out;
    }

    private static RecurrentLayer prepare(RecurrentLayer r) {
        return r.zeroOutputForMask(r.returnSequences());
    }

    private static boolean option(RecurrentLayer r, String name) {
        return switch (name) {
            case "stateful" -> r.stateful();
            case "return_sequences" -> r.returnSequences();
            default -> r.returnState();
        };
    }

    private static String strip(String s, String prefix) {
        return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
    }

    public RecurrentLayer forwardLayer() {
        return forwardLayer;
    }

    public RecurrentLayer backwardLayer() {
        return backwardLayer;
    }

    public MergeMode mergeMode() {
        return mergeMode;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        forwardLayer.layer().build(in, device(), random);
        backwardLayer.layer().build(in, device(), random);
        Shape one = forwardLayer.layer().outputShape();
        Shape other = backwardLayer.layer().outputShape();
        if (!one.equals(other)) {
            // Keras's Bidirectional assumes it too (its output shape is the forward layer's, doubled for concat).
            throw new IllegalArgumentException(name() + ": forward and backward layers must give outputs of one "
                    + "shape, got " + batchless(one) + " from '" + forwardLayer.name() + "' and " + batchless(other)
                    + " from '" + backwardLayer.name() + "'");
        }
        return merged(one);
    }

    private Shape merged(Shape one) {
        return mergeMode == MergeMode.CONCAT ? one.with(one.rank() - 1, 2 * one.dim(-1)) : one;
    }

    /** Any number of timesteps of the step shape (features, or a ConvLSTM's frame) it was built for. */
    @Override
    protected Shape acceptedShape() {
        int[] kept = new int[inputShape().rank() - 1];
        java.util.Arrays.setAll(kept, a -> a + 1);
        return keepingOnly(inputShape(), kept);
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        return merged(forwardLayer.layer().outputShapeFor(in));
    }

    @Override
    public List<Weight> weights() {
        List<Weight> all = new ArrayList<>(forwardLayer.weights());
        all.addAll(backwardLayer.weights());
        return all;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        if (mergeMode == MergeMode.NONE) {
            throw new IllegalStateException(name() + ": merge_mode none gives two outputs; call run(...) instead");
        }
        return run(x, mask, null, ctx).get(0);
    }

    /**
     * Runs both directions. Returns the merged output (two outputs with {@link MergeMode#NONE}),
     * then the forward layer's final states, then the backward layer's — Keras's order with
     * return_state.
     *
     * @param initialState the forward states then the backward states, or null
     */
    public List<Variable> run(Variable x, Tensor mask, List<Variable> initialState, CallContext ctx) {
        requireBuilt();
        checkInput(x.shape());
        List<Variable> fInit = null;
        List<Variable> bInit = null;
        if (initialState != null) {
            int half = initialState.size() / 2;
            if (initialState.size() != 2 * forwardLayer.stateCount()) {
                throw new IllegalArgumentException(name() + ": initial_state must hold "
                        + 2 * forwardLayer.stateCount() + " states (forward then backward), got " + initialState.size());
            }
            fInit = initialState.subList(0, half);
            bInit = initialState.subList(half, initialState.size());
        }
        RnnOutput f = forwardLayer.run(x, mask, fInit, ctx);
        RnnOutput b = backwardLayer.run(x, mask, bInit, ctx);
        // Keras calls each direction through __call__, which adds that layer's activity losses
        ActivityLosses.add(forwardLayer.layer(), outputsOf(forwardLayer, f), ctx);
        ActivityLosses.add(backwardLayer.layer(), outputsOf(backwardLayer, b), ctx);
        Variable y = f.output();
        Variable yRev = b.output();
        if (forwardLayer.returnSequences()) {
            yRev = Ops.reverse(yRev, 1);
        }
        List<Variable> out = new ArrayList<>();
        switch (mergeMode) {
            case CONCAT -> out.add(Ops.concat(-1, y, yRev));
            case SUM -> out.add(Ops.add(y, yRev));
            case MUL -> out.add(Ops.mul(y, yRev));
            case AVE -> out.add(Ops.scale(Ops.add(y, yRev), 0.5f));
            case NONE -> {
                out.add(y);
                out.add(yRev);
            }
        }
        out.addAll(f.states());
        out.addAll(b.states());
        return out;
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return forwardLayer.returnSequences() ? mask : null;
    }

    // ---- the functional API: inputs (x, forward states..., backward states...), outputs as run(...) gives them ----

    /** Applies the layer with {@code initial_state}: the forward layer's states, then the backward layer's. */
    public SymbolicTensor apply(Symbolic x, List<? extends Symbolic> initialState) {
        return apply(States.withInputs(x, initialState));
    }

    /** As {@link #apply(Symbolic, List)}, returning every output. */
    public List<SymbolicTensor> applyAll(Symbolic x, List<? extends Symbolic> initialState) {
        return applyAll(States.withInputs(x, initialState));
    }

    /** The sizes of the states: the forward layer's, then the backward layer's. */
    public int[] stateSizes() {
        int[] f = forwardLayer.stateSizes();
        int[] b = backwardLayer.stateSizes();
        int[] all = java.util.Arrays.copyOf(f, f.length + b.length);
        System.arraycopy(b, 0, all, f.length, b.length);
        return all;
    }

    @Override
    protected Shape build(List<Shape> shapes, RandomGenerator random) {
        List<Shape> given = shapes.subList(1, shapes.size());
        if (!(forwardLayer instanceof ConvLSTM<?> f)) {
            States.checkShapes(name(), given, stateSizes());
        } else if (!given.isEmpty()) {
            // Checked before building either direction: a refused call leaves both unbuilt.
            List<Shape> expected = new ArrayList<>(f.stateShapesFor(shapes.get(0)));
            expected.addAll(backwardLayer instanceof ConvLSTM<?> b ? b.stateShapesFor(shapes.get(0))
                    : backwardLayer.stateShapes());
            checkSpatialStates(given, expected);
        }
        return build(shapes.get(0), random);
    }

    @Override
    protected List<Shape> outputShapes(List<Shape> shapes) {
        if (forwardLayer instanceof ConvLSTM<?>) {
            List<Shape> expected = new ArrayList<>(forwardLayer.stateShapes());
            expected.addAll(backwardLayer.stateShapes());
            checkSpatialStates(shapes.subList(1, shapes.size()), expected);
        } else {
            States.checkShapes(name(), shapes.subList(1, shapes.size()), stateSizes());
        }
        checkAccepted(shapes.get(0));
        Shape out = outputShapeFor(shapes.get(0));
        List<Shape> all = new ArrayList<>(mergeMode == MergeMode.NONE ? List.of(out, out) : List.of(out));
        if (forwardLayer.returnState()) {
            all.addAll(forwardLayer.stateShapes());
            all.addAll(backwardLayer.stateShapes());
        }
        return all;
    }

    /** A ConvLSTM's symbolic initial states: none, or the forward h and c then the backward ones, as expected. */
    private void checkSpatialStates(List<Shape> given, List<Shape> expected) {
        if (given.isEmpty()) {
            return;
        }
        if (given.size() != expected.size()) {
            throw new IllegalArgumentException(name() + ": initial_state must hold " + expected.size()
                    + " states (forward h and c, then backward h and c), got " + given.size());
        }
        for (int i = 0; i < given.size(); i++) {
            if (!expected.get(i).equals(given.get(i))) {
                throw new IllegalArgumentException(name() + ": initial_state[" + i + "] must be "
                        + batchless(expected.get(i)) + ", got " + batchless(given.get(i)));
            }
        }
    }

    @Override
    protected List<Variable> forwardAll(List<Variable> inputs, List<Tensor> masks, CallContext ctx) {
        List<Variable> states = inputs.size() > 1 ? inputs.subList(1, inputs.size()) : null;
        List<Variable> all = run(inputs.get(0), States.callMask(inputs, masks), states, ctx);
        int outputs = mergeMode == MergeMode.NONE ? 2 : 1;
        return forwardLayer.returnState() ? all : all.subList(0, outputs);
    }

    @Override
    public List<Tensor> computeMasks(List<Variable> inputs, List<Tensor> masks) {
        Tensor m = forwardLayer.returnSequences() ? masks.get(0) : null;
        List<Tensor> out = new ArrayList<>();
        out.add(m);
        if (mergeMode == MergeMode.NONE) {
            out.add(m);
        }
        for (int i = 0; forwardLayer.returnState() && i < stateSizes().length; i++) {
            out.add(null);
        }
        return out;
    }

    /** Zeroes both directions' states (stateful layers only). */
    public void resetStates() {
        forwardLayer.resetStates();
        backwardLayer.resetStates();
    }

    @Override
    public int fixedBatchSize() {
        return forwardLayer.fixedBatchSize();
    }
}
