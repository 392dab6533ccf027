package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras's RNN(cell): runs a {@link Cell} step by step over (batch, timesteps, features), on generic
 * autograd ops — the way to a user-written cell (the built-in recurrent layers run fused kernels
 * instead). Several cells are stacked ({@link StackedRNNCells}).
 *
 * <p>Semantics are Keras's: a masked step keeps the states and outputs the previous output (zeros
 * with zero_output_for_mask, and zeros before the first real step); go_backwards processes the
 * steps (and mask) from the end and returns the outputs in processing order; the output is the
 * sequence with return_sequences, else the last step's; return_state adds the final states; a
 * stateful layer starts each call from the previous call's final states and needs the same batch
 * size until {@link #resetStates()}. Weights are the cell's.
 */
public final class RNN extends Layer implements RecurrentLayer {
    private final Cell cell;
    private boolean returnSequences;
    private boolean returnState;
    private boolean goBackwards;
    private boolean stateful;
    private boolean zeroOutputForMask;
    private Tensor[] states;
    private int stateBatch;

    /** The cell, or several stacked (Keras's RNN([cells])). */
    public RNN(Cell... cells) {
        super("rnn");
        if (cells.length == 0) {
            throw new IllegalArgumentException(name() + ": needs a cell");
        }
        for (Cell c : cells) {
            Objects.requireNonNull(c, "cell");
        }
        this.cell = cells.length == 1 ? cells[0] : new StackedRNNCells(cells);
        if (cell.isBuilt()) {
            throw new IllegalArgumentException(name() + ": cell '" + cell.name() + "' is already built");
        }
    }

    public Cell cell() {
        return cell;
    }

    @Override
    public RNN named(String newName) {
        super.named(newName);
        return this;
    }

    public RNN returnSequences(boolean on) {
        requireNotBuilt("return_sequences");
        this.returnSequences = on;
        return this;
    }

    public RNN returnState(boolean on) {
        requireNotBuilt("return_state");
        this.returnState = on;
        return this;
    }

    public RNN goBackwards(boolean on) {
        requireNotBuilt("go_backwards");
        this.goBackwards = on;
        return this;
    }

    public RNN stateful(boolean on) {
        requireNotBuilt("stateful");
        this.stateful = on;
        return this;
    }

    public RNN zeroOutputForMask(boolean on) {
        requireNotBuilt("zero_output_for_mask");
        this.zeroOutputForMask = on;
        return this;
    }

    public boolean returnSequences() {
        return returnSequences;
    }

    public boolean returnState() {
        return returnState;
    }

    public boolean goBackwards() {
        return goBackwards;
    }

    public boolean stateful() {
        return stateful;
    }

    @Override
    public boolean zeroOutputForMask() {
        return zeroOutputForMask;
    }

    /** The cell's state sizes (Keras's state_size), every stacked cell's in turn. */
    @Override
    public int[] stateSizes() {
        return cell.stateSizes();
    }

    /**
     * An unbuilt copy over a copy of the cell ({@link Cell#copy()}), named {@code newName}, going
     * backwards as asked — Bidirectional's backward layer.
     *
     * @throws UnsupportedOperationException for a cell that cannot copy itself (a user's cell
     *                                       without {@code copy()}: give Bidirectional a backward layer)
     */
    @Override
    public RNN copy(String newName, boolean backwards) {
        RNN c = new RNN(cell.copy()).named(newName);
        c.returnSequences = returnSequences;
        c.returnState = returnState;
        c.goBackwards = backwards;
        c.stateful = stateful;
        c.zeroOutputForMask = zeroOutputForMask;
        c.trainable(trainable());
        return c;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        if (in.rank() != 2) {
            throw new IllegalArgumentException(name() + ": expected an input (batch, timesteps, features), got "
                    + batchless(in));
        }
        requireKnown(in, -1, "to build its cell");
        cell.build(Shape.of(in.dim(1)), device(), random);
        Shape step = cell.outputShape();
        if (!step.equals(Shape.of(cell.outputSize()))) {
            throw new IllegalArgumentException(name() + ": cell '" + cell.name() + "' was built with output "
                    + batchless(step) + " but says its output_size is " + cell.outputSize());
        }
        return outputShapeFor(in);
    }

    /** Any number of timesteps of the features it was built for. */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape(), -1);
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        return returnSequences ? Shape.withUnknown(in.dim(0), cell.outputSize()) : Shape.of(cell.outputSize());
    }

    @Override
    public List<Weight> weights() {
        return cell.weights();
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        return run(x, mask, null, ctx).output();
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return returnSequences ? mask : null;
    }

    /**
     * Runs the cell over the sequence (Keras's call with {@code initial_state}); the output is as
     * return_sequences says, the states are the final ones whatever return_state says.
     *
     * @param mask         (batch, timesteps) of 0/1, or null
     * @param initialState one tensor per entry of the cell's state sizes, or null for the cell's
     *                     initial state (a stateful layer's carried states)
     * @throws IllegalArgumentException naming this layer or the cell, for wrong shapes
     */
    public RnnOutput run(Variable x, Tensor mask, List<Variable> initialState, CallContext ctx) {
        requireBuilt();
        checkInput(x.shape());
        int b = x.dim(0);
        int t = x.dim(1);
        if (mask != null && !mask.shape().equals(Shape.of(b, t))) {
            throw new IllegalArgumentException(name() + ": mask must be (batch, timesteps) = " + Shape.of(b, t)
                    + ", got " + mask.shape());
        }
        int[] sizes = cell.stateSizes();
        List<Variable> state;
        // Keras checks a stateful layer's batch with initial_state too.
        if (stateful && states != null && stateBatch != b) {
            throw new IllegalArgumentException(name() + ": stateful layer holds states for batch size "
                    + stateBatch + ", got a batch of " + b + "; a stateful layer needs the same batch size on "
                    + "every call (Keras: a fixed batch_shape)");
        }
        if (initialState != null) {
            States.check(name(), initialState, b, sizes);
            state = new ArrayList<>(initialState);
        } else if (stateful && states != null) {
            state = new ArrayList<>();
            for (Tensor s : states) {
                state.add(Variable.constant(s));
            }
        } else {
            state = new ArrayList<>(cell.initialState(b, x.device()));
            States.check(cell.name() + ".initialState", state, b, sizes);
        }
        Variable[] steps = t == 0 ? new Variable[0] : t == 1 ? new Variable[] {x} : Ops.split(x, 1, ones(t));
        float[] m = mask == null ? null : mask.toArray();
        Variable previous = Variable.constant(x.device().zeros(b, cell.outputSize()));
        List<Variable> outputs = new ArrayList<>();
        cell.resetDropoutMasks();
        try {
            for (int s = 0; s < t; s++) {
                int at = goBackwards ? t - 1 - s : s;
                RnnOutput o = cell.step(Ops.reshape(steps[at], b, x.dim(2)), state, ctx);
                checkStep(o, b, sizes);
                Variable out = o.output();
                List<Variable> next = o.states();
                float[] keep = m == null ? null : column(m, b, t, at);
                if (keep != null && !all(keep, 1f)) {
                    Variable k = Variable.constant(x.device().tensor(keep, b, 1));
                    Variable drop = Variable.constant(x.device().tensor(complement(keep), b, 1));
                    out = zeroOutputForMask ? Ops.mul(out, k) : blend(out, previous, k, drop, keep);
                    List<Variable> kept = new ArrayList<>();
                    for (int i = 0; i < next.size(); i++) {
                        kept.add(blend(next.get(i), state.get(i), k, drop, keep));
                    }
                    next = kept;
                }
                state = new ArrayList<>(next);
                previous = out;
                outputs.add(out);
            }
        } finally {
            cell.resetDropoutMasks();
        }
        if (stateful) {
            // Replace rather than overwrite: this call's tensors may still be read by its backward.
            states = state.stream().map(Variable::value).toArray(Tensor[]::new);
            stateBatch = b;
        }
        Variable output;
        if (t == 0) {  // no step: zeros, as the fused layers give
            output = returnSequences ? Variable.constant(x.device().zeros(b, 0, cell.outputSize())) : previous;
        } else if (returnSequences) {
            Variable[] seq = new Variable[t];
            for (int s = 0; s < t; s++) {
                seq[s] = Ops.reshape(outputs.get(s), b, 1, cell.outputSize());
            }
            output = t == 1 ? seq[0] : Ops.concat(1, seq);
        } else {
            output = outputs.get(t - 1);
        }
        return new RnnOutput(output, state);
    }

    private void checkStep(RnnOutput o, int b, int[] sizes) {
        if (o == null || o.output() == null || !o.output().shape().equals(Shape.of(b, cell.outputSize()))) {
            throw new IllegalStateException(cell.name() + ".step must return an output (batch, output_size) = "
                    + Shape.of(b, cell.outputSize()) + ", got " + (o == null || o.output() == null ? "null"
                    : o.output().shape()));
        }
        try {
            States.check(cell.name() + ".step", o.states(), b, sizes);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(cell.name() + ".step must return states matching state_size: "
                    + e.getMessage(), e);
        }
    }

    /** {@code fresh} where the step is used, {@code old} where it is masked: {@code fresh·k + old·(1 − k)}. */
    private static Variable blend(Variable fresh, Variable old, Variable k, Variable drop, float[] keep) {
        if (all(keep, 0f)) {
            return old;
        }
        return Ops.add(Ops.mul(fresh, k), Ops.mul(old, drop));
    }

    private static float[] column(float[] mask, int b, int t, int at) {
        float[] c = new float[b];
        for (int i = 0; i < b; i++) {
            c[i] = mask[i * t + at] != 0f ? 1f : 0f;
        }
        return c;
    }

    private static float[] complement(float[] keep) {
        float[] c = new float[keep.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = 1f - keep[i];
        }
        return c;
    }

    private static boolean all(float[] v, float value) {
        for (float f : v) {
            if (f != value) {
                return false;
            }
        }
        return true;
    }

    private static int[] ones(int n) {
        int[] o = new int[n];
        java.util.Arrays.fill(o, 1);
        return o;
    }

    // ---- the functional API: inputs (x, initial states...), outputs (output, final states... with return_state) ----

    /** Applies the layer with {@code initial_state} (one per entry of the cell's state sizes). */
    public SymbolicTensor apply(Symbolic x, List<? extends Symbolic> initialState) {
        return apply(States.withInputs(x, initialState));
    }

    /** As {@link #apply(Symbolic, List)}, returning every output. */
    public List<SymbolicTensor> applyAll(Symbolic x, List<? extends Symbolic> initialState) {
        return applyAll(States.withInputs(x, initialState));
    }

    @Override
    protected Shape build(List<Shape> shapes, RandomGenerator random) {
        States.checkShapes(name(), shapes.subList(1, shapes.size()), cell.stateSizes());
        return build(shapes.get(0), random);
    }

    @Override
    protected List<Shape> outputShapes(List<Shape> shapes) {
        States.checkShapes(name(), shapes.subList(1, shapes.size()), cell.stateSizes());
        checkAccepted(shapes.get(0));
        return States.withStates(List.of(outputShapeFor(shapes.get(0))), returnState, cell.stateSizes());
    }

    @Override
    protected List<Variable> forwardAll(List<Variable> inputs, List<Tensor> masks, CallContext ctx) {
        List<Variable> init = inputs.size() > 1 ? inputs.subList(1, inputs.size()) : null;
        RnnOutput o = run(inputs.get(0), States.callMask(inputs, masks), init, ctx);
        List<Variable> out = new ArrayList<>();
        out.add(o.output());
        if (returnState) {
            out.addAll(o.states());
        }
        return out;
    }

    @Override
    public List<Tensor> computeMasks(List<Variable> inputs, List<Tensor> masks) {
        List<Tensor> out = new ArrayList<>(Collections.singletonList(returnSequences ? masks.get(0) : null));
        for (int i = 0; returnState && i < cell.stateSizes().length; i++) {
            out.add(null);
        }
        return out;
    }

    /** Zeroes the states of a stateful layer (Keras's reset_states). */
    public void resetStates() {
        if (!stateful) {
            throw new IllegalStateException(name() + ": resetStates() needs a stateful layer");
        }
        if (states != null) {
            Tensor[] zeros = new Tensor[states.length];
            for (int i = 0; i < zeros.length; i++) {
                Device d = states[i].device();
                zeros[i] = d.zeros(states[i].shape());
            }
            states = zeros;
        }
    }

    /** The current states of a stateful layer, or an empty list before the first call. */
    public List<Tensor> states() {
        return states == null ? List.of() : List.of(states);
    }

    @Override
    public int fixedBatchSize() {
        return stateful && states != null ? stateBatch : 0;
    }
}
