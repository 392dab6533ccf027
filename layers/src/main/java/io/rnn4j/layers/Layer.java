package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.internal.AutoNames;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A Keras layer: configured in its constructor and fluent setters, built once for an input shape
 * (creating its weights), then called on batches.
 *
 * <p>Shapes here leave out the batch dimension, as Keras's {@code input_shape}. A layer is named
 * as Keras names it ("lstm", "lstm_1", ...). Calling a built layer reads its weights and writes
 * nothing (stateful recurrent layers excepted), so a built model can predict from many threads.
 *
 * <p>Subclasses implement {@link #build(Shape, RandomGenerator)} (create weights with
 * {@link #addWeight}, return the output shape) and {@link #forward}; layers that create or pass on
 * a Keras mask override {@link #computeMask}.
 *
 * <p>In the functional API a layer is {@link #apply applied} to symbolic tensors: the first
 * application builds it (on the default device, weights drawn from {@link Seeds#next()}), each
 * application records a {@link Node}. A layer of several inputs or outputs (merge layers,
 * attention, a recurrent layer given {@code initial_state} or returning its states) overrides the
 * list forms: {@link #build(List, RandomGenerator)}, {@link #outputShapes}, {@link #forwardAll} and
 * {@link #computeMasks}. Applying layers builds a graph and is not thread-safe.
 */
public abstract class Layer {
    private String name;
    private Shape inputShape;
    private List<Shape> inputShapes;
    private Shape outputShape;
    private Shape accepted; // acceptedShape(), made once when built
    private Device device;
    private boolean trainable = true;
    private Regularizer activityRegularizer;
    private final LayerWeights ownWeights = new LayerWeights();
    private final InboundNodes inboundNodes = new InboundNodes(this);
    private final Sublayers sublayers = new Sublayers(this);

    /** @param kerasPrefix the snake_case name Keras gives layers of this class ("simple_rnn") */
    protected Layer(String kerasPrefix) {
        this(kerasPrefix, null);
    }

    /** With an explicit name (none drawn from the counter), or Keras's next name when {@code name} is null. */
    protected Layer(String kerasPrefix, String name) {
        if (name != null) {
            this.name = name;
        } else if (AutoNames.areSuspended()) {
            this.name = kerasPrefix;  // a reader names it from its file next
        } else {
            this.name = AutoNames.next(kerasPrefix);
        }
    }

    public final String name() {
        return name;
    }

    /** Sets the layer's name (before it is built). */
    public Layer named(String newName) {
        requireNotBuilt("name");
        rename(newName);
        return this;
    }

    /** Sets the name whether built or not (models, which are built when made, are renamed so). */
    protected final void rename(String newName) {
        if (newName == null || newName.isBlank()) {
            throw new IllegalArgumentException(name + ": name must not be blank");
        }
        this.name = newName;
    }

    /** Whether training may update this layer's weights (Keras's {@code layer.trainable}); true by default. */
    public final boolean trainable() {
        return trainable;
    }

    /**
     * Freezes ({@code false}) or unfreezes the layer, before or after it is built, as Keras's
     * {@code layer.trainable = ...}: a frozen layer's weights get no gradient and no update, its
     * regularizers add nothing to the loss, and summary counts them as non-trainable. A wrapper
     * (Bidirectional, TimeDistributed) sets the layers it wraps too. Weights created
     * non-trainable (BatchNormalization's moving statistics) stay so.
     */
    public Layer trainable(boolean on) {
        this.trainable = on;
        sublayers.propagateTrainable(trainable);
        return this;
    }

    /** Sets the flag alone, not propagated (an inner layer owning a wrapper's weights: {@link Sublayers}). */
    final void setTrainableFlag(boolean on) {
        this.trainable = on;
    }

    /** The Keras class name shown by summary() ("SimpleRNN", "Dense"). */
    public String className() {
        return getClass().getSimpleName();
    }

    /** "Layer 'name' (Class)": how this layer's messages name it. */
    final String where() {
        return "Layer '" + name + "' (" + className() + ")";
    }

    public final boolean isBuilt() {
        return inputShape != null;
    }

    /** The input shape without the batch dimension (the first input's, for several); null before build. */
    public final Shape inputShape() {
        return inputShape;
    }

    /** The shapes of every input the layer was built for, without the batch dimension; null before build. */
    public final List<Shape> inputShapes() {
        return inputShapes;
    }

    /**
     * The output shape without the batch dimension (the first output's, for several); null before
     * build. A Sequential's follows the layers added after it was built.
     */
    public Shape outputShape() {
        return outputShape;
    }

    /** The device the weights live on; null before build. */
    public final Device device() {
        return device;
    }

    /** Builds on the default device with weights drawn from {@link Seeds#next()}. */
    public final void build(Shape inputShape) {
        build(inputShape, Devices.defaultDevice(), Seeds.next());
    }

    /**
     * Creates the weights for inputs of {@code inputShape} (no batch dimension) on {@code device}.
     *
     * @throws IllegalArgumentException if the shape does not suit the layer, naming the layer
     * @throws IllegalStateException if already built
     */
    public final void build(Shape inputShape, Device device, RandomGenerator random) {
        build(List.of(inputShape), device, random);
    }

    /**
     * Creates the weights for several inputs (a merge layer's, a recurrent layer's sequence and
     * initial states), shapes without the batch dimension.
     *
     * @throws IllegalArgumentException if the shapes do not suit the layer, naming the layer
     * @throws IllegalStateException if already built
     */
    public final void build(List<Shape> shapes, Device device, RandomGenerator random) {
        if (isBuilt()) {
            throw new IllegalStateException(name + ": already built for input " + batchless(this.inputShape));
        }
        if (shapes.isEmpty()) {
            throw new IllegalArgumentException(name + ": build needs at least one input shape");
        }
        List<Shape> copy = List.copyOf(shapes);
        this.device = device;
        Shape out = sublayers.buildOrForget(() -> build(copy, random)); // undone on failure, to be tried again
        this.inputShapes = copy;
        this.inputShape = copy.get(0);
        this.outputShape = out;
        this.accepted = acceptedShape();
        if (!trainable) {
            sublayers.propagateTrainable(false); // a wrapper frozen before its inner layers had weights
        }
    }

    /** Undoes this layer's build: its weights, device and shapes (a failed build of a layer owning it). */
    final void forgetBuild() {
        ownWeights.clear();
        device = null;
        inputShape = null;
        inputShapes = null;
        outputShape = null;
        accepted = null;
    }

    /**
     * Creates the weights for several inputs and returns the (first) output's shape; by default the
     * layer takes exactly one input, given to {@link #build(Shape, RandomGenerator)}.
     */
    protected Shape build(List<Shape> shapes, RandomGenerator random) {
        requireInputCount(shapes.size(), 1, 1);
        return build(shapes.get(0), random);
    }

    /** Creates the weights ({@link #addWeight}) and returns the output shape (no batch dimension). */
    protected abstract Shape build(Shape inputShape, RandomGenerator random);

    /**
     * Adds a weight, initialised now; regularizer, constraint: null for none. Keras's get_weights order
     * lists the weights created trainable first, each group in the order added.
     */
    protected final Weight addWeight(String weightName, Shape shape, Initializer initializer, RandomGenerator random,
            Regularizer regularizer, Constraint constraint, boolean trainable) {
        Tensor value = device.tensor(initializer.sample(shape, random), shape.dims());
        return ownWeights.add(new Weight(this, weightName, value, regularizer, constraint, trainable), trainable);
    }

    /** Adds a non-trainable int64 scalar counter starting at 0 (a Keras variable of dtype "int"). */
    protected final Weight addCounter(String weightName) {
        return ownWeights.add(new Weight(this, weightName, device.zeros(Shape.of()), null, null, false, true), false);
    }

    /**
     * Runs the layer on a batch. Checks that x is {@code (batch,) + inputShape()} first.
     *
     * @param mask Keras's mask (batch, timesteps) of 0/1 coming from the layer before, or null
     * @throws IllegalArgumentException naming this layer, the expected and the given shape
     */
    public final Variable call(Variable x, Tensor mask, CallContext ctx) {
        requireBuilt();
        checkInput(x.shape());
        Variable y = forward(x, mask, ctx);
        ActivityLosses.add(this, List.of(y), ctx);
        return y;
    }

    /**
     * Keras's {@code activity_regularizer} (default none): after each call the penalty of every
     * output, divided by its batch size, is added to the loss fit and evaluate compute, as Keras 3's
     * Layer.__call__ does; e.g. {@code Regularizers.l2(0.01)}, null for none. Not applied inside a
     * TimeDistributed (Keras runs that layer's call, not __call__).
     */
    public Layer activityRegularizer(Regularizer r) {
        this.activityRegularizer = ActivityLosses.accepted(this, r);
        return this;
    }

    /** The activity regularizer, or null. */
    public final Regularizer activityRegularizer() {
        return activityRegularizer;
    }

    /** The computation, on a checked input. */
    protected abstract Variable forward(Variable x, Tensor mask, CallContext ctx);

    /** The mask this layer passes on, given its input and the incoming mask; null by default (mask dropped). */
    public Tensor computeMask(Variable x, Tensor mask) {
        return null;
    }

    /**
     * Checks {@code (batch,) + acceptedShape()}, as Keras's input_spec check does: None takes any
     * size.
     */
    protected void checkInput(Shape given) {
        LayerShapes.checkBatch(this, accepted, given);
    }

    /**
     * The input shape (no batch dimension) this built layer takes, None where any size goes: by
     * default the shape it was built for. A layer whose weights need only some axes (a recurrent
     * layer's features, a Dense's last axis) frees the others, as Keras's input_spec binds only
     * what the weights need: layers trained on 10 timesteps then run in a decoder of one.
     */
    protected Shape acceptedShape() {
        return inputShape;
    }

    /**
     * The output shape (no batch dimension) for an input of {@code input}, which
     * {@link #acceptedShape()} takes; by default the built output's.
     */
    protected Shape outputShapeFor(Shape input) {
        return outputShape();
    }

    /** Checks a symbolic input's shape against {@link #acceptedShape()}, as made when this layer was built. */
    protected final void checkAccepted(Shape given) {
        checkSample(accepted, given);
    }

    /** {@code sample} with every axis None but {@code kept} (negative counts from the end). */
    protected static Shape keepingOnly(Shape sample, int... kept) {
        return LayerShapes.keepingOnly(sample, kept);
    }

    /** Whether a batch of {@code batchShape} is {@code (batch,) + sample}, None in the sample taking any size. */
    public static boolean fits(Shape sample, Shape batchShape) {
        return LayerShapes.fits(sample, batchShape);
    }

    /**
     * Checks a symbolic input's shape (no batch dimension) against {@code expected}: equal where
     * both are known (None matches any size, as in Keras).
     */
    protected final void checkSample(Shape expected, Shape given) {
        LayerShapes.checkSample(this, expected, given);
    }

    /**
     * Refuses an unknown (None) dimension where this layer needs a size to build its weights or
     * its output, naming the axis as Keras's own errors do.
     *
     * @param axis the axis of the sample shape (no batch dimension); negative counts from the end
     * @throws IllegalArgumentException naming this layer, the shape and what needs it
     */
    protected final void requireKnown(Shape sample, int axis, String why) {
        LayerShapes.requireKnown(where(), sample, axis, why);
    }

    /**
     * Refuses a sample shape (no batch dimension) of another rank than {@code rank}, naming this
     * layer and the input it takes, e.g. {@code "(batch, steps, channels)"}.
     */
    final void requireRank(Shape sample, int rank, String expected) {
        LayerShapes.requireRank(where(), sample, rank, expected);
    }

    /**
     * Refuses a number of inputs outside {@code [min, max]}, naming this layer.
     *
     * @throws IllegalArgumentException for a wrong count
     */
    protected final void requireInputCount(int given, int min, int max) {
        LayerShapes.requireInputCount(where(), given, min, max);
    }

    // ---- the functional API ----

    /**
     * Applies this layer to symbolic inputs (an {@link Input} or another layer's output), building it
     * on first use: {@code var h = new LSTM(32).returnSequences(true).apply(in);}.
     *
     * @throws IllegalArgumentException naming this layer: a wrong number or shape of inputs, or a
     *                                  layer with several outputs (use {@link #applyAll})
     */
    public final SymbolicTensor apply(Symbolic... inputs) {
        return InboundNodes.only(this, applyAll(inputs), "applyAll(...)");
    }

    /** Applies this layer to symbolic inputs and returns all its outputs (with return_state, several). */
    public final List<SymbolicTensor> applyAll(Symbolic... inputs) {
        return applyAll(Arrays.asList(inputs));
    }

    /** As {@link #applyAll(Symbolic...)}, with the inputs in a list. */
    public final List<SymbolicTensor> applyAll(List<? extends Symbolic> inputs) {
        return inboundNodes.apply(inputs, null);
    }

    /**
     * Applies this layer to {@code input} with an explicit mask, Keras's {@code layer(x, mask=mask)}:
     * {@code new GRU(16).returnSequences(true).applyWithMask(features, maskInput)}. When the model
     * runs, the layer gets {@code mask}'s values as its Keras mask instead of the one {@code input}
     * carries, and passes on what it computes from them (a GRU with return_sequences passes it to the
     * next layer). The mask is Keras's bool: every value other than 0 counts as 1 (an {@link Input}
     * declared {@code .dtype("bool")} holds it as Keras does). Its sample shape is the input's without
     * the last axes, as Keras's masks are: {@code (timesteps)} for a sequence of {@code (timesteps,
     * features)}. Saved as Keras saves the call ({@code "kwargs": {"mask": ...}}) and loaded back.
     *
     * @throws IllegalArgumentException naming this layer: a mask whose shape does not lead the input's,
     *                                  or any problem {@link #apply} reports
     */
    public final SymbolicTensor applyWithMask(Symbolic input, Symbolic mask) {
        return InboundNodes.only(this, applyAllWithMask(List.of(input), mask), "applyAllWithMask(...)");
    }

    /**
     * As {@link #applyWithMask}, for several inputs (a recurrent layer's initial states after the
     * sequence; the mask is the first input's) or several outputs (return_state).
     */
    public final List<SymbolicTensor> applyAllWithMask(List<? extends Symbolic> inputs, Symbolic mask) {
        return inboundNodes.applyWithMask(inputs, mask);
    }

    /** Records an Input's own node (it has no inputs). */
    final Node addInputNode(Shape shape) {
        return inboundNodes.addInputNode(shape);
    }

    /**
     * The shapes (no batch dimension) of every output of this built layer applied to inputs of
     * {@code shapes}, which it checks; by default one input of {@link #inputShape()} gives
     * {@link #outputShape()}.
     *
     * @throws IllegalArgumentException naming this layer, for inputs it cannot take
     */
    protected List<Shape> outputShapes(List<Shape> shapes) {
        requireInputCount(shapes.size(), 1, 1);
        checkAccepted(shapes.get(0));
        return List.of(outputShapeFor(shapes.get(0)));
    }

    /**
     * The shapes (no batch dimension) of every output of this built layer for inputs of
     * {@code inputShapes}, as Keras's {@code compute_output_shape}: a None the layer maps through
     * stays None, a size given where the layer was built for None comes out as that size.
     *
     * @throws IllegalArgumentException naming this layer, for inputs it cannot take
     * @throws IllegalStateException if not built
     */
    public final List<Shape> computeOutputShapes(List<Shape> inputShapes) {
        requireBuilt();
        return outputShapes(List.copyOf(inputShapes));
    }

    /**
     * Keras's {@code layer.output}: the output of this layer's first application in a functional
     * graph, as Keras's tutorials take a trained layer's tensors to build inference models.
     *
     * @throws IllegalStateException if the layer was never applied, or gives several outputs (use
     *                               {@link #outputs()})
     */
    public final SymbolicTensor output() {
        List<SymbolicTensor> out = outputs();
        if (out.size() != 1) {
            throw new IllegalStateException(where() + " gives " + out.size() + " outputs; use outputs()");
        }
        return out.get(0);
    }

    /**
     * Every output of this layer's first application in a functional graph (Keras's
     * {@code layer.output} of a layer of several outputs; a model's own outputs for a model).
     *
     * @throws IllegalStateException if the layer was never applied
     */
    public List<SymbolicTensor> outputs() {
        return inboundNodes.firstOutputs();
    }

    /** The applications of this layer in functional graphs, in order (Keras's inbound nodes). */
    public final List<Node> inboundNodes() {
        return inboundNodes.asList();
    }

    /**
     * Runs the layer on several inputs (the functional API's call); returns every output.
     *
     * @param masks one Keras mask (or null) per input; null for none at all
     * @throws IllegalArgumentException naming this layer, for inputs it cannot take
     */
    public final List<Variable> callAll(List<Variable> inputs, List<Tensor> masks, CallContext ctx) {
        requireBuilt();
        List<Tensor> m = masks != null ? masks : Collections.nCopies(inputs.size(), null);
        if (m.size() != inputs.size()) {
            throw new IllegalArgumentException(name + ": expected one mask per input (" + inputs.size() + "), got "
                    + m.size());
        }
        List<Variable> out = forwardAll(inputs, m, ctx);
        ActivityLosses.add(this, out, ctx);
        return out;
    }

    /**
     * Runs the layer on several inputs and gives its outputs with their Keras masks — Keras's call
     * and compute_mask together. By default {@link #computeMasks} then {@link #callAll}; a model
     * used as a layer computes both in one pass through its graph.
     *
     * @param masks one Keras mask (or null) per input; null for none at all
     * @throws IllegalArgumentException naming this layer, for inputs it cannot take
     */
    public Outputs callWithMasks(List<Variable> inputs, List<Tensor> masks, CallContext ctx) {
        List<Tensor> m = masks != null ? masks : Collections.nCopies(inputs.size(), null);
        List<Variable> out = callAll(inputs, m, ctx);
        return new Outputs(out, computeMasks(inputs, m));
    }

    /** The computation on several inputs; by default exactly one, run by {@link #call}. */
    protected List<Variable> forwardAll(List<Variable> inputs, List<Tensor> masks, CallContext ctx) {
        requireInputCount(inputs.size(), 1, 1);
        checkInput(inputs.get(0).shape()); // not call(): callAll adds the activity losses once
        return List.of(forward(inputs.get(0), masks.get(0), ctx));
    }

    /**
     * The mask of each output given the inputs and their masks (entries may be null); by default
     * {@link #computeMask} of the one input.
     */
    public List<Tensor> computeMasks(List<Variable> inputs, List<Tensor> masks) {
        return Collections.singletonList(computeMask(inputs.get(0), masks.get(0)));
    }

    /** The weights in Keras's get_weights() order: the layer's own, then its sub-layers' ({@link #addSublayer}). */
    public List<Weight> weights() {
        return sublayers.isEmpty() ? ownWeights.own() : sublayers.withOwn(ownWeights.own());
    }

    /** Keras's {@code trainable_weights}: the {@link #weights()} that training updates, in that order. */
    public final List<Weight> trainableWeights() {
        return weights().stream().filter(Weight::trainable).toList();
    }

    /** Keras's {@code non_trainable_weights}: the {@link #weights()} that training leaves alone, in that order. */
    public final List<Weight> nonTrainableWeights() {
        return weights().stream().filter(w -> !w.trainable()).toList();
    }

    /**
     * Keras's {@code model.losses} after the call that used {@code ctx}: the losses the layers added in
     * that pass ({@code add_loss}, activity regularizers), then the regularization penalty of each
     * {@linkplain #trainableWeights() trainable weight} with a regularizer (recorded, so they enter the
     * gradient); a frozen weight's penalty is left out, as Keras leaves it out. Add their sum to a
     * custom loop's loss, as the guides' {@code loss_value += sum(model.losses)}.
     */
    public final List<Variable> losses(CallContext ctx) {
        return LayerWeights.withPenalties(ctx.addedLosses(), trainableWeights());
    }

    /**
     * Tracks a layer this custom layer holds and calls in {@link #forward} (Keras's {@code self.lstm =
     * layers.LSTM(64)}) under that attribute's name; call it in the constructor, build the layer in
     * {@code build} ({@code lstm.build(shape, device(), random)}). Its weights follow this layer's own in
     * {@link #weights()}, and Keras files keep them under this layer's path and the attribute.
     *
     * @throws IllegalArgumentException for a name that is not a Python attribute, or one taken
     * @throws IllegalStateException once this layer is built
     */
    protected final <L extends Layer> L addSublayer(String attribute, L layer) {
        requireNotBuilt("sub-layers");
        return sublayers.add(attribute, layer);
    }

    /** The layers added with {@link #addSublayer}, by attribute, in the order added (empty for most layers). */
    public final Map<String, Layer> sublayers() {
        return sublayers.asMap();
    }

    /** This layer's tracker of sub-layers, for those of the layer that tracks it. */
    final Sublayers tracker() {
        return sublayers;
    }

    /** Copies of the weight values, in Keras's get_weights() order. */
    public final List<Tensor> getWeights() {
        return LayerWeights.copies(weights());
    }

    /**
     * Sets every weight, in Keras's get_weights() order. All shapes are checked before any is
     * written.
     *
     * @throws IllegalArgumentException naming the layer, the weight and the shapes
     */
    public final void setWeights(List<Tensor> values) {
        requireBuilt();
        LayerWeights.setAll(name, weights(), values);
    }

    /** The number of weight elements (Keras's count_params). */
    public long countParams() {
        return LayerWeights.countElements(weights(), false);
    }

    /** The number of trainable weight elements. */
    public long countTrainableParams() {
        return LayerWeights.countElements(weights(), true);
    }

    /** The batch size this layer requires (stateful layers), or 0 for any. */
    public int fixedBatchSize() {
        return 0;
    }

    protected final void requireNotBuilt(String option) {
        if (isBuilt()) {
            throw new IllegalStateException(name + ": " + option + " cannot change after the layer is built");
        }
    }

    protected final void requireBuilt() {
        if (!isBuilt()) {
            throw new IllegalStateException(name + ": the layer is not built; add it to a model with an Input or "
                    + "call build(inputShape)");
        }
    }

    /** Keras's way of printing a shape with its batch dimension unknown: {@code (None, 10, 1)}. */
    public static String batchless(Shape shape) {
        return LayerShapes.batchless(shape);
    }

    @Override
    public String toString() {
        return name + " (" + className() + ")";
    }
}
