package io.rnn4j.layers.keras;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Hashing;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.StringLookup;
import io.rnn4j.layers.TextVectorization;
import io.rnn4j.layers.model.Evaluation;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.model.StepRunner;
import io.rnn4j.layers.optimizers.Optimizer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A model loaded from a Keras file: a {@link Sequential} for Keras's Sequential models, a
 * functional {@link Model} for the others — either can be compiled, trained further, predicted
 * with and saved again. {@link #predict(Tensor)} gives Keras's outputs. A model whose string input
 * goes into a TextVectorization or StringLookup holds that front ({@link #predictText}); one built in
 * Java gets it with {@link #withTextFront(TextVectorization, Sequential)}, to be saved as one Keras
 * file that takes raw strings.
 */
public final class KerasModel {
    private static final System.Logger LOG = System.getLogger("io.rnn4j.layers.keras");
    /** Keras's default batch_size for predict. */
    private static final int KERAS_BATCH_SIZE = 32;

    private final Sequential sequential;
    private final Model functional;
    /** The layers in the file's order (Keras's model.layers), which its weights follow. */
    private final List<Layer> fileLayers;
    private final String kerasVersion;
    private final String trainingConfig;
    /** The optimizer state the file holds (Keras 3 files), and the file, for messages; null if none. */
    private OptimizerVars optimizerVars;
    private String optimizerFile;
    /** The string input's TextVectorization, when the file's model takes text; null otherwise. */
    private TextInputs.TextInput text;

    KerasModel(Sequential sequential, Model functional, List<Layer> fileLayers, String kerasVersion,
            String trainingConfig) {
        if ((sequential == null) == (functional == null)) {
            throw new IllegalArgumentException("a KerasModel is either Sequential or functional");
        }
        this.sequential = sequential;
        this.functional = functional;
        this.fileLayers = fileLayers != null ? List.copyOf(fileLayers) : null;
        this.kerasVersion = kerasVersion;
        this.trainingConfig = trainingConfig;
    }

    /**
     * Keras's {@code Sequential([Input(shape=(1,), dtype="string"), vectorizer, ...model's layers])}:
     * the model, built in Java on the vectorizer's output (an Input of its shape per text, e.g.
     * {@code Input.shape(outputSequenceLength)}, or {@code Input.shape(Input.NONE)} without one), with
     * the vectorizer in front of it, as a model loaded from such a file. {@link #predictText},
     * {@link #fitText} and {@link #evaluateText} take raw texts; {@link #predict(Tensor)}, fit and
     * the model itself keep taking the vectorizer's output; {@link Models#save(KerasModel, java.nio.file.Path)}
     * writes the string InputLayer, the TextVectorization's config and its vocabulary (and idf
     * weights) as Keras does, so that Keras's {@code load_model} runs the file on raw strings. The
     * model and the vectorizer are shared, not copied: adapting the vectorizer later changes what
     * this predicts and saves.
     *
     * @throws IllegalArgumentException when the vectorizer's output per text is not the model's input,
     *                                  or a model layer has its name
     * @throws IllegalStateException    when the model is not built (it has no Input)
     */
    public static KerasModel withTextFront(TextVectorization vectorizer, Sequential model) {
        return front(new TextFront(Objects.requireNonNull(vectorizer, "vectorizer"), null, null), model);
    }

    /**
     * {@link #withTextFront(TextVectorization, Sequential)} for a functional model of one input,
     * which the vectorizer feeds (Keras's {@code Model(string_input, model(vectorizer(string_input)))}
     * written flat, the vectorizer applied to the string input).
     */
    public static KerasModel withTextFront(TextVectorization vectorizer, Model model) {
        return front(new TextFront(Objects.requireNonNull(vectorizer, "vectorizer"), null, null), model);
    }

    /**
     * Keras's {@code Sequential([Input(shape=(n,), dtype="string"), lookup, ...model's layers])}: as
     * {@link #withTextFront(TextVectorization, Sequential)}, with a StringLookup taking rows of n
     * string tokens ({@link #predictTokens}): n is the model's input length in int mode (and the first
     * of its two axes for one_hot), 1 in the other modes (one token per row, {@link #predictText}).
     */
    public static KerasModel withTextFront(StringLookup lookup, Sequential model) {
        return front(new TextFront(null, Objects.requireNonNull(lookup, "lookup"), null), model);
    }

    /** {@link #withTextFront(StringLookup, Sequential)} for a functional model of one input. */
    public static KerasModel withTextFront(StringLookup lookup, Model model) {
        return front(new TextFront(null, Objects.requireNonNull(lookup, "lookup"), null), model);
    }

    private static KerasModel front(TextFront front, Layer model) {
        Objects.requireNonNull(model, "model");
        KerasModel m;
        io.rnn4j.layers.Input input;
        if (model instanceof Sequential s) {
            if (!s.isBuilt()) {
                throw new IllegalStateException(s.name() + ": build the model before putting " + front.className()
                        + " '" + front.name() + "' in front of it: give it an Input of the front's output shape");
            }
            m = new KerasModel(s, null, null, null, null);
            input = s.inputs().get(0);
        } else {
            Model f = (Model) model;
            if (f.inputs().size() != 1) {
                throw new IllegalArgumentException(f.name() + ": the model takes " + f.inputs().size() + " inputs; "
                        + front.className() + " '" + front.name() + "' goes in front of a model of one input");
            }
            m = new KerasModel(null, f, f.layers(), null, null);
            input = f.inputs().get(0);
        }
        m.text = TextInputs.attach(front, model.name(), input, m.layers());
        return m;
    }

    /** Whether the file held a Sequential model ({@link #sequential()}); false for a functional one. */
    public boolean isSequential() {
        return sequential != null;
    }

    /**
     * The model as a Sequential, to compile, fit, step or summarise.
     *
     * @throws IllegalStateException for a functional model (use {@link #functional()})
     */
    public Sequential sequential() {
        if (sequential == null) {
            throw new IllegalStateException("the file holds a functional model '" + functional.name()
                    + "', not a Sequential; use functional()");
        }
        return sequential;
    }

    /**
     * The functional model, to compile, fit or summarise.
     *
     * @throws IllegalStateException for a Sequential model (use {@link #sequential()})
     */
    public Model functional() {
        if (functional == null) {
            throw new IllegalStateException("the file holds a Sequential model '" + sequential.name()
                    + "', not a functional one; use sequential()");
        }
        return functional;
    }

    /** The model's name. */
    public String name() {
        return sequential != null ? sequential.name() : functional.name();
    }

    /**
     * The layers in Keras's model.layers order (a functional model's InputLayers included, as Keras
     * does), and its operations ({@link io.rnn4j.layers.Operation}: GetItem, x + y, keras.ops...), in
     * config.json's order, which Keras's model.layers leaves out.
     */
    public List<Layer> layers() {
        return sequential != null ? sequential.layers() : fileLayers;
    }

    /**
     * The layer named {@code name} (its name in the Keras config).
     *
     * @throws IllegalArgumentException naming the layers there are
     */
    public Layer layer(String name) {
        for (Layer l : layers()) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("no layer '" + name + "'; layers are "
                + layers().stream().map(Layer::name).toList());
    }

    void textInput(TextInputs.TextInput t) {
        this.text = t;
    }

    TextInputs.TextInput textInput() {
        return text;
    }

    /**
     * The TextVectorization the file's string input goes into, when the model takes text: the
     * loaded model itself starts after it, on its ids or vectors ({@link #inputShape(int)} is their
     * shape), so {@link #predict(Tensor)}, fit, evaluate and the step runner take
     * {@code textVectorization().apply(texts)}; {@link #predictText} does both steps, per batch of
     * texts as Keras's predict (which matters without output_sequence_length). Adapting it or
     * setting its vocabulary changes what saving writes.
     */
    public Optional<TextVectorization> textVectorization() {
        return Optional.ofNullable(text).map(TextInputs.TextInput::vectorizer);
    }

    /**
     * The StringLookup the file's string input goes into, when the model takes string tokens; as
     * with {@link #textVectorization()}, the loaded model starts after it, on its ids or vectors.
     */
    public Optional<StringLookup> stringLookup() {
        return Optional.ofNullable(text).map(t -> t.front().lookup());
    }

    /**
     * The Hashing the file's string input goes into, when the model hashes string tokens; as with
     * {@link #textVectorization()}, the loaded model starts after it, on its bin ids or vectors.
     */
    public Optional<Hashing> hashing() {
        return Optional.ofNullable(text).map(t -> t.front().hashing());
    }

    /**
     * Keras's {@code model.predict(texts)} for a model whose string input goes into a
     * TextVectorization: each text (one per row, as Keras's {@code (batch, 1)} string input) is
     * vectorized, then the model predicts on that, at inference. For a StringLookup or a Hashing on a
     * string input of shape {@code (1,)}, each string is one token ({@link #predictTokens}). Texts go in batches of
     * 32, Keras's default batch_size: see {@link #predictText(List, int)}.
     *
     * @throws IllegalStateException    when the model takes no text, or has several inputs or outputs
     * @throws IllegalArgumentException for a null text or one with a lone surrogate
     */
    public Tensor predictText(List<String> texts) {
        return predictText(texts, KERAS_BATCH_SIZE);
    }

    /**
     * Keras's {@code model.predict(texts, batch_size=batchSize)}: as {@link #predictText(List)}, in
     * batches of {@code batchSize} texts. Without output_sequence_length Keras's TextVectorization
     * pads each batch to its own longest text, so where nothing masks that padding (an Embedding
     * without mask_zero) the numbers depend on the batch size, in Keras and here alike.
     *
     * @throws IllegalArgumentException for a batch size below 1, a null text or one with a lone
     *                                  surrogate, or outputs whose shape differs between batches
     *                                  (they follow each batch's padded length: Keras joins them into a
     *                                  ragged tensor, rnn4j has none)
     * @throws IllegalStateException    when the model takes no text, or has several inputs or outputs
     */
    public Tensor predictText(List<String> texts, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException(name() + ".predictText: batch_size must be >= 1, got " + batchSize);
        }
        if (text == null) {
            throw new IllegalStateException(name() + ": the model takes no string input (its inputs have shapes "
                    + java.util.stream.IntStream.range(0, inputCount()).mapToObj(this::inputShape).toList()
                    + "); use predict(Tensor)");
        }
        if (text.vectorizer() == null) {
            Objects.requireNonNull(texts, "texts");
            return predictTokens(texts.stream().map(List::of).toList());
        }
        TextVectorization v = text.vectorizer();
        Objects.requireNonNull(texts, "texts");
        if (v.outputMode() != TextVectorization.OutputMode.INT || v.outputSequenceLength() != null
                || texts.size() <= batchSize) {
            return predict(v.apply(texts)); // every batch has the same shape: no need to split
        }
        return predictTextBatches(v, texts, batchSize);
    }

    /** Each batch of texts vectorized on its own (padded to its longest text, as in Keras) and predicted. */
    private Tensor predictTextBatches(TextVectorization v, List<String> texts, int batchSize) {
        Tensor out = null;
        for (int from = 0; from < texts.size(); from += batchSize) {
            int count = Math.min(batchSize, texts.size() - from);
            Tensor y = predict(v.apply(texts.subList(from, from + count)));
            if (out == null) {
                out = y.device().zeros(y.shape().with(0, texts.size()));
            } else if (!y.shape().tail().equals(out.shape().tail())) {
                throw new IllegalArgumentException(name() + ".predictText: the outputs of texts " + from + " to "
                        + (from + count - 1) + " have the shape " + y.shape().tail() + " per text, those before "
                        + out.shape().tail() + ": the output follows each batch's padded length (TextVectorization '"
                        + v.name() + "' has no output_sequence_length); Keras joins such batches into a ragged "
                        + "tensor, which rnn4j has not: set output_sequence_length or predict batch by batch");
            }
            y.device().copy(y, out.narrow(from, count));
        }
        return out;
    }

    /**
     * Keras's {@code model.predict(tokens)} for a model whose string input of shape {@code (n,)} goes
     * into a StringLookup or a Hashing: rows of n tokens are looked up or hashed, then the model
     * predicts on that. {@link #predictText} does the same for n = 1, one token per string.
     *
     * @throws IllegalStateException    when the model's string input goes into neither
     * @throws IllegalArgumentException for rows not of the input's length, naming the row
     */
    public Tensor predictTokens(List<List<String>> rows) {
        return predict(lookupTokens(rows));
    }

    /** The StringLookup's (or Hashing's) output for rows of the string input's length, checked. */
    private Tensor lookupTokens(List<List<String>> rows) {
        if (text == null || text.vectorizer() != null) {
            throw new IllegalStateException(name() + ": the model's input goes into no StringLookup or Hashing"
                    + (text != null ? " (it takes whole texts: predictText)" : ""));
        }
        int n = text.batchShape().size() == 2 ? ((Number) text.batchShape().get(1)).intValue() : 1;
        for (int r = 0; r < rows.size(); r++) {
            if (rows.get(r) == null || rows.get(r).size() != n) {
                throw new IllegalArgumentException(name() + ": " + text.front().className() + " '"
                        + text.front().name() + "' takes rows of " + n
                        + " tokens (its string input's shape), row " + r + " has "
                        + (rows.get(r) == null ? "none (null)" : rows.get(r).size()));
            }
        }
        return text.front().applyTokens(rows);
    }

    /** The number of inputs the model takes. */
    public int inputCount() {
        return sequential != null ? 1 : functional.inputs().size();
    }

    /** The shape of one sample of input {@code i} (no batch dimension). */
    public Shape inputShape(int i) {
        if (sequential != null) {
            Objects.checkIndex(i, 1);
            return sequential.inputShape();
        }
        return functional.inputShapes().get(i);
    }

    /**
     * Keras's {@code model.predict(x)} for a model of one input and one output, at inference (no
     * dropout).
     *
     * @throws IllegalArgumentException for an input of the wrong shape, naming the layer
     * @throws IllegalStateException    for a model of several inputs or outputs (use {@link #predict(List)})
     */
    public Tensor predict(Tensor x) {
        if (sequential != null) {
            return sequential.predict(x);
        }
        if (functional.inputs().size() != 1 || functional.outputs().size() != 1) {
            throw new IllegalStateException("the model has " + functional.inputs().size() + " inputs and "
                    + functional.outputs().size() + " outputs; use predict(List)");
        }
        return functional.predict(List.of(x)).get(0);
    }

    /**
     * Keras's {@code model.fit(x, y)} on the loaded model, of one input and one output: the
     * Sequential's or the functional model's fit. Compile it first ({@link #compileFromConfig()},
     * {@code Models.load(path, true)}, or {@link #sequential()}/{@link #functional()}'s compile).
     * {@code y} null is Keras's {@code fit(x)}, for a model compiled without a loss (a file whose
     * compile_config has {@code loss: null}: its layers add the loss).
     *
     * @throws IllegalStateException if it is not compiled, or has several inputs or outputs
     */
    public History fit(Tensor x, Tensor y, Fit options) {
        return sequential != null ? sequential.fit(x, y, options) : functional.fit(x, y, options);
    }

    /**
     * Keras's {@code model.evaluate(x, y)} on the loaded model, of one input and one output, as
     * {@link #fit} runs it.
     *
     * @throws IllegalStateException if it is not compiled, or has several inputs or outputs
     */
    public Evaluation evaluate(Tensor x, Tensor y) {
        return sequential != null ? sequential.evaluate(x, y) : functional.evaluate(x, y);
    }

    /** Keras's {@code model.fit(x)}: {@link #fit(Tensor, Tensor, Fit)} with no targets. */
    public History fit(Tensor x, Fit options) {
        return fit(x, null, options);
    }

    /** Keras's {@code model.evaluate(x)}: {@link #evaluate(Tensor, Tensor)} with no targets. */
    public Evaluation evaluate(Tensor x) {
        return evaluate(x, null);
    }

    /**
     * Keras's {@code model.fit(texts, y)} for a model whose string input goes into its text front:
     * each text (or, for a StringLookup on a string input of shape {@code (1,)}, each token) through
     * the front, then {@link #fit} on that, which Keras's fit does batch by batch. The front's output
     * must have one shape for every batch (a TextVectorization with output_sequence_length, or in a
     * vector mode; a StringLookup): Keras pads each batch of texts to its own longest text otherwise,
     * after shuffling, which rnn4j does not reproduce. Fit's validation data are the front's output
     * ({@code textVectorization().apply(texts)}).
     *
     * @throws IllegalStateException    when the model takes no text, is not compiled, pads per batch,
     *                                  or has several inputs or outputs
     * @throws IllegalArgumentException for a null text, one with a lone surrogate, or labels of
     *                                  another count
     */
    public History fitText(List<String> texts, Tensor y, Fit options) {
        return fit(fixedShapeFront("fitText", texts), y, options);
    }

    /**
     * Keras's {@code model.evaluate(texts, y)} for a model with a text front, as {@link #fitText}
     * takes the texts (the same condition on the front's output shape).
     *
     * @throws IllegalStateException    as {@link #fitText}
     * @throws IllegalArgumentException as {@link #fitText}
     */
    public Evaluation evaluateText(List<String> texts, Tensor y) {
        return evaluate(fixedShapeFront("evaluateText", texts), y);
    }

    /** The front's output for all the texts, where it is what Keras computes batch by batch. */
    private Tensor fixedShapeFront(String op, List<String> texts) {
        if (text == null) {
            throw new IllegalStateException(name() + "." + op + ": the model takes no string input; use "
                    + op.replace("Text", "") + " on tensors");
        }
        Objects.requireNonNull(texts, "texts");
        TextVectorization v = text.vectorizer();
        if (v == null) {
            return lookupTokens(texts.stream().map(List::of).toList());
        }
        if (v.outputMode() == TextVectorization.OutputMode.INT && v.outputSequenceLength() == null) {
            throw new IllegalStateException(name() + "." + op + ": TextVectorization '" + v.name() + "' has no "
                    + "output_sequence_length, so Keras pads each batch of texts to its own longest text"
                    + (op.equals("fitText") ? " (after shuffling)" : "") + "; rnn4j takes the texts as one tensor: "
                    + "set output_sequence_length, or vectorize the "
                    + "texts yourself (textVectorization().apply) and call " + op.replace("Text", ""));
        }
        return v.apply(texts);
    }

    /** Keras's {@code model.predict([x1, x2, ...])}: one batch per input, one tensor per output. */
    public List<Tensor> predict(List<Tensor> inputs) {
        if (sequential != null) {
            if (inputs.size() != 1) {
                throw new IllegalArgumentException("the model takes 1 input, got " + inputs.size());
            }
            return List.of(sequential.predict(inputs.get(0)));
        }
        return functional.predict(inputs);
    }

    /**
     * A runner feeding the model one time step at a time ({@link StepRunner}): the Sequential's,
     * or a functional model's when it is a plain chain of one input to one output.
     *
     * @throws IllegalArgumentException naming a layer that cannot run step by step, or where a
     *                                  functional graph is not a plain chain
     */
    public StepRunner stepRunner() {
        return sequential != null ? sequential.stepRunner() : functional.stepRunner();
    }

    /** Zeroes the states of every stateful recurrent layer (Keras's reset_states). */
    public void resetStates() {
        if (sequential != null) {
            sequential.resetStates();
        } else {
            functional.resetStates();
        }
    }

    /** Keras's count_params(). */
    public long countParams() {
        return sequential != null ? sequential.countParams() : functional.countParams();
    }

    /** The version of Keras that wrote the file ("2.1.3", "3.9.2"). */
    public Optional<String> kerasVersion() {
        return Optional.ofNullable(kerasVersion);
    }

    /**
     * The training setup saved with the model — Keras 2's {@code training_config} or Keras 3's
     * {@code compile_config} — as the JSON Keras wrote, or empty. {@link #compileFromConfig()}
     * applies it.
     */
    public Optional<String> trainingConfig() {
        return Optional.ofNullable(trainingConfig);
    }

    void optimizerState(String file, OptimizerVars vars) {
        this.optimizerFile = file;
        this.optimizerVars = vars;
    }

    /** Whether the file holds an optimizer's state (Keras 3's {@code optimizer/vars}) to restore. */
    public boolean hasOptimizerState() {
        return optimizerVars != null;
    }

    /**
     * Puts the optimizer state the file holds — iteration count, learning rate, moments — into the
     * optimizer the model is compiled with, so that training continues where it stopped, as Keras
     * does when it loads a compiled model. Compile first with the optimizer the file was trained
     * with (the same class and slot options: Adam's amsgrad, SGD's momentum, ...).
     *
     * @throws IllegalStateException if the model is not compiled or the file holds no state
     * @throws KerasFileException    naming what does not fit (another optimizer, the number of
     *                               variables, a shape); the optimizer is then unchanged
     */
    public void restoreOptimizerState() {
        if (optimizerVars == null) {
            throw new IllegalStateException("the file holds no optimizer state");
        }
        Optimizer opt = sequential != null ? sequential.optimizer() : functional.optimizer();
        if (opt == null) {
            throw new IllegalStateException(name() + ": compile the model with its optimizer before restoring the "
                    + "optimizer's state");
        }
        optimizerVars.restore(optimizerFile, opt, sequential != null ? sequential.weights() : functional.weights());
    }

    /**
     * Compiles the model as the file's training setup says, as Keras's {@code load_model} does with
     * {@code compile_config}: the optimizer with its options, each output's loss, the loss weights and
     * the metrics; then, when the file holds the optimizer's state, that state (iterations, moments),
     * so that fit continues where the file's training stopped. A state that does not fit the
     * optimizer (a file whose config names no optimizer, so that Keras's default rmsprop is used) is
     * skipped with a warning, as Keras skips it.
     *
     * @throws IllegalStateException if the file holds no training setup
     * @throws KerasFileException    naming what rnn4j cannot rebuild (a loss of one's own, an
     *                               optimizer option such as use_ema) or what does not fit; the
     *                               model is then not compiled anew
     */
    public void compileFromConfig() {
        if (trainingConfig == null) {
            throw new IllegalStateException(name() + ": the file holds no training setup (compile_config) to compile "
                    + "from; compile the model yourself");
        }
        String where = (optimizerFile != null ? optimizerFile : name()) + ": compile_config";
        Map<String, Object> config = ModelReader.parse(where, "the training setup", trainingConfig);
        List<String> outputs = sequential != null
                ? List.of(sequential.layers().isEmpty() ? sequential.name() : sequential.layers().getLast().name())
                : functional.outputNames();
        CompileConfig.Setup s = CompileConfig.read(where, config, outputs);
        try {
            if (sequential != null) {
                // no losses: compile_config's loss null (Keras's compile(optimizer) for add_loss models)
                sequential.compile(s.optimizer(), s.losses().isEmpty() ? null : s.losses().get(0), s.metrics().get(0),
                        s.weightedMetrics().get(0));
            } else {
                functional.compile(s.optimizer(), s.losses().isEmpty() ? null : s.losses(), s.lossWeights(), s.metrics(),
                        s.weightedMetrics());
            }
        } catch (IllegalArgumentException e) {
            // e.g. F1Score's default average=None: one value per class, which a log entry cannot hold here
            throw new KerasFileException(where + ": the model cannot be compiled as the file says: " + e.getMessage(),
                    e);
        }
        if (optimizerVars != null) {
            try {
                restoreOptimizerState();
            } catch (KerasFileException e) {
                // As Keras: "Skipping variable loading for optimizer ...": compiled, with a fresh state.
                LOG.log(System.Logger.Level.WARNING,
                        "{0}: compiled from the file without its optimizer state: {1}", name(), e.getMessage());
            }
        }
    }

    /**
     * Keras's summary table; a text front shows as Keras shows it: a Sequential's first row, and in
     * a functional model's table the string InputLayer then the front's row.
     */
    public String summary() {
        if (text == null) {
            return sequential != null ? sequential.summary() : functional.summary();
        }
        return sequential != null ? sequential.summaryWithFront(text.front().name(), text.front().className())
                : functional.summaryWithFront(text.front().name(), text.front().className(), stringInputShape());
    }

    /** The string input's batch shape as Keras prints a tuple: (None, 1), or (None,) for one axis. */
    private String stringInputShape() {
        List<String> dims = text.batchShape().stream().map(d -> d == null ? "None" : d.toString()).toList();
        return "(" + String.join(", ", dims) + (dims.size() == 1 ? ",)" : ")");
    }
}
