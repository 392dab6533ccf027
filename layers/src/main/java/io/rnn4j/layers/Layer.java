package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
 */
public abstract class Layer {
    private static final Map<String, AtomicInteger> NAMES = new ConcurrentHashMap<>();

    private String name;
    private Shape inputShape;
    private Shape outputShape;
    private Device device;
    private final List<Weight> weights = new ArrayList<>();

    /** @param kerasPrefix the snake_case name Keras gives layers of this class ("simple_rnn") */
    protected Layer(String kerasPrefix) {
        this(kerasPrefix, null);
    }

    /** With an explicit name (none drawn from the counter), or Keras's next name when {@code name} is null. */
    protected Layer(String kerasPrefix, String name) {
        if (name != null) {
            this.name = name;
        } else {
            int n = NAMES.computeIfAbsent(kerasPrefix, k -> new AtomicInteger()).getAndIncrement();
            this.name = n == 0 ? kerasPrefix : kerasPrefix + "_" + n;
        }
    }

    public final String name() {
        return name;
    }

    /** Sets the layer's name (before it is built). */
    public Layer named(String newName) {
        requireNotBuilt("name");
        if (newName == null || newName.isBlank()) {
            throw new IllegalArgumentException(name + ": name must not be blank");
        }
        this.name = newName;
        return this;
    }

    /** The Keras class name shown by summary() ("SimpleRNN", "Dense"). */
    public String className() {
        return getClass().getSimpleName();
    }

    public final boolean isBuilt() {
        return inputShape != null;
    }

    /** The input shape without the batch dimension; null before build. */
    public final Shape inputShape() {
        return inputShape;
    }

    /** The output shape without the batch dimension; null before build. */
    public final Shape outputShape() {
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
        if (isBuilt()) {
            throw new IllegalStateException(name + ": already built for input " + batchless(this.inputShape));
        }
        this.device = device;
        Shape out;
        try {
            out = build(inputShape, random);
        } catch (RuntimeException e) {
            weights.clear();
            this.device = null;
            throw e;
        }
        this.inputShape = inputShape;
        this.outputShape = out;
    }

    /** Creates the weights ({@link #addWeight}) and returns the output shape (no batch dimension). */
    protected abstract Shape build(Shape inputShape, RandomGenerator random);

    /** Adds a weight, initialised now; weights are listed in the order they are added (Keras's get_weights order). */
    protected final Weight addWeight(String weightName, Shape shape, Initializer initializer, RandomGenerator random,
            Regularizer regularizer, Constraint constraint, boolean trainable) {
        Tensor value = device.tensor(initializer.sample(shape, random), shape.dims());
        Weight w = new Weight(this, weightName, value, regularizer, constraint, trainable);
        weights.add(w);
        return w;
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
        return forward(x, mask, ctx);
    }

    /** The computation, on a checked input. */
    protected abstract Variable forward(Variable x, Tensor mask, CallContext ctx);

    /** The mask this layer passes on, given its input and the incoming mask; null by default (mask dropped). */
    public Tensor computeMask(Variable x, Tensor mask) {
        return null;
    }

    /** Checks {@code (batch,) + inputShape()}, as Keras's input_spec check does. */
    protected void checkInput(Shape given) {
        boolean ok = given.rank() == inputShape.rank() + 1;
        for (int i = 0; ok && i < inputShape.rank(); i++) {
            ok = given.dim(i + 1) == inputShape.dim(i);
        }
        if (!ok) {
            throw new IllegalArgumentException("Input of layer '" + name + "' (" + className()
                    + ") is incompatible with the layer: expected shape=" + batchless(inputShape) + ", found shape="
                    + given);
        }
    }

    /** The weights in Keras's get_weights() order. */
    public List<Weight> weights() {
        return Collections.unmodifiableList(weights);
    }

    /** Copies of the weight values, in Keras's get_weights() order. */
    public final List<Tensor> getWeights() {
        List<Tensor> out = new ArrayList<>();
        for (Weight w : weights()) {
            out.add(w.value().copy());
        }
        return out;
    }

    /**
     * Sets every weight, in Keras's get_weights() order. All shapes are checked before any is
     * written.
     *
     * @throws IllegalArgumentException naming the layer, the weight and the shapes
     */
    public final void setWeights(List<Tensor> values) {
        requireBuilt();
        List<Weight> ws = weights();
        if (values.size() != ws.size()) {
            throw new IllegalArgumentException(name + ": expected " + ws.size() + " weights " + ws + ", got "
                    + values.size());
        }
        for (int i = 0; i < ws.size(); i++) {
            ws.get(i).check(values.get(i));
        }
        for (int i = 0; i < ws.size(); i++) {
            ws.get(i).set(values.get(i));
        }
    }

    /** The number of weight elements (Keras's count_params). */
    public long countParams() {
        long n = 0;
        for (Weight w : weights()) {
            n += w.shape().size();
        }
        return n;
    }

    /** The number of trainable weight elements. */
    public long countTrainableParams() {
        long n = 0;
        for (Weight w : weights()) {
            n += w.trainable() ? w.shape().size() : 0;
        }
        return n;
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
        StringBuilder b = new StringBuilder("(None");
        for (int d : shape.dims()) {
            b.append(", ").append(d);
        }
        return b.append(')').toString();
    }

    @Override
    public String toString() {
        return name + " (" + className() + ")";
    }
}
