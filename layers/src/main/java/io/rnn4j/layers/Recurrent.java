package io.rnn4j.layers;

import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What Keras's SimpleRNN, LSTM and GRU share: their options with Keras's defaults, their three
 * weights (kernel (D, G·H), recurrent_kernel (H, G·H), bias), and a call that runs the whole
 * sequence as one autograd node on the device's fused kernels.
 *
 * <p>Semantics are Keras's (DESIGN.md): masked steps keep the states and repeat the previous
 * output (zeros with zero_output_for_mask); go_backwards processes the sequence and its mask from
 * the end and returns the outputs in processing order; dropout multiplies the inputs and
 * recurrent_dropout the recurrent state by one mask per batch, in training only; a stateful layer
 * starts each call from the final states of the previous one and requires the same batch size
 * until {@link #resetStates()}. A stateful layer is not safe to call from several threads.
 *
 * @param <L> the concrete layer, so that the fluent setters return it
 */
public abstract non-sealed class Recurrent<L extends Recurrent<L>> extends Layer
        implements RecurrentLayer, GateOptions<L> {
    private final RnnCell cell;
    private final int units;
    private Activation activation = Activation.TANH;
    private Activation recurrentActivation = Activation.SIGMOID;
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Initializer recurrentInitializer = Initializers.orthogonal();
    private Initializer biasInitializer = Initializers.zeros();
    private Regularizer kernelRegularizer;
    private Regularizer recurrentRegularizer;
    private Regularizer biasRegularizer;
    private Constraint kernelConstraint;
    private Constraint recurrentConstraint;
    private Constraint biasConstraint;
    private float dropout;
    private float recurrentDropout;
    private boolean returnSequences;
    private boolean returnState;
    private boolean goBackwards;
    private boolean stateful;
    private boolean zeroOutputForMask;
    private Weight kernel;
    private Weight recurrentKernel;
    private Weight bias;
    /** The states carried between calls of a stateful layer (immutable tensors, replaced each call). */
    private Tensor[] states;
    private int stateBatch;

    protected Recurrent(String kerasPrefix, String name, RnnCell cell, int units) {
        super(kerasPrefix, name);
        if (units < 1) {
            throw new IllegalArgumentException(kerasPrefix + ": units must be >= 1, got " + units);
        }
        this.cell = cell;
        this.units = units;
    }

    @SuppressWarnings("unchecked")
    private L self() {
        return (L) this;
    }

    // ---- options (Keras's argument names in the messages) ----

    @Override
    public L named(String newName) {
        super.named(newName);
        return self();
    }

    /** Keras's activation: the cell's output activation (σ in DESIGN.md), default tanh. */
    public L activation(Activation a) {
        requireNotBuilt("activation");
        this.activation = Objects.requireNonNull(a, "activation");
        return self();
    }

    /** @throws IllegalArgumentException for an unknown name, naming this layer */
    public L activation(String kerasName) {
        return activation(Activations.named(kerasName, name()));
    }

    protected L setRecurrentActivation(Activation a) {
        requireNotBuilt("recurrent_activation");
        this.recurrentActivation = Objects.requireNonNull(a, "recurrent_activation");
        return self();
    }

    /** Keras's use_bias: whether the layer has a bias vector, default true. */
    public L useBias(boolean on) {
        requireNotBuilt("use_bias");
        this.useBias = on;
        return self();
    }

    /** Keras's kernel_initializer: draws the input kernel, default glorot_uniform. */
    public L kernelInitializer(Initializer i) {
        requireNotBuilt("kernel_initializer");
        this.kernelInitializer = Objects.requireNonNull(i);
        return self();
    }

    /** Keras's recurrent_initializer: draws the recurrent kernel, default orthogonal. */
    public L recurrentInitializer(Initializer i) {
        requireNotBuilt("recurrent_initializer");
        this.recurrentInitializer = Objects.requireNonNull(i);
        return self();
    }

    /** Keras's bias_initializer: draws the bias, default zeros (LSTM's unit_forget_bias applies on top). */
    public L biasInitializer(Initializer i) {
        requireNotBuilt("bias_initializer");
        this.biasInitializer = Objects.requireNonNull(i);
        return self();
    }

    /** Keras's kernel_regularizer: a penalty on the input kernel added to the loss, or null (default none). */
    public L kernelRegularizer(Regularizer r) {
        requireNotBuilt("kernel_regularizer");
        this.kernelRegularizer = r;
        return self();
    }

    /** Keras's recurrent_regularizer: a penalty on the recurrent kernel, or null (default none). */
    public L recurrentRegularizer(Regularizer r) {
        requireNotBuilt("recurrent_regularizer");
        this.recurrentRegularizer = r;
        return self();
    }

    /** Keras's bias_regularizer: a penalty on the bias, or null (default none). */
    public L biasRegularizer(Regularizer r) {
        requireNotBuilt("bias_regularizer");
        this.biasRegularizer = r;
        return self();
    }

    /** Keras's kernel_constraint: applied to the input kernel after each update, or null (default none). */
    public L kernelConstraint(Constraint c) {
        requireNotBuilt("kernel_constraint");
        this.kernelConstraint = c;
        return self();
    }

    /** Keras's recurrent_constraint: applied to the recurrent kernel after each update, or null (default none). */
    public L recurrentConstraint(Constraint c) {
        requireNotBuilt("recurrent_constraint");
        this.recurrentConstraint = c;
        return self();
    }

    /** Keras's bias_constraint: applied to the bias after each update, or null (default none). */
    public L biasConstraint(Constraint c) {
        requireNotBuilt("bias_constraint");
        this.biasConstraint = c;
        return self();
    }

    /**
     * Keras's dropout: the fraction of the input features dropped in training (one mask per batch,
     * all steps), in [0, 1], default 0; kept as a float32.
     */
    public L dropout(double rate) {
        requireNotBuilt("dropout");
        this.dropout = Masks.checkRate(rate, name(), "dropout");
        return self();
    }

    /**
     * Keras's recurrent_dropout: the fraction of the recurrent state dropped before its recurrent
     * product, in training, in [0, 1], default 0; kept as a float32.
     */
    public L recurrentDropout(double rate) {
        requireNotBuilt("recurrent_dropout");
        this.recurrentDropout = Masks.checkRate(rate, name(), "recurrent_dropout");
        return self();
    }

    /** Keras's return_sequences: output every step's h (batch, timesteps, units), not only the last; default false. */
    public L returnSequences(boolean on) {
        requireNotBuilt("return_sequences");
        this.returnSequences = on;
        return self();
    }

    /**
     * Keras's return_state: the layer also outputs its final states, h (and c for LSTM), after the
     * output ({@link #applyAll(Symbolic, List)}); default false.
     */
    public L returnState(boolean on) {
        requireNotBuilt("return_state");
        this.returnState = on;
        return self();
    }

    /** Keras's go_backwards: process the sequence (and its mask) from the end; default false. */
    public L goBackwards(boolean on) {
        requireNotBuilt("go_backwards");
        this.goBackwards = on;
        return self();
    }

    /** Keras's stateful: each call starts from the previous call's final states (fixed batch size); default false. */
    public L stateful(boolean on) {
        requireNotBuilt("stateful");
        this.stateful = on;
        return self();
    }

    /** Masked steps output zeros instead of the previous output (Bidirectional sets it to return_sequences). */
    public L zeroOutputForMask(boolean on) {
        requireNotBuilt("zero_output_for_mask");
        this.zeroOutputForMask = on;
        return self();
    }

    // ---- what the options are ----

    /** Which fused cell this layer runs (SimpleRNN, LSTM or GRU). */
    public RnnCell cell() {
        return cell;
    }

    /** Keras's units: the size of the state and the output. */
    public int units() {
        return units;
    }

    /** Keras's activation (default tanh). */
    public Activation activation() {
        return activation;
    }

    /** Keras's recurrent_activation of LSTM and GRU (default sigmoid); SimpleRNN has none and ignores it. */
    public Activation recurrentActivation() {
        return recurrentActivation;
    }

    /** Keras's use_bias (default true). */
    public boolean useBias() {
        return useBias;
    }

    /** Keras's dropout, as the float32 applied (default 0). */
    public float dropout() {
        return dropout;
    }

    /** Keras's recurrent_dropout, as the float32 applied (default 0). */
    public float recurrentDropout() {
        return recurrentDropout;
    }

    /** Keras's return_sequences (default false). */
    public boolean returnSequences() {
        return returnSequences;
    }

    /** Keras's return_state (default false). */
    public boolean returnState() {
        return returnState;
    }

    /** Keras's go_backwards (default false). */
    public boolean goBackwards() {
        return goBackwards;
    }

    /** Keras's stateful (default false). */
    public boolean stateful() {
        return stateful;
    }

    /** Keras's zero_output_for_mask: masked steps output zeros (default false; Bidirectional sets it). */
    public boolean zeroOutputForMask() {
        return zeroOutputForMask;
    }

    /** The kernel initializer as configured (Keras's {@code kernel_initializer}). */
    public Initializer kernelInitializer() {
        return kernelInitializer;
    }

    /** The recurrent kernel's initializer as configured (Keras's {@code recurrent_initializer}). */
    public Initializer recurrentInitializer() {
        return recurrentInitializer;
    }

    /** The bias initializer as configured; LSTM's unit_forget_bias is applied on top of it. */
    public Initializer biasInitializer() {
        return biasInitializer;
    }

    /** The kernel regularizer, or null. */
    public Regularizer kernelRegularizer() {
        return kernelRegularizer;
    }

    /** The recurrent kernel's regularizer, or null. */
    public Regularizer recurrentRegularizer() {
        return recurrentRegularizer;
    }

    /** The bias regularizer, or null. */
    public Regularizer biasRegularizer() {
        return biasRegularizer;
    }

    /** The kernel constraint, or null. */
    public Constraint kernelConstraint() {
        return kernelConstraint;
    }

    /** The recurrent kernel's constraint, or null. */
    public Constraint recurrentConstraint() {
        return recurrentConstraint;
    }

    /** The bias constraint, or null. */
    public Constraint biasConstraint() {
        return biasConstraint;
    }

    /** GRU's reset_after; false for the other cells. */
    protected boolean resetAfter() {
        return false;
    }

    /** The initializer of the whole bias (LSTM overrides it for unit_forget_bias). */
    protected Initializer effectiveBiasInitializer(Initializer configured) {
        return configured;
    }

    /** A new unbuilt layer of the same class and units named {@code name}, to receive a copy of this one's options. */
    protected abstract L newOfSameKind(String name);

    /** Copies the class-specific options (recurrent activation, reset_after, ...) onto {@code target}. */
    protected void copyOwnOptions(L target) {
    }

    /** An unbuilt copy of this layer's configuration, named {@code newName}, going backwards as asked. */
    public final L copy(String newName, boolean backwards) {
        L c = newOfSameKind(newName);
        Recurrent<L> r = c;
        r.activation = activation;
        r.recurrentActivation = recurrentActivation;
        r.useBias = useBias;
        r.kernelInitializer = kernelInitializer;
        r.recurrentInitializer = recurrentInitializer;
        r.biasInitializer = biasInitializer;
        r.kernelRegularizer = kernelRegularizer;
        r.recurrentRegularizer = recurrentRegularizer;
        r.biasRegularizer = biasRegularizer;
        r.kernelConstraint = kernelConstraint;
        r.recurrentConstraint = recurrentConstraint;
        r.biasConstraint = biasConstraint;
        r.dropout = dropout;
        r.recurrentDropout = recurrentDropout;
        r.returnSequences = returnSequences;
        r.returnState = returnState;
        r.goBackwards = backwards;
        r.stateful = stateful;
        r.zeroOutputForMask = zeroOutputForMask;
        c.trainable(trainable());
        copyOwnOptions(c);
        return c;
    }

    /** What the fused kernel computes for this layer; the input size is known once built. */
    public RnnSpec spec() {
        requireBuilt();
        return spec(inputShape().dim(1));
    }

    private RnnSpec spec(int inputSize) {
        return new RnnSpec(cell, inputSize, units, activation.unaryOp(), recurrentActivation.unaryOp(), useBias,
                resetAfter(), goBackwards, zeroOutputForMask);
    }

    // ---- build and call ----

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        if (in.rank() != 2) {
            throw new IllegalArgumentException(name() + ": expected an input (batch, timesteps, features), got "
                    + batchless(in));
        }
        for (Activation a : new Activation[] {activation, recurrentActivation}) {
            if (a.unaryOp() == null) {
                throw new IllegalArgumentException(name() + ": " + a.kerasName() + " is not an elementwise activation; "
                        + "a recurrent cell needs an elementwise one (any activation but softmax and log_softmax)");
            }
        }
        requireKnown(in, -1, "to size its kernel");
        RnnSpec s = spec(in.dim(1));
        kernel = addWeight("kernel", s.kernelShape(), kernelInitializer, random, kernelRegularizer,
                kernelConstraint, true);
        recurrentKernel = addWeight("recurrent_kernel", s.recurrentKernelShape(), recurrentInitializer, random,
                recurrentRegularizer, recurrentConstraint, true);
        if (useBias) {
            bias = addWeight("bias", s.biasShape(), effectiveBiasInitializer(biasInitializer), random,
                    biasRegularizer, biasConstraint, true);
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
        return returnSequences ? Shape.withUnknown(in.dim(0), units) : Shape.of(units);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        return run(x, mask, null, ctx).output();
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return returnSequences ? mask : null;
    }

    // ---- the functional API: inputs (x, initial states...), outputs (output, final states... with return_state) ----

    /** Applies the layer to a sequence with {@code initial_state} (h, and c for LSTM) from the graph. */
    public final SymbolicTensor apply(Symbolic x, List<? extends Symbolic> initialState) {
        return apply(States.withInputs(x, initialState));
    }

    /** As {@link #apply(Symbolic, List)}, returning every output (the final states too with return_state). */
    public final List<SymbolicTensor> applyAll(Symbolic x, List<? extends Symbolic> initialState) {
        return applyAll(States.withInputs(x, initialState));
    }

    /** The size of each state: (units) for h, and for c with LSTM (Keras's state_size). */
    public int[] stateSizes() {
        return States.uniform(stateCount(), units);
    }

    @Override
    protected Shape build(List<Shape> shapes, RandomGenerator random) {
        States.checkShapes(name(), shapes.subList(1, shapes.size()), stateSizes());
        return build(shapes.get(0), random);
    }

    @Override
    protected List<Shape> outputShapes(List<Shape> shapes) {
        States.checkShapes(name(), shapes.subList(1, shapes.size()), stateSizes());
        checkAccepted(shapes.get(0));
        return States.withStates(List.of(outputShapeFor(shapes.get(0))), returnState, stateSizes());
    }

    @Override
    protected List<Variable> forwardAll(List<Variable> inputs, List<Tensor> masks, CallContext ctx) {
        List<Variable> states = inputs.size() > 1 ? inputs.subList(1, inputs.size()) : null;
        RnnOutput o = run(inputs.get(0), States.callMask(inputs, masks), states, ctx);
        List<Variable> out = new ArrayList<>();
        out.add(o.output());
        if (returnState) {
            out.addAll(o.states());
        }
        return out;
    }

    @Override
    public List<Tensor> computeMasks(List<Variable> inputs, List<Tensor> masks) {
        List<Tensor> out = new ArrayList<>();
        out.add(returnSequences ? masks.get(0) : null);
        for (int i = 0; returnState && i < stateCount(); i++) {
            out.add(null);
        }
        return out;
    }

    /** The number of states: 2 for LSTM (h, c), else 1. */
    public int stateCount() {
        return cell == RnnCell.LSTM ? 2 : 1;
    }

    /**
     * Runs the layer (Keras's call with {@code initial_state}); the output is the sequence or the
     * last step as return_sequences says, the states are the final ones whatever return_state says.
     *
     * @param mask         (batch, timesteps) of 0/1, or null
     * @param initialState h (and c) of shape (batch, units), or null for zeros / a stateful layer's states
     * @throws IllegalArgumentException naming this layer: a wrong input or state shape, or a
     *                                  stateful layer fed another batch size
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
        Variable h0 = null;
        Variable c0 = null;
        if (stateful) {
            checkStatefulBatch(b);  // Keras checks it with initial_state too
        }
        if (initialState != null) {
            States.check(name(), initialState, b, stateSizes());
            h0 = initialState.get(0);
            c0 = stateCount() == 2 ? initialState.get(1) : null;
        } else if (stateful) {
            if (states != null) {
                h0 = Variable.constant(states[0]);
                c0 = stateCount() == 2 ? Variable.constant(states[1]) : null;
            }
        }
        Variable in = x;
        Tensor recurrentMask = null;
        boolean simpleRnn = this instanceof SimpleRNN;
        if (ctx.training() && Masks.recurrentDropoutApplies(dropout, simpleRnn)) {
            Tensor m = Masks.dropout(x.device(), Shape.of(b, 1, x.dim(2)), dropout, ctx.random(), name());
            in = Ops.mul(x, Variable.constant(m));
        }
        if (ctx.training() && Masks.recurrentDropoutApplies(recurrentDropout, simpleRnn)) {
            recurrentMask = Masks.dropout(x.device(), Shape.of(b, units), recurrentDropout, ctx.random(), name());
        }
        Variable[] out = Ops.rnn(spec(), in, mask, recurrentMask, kernel.variable(), recurrentKernel.variable(),
                bias == null ? null : bias.variable(), h0, c0);
        if (stateful) {
            // Replace rather than overwrite: the tensors of this call may still be read by its backward.
            states = stateCount() == 2 ? new Tensor[] {out[1].value(), out[2].value()} : new Tensor[] {out[1].value()};
            stateBatch = b;
        }
        Variable output;
        if (returnSequences) {
            output = out[0];
        } else if (zeroOutputForMask && mask != null) {
            output = Ops.reshape(Ops.slice(out[0], 1, t - 1, 1), b, units);
        } else {
            output = out[1];
        }
        List<Variable> finalStates = new ArrayList<>();
        finalStates.add(out[1]);
        if (stateCount() == 2) {
            finalStates.add(out[2]);
        }
        return new RnnOutput(output, finalStates);
    }

    private void checkStatefulBatch(int b) {
        if (states != null && stateBatch != b) {
            throw new IllegalArgumentException(name() + ": stateful layer holds states for batch size " + stateBatch
                    + ", got a batch of " + b + "; a stateful layer needs the same batch size on every call "
                    + "(Keras: a fixed batch_shape)");
        }
    }

    /** Zeroes the states of a stateful layer (Keras's reset_states); the batch size stays fixed. */
    public void resetStates() {
        if (!stateful) {
            throw new IllegalStateException(name() + ": resetStates() needs a stateful layer");
        }
        if (states != null) {
            Tensor[] zeros = new Tensor[states.length];
            for (int i = 0; i < zeros.length; i++) {
                zeros[i] = states[i].device().zeros(states[i].shape());
            }
            states = zeros;
        }
    }

    /** The current states of a stateful layer (h, and c for LSTM), or an empty list before the first call. */
    public List<Tensor> states() {
        return states == null ? List.of() : List.of(states);
    }

    @Override
    public int fixedBatchSize() {
        return stateful && states != null ? stateBatch : 0;
    }
}
