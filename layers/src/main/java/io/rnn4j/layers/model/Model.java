package io.rnn4j.layers.model;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Node;
import io.rnn4j.layers.Outputs;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.Symbolic;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Autograd;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Loss;
import io.rnn4j.layers.metrics.Metric;
import io.rnn4j.layers.optimizers.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras's functional model: a graph of layers from one or more {@link Input}s to one or more
 * outputs, with Keras's masks passed along it, then {@link #compile}, {@link #fit},
 * {@link #evaluate} and {@link #predict} — the same training loop as {@link Sequential}.
 *
 * <pre>{@code
 * var in = Input.shape(10, 8);
 * var h = new LSTM(32).returnSequences(true).apply(in);
 * var out = new Dense(1).apply(h);
 * var model = Model.of(List.of(in), List.of(out));
 * model.compile(Optimizers.adam(), Losses.meanSquaredError());
 * model.fit(List.of(x), List.of(y), Fit.defaults().batchSize(32).epochs(10));
 * }</pre>
 *
 * <p>Layers are built when applied, so a model is built when made. Data come as one tensor per
 * input and one label tensor per output, in the order given to {@link #of}. With several outputs
 * each has its own loss (and loss weight and metrics), and the logs add {@code <output>_loss} and
 * {@code <output>_<metric>}, where an output is named after the layer computing it. {@link #predict}
 * records no graph and writes nothing shared, so it may run on many threads at once (stateful
 * recurrent layers excepted).
 *
 * <p>As in Keras a model is a layer: a layer may be applied several times (a siamese encoder: one
 * set of weights, each application its own node), and a model may itself be applied to symbolic
 * tensors of another graph ({@code encoder.apply(x)}) or added to a {@link Sequential} — its
 * inputs' masks go in and its outputs' masks come out, and its weights are the outer model's.
 */
public final class Model extends Layer implements TrainableModel {
    private final List<Input> inputs;
    private final List<SymbolicTensor> outputs;
    private final List<String> outputNames;
    private final Graph graph;
    private final CustomSteps customSteps = new CustomSteps();
    private Trainable.Compiled compiled;
    private volatile boolean stopTraining;

    private Model(List<Input> inputs, List<SymbolicTensor> outputs) {
        super("functional");
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.graph = Graph.of(name(), inputs.stream().map(Input::symbolic).toList(), this.outputs);
        Device device = ModelLayers.commonDevice(name(), graph.layers());
        for (Input in : inputs) {
            if (!in.isBuilt()) {
                in.build(in.sampleShape(), device, Seeds.next());
            }
        }
        this.outputNames = ByName.outputNames(this.outputs);
        // Built when made, as every layer in it is; no weights of its own, so nothing is drawn.
        build(inputs.stream().map(Input::sampleShape).toList(), device, null);
    }

    /**
     * The model from {@code inputs} to {@code outputs} (tensors layers gave), in that order. An
     * input is an {@link Input}, or, as in Keras 3, a tensor inside a graph: the model then starts
     * at a new Input of that tensor's shape, the layers between it and the outputs applied again
     * (sharing their weights) — a decoder cut out of an autoencoder, say.
     *
     * @throws IllegalArgumentException for no inputs or outputs, an input given twice, an output
     *                                  that needs an input not given, two layers of one name, or
     *                                  layers built on different devices
     */
    public static Model of(List<? extends Symbolic> inputs, List<? extends Symbolic> outputs) {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(outputs, "outputs");
        if (inputs.isEmpty() || outputs.isEmpty()) {
            throw new IllegalArgumentException("Model.of: needs at least one input and one output, got "
                    + inputs.size() + " and " + outputs.size());
        }
        GraphCut cut = GraphCut.of(inputs);
        return new Model(cut.inputs(), cut.rebased(outputs));
    }

    /** The model of one input and one output. */
    public static Model of(Symbolic input, Symbolic output) {
        return of(List.of(input), List.of(output));
    }

    /** The model of one input and several outputs (an encoder giving its states). */
    public static Model of(Symbolic input, List<? extends Symbolic> outputs) {
        return of(List.of(input), outputs);
    }

    /** The model of several inputs and one output. */
    public static Model of(List<? extends Symbolic> inputs, Symbolic output) {
        return of(inputs, List.of(output));
    }

    /**
     * Keras's {@code model.load_weights}: a {@code .weights.h5}, {@code .keras}, Keras 2 {@code .h5} or
     * older rnn4j file ({@link Models#loadWeights(Model, Path)}); one that does not fit changes nothing.
     */
    public void loadWeights(Path file) throws IOException {
        Models.loadWeights(this, file);
    }

    /** Keras's {@code model.save_weights}: a {@code .weights.h5} ({@link Models#saveWeights(Model, Path)}). */
    public void saveWeights(Path file) throws IOException {
        Models.saveWeights(this, file);
    }

    /** Renames the model (Keras's name argument), whenever. */
    @Override
    public Model named(String newName) {
        rename(newName);
        return this;
    }

    /** Keras's class name for a functional model, as its summary and config show it. */
    @Override
    public String className() {
        return "Functional";
    }

    /** The model's Inputs, in order. */
    public List<Input> inputs() {
        return inputs;
    }

    /** The model's outputs, in order (Keras's {@code model.outputs}). */
    @Override
    public List<SymbolicTensor> outputs() {
        return outputs;
    }

    /** The output names used in logs ({@code <name>_loss}): the layers computing the outputs. */
    public List<String> outputNames() {
        return outputNames;
    }

    /**
     * The applications of {@code layer} that belong to this model, in order — Keras numbers them so
     * in a saved config (a layer applied in other graphs too has more {@link Layer#inboundNodes()}).
     */
    public List<Node> nodes(Layer layer) {
        return layer.inboundNodes().stream().filter(graph::contains).toList();
    }

    /**
     * The layers in Keras's order (by depth from the inputs; Inputs included, as Keras 3's
     * model.layers), and the operations ({@link io.rnn4j.layers.Operation}: GetItem, x + y,
     * keras.ops...), as Keras's model.operations, its config.json and its summary list them; Keras's
     * model.layers leaves them out.
     */
    public List<Layer> layers() {
        return graph.layers();
    }

    /**
     * The layer named {@code layerName}.
     *
     * @throws IllegalArgumentException naming the layers there are
     */
    public Layer layer(String layerName) {
        return graph.layers().stream().filter(l -> l.name().equals(layerName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name() + ": no layer '" + layerName + "'; layers are "
                        + graph.layers().stream().map(Layer::name).toList()));
    }

    /** A {@link StepRunner} for a plain chain (one input, each layer applied to the one before), else refused. */
    public StepRunner stepRunner() {
        return StepRunner.chain(this);
    }

    /** The shape of one sample of each output. */
    public List<Shape> outputShapes() {
        return outputs.stream().map(SymbolicTensor::shape).toList();
    }

    // ---- calling ----

    /**
     * Runs the graph on one batch per input, recording it unless inside {@link Autograd#noGrad()}:
     * the building block of custom training loops.
     *
     * @throws IllegalArgumentException for the wrong number, shape or device of inputs, naming the input
     */
    public List<Variable> call(List<Variable> xs, CallContext ctx) {
        checkInputs(xs.stream().map(Variable::value).toList(), "call");
        Batches.checkFixedInputs(name() + ".call", inputs, xs.get(0).value().dim(0));
        return graph.run(xs, ctx);
    }

    /**
     * Keras's {@code model(x, training=...)} for a model of one input and one output, as
     * {@link Sequential#call(Variable, CallContext)}: {@code call(List.of(x), ctx).get(0)}.
     *
     * @throws IllegalArgumentException for a model of several inputs or outputs, naming the counts
     */
    public Variable call(Variable x, CallContext ctx) {
        if (inputs.size() != 1 || outputs.size() != 1) {
            throw new IllegalArgumentException(name() + ".call: the model takes " + inputs.size() + " inputs and gives "
                    + outputs.size() + " outputs; call(List<Variable>, ctx) takes one Variable per input");
        }
        return call(List.of(x), ctx).get(0);
    }

    void checkInputs(List<Tensor> xs, String op) {
        Batches.checkInputs(this, op, inputs, device(), xs);
    }

    /** {@code samples} in batches of {@code batchSize} must all fit a fixed batch size ({@link Batches#checkSizes}). */
    void checkBatches(int samples, int batchSize, String op) {
        Batches.checkSizes(name() + "." + op, fixedBatchSize(),
                ModelLayers.fixedBatchReason(Batches.fixedInput(inputs), graph.layers()), samples, batchSize);
    }

    // ---- as a layer of another model (Keras: a model is a layer) ----

    /** Built when made: the first output's shape. */
    @Override
    protected Shape build(List<Shape> shapes, RandomGenerator random) {
        return outputs.get(0).shape();
    }

    @Override
    protected Shape build(Shape inputShape, RandomGenerator random) {
        return build(List.of(inputShape), random);
    }

    /** Applied to tensors of the inputs' shapes, it gives tensors of the outputs' shapes. */
    @Override
    protected List<Shape> outputShapes(List<Shape> shapes) {
        requireInputCount(shapes.size(), inputs.size(), inputs.size());
        for (int i = 0; i < shapes.size(); i++) {
            checkSample(inputs.get(i).sampleShape(), shapes.get(i));
        }
        return shapes.equals(inputs.stream().map(Input::sampleShape).toList()) ? outputShapes()
                : graph.outputShapes(shapes);
    }

    /** A model of one input and one output called as a plain layer. */
    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        List<Variable> out = forwardAll(List.of(x), Collections.singletonList(mask), ctx);
        if (out.size() != 1) {
            throw new IllegalArgumentException(name() + ": the model gives " + out.size() + " outputs; call it with "
                    + "callAll(...)");
        }
        return out.get(0);
    }

    @Override
    protected List<Variable> forwardAll(List<Variable> xs, List<Tensor> masks, CallContext ctx) {
        return callWithMasks(xs, masks, ctx).values();
    }

    /** One pass through the graph, the inputs' masks passed in (Keras's Functional.call with mask). */
    @Override
    public Outputs callWithMasks(List<Variable> xs, List<Tensor> masks, CallContext ctx) {
        requireInputCount(xs.size(), inputs.size(), inputs.size());
        return graph.runWithMasks(xs, masks, ctx);
    }

    /** The outputs' masks (computed by running the graph, outside any graph being recorded). */
    @Override
    public List<Tensor> computeMasks(List<Variable> xs, List<Tensor> masks) {
        try (var _ = Autograd.noGrad()) {
            return callWithMasks(xs, masks, CallContext.inference()).masks();
        }
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return computeMasks(List.of(x), Collections.singletonList(mask)).get(0);
    }

    /** An Input's fixed batch size (Keras's batch_shape), or a stateful layer's, or 0 for any. */
    @Override
    public int fixedBatchSize() {
        for (Layer l : graph.layers()) {
            if (l.fixedBatchSize() > 0) {
                return l.fixedBatchSize();
            }
        }
        return 0;
    }

    // ---- weights ----

    /** Every weight, layer by layer, in Keras's get_weights() order (a weight shared by two layers once). */
    @Override
    public List<Weight> weights() {
        return ModelLayers.weights(graph.layers());
    }

    @Override
    public long countParams() {
        return ModelLayers.countParams(graph.layers());
    }

    /** Zeroes the states of every stateful recurrent layer (nested models' too). */
    public void resetStates() {
        ModelLayers.resetStates(graph.layers());
    }

    /** Keras 3's summary table; with a "Connected to" column unless the graph is a plain chain. */
    public String summary() {
        return Summary.of(this, graph, null);
    }

    /**
     * Keras 3's summary of this model of one input behind a weightless string layer (KerasModel's
     * text front), as Keras prints {@code Model(string_input, ...)}: the InputLayer's row shows
     * {@code stringInputShape} (e.g. "(None, 1)"), then a row for {@code frontName (frontClass)} with
     * this model's input shape, and the layers the input fed are connected to the front instead.
     *
     * @throws IllegalArgumentException for a model of several inputs
     */
    public String summaryWithFront(String frontName, String frontClass, String stringInputShape) {
        return Summary.of(this, graph, Summary.Front.of(this, frontName, frontClass, stringInputShape));
    }

    // ---- compile, fit, evaluate, predict ----

    /**
     * The same loss for every output (Keras's single loss), and metrics for a model of one output;
     * a null loss is Keras's {@code loss=None} (see {@link #compile(Optimizer)}).
     *
     * @throws IllegalArgumentException for metrics on a model of several outputs (metrics keep
     *                                  state: give each output its own with the list form)
     */
    public void compile(Optimizer optimizer, Loss loss, Metric... metrics) {
        compile(optimizer, loss == null ? null : Collections.nCopies(outputs.size(), loss), null,
                ModelCompile.firstOutputMetrics(name(), outputNames, metrics));
    }

    /**
     * Keras's {@code compile(optimizer)} with no loss: for a model whose layers add its whole loss
     * ({@code add_loss}, ActivityRegularization, activity regularizers), trained with
     * {@link #fit(List, Fit)} on inputs alone; fit refuses a model that has no loss at all.
     */
    public void compile(Optimizer optimizer) {
        compile(optimizer, null, null, null, null);
    }

    /** One loss and one list of metrics per output, in output order. */
    public void compile(Optimizer optimizer, List<Loss> losses, List<List<Metric>> metrics) {
        compile(optimizer, losses, null, metrics);
    }

    /**
     * One loss, loss weight and list of metrics per output (Keras's loss_weights: the training loss
     * is {@code Σ weight_i · loss_i}; null weights mean none; null losses are Keras's loss=None).
     *
     * @throws IllegalArgumentException for lists of another length than the outputs, naming them
     */
    public void compile(Optimizer optimizer, List<Loss> losses, List<Double> lossWeights,
            List<List<Metric>> metrics) {
        compile(optimizer, losses, lossWeights, metrics, null);
    }

    /**
     * As {@link #compile(Optimizer, List, List, List)}, with Keras's {@code weighted_metrics} per
     * output (null for none): updated with the sample and class weights; one that shares a
     * metric's name is logged as {@code <output>_weighted_<name>}, as Keras does.
     */
    public void compile(Optimizer optimizer, List<Loss> losses, List<Double> lossWeights,
            List<List<Metric>> metrics, List<List<Metric>> weightedMetrics) {
        this.compiled = ModelCompile.setup(name(), outputNames, optimizer, losses, lossWeights, metrics,
                weightedMetrics);
    }

    /**
     * Keras's {@code compile(loss={"priority": ..., "department": ...}, loss_weights={...})}: a loss (and
     * weight, or null for none) per output name ({@link #outputNames()}).
     *
     * @throws IllegalArgumentException naming a missing or unknown output name
     */
    public void compile(Optimizer optimizer, Map<String, Loss> losses, Map<String, Double> lossWeights) {
        compile(optimizer, ByName.perOutput(this, "compile", "losses", losses),
                lossWeights == null ? null : ByName.perOutput(this, "compile", "loss_weights", lossWeights), null);
    }

    /** The optimizer given to compile, or null. */
    @Override
    public Optimizer optimizer() {
        return compiled == null ? null : compiled.optimizer();
    }

    /** The loss of each output given to compile (empty before compile, or when compiled without loss). */
    public List<Loss> losses() {
        return compiled == null ? List.of() : compiled.losses();
    }

    /** The loss weights given to compile, or null for none (or before compile). */
    public List<Double> lossWeights() {
        return compiled == null ? null : compiled.lossWeights();
    }

    /** The metrics of each output given to compile (empty before compile). */
    public List<List<Metric>> metricsPerOutput() {
        return compiled == null ? List.of() : compiled.metrics();
    }

    /** The weighted metrics of each output given to compile (empty before compile). */
    public List<List<Metric>> weightedMetricsPerOutput() {
        return compiled == null ? List.of() : compiled.weightedMetrics();
    }

    /** Every compiled weighted metric, output by output (empty before compile). */
    @Override
    public List<Metric> weightedMetrics() {
        return compiled == null ? List.of() : compiled.weightedMetrics().stream().flatMap(List::stream).toList();
    }

    /** Every compiled metric, output by output (empty before compile). */
    @Override
    public List<Metric> metrics() {
        return compiled == null ? List.of() : compiled.metrics().stream().flatMap(List::stream).toList();
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

    /** Trains on one tensor per input and one label tensor per output with Keras's default options. */
    public History fit(List<Tensor> x, List<Tensor> y) {
        return fit(x, y, Fit.defaults());
    }

    /**
     * Trains as Keras's fit does and returns the per-epoch logs; {@code y} null is Keras's
     * {@code fit(x, None)}, for a model compiled without a loss.
     *
     * @throws IllegalArgumentException before any training for inputs or labels of the wrong number or shape,
     *     or no labels for a model compiled with a loss or metrics
     * @throws IllegalStateException if not compiled
     */
    public History fit(List<Tensor> x, List<Tensor> y, Fit options) {
        return new Training(trainer()).fit(x, y, options);
    }

    /**
     * Keras's {@code fit({"title": ..., ...}, {"priority": ..., ...})}: inputs by Input name, targets by output
     * name ({@link #outputNames()}), as {@link #fit(List, List, Fit)}.
     */
    public History fit(Map<String, Tensor> x, Map<String, Tensor> y, Fit options) {
        return fit(ByName.inputs(this, "fit", x), ByName.perOutput(this, "fit", "targets", y), options);
    }

    /** Keras's {@code predict({"title": ..., ...})}: inputs by Input name; the outputs in output order. */
    public List<Tensor> predict(Map<String, Tensor> x) {
        return predict(ByName.inputs(this, "predict", x));
    }

    /** Keras's {@code fit(x)} with no targets, for a model compiled without a loss (see {@link #compile(Optimizer)}). */
    public History fit(List<Tensor> x, Fit options) {
        return fit(x, null, options);
    }

    /** {@link #fit(List, List, Fit)} for a model of one input and one output ({@code y} null: no targets). */
    public History fit(Tensor x, Tensor y, Fit options) {
        return fit(List.of(x), y == null ? null : List.of(y), options);
    }

    /** One gradient step on one batch; returns its loss (with regularization). */
    public double trainOnBatch(List<Tensor> x, List<Tensor> y) {
        return trainOnBatch(x, y, null);
    }

    /** One gradient step on one batch with a weight per sample (or null); returns its loss. */
    public double trainOnBatch(List<Tensor> x, List<Tensor> y, Tensor sampleWeight) {
        return new Training(trainer()).trainOnBatch(x, y, sampleWeight);
    }

    /**
     * Keras's {@code train_on_batch(..., return_dict=True)}: the logs of one optimizer step (the loss and the
     * metrics, reset first), or what the {@linkplain #customSteps() custom train step} returned.
     */
    public Map<String, Double> trainOnBatchLogs(List<Tensor> x, List<Tensor> y, Tensor sampleWeight) {
        return new Training(trainer()).trainOnBatchLogs(x, y, sampleWeight);
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
    public Evaluation testOnBatch(List<Tensor> x, List<Tensor> y) {
        return evaluate(x, y, null, Math.max(1, x.get(0).dim(0)));
    }

    /** The loss and metrics over the data, in batches of 32. */
    public Evaluation evaluate(List<Tensor> x, List<Tensor> y) {
        return evaluate(x, y, 32);
    }

    public Evaluation evaluate(List<Tensor> x, List<Tensor> y, int batchSize) {
        return evaluate(x, y, null, batchSize);
    }

    /** The loss (each sample's weighted by {@code sampleWeight}, or null, on every output) and metrics. */
    public Evaluation evaluate(List<Tensor> x, List<Tensor> y, Tensor sampleWeight, int batchSize) {
        return new Training(trainer()).evaluate(x, y, sampleWeight, batchSize);
    }

    /** {@link #evaluate(List, List)} for a model of one input and one output ({@code y} null: no targets). */
    public Evaluation evaluate(Tensor x, Tensor y) {
        return evaluate(List.of(x), y == null ? null : List.of(y));
    }

    /** Keras's {@code evaluate(x)} with no targets, for a model compiled without a loss; batches of 32. */
    public Evaluation evaluate(List<Tensor> x) {
        return evaluate(x, null, null, 32);
    }

    /**
     * The outputs for the inputs, computed in batches of 32, or of the model's fixed batch size when
     * it has one (an Input's batch_shape, a stateful layer's states).
     */
    public List<Tensor> predict(List<Tensor> x) {
        return predict(x, fixedBatchSize() > 0 ? fixedBatchSize() : 32);
    }

    /**
     * The outputs (one tensor per output) for the inputs, computed in batches of {@code batchSize}
     * with no graph recorded.
     *
     * @throws IllegalArgumentException for inputs of the wrong number or shape, naming the input, or
     *     batches a fixed batch size or a stateful layer cannot take (checked before any runs)
     */
    public List<Tensor> predict(List<Tensor> x, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException(name() + ".predict: batch_size must be >= 1, got " + batchSize);
        }
        checkInputs(x, "predict");
        checkBatches(x.get(0).dim(0), batchSize, "predict");
        return Prediction.run(device(), x, batchSize, () -> outputShapes(x.stream().map(t -> t.shape().tail()).toList()),
                xs -> graph.run(xs, CallContext.inference()), this::weights, graph.layers());
    }

    /**
     * The output of a model of one input and one output.
     *
     * @throws IllegalArgumentException for a model of several inputs or outputs
     */
    public Tensor predict(Tensor x) {
        if (outputs.size() != 1) {
            throw new IllegalArgumentException(name() + ".predict: the model has " + outputs.size() + " outputs "
                    + outputNames + "; use predict(List<Tensor>)");
        }
        return predict(List.of(x)).get(0);
    }

    /** The outputs for one batch, in one call. */
    public List<Tensor> predictOnBatch(List<Tensor> x) {
        return predict(x, Math.max(1, x.isEmpty() ? 1 : x.get(0).dim(0)));
    }

    /** This model as the shared training loop sees it. */
    private Trainable trainer() {
        return new ModelTrainer(this, graph, compiled);
    }
}
