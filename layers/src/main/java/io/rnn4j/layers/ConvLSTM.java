package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Keras's ConvLSTM (keras/src/layers/rnn/conv_lstm.py): an LSTM whose input and recurrent
 * transformations are convolutions over {@code rank} spatial axes — {@link ConvLSTM1D},
 * {@link ConvLSTM2D}, {@link ConvLSTM3D} — on inputs {@code (batch, time, spatial..., channels)}
 * (data_format "channels_last", the default) or {@code (batch, time, channels, spatial...)}
 * ("channels_first"). At each time step, with Keras's convolution (a cross-correlation):
 * <pre>
 * z = conv(x_t, kernel; strides, padding, dilation_rate) + bias + conv(h, recurrent_kernel; stride 1, "same")
 * i = σr(z_i)  f = σr(z_f)  g = σ(z_c)  o = σr(z_o)      (gate blocks i, f, c, o of the last axis)
 * c' = f·c + i·g   h' = o·σ(c')
 * </pre>
 * where σ is {@code activation} (tanh) and σr {@code recurrent_activation} (sigmoid). Weights:
 * kernel {@code (kernel_size..., channels, 4·filters)}, recurrent_kernel {@code (kernel_size...,
 * filters, 4·filters)}, bias {@code (4·filters)}, whatever the data_format (as Keras's). The states
 * h and c are {@code (batch, new_spatial..., filters)} ({@code (batch, filters, new_spatial...)}
 * with channels_first, as the output and initial_state), each new axis as a convolution of these strides, padding ("valid" or
 * "same": Keras's ConvLSTM refuses "causal") and dilation gives it; zeros unless given
 * ({@code initial_state}) or carried (stateful). The output is the last h, or every step's with
 * return_sequences; return_state adds the final h and c.
 *
 * <p>Semantics are Keras 3's (conv_lstm.py and rnn.py): its defaults; time may be None, the
 * spatial axes and channels must be known. A (batch, time) mask keeps the states at masked steps
 * and repeats the previous output there (zeros before the first real step; zeros with
 * zero_output_for_mask); go_backwards processes the steps and the mask from the end and returns the
 * outputs in processing order; the mask passes on with return_sequences. dropout and
 * recurrent_dropout are clamped to [0, 1] as Keras does and act in training only, when strictly
 * between 0 and 1: four masks each (one per gate), over the whole input step {@code (batch,
 * spatial..., channels)} and over h, scaled by {@code 1 / (1 − rate)} and fixed for the sequence —
 * Keras's masks, drawn from the call's random stream rather than the backend's. A stateful layer
 * starts each call from the previous call's final states and needs the same batch size until
 * {@link #resetStates()}; it is not safe to call from several threads. Zero time steps give the
 * initial states, as this library's LSTM does (Keras fails there). Computed on generic autograd ops
 * ({@link ConvLstmSequence}) in channels_last; channels_first moves the channels axis of the input
 * and initial states there and of the output and states back (gathers, with their gradients).
 *
 * @param <L> the layer's own type, returned by the options for chaining
 */
public abstract sealed class ConvLSTM<L extends ConvLSTM<L>> extends ConvLstmOptions<L> implements RecurrentLayer
        permits ConvLSTM1D, ConvLSTM2D, ConvLSTM3D {
    private final int rank;
    private final int filters;
    private final int[] kernelSize;
    private int[] strides;
    private String padding = "valid";
    private int[] dilationRate;
    private int[] outDims;
    /** channels_first's moves: the states' channels axis; null for channels_last. */
    private ChannelsFirst channelsFirst;
    /** channels_first's moves of a sequence's channels axis (time stays axis 1). */
    private Permute sequenceToLast;
    private Permute sequenceToFirst;
    /** The computation, made when built; it holds a stateful layer's states. */
    private ConvLstmSequence sequence;

    /**
     * @param rank       the number of spatial axes (Keras's rank)
     * @param kernelSize one size for every axis, or one per axis
     * @throws IllegalArgumentException for a size below 1 or another count of sizes, naming the layer
     */
    ConvLSTM(String kerasPrefix, int rank, int filters, int... kernelSize) {
        super(kerasPrefix);
        this.rank = rank;
        this.filters = Windows.positive(where(), "filters", filters);
        this.kernelSize = tuple("kernel_size", kernelSize);
        this.strides = tuple("strides", 1);
        this.dilationRate = tuple("dilation_rate", 1);
    }

    /** Keras's standardize_tuple: one value for every axis or one per axis, each >= 1. */
    private int[] tuple(String option, int... values) {
        if (values == null || (values.length != 1 && values.length != rank)) {
            throw new IllegalArgumentException(where() + ": " + option + " must hold 1" + (rank > 1 ? " or " + rank
                    : "") + " integer" + (rank > 1 ? "s" : "") + ", got " + (values == null ? "null"
                    : Arrays.toString(values)));
        }
        int[] t = new int[rank];
        for (int a = 0; a < rank; a++) {
            t[a] = Windows.positive(where(), option, values[values.length == 1 ? 0 : a]);
        }
        return t;
    }

    // ---- the convolution's options ----

    /**
     * Keras's strides of the input convolution (the recurrent one always has stride 1): one value
     * for every spatial axis, or one per axis.
     *
     * @throws IllegalArgumentException below 1, another count of values, or above 1 with a dilation
     *                                  rate above 1 (as Keras)
     */
    public L strides(int... s) {
        requireNotBuilt("strides");
        int[] t = tuple("strides", s);
        requireStridesOrDilation(t, dilationRate);
        this.strides = t;
        return self();
    }

    /**
     * Keras's padding of the input convolution, "valid" or "same" in any case (the recurrent one
     * is always "same").
     *
     * @throws IllegalArgumentException for another value ("causal" too, as Keras's ConvLSTM refuses it)
     */
    public L padding(String p) {
        requireNotBuilt("padding");
        this.padding = Windows.padding(where(), p, false);
        return self();
    }

    /**
     * Keras's dilation_rate of the input convolution (the recurrent one has none): one value for
     * every spatial axis, or one per axis.
     *
     * @throws IllegalArgumentException below 1, another count of values, or above 1 with strides
     *                                  above 1 (as Keras)
     */
    public L dilationRate(int... d) {
        requireNotBuilt("dilation_rate");
        int[] t = tuple("dilation_rate", d);
        requireStridesOrDilation(strides, t);
        this.dilationRate = t;
        return self();
    }

    /**
     * Keras's data_format, any case: "channels_last" ({@code (batch, time, spatial..., channels)};
     * null too, Keras's default) or "channels_first" ({@code (batch, time, channels, spatial...)},
     * the output, initial_state and returned states with their channels (filters) before the
     * spatial axes). The weights' shapes do not depend on it (as Keras's).
     *
     * @throws IllegalArgumentException for another value, naming this layer
     */
    public L dataFormat(String format) {
        requireNotBuilt("data_format");
        this.channelsFirst = ChannelsFirst.of(where(), name(), format, rank);
        if (channelsFirst == null) {
            sequenceToLast = sequenceToFirst = null;
        } else {
            // 1-based sample axes: time 1, channels 2, spatial 3..rank+2.
            int[] last = new int[rank + 2];
            int[] first = new int[rank + 2];
            last[0] = first[0] = 1;
            first[1] = rank + 2;
            for (int a = 0; a < rank; a++) {
                last[a + 1] = a + 3;
                first[a + 2] = a + 2;
            }
            last[rank + 1] = 2;
            sequenceToLast = Permute.inside(name(), last);
            sequenceToFirst = Permute.inside(name(), first);
        }
        return self();
    }

    /** "channels_last" (the default) or "channels_first". */
    public final String dataFormat() {
        return ChannelsFirst.format(channelsFirst);
    }

    /** Keras's ConvLSTMCell check: any stride above 1 with any dilation above 1 is refused. */
    private void requireStridesOrDilation(int[] s, int[] d) {
        if (Arrays.stream(s).max().orElse(1) > 1 && Arrays.stream(d).max().orElse(1) > 1) {
            throw new IllegalArgumentException(where() + ": strides > 1 is not supported together with "
                    + "dilation_rate > 1 (as in Keras), got strides=" + shown(s) + " and dilation_rate=" + shown(d));
        }
    }

    /** A size as Keras's messages show it: the number for one axis, else the tuple. */
    private String shown(int[] values) {
        return rank == 1 ? String.valueOf(values[0]) : GridWindows.tuple(values);
    }

    // ---- what the options are ----

    /** The number of spatial axes of the convolutions (Keras's rank). */
    public final int rank() {
        return rank;
    }

    /** The number of filters of each state (Keras's filters). */
    public final int filters() {
        return filters;
    }

    /** The input convolution's padding, "valid" or "same". */
    public final String padding() {
        return padding;
    }

    /** The window's size per spatial axis. */
    final int[] kernelDims() {
        return kernelSize.clone();
    }

    /** The input convolution's strides per spatial axis. */
    final int[] strideDims() {
        return strides.clone();
    }

    /** The input convolution's dilation rate per spatial axis. */
    final int[] dilationDims() {
        return dilationRate.clone();
    }

    /**
     * The shape of each state, h and c, without the batch: {@code (new_spatial..., filters)}, or
     * {@code (filters, new_spatial...)} with channels_first.
     */
    public Shape stateShape() {
        requireBuilt();
        return state();
    }

    /** The state's sample shape in this layer's data_format. */
    private Shape state() {
        Shape last = lastState();
        return channelsFirst == null ? last : ChannelsFirst.toFirst(last);
    }

    /** The state's sample shape in channels_last, as the computation holds it. */
    private Shape lastState() {
        int[] d = Arrays.copyOf(outDims, rank + 1);
        d[rank] = filters;
        return Shape.of(d);
    }

    /**
     * The sample shapes of h and c for a sample input {@code in}, built or not: Bidirectional checks
     * its initial states against them before building either direction.
     *
     * @throws IllegalArgumentException naming this layer for an input it cannot take
     */
    final List<Shape> stateShapesFor(Shape in) {
        int[] d = Arrays.copyOf(convolutions(spatialDims(in)).outDims(), rank + 1);
        d[rank] = filters;
        Shape s = channelsFirst == null ? Shape.of(d) : ChannelsFirst.toFirst(Shape.of(d));
        return List.of(s, s);
    }

    /** The spatial sizes of a sample input, checked to be of this rank with known spatial axes and channels. */
    private int[] spatialDims(Shape in) {
        requireRank(in, rank + 2, inputLayout());
        int spatialFrom = channelsFirst == null ? 1 : 2;
        for (int a = spatialFrom; a < spatialFrom + rank; a++) {
            requireKnown(in, a, "(its spatial " + (rank == 1 ? "steps" : "axes") + ": Keras's ConvLSTM layers only "
                    + "support static input shapes for the spatial dimension)");
        }
        requireKnown(in, channelAxis(), "to size its kernel");
        return Arrays.copyOfRange(in.dims(), spatialFrom, spatialFrom + rank);
    }

    /** The channels axis of a sample input (time is axis 0). */
    private int channelAxis() {
        return channelsFirst == null ? rank + 1 : 1;
    }

    /** The channels_last input's axes for messages: "(batch, time, steps, channels)" for rank 1. */
    abstract String inputAxes();

    /** The state's spatial axes for messages: "new_steps" for rank 1. */
    abstract String stateAxes();

    /** The input's axes in this layer's data_format, for messages. */
    private String inputLayout() {
        String last = inputAxes();
        return channelsFirst == null ? last
                : last.replace(", channels)", ")").replace("(batch, time, ", "(batch, time, channels, ");
    }

    /** A state's axes in this layer's data_format, for messages: "(batch, new_steps, filters)" for rank 1. */
    final String stateLayout() {
        return channelsFirst == null ? "(batch, " + stateAxes() + ", filters)" : "(batch, filters, " + stateAxes() + ")";
    }

    /**
     * The two convolutions for an input of spatial shape {@code spatial} (known sizes), with this
     * layer's options.
     *
     * @throws IllegalArgumentException naming this layer when the input gives no output
     */
    abstract ConvLstmSequence.Convolutions convolutions(int[] spatial);

    /**
     * Both convolutions as {@link GridWindows}' im2col: the input one with this layer's strides,
     * padding and dilation, the recurrent one at stride 1, "same", no dilation (Keras's
     * ConvLSTMCell.recurrent_conv).
     */
    final ConvLstmSequence.Convolutions gridConvolutions(int[] spatial) {
        GridWindows input = new GridWindows(where(), spatial, kernelSize, strides, dilationRate, padding);
        int[] ones = new int[rank];
        Arrays.fill(ones, 1);
        return new GridConvolutions(input, new GridWindows(where(), input.output(), kernelSize, ones, ones, "same"));
    }

    private record GridConvolutions(GridWindows input, GridWindows recurrent) implements ConvLstmSequence.Convolutions {
        @Override
        public int[] outDims() {
            return input.output();
        }

        @Override
        public Variable input(Variable x, Variable kernel) {
            return input.convolve(x, kernel);
        }

        @Override
        public Variable recurrent(Variable h, Variable kernel) {
            return recurrent.convolve(h, kernel);
        }
    }

    // ---- build and shapes ----

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        ConvLstmSequence.Convolutions convolutions = convolutions(spatialDims(in));
        outDims = convolutions.outDims();
        int f4 = 4 * filters;
        int[] kernelShape = Arrays.copyOf(kernelSize, rank + 2);
        kernelShape[rank] = in.dim(channelAxis());
        kernelShape[rank + 1] = f4;
        int[] recurrentShape = kernelShape.clone();
        recurrentShape[rank] = filters;
        Weight kernel = addWeight("kernel", Shape.of(kernelShape), kernelInitializer(), random, kernelRegularizer(),
                kernelConstraint(), true);
        Weight recurrentKernel = addWeight("recurrent_kernel", Shape.of(recurrentShape), recurrentInitializer(), random,
                recurrentRegularizer(), recurrentConstraint(), true);
        Weight bias = null;
        if (useBias()) {
            Initializer b = unitForgetBias() ? LSTM.unitForgetBias(biasInitializer(), filters) : biasInitializer();
            bias = addWeight("bias", Shape.of(f4), b, random, biasRegularizer(), biasConstraint(), true);
        }
        sequence = new ConvLstmSequence(this, convolutions, kernel, recurrentKernel, bias);
        return outputShapeFor(in);
    }

    /** Any number of time steps of the spatial shape and channels it was built for. */
    @Override
    protected Shape acceptedShape() {
        int[] kept = new int[rank + 1];
        Arrays.setAll(kept, a -> a + 1);
        return keepingOnly(inputShape(), kept);
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        if (!returnSequences()) {
            return state();
        }
        int[] d = new int[rank + 2];
        d[0] = in.dim(0);
        System.arraycopy(state().dims(), 0, d, 1, rank + 1);
        return Shape.withUnknown(d);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        return run(x, mask, null, ctx).output();
    }

    /** The incoming mask with return_sequences, else none (Keras's RNN.compute_mask). */
    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return returnSequences() ? mask : null;
    }

    // ---- the functional API: inputs (x, h, c), outputs (output, h, c with return_state) ----

    /**
     * Applies the layer to a sequence with {@code initial_state} [h, c], each {@code (batch,
     * new_spatial..., filters)} ({@code (batch, filters, new_spatial...)} with channels_first).
     */
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
        if (returnState()) {
            out.add(state());
            out.add(state());
        }
        return out;
    }

    /** Symbolic initial states: none, or h and c of {@link #stateShape()}. */
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
        if (returnState()) {
            out.addAll(o.states());
        }
        return out;
    }

    @Override
    public List<Tensor> computeMasks(List<Variable> inputs, List<Tensor> masks) {
        List<Tensor> out = new ArrayList<>();
        out.add(returnSequences() ? masks.get(0) : null);
        if (returnState()) {
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
     * @param initialState h and c, each {@code (batch, new_spatial..., filters)} ({@code (batch,
     *                     filters, new_spatial...)} with channels_first), or null for zeros (a
     *                     stateful layer's carried states)
     * @throws IllegalArgumentException naming this layer: a wrong input, mask or state shape, or a
     *                                  stateful() layer fed another batch size
     */
    public RnnOutput run(Variable x, Tensor mask, List<Variable> initialState, CallContext ctx) {
        requireBuilt();
        checkInput(x.shape());
        if (channelsFirst == null) {
            return sequence.run(x, mask, initialState, ctx);
        }
        List<Variable> init = null;
        if (initialState != null) {
            int[] d = new int[rank + 2];
            d[0] = x.dim(0);
            System.arraycopy(state().dims(), 0, d, 1, rank + 1);
            Shape expected = Shape.of(d);
            ConvLstmSequence.checkStates(this, initialState.stream().map(v -> v == null ? null : v.shape()).toList(),
                    expected, Shape::toString);
            init = initialState.stream().map(channelsFirst::toLast).toList();
        }
        RnnOutput o = sequence.run(sequenceToLast.forward(x, null, null), mask, init, ctx);
        Variable y = returnSequences() ? sequenceToFirst.forward(o.output(), null, null)
                : channelsFirst.toFirst(o.output());
        return new RnnOutput(y, o.states().stream().map(channelsFirst::toFirst).toList());
    }

    /**
     * The number of filters of each state, h and c (their channels; {@link #stateShapes()} gives
     * their whole shapes).
     */
    @Override
    public int[] stateSizes() {
        return new int[] {filters, filters};
    }

    /** The sample shapes of h and c in this layer's data_format, once built. */
    @Override
    public List<Shape> stateShapes() {
        requireBuilt();
        return List.of(state(), state());
    }

    /**
     * An unbuilt copy of this layer's configuration named {@code newName}, going backwards as asked
     * (Bidirectional's other direction).
     */
    @Override
    @SuppressWarnings("unchecked")
    public L copy(String newName, boolean backwards) {
        ConvLSTM<?> c = switch (this) {
            case ConvLSTM1D one -> new ConvLSTM1D(filters, kernelSize[0]);
            case ConvLSTM2D two -> new ConvLSTM2D(filters, kernelSize);
            case ConvLSTM3D three -> new ConvLSTM3D(filters, kernelSize);
        };
        c.named(newName);
        c.strides = strides.clone();
        c.padding = padding;
        c.dilationRate = dilationRate.clone();
        c.dataFormat(dataFormat());
        copyOptionsTo(c, backwards);
        c.trainable(trainable());
        return (L) c;
    }

    /** Zeroes the states of a stateful layer (Keras's reset_states); the batch size stays fixed. */
    public void resetStates() {
        if (!stateful()) {
            throw new IllegalStateException(where() + ": resetStates() needs a stateful layer");
        }
        if (sequence != null) {
            sequence.resetStates();
        }
    }

    /** The current states of a stateful layer (h, c) in this layer's data_format, or an empty list before the first call. */
    public List<Tensor> states() {
        List<Tensor> s = sequence == null ? List.of() : sequence.states();
        return channelsFirst == null ? s
                : s.stream().map(t -> channelsFirst.toFirst(Variable.constant(t)).value()).toList();
    }

    /** A stateful() layer's batch size once it has states, else 0 (any). */
    @Override
    public int fixedBatchSize() {
        return sequence == null ? 0 : sequence.fixedBatchSize();
    }
}
