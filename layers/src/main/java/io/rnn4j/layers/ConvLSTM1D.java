package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
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
 * Keras's ConvLSTM1D: an LSTM whose input and recurrent transformations are 1-D convolutions, over
 * inputs {@code (batch, time, steps, channels)} ("channels_last", the only layout here). At each
 * time step, with {@code *} Keras's convolution (a cross-correlation):
 * <pre>
 * z = conv(x_t, kernel; strides, padding, dilation_rate) + bias + conv(h, recurrent_kernel; stride 1, "same")
 * i = σr(z_i)  f = σr(z_f)  g = σ(z_c)  o = σr(z_o)      (gate blocks i, f, c, o of the last axis)
 * c' = f·c + i·g   h' = o·σ(c')
 * </pre>
 * where σ is {@code activation} (tanh) and σr {@code recurrent_activation} (sigmoid). Weights:
 * kernel {@code (kernel_size, channels, 4·filters)}, recurrent_kernel {@code (kernel_size, filters,
 * 4·filters)}, bias {@code (4·filters)}. The states h and c are {@code (batch, new_steps, filters)},
 * new_steps as a Conv1D of these strides, padding and dilation gives it (padding "valid" or "same":
 * Keras's ConvLSTM refuses "causal"); zeros unless given ({@code initial_state}) or carried
 * (stateful). The output is the last h, or every step's with return_sequences; return_state adds
 * the final h and c.
 *
 * <p>Semantics are Keras 3's (keras/src/layers/rnn/conv_lstm.py, conv_lstm1d.py and rnn.py): its
 * defaults; time may be None, the spatial steps and channels must be known. A
 * (batch, time) mask keeps the states at masked steps and repeats the previous output there (zeros
 * before the first real step; zeros with zero_output_for_mask); go_backwards processes the steps
 * and the mask from the end and returns the outputs in processing order; the mask passes on with
 * return_sequences. dropout and recurrent_dropout are clamped to [0, 1] as Keras does and act in
 * training only, when strictly between 0 and 1: four masks each (one per gate), over the whole
 * input step {@code (batch, steps, channels)} and over h, scaled by {@code 1 / (1 − rate)} and fixed
 * for the sequence — Keras's masks, drawn from the call's random stream rather than TensorFlow's. A
 * stateful layer starts each call from the previous call's final states and needs the same batch
 * size until {@link #resetStates()}; it is not safe to call from several threads. Zero time steps
 * give the initial states, as this library's LSTM does (Keras fails there). Computed on generic
 * autograd ops ({@link ConvLstmSequence}).
 */
public final class ConvLSTM1D extends Layer implements GateOptions<ConvLSTM1D> {
    private final int filters;
    private final int kernelSize;
    private int strides = 1;
    private String padding = "valid";
    private int dilationRate = 1;
    private Activation activation = Activation.TANH;
    private Activation recurrentActivation = Activation.SIGMOID;
    private boolean useBias = true;
    private boolean unitForgetBias = true;
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
    private int outSteps;
    /** The computation, made when built; it holds a stateful layer's states. */
    private ConvLstmSequence sequence;

    /**
     * {@code filters} output channels per state, convolution windows of {@code kernelSize} steps.
     *
     * @throws IllegalArgumentException for a size below 1, naming the layer
     */
    public ConvLSTM1D(int filters, int kernelSize) {
        super("conv_lstm1d");
        this.filters = Windows.positive(where(), "filters", filters);
        this.kernelSize = Windows.positive(where(), "kernel_size", kernelSize);
    }

    @Override
    public ConvLSTM1D named(String newName) {
        super.named(newName);
        return this;
    }

    // ---- the convolution's options ----

    /**
     * Keras's strides of the input convolution (the recurrent one always has stride 1).
     *
     * @throws IllegalArgumentException below 1, or above 1 with a dilation rate above 1 (as Keras)
     */
    public ConvLSTM1D strides(int s) {
        requireNotBuilt("strides");
        Windows.positive(where(), "strides", s);
        Windows.requireStridesOrDilation(where(), s, dilationRate);
        this.strides = s;
        return this;
    }

    /**
     * Keras's padding of the input convolution, "valid" or "same" in any case (the recurrent one
     * is always "same").
     *
     * @throws IllegalArgumentException for another value ("causal" too, as Keras's ConvLSTM refuses it)
     */
    public ConvLSTM1D padding(String p) {
        requireNotBuilt("padding");
        this.padding = Windows.padding(where(), p, false);
        return this;
    }

    /**
     * Keras's dilation_rate of the input convolution (the recurrent one has none).
     *
     * @throws IllegalArgumentException below 1, or above 1 with strides above 1 (as Keras)
     */
    public ConvLSTM1D dilationRate(int d) {
        requireNotBuilt("dilation_rate");
        Windows.positive(where(), "dilation_rate", d);
        Windows.requireStridesOrDilation(where(), strides, d);
        this.dilationRate = d;
        return this;
    }

    // ---- the LSTM's options (Keras's argument names in the messages) ----

    /** Keras's activation (σ above: the candidate and the output of c); tanh by default. */
    @Override
    public ConvLSTM1D activation(Activation a) {
        requireNotBuilt("activation");
        this.activation = Objects.requireNonNull(a, "activation");
        return this;
    }

    /** Keras's activation by name ("tanh", "relu", ...); an unknown name is refused naming this layer. */
    public ConvLSTM1D activation(String kerasName) {
        return activation(Activations.named(kerasName, name()));
    }

    /** Keras's recurrent_activation (σr above: the gates i, f, o); sigmoid by default. */
    public ConvLSTM1D recurrentActivation(Activation a) {
        requireNotBuilt("recurrent_activation");
        this.recurrentActivation = Objects.requireNonNull(a, "recurrent_activation");
        return this;
    }

    /** Keras's recurrent_activation by name ("sigmoid", ...); an unknown name is refused naming this layer. */
    public ConvLSTM1D recurrentActivation(String kerasName) {
        return recurrentActivation(Activations.named(kerasName, name()));
    }

    /** Keras's use_bias: whether the bias of 4·filters is added; true by default. */
    @Override
    public ConvLSTM1D useBias(boolean on) {
        requireNotBuilt("use_bias");
        this.useBias = on;
        return this;
    }

    /** Keras's unit_forget_bias: the bias's forget block starts at 1, the rest from bias_initializer; on by default. */
    public ConvLSTM1D unitForgetBias(boolean on) {
        requireNotBuilt("unit_forget_bias");
        this.unitForgetBias = on;
        return this;
    }

    /** Keras's kernel_initializer; glorot_uniform by default. */
    @Override
    public ConvLSTM1D kernelInitializer(Initializer i) {
        requireNotBuilt("kernel_initializer");
        this.kernelInitializer = Objects.requireNonNull(i, "kernel_initializer");
        return this;
    }

    /** Keras's recurrent_initializer; orthogonal by default. */
    @Override
    public ConvLSTM1D recurrentInitializer(Initializer i) {
        requireNotBuilt("recurrent_initializer");
        this.recurrentInitializer = Objects.requireNonNull(i, "recurrent_initializer");
        return this;
    }

    /** Keras's bias_initializer; zeros by default (unit_forget_bias applies on top of it). */
    @Override
    public ConvLSTM1D biasInitializer(Initializer i) {
        requireNotBuilt("bias_initializer");
        this.biasInitializer = Objects.requireNonNull(i, "bias_initializer");
        return this;
    }

    /** A regularizer of the kernel, or null for none. */
    @Override
    public ConvLSTM1D kernelRegularizer(Regularizer r) {
        requireNotBuilt("kernel_regularizer");
        this.kernelRegularizer = r;
        return this;
    }

    /** A regularizer of the recurrent kernel, or null for none. */
    @Override
    public ConvLSTM1D recurrentRegularizer(Regularizer r) {
        requireNotBuilt("recurrent_regularizer");
        this.recurrentRegularizer = r;
        return this;
    }

    /** A regularizer of the bias, or null for none. */
    @Override
    public ConvLSTM1D biasRegularizer(Regularizer r) {
        requireNotBuilt("bias_regularizer");
        this.biasRegularizer = r;
        return this;
    }

    /** A constraint on the kernel, or null for none. */
    @Override
    public ConvLSTM1D kernelConstraint(Constraint c) {
        requireNotBuilt("kernel_constraint");
        this.kernelConstraint = c;
        return this;
    }

    /** A constraint on the recurrent kernel, or null for none. */
    @Override
    public ConvLSTM1D recurrentConstraint(Constraint c) {
        requireNotBuilt("recurrent_constraint");
        this.recurrentConstraint = c;
        return this;
    }

    /** A constraint on the bias, or null for none. */
    @Override
    public ConvLSTM1D biasConstraint(Constraint c) {
        requireNotBuilt("bias_constraint");
        this.biasConstraint = c;
        return this;
    }

    /**
     * Keras's dropout: the fraction of the input dropped in training, by four masks (one per gate)
     * fixed over the time steps. Clamped to [0, 1] as Keras does; 0 and 1 drop nothing (Keras
     * applies it only strictly between).
     *
     * @throws IllegalArgumentException for NaN
     */
    @Override
    public ConvLSTM1D dropout(double rate) {
        requireNotBuilt("dropout");
        this.dropout = clamped("dropout", rate);
        return this;
    }

    /** Keras's recurrent_dropout: as {@link #dropout(double)}, on h before its recurrent convolution. */
    @Override
    public ConvLSTM1D recurrentDropout(double rate) {
        requireNotBuilt("recurrent_dropout");
        this.recurrentDropout = clamped("recurrent_dropout", rate);
        return this;
    }

    /** The float32 rate kept, clamped as Keras clamps the number it was given. */
    private float clamped(String option, double rate) {
        if (Double.isNaN(rate)) {
            throw new IllegalArgumentException(where() + ": " + option + " must be a number in [0, 1], got NaN");
        }
        return (float) Math.min(1.0, Math.max(0.0, rate));
    }

    /** Keras's return_sequences: output every step's h (batch, time, new_steps, filters), not only the last. */
    public ConvLSTM1D returnSequences(boolean on) {
        requireNotBuilt("return_sequences");
        this.returnSequences = on;
        return this;
    }

    /** Keras's return_state: the final h and c follow the output. */
    public ConvLSTM1D returnState(boolean on) {
        requireNotBuilt("return_state");
        this.returnState = on;
        return this;
    }

    /** Keras's go_backwards: process the time steps (and the mask) from the last. */
    public ConvLSTM1D goBackwards(boolean on) {
        requireNotBuilt("go_backwards");
        this.goBackwards = on;
        return this;
    }

    /** Keras's stateful: each call starts from the previous call's final states. */
    public ConvLSTM1D stateful(boolean on) {
        requireNotBuilt("stateful");
        this.stateful = on;
        return this;
    }

    /** Keras's zero_output_for_mask (an RNN option): masked steps output zeros instead of the previous output. */
    public ConvLSTM1D zeroOutputForMask(boolean on) {
        requireNotBuilt("zero_output_for_mask");
        this.zeroOutputForMask = on;
        return this;
    }

    // ---- what the options are ----

    /** The number of filters of each state (Keras's filters). */
    public int filters() {
        return filters;
    }

    /** The convolution window in steps (Keras's kernel_size). */
    public int kernelSize() {
        return kernelSize;
    }

    /** The input convolution's strides. */
    public int strides() {
        return strides;
    }

    /** The input convolution's padding, "valid" or "same". */
    public String padding() {
        return padding;
    }

    /** The input convolution's dilation rate. */
    public int dilationRate() {
        return dilationRate;
    }

    /** The activation (Keras's activation: the candidate and the output of c). */
    public Activation activation() {
        return activation;
    }

    /** The gates' activation (Keras's recurrent_activation). */
    public Activation recurrentActivation() {
        return recurrentActivation;
    }

    /** Whether a bias is added (Keras's use_bias). */
    public boolean useBias() {
        return useBias;
    }

    /** Whether the forget block of the bias starts at 1 (Keras's unit_forget_bias). */
    public boolean unitForgetBias() {
        return unitForgetBias;
    }

    /** The kernel's initializer (Keras's kernel_initializer). */
    public Initializer kernelInitializer() {
        return kernelInitializer;
    }

    /** The recurrent kernel's initializer (Keras's recurrent_initializer). */
    public Initializer recurrentInitializer() {
        return recurrentInitializer;
    }

    /** The bias initializer as configured (unit_forget_bias applies on top of it). */
    public Initializer biasInitializer() {
        return biasInitializer;
    }

    /** The kernel regularizer, or null. */
    public Regularizer kernelRegularizer() {
        return kernelRegularizer;
    }

    /** The recurrent kernel regularizer, or null. */
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

    /** The recurrent kernel constraint, or null. */
    public Constraint recurrentConstraint() {
        return recurrentConstraint;
    }

    /** The bias constraint, or null. */
    public Constraint biasConstraint() {
        return biasConstraint;
    }

    /** The input dropout rate, clamped to [0, 1]. */
    public float dropout() {
        return dropout;
    }

    /** The recurrent dropout rate, clamped to [0, 1]. */
    public float recurrentDropout() {
        return recurrentDropout;
    }

    /** Whether every step's output is returned (Keras's return_sequences). */
    public boolean returnSequences() {
        return returnSequences;
    }

    /** Whether the final h and c follow the output (Keras's return_state). */
    public boolean returnState() {
        return returnState;
    }

    /** Whether the time steps are processed from the last (Keras's go_backwards). */
    public boolean goBackwards() {
        return goBackwards;
    }

    /** Whether each call starts from the previous call's final states (Keras's stateful). */
    public boolean stateful() {
        return stateful;
    }

    /** Whether masked steps output zeros (Keras's zero_output_for_mask). */
    public boolean zeroOutputForMask() {
        return zeroOutputForMask;
    }

    /** The shape of each state, h and c, without the batch: {@code (new_steps, filters)}. */
    public Shape stateShape() {
        requireBuilt();
        return state();
    }

    private Shape state() {
        return Shape.of(outSteps, filters);
    }

    // ---- build and shapes ----

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        requireRank(in, 3, "(batch, time, steps, channels)");
        requireKnown(in, 1, "(its spatial steps: Keras's ConvLSTM layers only support static input shapes for "
                + "the spatial dimension)");
        requireKnown(in, 2, "to size its kernel");
        Windows windows = new Windows(where(), kernelSize, strides, dilationRate, padding, Windows.Outside.EXTRA_ROW);
        outSteps = windows.checkedOutSteps(in.dim(1));
        int f4 = 4 * filters;
        Weight kernel = addWeight("kernel", Shape.of(kernelSize, in.dim(2), f4), kernelInitializer, random,
                kernelRegularizer, kernelConstraint, true);
        Weight recurrentKernel = addWeight("recurrent_kernel", Shape.of(kernelSize, filters, f4),
                recurrentInitializer, random, recurrentRegularizer, recurrentConstraint, true);
        Weight bias = null;
        if (useBias) {
            Initializer b = unitForgetBias ? LSTM.unitForgetBias(biasInitializer, filters) : biasInitializer;
            bias = addWeight("bias", Shape.of(f4), b, random, biasRegularizer, biasConstraint, true);
        }
        sequence = new ConvLstmSequence(this, windows, outSteps, kernel, recurrentKernel, bias);
        return outputShapeFor(in);
    }

    /** Any number of time steps of the spatial steps and channels it was built for. */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape(), 1, 2);
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        return returnSequences ? Shape.withUnknown(in.dim(0), outSteps, filters) : Shape.of(outSteps, filters);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        return run(x, mask, null, ctx).output();
    }

    /** The incoming mask with return_sequences, else none (Keras's RNN.compute_mask). */
    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return returnSequences ? mask : null;
    }

    // ---- the functional API: inputs (x, h, c), outputs (output, h, c with return_state) ----

    /** Applies the layer to a sequence with {@code initial_state} [h, c], each {@code (batch, new_steps, filters)}. */
    public SymbolicTensor apply(Symbolic x, List<? extends Symbolic> initialState) {
        return apply(States.withInputs(x, initialState));
    }

    /** As {@link #apply(Symbolic, List)}, returning every output (the final h and c too with return_state). */
    public List<SymbolicTensor> applyAll(Symbolic x, List<? extends Symbolic> initialState) {
        return applyAll(States.withInputs(x, initialState));
    }

    @Override
    protected Shape build(List<Shape> shapes, RandomGenerator random) {
        Shape out = build(shapes.get(0), random);
        checkStateShapes(shapes.subList(1, shapes.size()));
        return out;
    }

    @Override
    protected List<Shape> outputShapes(List<Shape> shapes) {
        checkStateShapes(shapes.subList(1, shapes.size()));
        checkAccepted(shapes.get(0));
        List<Shape> out = new ArrayList<>(List.of(outputShapeFor(shapes.get(0))));
        if (returnState) {
            out.add(state());
            out.add(state());
        }
        return out;
    }

    /** Symbolic initial states: none, or h and c of {@code (new_steps, filters)}. */
    private void checkStateShapes(List<Shape> given) {
        if (!given.isEmpty()) {
            ConvLstmSequence.checkStates(this, given, state(), Layer::batchless);
        }
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
        List<Tensor> out = new ArrayList<>();
        out.add(returnSequences ? masks.get(0) : null);
        if (returnState) {
            out.add(null);
            out.add(null);
        }
        return out;
    }

    /**
     * Runs the layer (Keras's call with {@code initial_state}): the output as return_sequences says,
     * the final h and c whatever return_state says.
     *
     * @param mask         (batch, time) of 0/1, or null
     * @param initialState h and c, each {@code (batch, new_steps, filters)}, or null for zeros (a
     *                     stateful layer's carried states)
     * @throws IllegalArgumentException naming this layer: a wrong input, mask or state shape, or a
     *                                  stateful layer fed another batch size
     */
    public RnnOutput run(Variable x, Tensor mask, List<Variable> initialState, CallContext ctx) {
        requireBuilt();
        checkInput(x.shape());
        return sequence.run(x, mask, initialState, ctx);
    }

    /** Zeroes the states of a stateful layer (Keras's reset_states); the batch size stays fixed. */
    public void resetStates() {
        if (!stateful) {
            throw new IllegalStateException(where() + ": resetStates() needs a stateful layer");
        }
        if (sequence != null) {
            sequence.resetStates();
        }
    }

    /** The current states of a stateful layer (h, c), or an empty list before the first call. */
    public List<Tensor> states() {
        return sequence == null ? List.of() : sequence.states();
    }

    /** A stateful layer's batch size once it has states, else 0 (any). */
    @Override
    public int fixedBatchSize() {
        return sequence == null ? 0 : sequence.fixedBatchSize();
    }
}
