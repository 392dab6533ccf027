package io.rnn4j.layers.model;

import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.MergeMode;
import io.rnn4j.layers.Operation;
import io.rnn4j.layers.Outputs;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Autograd;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.losses.Loss;
import io.rnn4j.layers.metrics.Metric;
import io.rnn4j.layers.optimizers.Optimizer;
import io.rnn4j.layers.keras.Models;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras's Sequential model: a stack of layers, each feeding the next (with Keras's mask passed
 * along), then {@link #compile}, {@link #fit}, {@link #evaluate} and {@link #predict}.
 *
 * <pre>{@code
 * var model = Sequential.of(Input.shape(10, 1), new SimpleRNN(64), new Dense(1));
 * model.compile(Optimizers.adam(), Losses.meanSquaredError(), Metrics.meanAbsoluteError());
 * History h = model.fit(x, y, Fit.defaults().batchSize(32).epochs(10).validationData(xVal, yVal));
 * }</pre>
 *
 * <p>With an {@link Input} first the model is built at once (on the default device), else on the
 * first call, from the data. {@link #predict} on a built model records no graph and writes nothing
 * shared: many threads may call it at once (stateful recurrent layers excepted).
 *
 * <p>As in Keras a Sequential is a layer: it may be added to another Sequential or applied in a
 * functional graph ({@code block.apply(x)}), with the incoming mask passed through its layers.
 */
public final class Sequential extends Layer implements TrainableModel {
    private final List<Layer> layers = new ArrayList<>();
    private final CustomSteps customSteps = new CustomSteps();
    private Input input;
    /** Set once built, for the lazy build's double-checked test (Layer's own flag is not volatile). */
    private volatile boolean built;
    private Shape outputSample; // the last layer's output for the model's input, once built
    /** The last layer's symbolic output, the layers applied to the Input in turn (Keras's Sequential graph). */
    private SymbolicTensor graphOutput;
    private Optimizer optimizer;
    private Loss loss;
    private List<Metric> metrics = List.of();
    private List<Metric> weightedMetrics = List.of();
    private volatile boolean stopTraining;

    private Sequential() {
        super("sequential");
    }

    /** A model of these layers; an {@link Input} may come first (then the model is built now). */
    public static Sequential of(Layer... layers) {
        Sequential m = new Sequential();
        for (Layer l : layers) {
            m.add(l);
        }
        return m;
    }

    /**
     * Appends a layer (built at once when the model is). An {@link Input} may only come first. A
     * layer built already — one shared with another model, or a {@link Model} or Sequential used
     * as a layer — must take this model's output shape there and give a single output.
     */
    public synchronized Sequential add(Layer layer) {
        Objects.requireNonNull(layer, "layer");
        if (layer instanceof Input in) {
            if (input != null || !layers.isEmpty()) {
                throw new IllegalArgumentException(name() + ": an Input may only be the first layer");
            }
            input = in;
            buildNow(in.sampleShape());
            return this;
        }
        if (layer == this) {
            throw new IllegalArgumentException(name() + ": a model cannot be a layer of itself");
        }
        if (layer instanceof Operation) {  // Keras's Sequential takes only layers
            throw new IllegalArgumentException(name() + ": '" + layer.name() + "' (" + layer.className() + ", an "
                    + "operation in Keras) cannot be in a Sequential model; apply it in a functional model (Model.of)");
        }
        if (layers.contains(layer)) {
            throw new IllegalArgumentException(name() + ": layer '" + layer.name() + "' is already in the model");
        }
        if (layers.stream().anyMatch(l -> l.name().equals(layer.name()))) {
            // As Keras's Sequential.add: names address layers (model.layer(name), saved weights).
            throw new IllegalArgumentException(name() + ": a layer named '" + layer.name() + "' is already in the "
                    + "model; the layers of a Sequential model need unique names");
        }
        if (layer instanceof Model m && (m.inputs().size() != 1 || m.outputs().size() != 1)) {
            throw new IllegalArgumentException(name() + ": layer '" + layer.name() + "' takes " + m.inputs().size()
                    + " inputs and gives " + m.outputs().size() + " outputs; a layer of a Sequential model takes one "
                    + "and gives one");
        }
        if (layer instanceof Bidirectional b && b.mergeMode() == MergeMode.NONE) {
            throw new IllegalArgumentException(name() + ": layer '" + layer.name() + "' has merge_mode none and "
                    + "gives two outputs; a layer of a Sequential model gives one (use a merge mode, or the "
                    + "functional API)");
        }
        if (isBuilt()) {
            Shape out = attach(layer, outputShape());
            graphOutput = layer.applyAll(graphOutput).get(0);
            outputSample = out;
        }
        layers.add(layer);
        return this;
    }

    /**
     * Keras's {@code model.pop()}: removes the last layer and returns it; the model's output becomes
     * the layer's before it (its output shape and summary follow, its weights stay), and a built
     * model stays built, as Keras's rebuilds. The removed layer keeps its weights.
     *
     * @throws IllegalStateException when the model has no layers (the Input is not one)
     */
    public synchronized Layer pop() {
        if (layers.isEmpty()) {
            throw new IllegalStateException(name() + ": there are no layers to pop");
        }
        Layer last = layers.remove(layers.size() - 1);
        if (isBuilt()) {
            // graphOutput is the popped layer's call on the layer before it (or on the Input): step back one node
            graphOutput = graphOutput.node().inputs().get(0);
            outputSample = graphOutput.shape();
        }
        return last;
    }

    /**
     * Builds {@code layer} for inputs of {@code shape}, or checks that it takes them (a built layer
     * takes other sizes where its weights allow, as in Keras); returns its output shape for them.
     */
    private Shape attach(Layer layer, Shape shape) {
        if (!layer.isBuilt()) {
            layer.build(shape, device(), Seeds.next());
            return layer.outputShape();
        }
        String mismatch = name() + ": layer '" + layer.name() + "' was built for input "
                + layer.inputShapes().stream().map(Layer::batchless).toList() + " but follows output "
                + Layer.batchless(shape);
        if (layer.inputShapes().size() != 1) {
            throw new IllegalArgumentException(mismatch + " (it takes " + layer.inputShapes().size() + " inputs)");
        }
        Shape out;
        try {
            out = layer.computeOutputShapes(List.of(shape)).get(0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(mismatch + " (" + e.getMessage() + ")", e);
        }
        if (layer.device() != device()) {
            throw new IllegalArgumentException(name() + ": layer '" + layer.name() + "' lives on "
                    + layer.device().name() + " but the model on " + device().name());
        }
        return out;
    }

    /**
     * Renames the model (Keras's {@code Sequential(name=...)}); the name appears in summaries,
     * messages and saved files.
     *
     * @throws IllegalArgumentException for a blank name
     */
    @Override
    public Sequential named(String newName) {
        rename(newName);
        return this;
    }

    /**
     * Keras's {@code model.load_weights}: a {@code .weights.h5}, {@code .keras}, Keras 2 {@code .h5} or
     * older rnn4j file ({@link Models#loadWeights(Sequential, Path)}); one that does not fit changes nothing.
     */
    public void loadWeights(Path file) throws IOException {
        Models.loadWeights(this, file);
    }

    /** Keras's {@code model.save_weights}: a {@code .weights.h5} ({@link Models#saveWeights(Sequential, Path)}). */
    public void saveWeights(Path file) throws IOException {
        Models.saveWeights(this, file);
    }

    /** The layers (Keras 3's {@code model.layers}: the Input is not one). */
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    /**
     * The layer named {@code layerName}.
     *
     * @throws IllegalArgumentException naming the layers there are
     */
    public Layer layer(String layerName) {
        for (Layer l : layers) {
            if (l.name().equals(layerName)) {
                return l;
            }
        }
        throw new IllegalArgumentException(name() + ": no layer '" + layerName + "'; layers are "
                + layers.stream().map(Layer::name).toList());
    }

    /** Builds (on the default device) for samples of {@code sampleShape}, drawing no seed for the model itself. */
    private synchronized void buildNow(Shape sampleShape) {
        build(List.of(sampleShape), Devices.defaultDevice(), null);
        built = true;
    }

    /** Builds every layer for samples of {@code in} (no batch dimension) on {@link #device()}. */
    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        Shape shape = in;
        // as Keras 3 builds a Sequential without an Input: one of the data's shape, kept once built
        Input first = input != null ? input : Input.shape(in.dims());
        if (!first.isBuilt()) {
            first.build(shape, device(), Seeds.next());
        }
        SymbolicTensor graph = first.symbolic();
        for (Layer l : layers) {
            shape = attach(l, shape);
            // as Keras 3, applied to the Input symbolically too, so each layer has its output tensor;
            // a layer returning its states passes on its output, as this model's call does
            graph = l.applyAll(graph).get(0);
        }
        input = first;
        outputSample = shape;
        graphOutput = graph;
        return shape;
    }

    /** The model's Input (Keras's {@code model.inputs}); empty before build. */
    public List<Input> inputs() {
        return input == null ? List.of() : List.of(input);
    }

    /** The last layer's output tensor (Keras's {@code model.outputs}), to build models from. */
    @Override
    public List<SymbolicTensor> outputs() {
        if (graphOutput == null) {
            throw new IllegalStateException(name() + " is not built yet, so it has no output tensor; give it an "
                    + "Input first");
        }
        return List.of(graphOutput);
    }

    /** The shape of one output sample (following layers added later); null before build. */
    @Override
    public Shape outputShape() {
        return isBuilt() ? outputSample : null;
    }

    /** Each layer's output for the one before, from {@code in} (where the Input says None, given sizes come through). */
    @Override
    protected Shape outputShapeFor(Shape in) {
        Shape shape = in;
        for (Layer l : layers) {
            shape = l.computeOutputShapes(List.of(shape)).get(0);
        }
        return shape;
    }

    /** Keras's class name, as summaries and configs show a Sequential used as a layer. */
    @Override
    public String className() {
        return "Sequential";
    }

    /** The fixed batch size (an Input's batch shape or a stateful layer's), or 0 for any. */
    public int fixedBatchSize() {
        if (input != null && input.fixedBatchSize() > 0) {
            return input.fixedBatchSize();
        }
        for (Layer l : layers) {
            if (l.fixedBatchSize() > 0) {
                return l.fixedBatchSize();
            }
        }
        return 0;
    }

    // ---- calling ----

    /**
     * Runs the layers on a batch, recording the graph unless inside {@link Autograd#noGrad()}: the
     * building block of custom training loops.
     */
    public Variable call(Variable x, CallContext ctx) {
        return callWithMask(x, null, ctx).values().get(0);
    }

    /** The output for a batch with its Keras mask, the input carrying {@code mask} (or none). */
    Outputs callWithMask(Variable x, Tensor mask, CallContext ctx) {
        ensureBuilt(x.value(), "call");
        checkInput(x.value(), "call");
        Batches.checkFixedInputs(name() + ".call", inputs(), x.value().dim(0));
        Variable h = x;
        Tensor m = mask;
        for (Layer l : layers) {
            if (l instanceof Model || l instanceof Sequential) {
                // A nested model computes its output and mask in one pass.
                Outputs o = l.callWithMasks(List.of(h), Collections.singletonList(m), ctx);
                h = o.values().get(0);
                m = o.masks().get(0);
            } else {
                Tensor next = l.computeMask(h, m);
                h = l.call(h, m, ctx);
                m = next;
            }
        }
        return new Outputs(List.of(h), Collections.singletonList(m));
    }

    /** Builds from the data's shape on first use (a model without an Input). */
    void ensureBuilt(Tensor x, String op) {
        if (!built) {
            synchronized (this) {
                if (!isBuilt()) {
                    if (x.rank() < 1) {
                        throw new IllegalArgumentException(name() + "." + op + ": expected a batch of samples, got a "
                                + "scalar");
                    }
                    buildNow(x.shape().tail());
                }
                built = true;
            }
        }
    }

    /**
     * A batch of inputShape()'s rank on the model's device; as in Keras 3's Sequential (not its functional
     * models), other sizes are for the layers to refuse: built for 10 steps, it runs on 5 if no weight needs them.
     */
    void checkInput(Tensor x, String op) {
        Shape in = inputShape();
        if (x.rank() != in.rank() + 1) {
            String first = layers.isEmpty() ? name() : layers.get(0).name();
            throw new IllegalArgumentException(name() + "." + op + ": input of layer '" + first
                    + "' is incompatible with the layer: expected shape=" + Layer.batchless(in) + ", found shape="
                    + x.shape());
        }
        if (x.device() != device()) {
            throw new IllegalArgumentException(name() + "." + op + ": input lives on " + x.device().name()
                    + " but the model on " + device().name() + "; move it with x.to(model.device())");
        }
    }

    /** {@code samples} in batches of {@code batchSize} must all fit a fixed batch size ({@link Batches#checkSizes}). */
    void checkBatches(int samples, int batchSize, String op) {
        Batches.checkSizes(name() + "." + op, fixedBatchSize(),
                ModelLayers.fixedBatchReason(Batches.fixedInput(inputs()), layers), samples, batchSize);
    }

    // ---- as a layer of another model (Keras: a model is a layer) ----

    /** The layers run on {@code x}, the incoming mask given to the first, as Keras's Sequential.call. */
    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        return callWithMask(x, mask, ctx).values().get(0);
    }

    /** One pass through the layers giving the output and its mask. */
    @Override
    public Outputs callWithMasks(List<Variable> inputs, List<Tensor> masks, CallContext ctx) {
        requireInputCount(inputs.size(), 1, 1);
        return callWithMask(inputs.get(0), masks == null ? null : masks.get(0), ctx);
    }

    /** The output's mask (computed by running the layers, outside any graph). */
    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        try (var _ = Autograd.noGrad()) {
            return callWithMask(x, mask, CallContext.inference()).masks().get(0);
        }
    }

    // ---- weights ----

    /** Every weight, layer by layer, in Keras's get_weights() order (a weight shared by two layers once). */
    @Override
    public List<Weight> weights() {
        return ModelLayers.weights(layers);
    }

    @Override
    public long countParams() {
        return ModelLayers.countParams(layers);
    }

    /** Zeroes the states of every stateful recurrent layer (nested models' too). */
    public void resetStates() {
        ModelLayers.resetStates(layers);
    }

    /** Keras 3's summary table. */
    public String summary() {
        return Summary.of(this, null);
    }

    /** Keras 3's summary of {@code Sequential([front, *layers])}: first a row for KerasModel's text front (no weights). */
    public String summaryWithFront(String frontName, String frontClass) {
        return Summary.of(this, frontName + " (" + frontClass + ")");
    }

    // ---- compile, fit, evaluate, predict ----

    /**
     * Sets how {@link #fit} trains and what it and {@link #evaluate} report. A null loss is Keras's
     * {@code loss=None}: the loss is then what the layers add (see {@link #compile(Optimizer)}).
     */
    public void compile(Optimizer optimizer, Loss loss, Metric... metrics) {
        compile(optimizer, loss, List.of(metrics), List.of());
    }

    /**
     * As {@link #compile(Optimizer, Loss, Metric...)}, with Keras's {@code weighted_metrics}: metrics
     * updated with fit's and evaluate's sample weights (class weights too); one that shares a
     * metric's name is logged as {@code weighted_<name>}, as Keras does.
     */
    public void compile(Optimizer optimizer, Loss loss, List<Metric> metrics, List<Metric> weightedMetrics) {
        // Checked whole before anything is set, so that a refused compile changes nothing.
        Trainable.Compiled c = new Trainable.Compiled(Objects.requireNonNull(optimizer, "optimizer"),
                loss == null ? List.of() : List.of(loss), null, List.of(Objects.requireNonNull(metrics, "metrics")),
                List.of(Objects.requireNonNull(weightedMetrics, "weightedMetrics")));
        this.optimizer = optimizer;
        this.loss = loss;
        this.metrics = c.metrics().get(0);
        this.weightedMetrics = c.weightedMetrics().get(0);
    }

    /**
     * Keras's {@code compile(optimizer)} with no loss: for a model whose layers add its whole loss
     * ({@code add_loss}, ActivityRegularization, activity regularizers), trained with
     * {@link #fit(Tensor, Fit)} on inputs alone; fit refuses a model that has no loss at all.
     */
    public void compile(Optimizer optimizer) {
        compile(optimizer, null, List.of(), List.of());
    }

    /** The weighted metrics given to compile (empty before compile). */
    @Override
    public List<Metric> weightedMetrics() {
        return weightedMetrics;
    }

    @Override
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The loss given to compile; null before compile or when compiled without one. */
    public Loss loss() {
        return loss;
    }

    @Override
    public List<Metric> metrics() {
        return metrics;
    }

    /** Trains on {@code x} and labels {@code y} with Keras's default options (batch 32, 1 epoch). */
    public History fit(Tensor x, Tensor y) {
        return fit(x, y, Fit.defaults());
    }

    /**
     * Trains as Keras's fit does and returns the per-epoch logs; {@code y} null is Keras's
     * {@code fit(x, None)}, for a model compiled without a loss.
     *
     * @throws IllegalArgumentException before any training for inputs or labels of the wrong shape,
     *     or no labels for a model compiled with a loss or metrics
     * @throws IllegalStateException if not compiled
     */
    public History fit(Tensor x, Tensor y, Fit options) {
        return new Training(trainer()).fit(List.of(x), y == null ? null : List.of(y), options);
    }

    /** Keras's {@code fit(x)} with no targets, for a model compiled without a loss (see {@link #compile(Optimizer)}). */
    public History fit(Tensor x, Fit options) {
        return fit(x, null, options);
    }

    /** One gradient step on one batch; returns its loss (with regularization). */
    public double trainOnBatch(Tensor x, Tensor y) {
        return trainOnBatch(x, y, null);
    }

    /** One gradient step on one batch with a weight per sample (or null); returns its loss. */
    public double trainOnBatch(Tensor x, Tensor y, Tensor sampleWeight) {
        return new Training(trainer()).trainOnBatch(List.of(x), y == null ? null : List.of(y), sampleWeight);
    }

    /**
     * Keras's {@code train_on_batch(..., return_dict=True)}: the logs of one optimizer step (the loss and the
     * metrics, reset first), or what the {@linkplain #customSteps() custom train step} returned.
     */
    public Map<String, Double> trainOnBatchLogs(Tensor x, Tensor y, Tensor sampleWeight) {
        return new Training(trainer()).trainOnBatchLogs(List.of(x), y == null ? null : List.of(y), sampleWeight);
    }

    /** Keras's overridden {@code train_step}, {@code test_step} and {@code metrics} of this model ({@link CustomSteps}). */
    @Override
    public CustomSteps customSteps() {
        return customSteps;
    }

    /**
     * Keras's {@code test_on_batch(x, y)}: the loss and metrics of one batch in inference mode, the
     * metrics reset first; nothing is updated.
     */
    public Evaluation testOnBatch(Tensor x, Tensor y) {
        return evaluate(x, y, null, Math.max(1, x.dim(0)));
    }

    /** The loss and metrics over {@code x}, {@code y}, in batches of 32. */
    public Evaluation evaluate(Tensor x, Tensor y) {
        return evaluate(x, y, 32);
    }

    public Evaluation evaluate(Tensor x, Tensor y, int batchSize) {
        return evaluate(x, y, null, batchSize);
    }

    /** The loss (each sample's weighted by {@code sampleWeight}, or null) and metrics, in batches. */
    public Evaluation evaluate(Tensor x, Tensor y, Tensor sampleWeight, int batchSize) {
        return new Training(trainer()).evaluate(List.of(x), y == null ? null : List.of(y), sampleWeight, batchSize);
    }

    /** Keras's {@code evaluate(x)} with no targets, for a model compiled without a loss; batches of 32. */
    public Evaluation evaluate(Tensor x) {
        return evaluate(x, null, null, 32);
    }

    @Override
    public boolean stopTraining() {
        return stopTraining;
    }

    /** Keras's {@code model.stop_training = True}: fit ends after the current batch (callbacks set it). */
    @Override
    public void setStopTraining(boolean stop) {
        this.stopTraining = stop;
    }

    /** The outputs for {@code x} in batches of 32, or of the fixed batch size (batch_shape, stateful) it has. */
    public Tensor predict(Tensor x) {
        return predict(x, fixedBatchSize() > 0 ? fixedBatchSize() : 32);
    }

    /**
     * The outputs for {@code x}, computed in batches of {@code batchSize} with no graph recorded.
     *
     * @throws IllegalArgumentException for an input of the wrong shape, naming the first layer, or
     *     batches a fixed batch size or a stateful layer cannot take (checked before any runs)
     */
    public Tensor predict(Tensor x, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException(name() + ".predict: batch_size must be >= 1, got " + batchSize);
        }
        ensureBuilt(x, "predict");
        checkInput(x, "predict");
        checkBatches(x.dim(0), batchSize, "predict");
        return Prediction.run(device(), List.of(x), batchSize, () -> List.of(outputShapeFor(x.shape().tail())),
                xs -> List.of(call(xs.get(0), CallContext.inference())), this::weights, layers).get(0);
    }

    /** The outputs for one batch, in one call. */
    public Tensor predictOnBatch(Tensor x) {
        return predict(x, Math.max(1, x.dim(0)));
    }

    /** This model as the shared training loop sees it: one input, one output. */
    private Trainable trainer() {
        return new SequentialTrainer(this);
    }

    /**
     * A step-by-step runner for latency-sensitive callers: feed one time step, get the output, with
     * the recurrent states kept between steps and no tensor allocated per step.
     *
     * @throws IllegalArgumentException naming a layer that cannot run step by step
     */
    public StepRunner stepRunner() {
        if (!isBuilt()) {
            throw new IllegalStateException(name() + ": build the model (give it an Input) before stepping it");
        }
        return new StepRunner(this);
    }
}
