package io.rnn4j.layers.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.internal.AtomicFiles;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.model.TrainableModel;
import io.rnn4j.layers.optimizers.Optimizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Loading and saving Keras model files.
 *
 * <pre>{@code
 * KerasModel model = Models.load(Path.of("model.keras"));   // or a Keras 2 / tf.keras .h5
 * Tensor y = model.predict(x);                              // Keras's model.predict(x)
 * Models.save(model, Path.of("copy.keras"));
 * }</pre>
 *
 * <ul>
 *   <li>{@link #load(Path)}: a Keras 2 / tf.keras {@code .h5} written by {@code model.save}
 *       (its {@code model_config}, weights and {@code training_config}), or a Keras 3
 *       {@code .keras} archive ({@code config.json}, {@code metadata.json},
 *       {@code model.weights.h5}).</li>
 *   <li>{@link #load(InputStream, String)} and {@link #save(KerasModel, OutputStream)}: the
 *       same from and to a stream (a resource in the application's jar, say), in memory.</li>
 *   <li>{@link #load(Path, Path)}: the JSON of {@code model.to_json()} with the weights of
 *       {@code save_weights} (Keras 2 {@code .h5} or Keras 3 {@code .weights.h5}).</li>
 *   <li>{@link #load(Path, CustomLayers)} (and every load's form with a {@link CustomLayers}):
 *       Keras's {@code custom_objects}, the file's custom layer classes made by Java layers of the
 *       user's; a layer implementing {@link KerasSerializable} is saved as Keras saves such a
 *       class.</li>
 *   <li>{@link #loadWeights}: weights into a model built in Java, matched as Keras's
 *       {@code load_weights} matches them.</li>
 *   <li>{@link #save}: a Keras 3 {@code .keras} archive, written to a temporary file and renamed;
 *       the file name must end in {@code .keras}, as Keras's {@code model.save} requires of its
 *       native format (for {@code .h5} Keras writes its legacy HDF5 format, which rnn4j does not
 *       write).</li>
 * </ul>
 *
 * <p>{@link #saveWeights} is Keras's {@code save_weights}: a Keras 3 {@code .weights.h5}, which
 * {@link #loadWeights} and Keras's {@code load_weights} read.
 *
 * <p>Keras's hard_sigmoid differs between versions: files Keras 2 wrote get
 * {@code clip(0.2x + 0.5, 0, 1)}, the others {@code relu6(x + 3) / 6}. Whatever cannot be loaded
 * exactly — a layer, option or dtype without a counterpart here, a truncated or corrupt file, a
 * weight of the wrong shape — throws {@link KerasFileException} naming it, and nothing is loaded.
 */
public final class Models {
    private static final System.Logger LOG = System.getLogger(Models.class.getName());
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private Models() {
    }

    /**
     * Loads a whole Keras model: a {@code .keras} archive or a Keras 2 / tf.keras {@code .h5},
     * uncompiled ({@link #load(Path, boolean)} also compiles it, as Keras's load_model does).
     *
     * @throws KerasFileException for what cannot be loaded exactly, naming it
     * @throws IOException        if the file cannot be read
     */
    public static KerasModel load(Path file) throws IOException {
        return load(file, CustomLayers.of());
    }

    /**
     * Keras's {@code load_model(file, custom_objects=...)}: loads a whole model as
     * {@link #load(Path)} does, its custom layer classes made by {@code custom} (matched as
     * {@link CustomLayers} says), uncompiled. Each such Java layer is built where the model
     * applies it; its weights, in the order it added them (those created trainable first, as
     * Keras orders a layer's own variables), take the file's variables for that layer: in a
     * {@code .keras} archive the layer's {@code vars/0..n}, in an {@code .h5} its
     * {@code weight_names}. Count and shapes are checked before any weight is set, naming the
     * layer, what it declared and what the file holds. A custom layer whose file group also holds
     * the variables of layers it keeps as attributes (a Dense inside it) is refused.
     *
     * @throws KerasFileException for what cannot be loaded exactly; for a custom class without a
     *                            factory, naming the key to register it under
     * @throws IOException        if the file cannot be read
     */
    public static KerasModel load(Path file, CustomLayers custom) throws IOException {
        byte[] head = head(file);
        if (startsWith(head, ZIP_MAGIC)) {
            try (ArchiveEntries zip = ArchiveEntries.open(file)) {
                return loadKeras3(file.toString(), zip, custom);
            }
        }
        if (startsWith(head, HDF5_MAGIC)) {
            try (HdfFile h5 = H5.open(file)) {
                return loadH5(file.toString(), h5, custom);
            }
        }
        throw new KerasFileException(file + ": neither a .keras archive (zip) nor an HDF5 file: it starts with "
                + hex(head));
    }

    /**
     * Loads a whole Keras model from a stream, as {@link #load(Path)} loads a file (as Keras 3's
     * saving_lib.load_model takes a file object for a {@code .keras}; its public
     * {@code keras.saving.load_model} takes a path only): the bytes of a {@code .keras} archive or an
     * {@code .h5}, such as a resource in the application's jar. The stream is read to its end and
     * left open; the model is built from the bytes in memory (no temporary file).
     *
     * <pre>{@code
     * try (InputStream in = MyService.class.getResourceAsStream("/model.keras")) {
     *     KerasModel model = Models.load(in, "model.keras");
     * }
     * }</pre>
     *
     * @param name what messages call the model (the resource's name, say)
     * @throws NullPointerException if {@code in} is null (a resource that was not found)
     * @throws KerasFileException   for what cannot be loaded exactly, naming it
     * @throws IOException          if the stream cannot be read
     */
    public static KerasModel load(InputStream in, String name) throws IOException {
        return load(in, name, CustomLayers.of());
    }

    /**
     * {@link #load(InputStream, String)} with the model's custom layer classes made by
     * {@code custom}, as {@link #load(Path, CustomLayers)} makes them.
     */
    public static KerasModel load(InputStream in, String name, CustomLayers custom) throws IOException {
        if (in == null) {
            throw new NullPointerException(name + ": no stream to load the model from (getResourceAsStream "
                    + "gives null for a resource it cannot find)");
        }
        byte[] bytes = in.readAllBytes();
        byte[] head = Arrays.copyOf(bytes, Math.min(8, bytes.length));
        if (startsWith(head, ZIP_MAGIC)) {
            return loadKeras3(name, ArchiveEntries.read(name, bytes), custom);
        }
        if (startsWith(head, HDF5_MAGIC)) {
            try (HdfFile h5 = H5.open(bytes, name)) {
                return loadH5(name, h5, custom);
            }
        }
        throw new KerasFileException(name + ": neither a .keras archive (zip) nor an HDF5 file: it starts with "
                + hex(head));
    }

    /**
     * {@link #load(InputStream, String)}, then compiled as {@link #load(Path, boolean)} compiles:
     * Keras's {@code saving_lib.load_model(fileobj, compile=...)}.
     */
    public static KerasModel load(InputStream in, String name, boolean compile) throws IOException {
        return compiled(load(in, name), compile);
    }

    /** {@link #load(InputStream, String, CustomLayers)}, then compiled as {@link #load(Path, boolean)} compiles. */
    public static KerasModel load(InputStream in, String name, boolean compile, CustomLayers custom)
            throws IOException {
        return compiled(load(in, name, custom), compile);
    }

    /**
     * Keras's {@code load_model(file, compile=...)}: {@link #load(Path)}, then, with {@code compile}
     * and a training setup in the file, {@link KerasModel#compileFromConfig()} (its optimizer with
     * its state, losses and metrics), so that fit, evaluate and a ModelCheckpoint's archive carry on
     * as in Keras. A file without a training setup loads uncompiled, as in Keras.
     *
     * @throws KerasFileException for what cannot be loaded exactly, or a training setup rnn4j cannot
     *                            rebuild (the model is then not returned), naming it
     * @throws IOException        if the file cannot be read
     */
    public static KerasModel load(Path file, boolean compile) throws IOException {
        return compiled(load(file), compile);
    }

    /**
     * Keras's {@code load_model(file, custom_objects=..., compile=...)}: {@link #load(Path, CustomLayers)},
     * then compiled as {@link #load(Path, boolean)} compiles. Custom losses, metrics and optimizers
     * are not looked up in {@code custom}: a training setup naming one is refused, naming it.
     */
    public static KerasModel load(Path file, boolean compile, CustomLayers custom) throws IOException {
        return compiled(load(file, custom), compile);
    }

    private static KerasModel compiled(KerasModel m, boolean compile) {
        if (compile && m.trainingConfig().isPresent()) {
            m.compileFromConfig();
        }
        return m;
    }

    /**
     * Loads the architecture Keras's {@code model.to_json()} wrote and the weights of
     * {@code model.save_weights()} (Keras 2 / tf.keras {@code .h5} or Keras 3 {@code .weights.h5}).
     */
    public static KerasModel load(Path json, Path weights) throws IOException {
        return load(json, weights, CustomLayers.of());
    }

    /**
     * {@link #load(Path, Path)} with the model's custom layer classes made by {@code custom}, as
     * {@link #load(Path, CustomLayers)} makes them.
     */
    public static KerasModel load(Path json, Path weights, CustomLayers custom) throws IOException {
        Map<String, Object> config = ModelReader.parse(json.toString(), "the architecture",
                Files.readString(json, StandardCharsets.UTF_8));
        try (HdfFile h5 = openH5(weights)) {
            String file = weights.toString();
            String version = config.get("keras_version") instanceof String v ? v : version(file, h5);
            boolean keras2 = version != null ? isKeras2(version) : !WeightReader.isKeras3(file, h5);
            CustomLayerEntries entries = new CustomLayerEntries(custom);
            KerasModel model = new ModelReader(json.toString(), keras2, entries).read(config, version, null);
            List<Layer> layers = kerasLayers(model);
            if (WeightReader.isKeras3(file, h5)) {
                entries.requireOwnVariablesOnly(file, h5, layers);
            }
            WeightReader.apply(layers, WeightReader.read(file, h5, layers));
            return model;
        }
    }

    /**
     * Keras's {@code model.load_weights(path)}: loads weights into a model built in Java. The file's
     * first bytes say what it is (not its name, so that files saved under any name load):
     * <ul>
     *   <li>HDF5: Keras 3's {@code .weights.h5} ({@code save_weights}, ModelCheckpoint's weights-only
     *       saves, rnn4j's {@link #saveWeights}), matched by Keras 3's paths; or Keras 2 / tf.keras's
     *       {@code save_weights} or {@code model.save} {@code .h5}, matched layer by layer in order
     *       (the layers that have weights, as Keras's load_weights does);</li>
     *   <li>a {@code .keras} archive: the weights of its {@code model.weights.h5};</li>
     *   <li>an rnn4j weights file of earlier versions (header {@code RNN4JWTS}), matched by
     *       position and shape.</li>
     * </ul>
     * Every shape is checked before any weight is set. A Keras 3 file's optimizer state is loaded
     * as Keras's load_weights loads it (Optimizer.load_own_variables): into the model's optimizer
     * when that is built with as many variables (after training); otherwise it is skipped with
     * Keras's warning (a model not trained yet: see {@link KerasModel#compileFromConfig()}).
     *
     * @throws KerasFileException naming the layer and dataset when the file does not fit the model,
     *                            or the file's kind when it is none of these; the model is then
     *                            unchanged
     * @throws IllegalStateException if the model is not built
     */
    public static void loadWeights(Sequential model, Path weights) throws IOException {
        if (!model.isBuilt()) {
            throw new IllegalStateException(model.name() + ": build the model (give it an Input) before loading "
                    + "weights");
        }
        loadWeights(model.layers(), model, weights);
    }

    /**
     * Loads weights into a functional model built in Java, as {@link #loadWeights(Sequential, Path)}
     * does; its {@code layers()} (Inputs included, as Keras 3 counts them) give the Keras 3 paths.
     */
    public static void loadWeights(Model model, Path weights) throws IOException {
        loadWeights(model.layers(), model, weights);
    }

    /** Loads weights into a loaded model, as {@link #loadWeights(Sequential, Path)} does. */
    public static void loadWeights(KerasModel model, Path weights) throws IOException {
        if (model.isSequential()) {
            loadWeights(model.sequential(), weights);
        } else {
            loadWeights(model.functional(), weights);
        }
    }

    private static void loadWeights(List<Layer> layers, TrainableModel model, Path weights) throws IOException {
        byte[] head = head(weights);
        if (startsWith(head, ZIP_MAGIC)) {
            try (ArchiveEntries zip = ArchiveEntries.open(weights)) {
                byte[] bytes = zip.required("model.weights.h5");
                try (HdfFile h5 = H5.open(bytes, weights + "!model.weights.h5")) {
                    String file = weights + "!model.weights.h5";
                    WeightReader.apply(layers, WeightReader.readKeras3(file, h5, layers));
                    loadOptimizerState(file, h5, model);
                }
            }
            return;
        }
        if (startsWith(head, Rnn4jWeightsFile.MAGIC)) {
            model.setWeights(Rnn4jWeightsFile.read(weights, Files.readAllBytes(weights), model.weights()));
            return;
        }
        if (!startsWith(head, HDF5_MAGIC)) {
            throw new KerasFileException(weights + ": not a weights file: neither HDF5 (Keras's .weights.h5 or "
                    + ".h5), a .keras archive (zip) nor an rnn4j weights file (RNN4JWTS): it starts with " + hex(head));
        }
        try (HdfFile h5 = H5.open(weights)) {
            WeightReader.apply(layers, WeightReader.read(weights.toString(), h5, layers));
            if (WeightReader.isKeras3(weights.toString(), h5)) {
                loadOptimizerState(weights.toString(), h5, model);
            }
        }
    }

    /**
     * Keras's Optimizer.load_own_variables: the file's optimizer variables go into a built optimizer
     * of as many variables; else Keras warns "Skipping variable loading for optimizer" and so does this.
     */
    private static void loadOptimizerState(String file, Group root, TrainableModel model) {
        Optimizer opt = model.optimizer();
        OptimizerVars vars = opt == null ? null : OptimizerVars.read(file, root);
        if (vars == null) {
            return;
        }
        try {
            if (!opt.isBuilt()) {
                throw new KerasFileException("the optimizer has not been built yet (it is built by training)");
            }
            vars.restore(file, opt, model.weights());
        } catch (KerasFileException e) {
            LOG.log(System.Logger.Level.WARNING, "Skipping variable loading for optimizer ''{0}'' from {1}: {2}",
                    opt.kerasName(), file, e.getMessage());
        }
    }

    /**
     * Keras's {@code model.save_weights(path)}: every weight of the model (and, once compiled, its
     * optimizer's state under {@code optimizer/vars}) in Keras 3's {@code .weights.h5} layout, the
     * same HDF5 file as a {@code .keras} archive's {@code model.weights.h5}: {@code layers/<path>/vars/<i>},
     * float32, addressed as {@link #loadWeights} and Keras's {@code load_weights} read them. Written
     * to a temporary file and renamed over {@code file} (an existing one is replaced, as Keras's
     * default {@code overwrite=True} does).
     *
     * @throws IllegalArgumentException unless the file name ends in {@code .weights.h5}, as Keras
     *                                  requires (nothing is written then)
     * @throws IllegalStateException    if the model is not built
     * @throws IOException              if the file cannot be written; it is then untouched
     */
    public static void saveWeights(Sequential model, Path file) throws IOException {
        requireWeightsH5(model.name(), file);
        if (!model.isBuilt()) {
            throw new IllegalStateException(model.name() + ": build the model (give it an Input) before saving "
                    + "its weights");
        }
        saveWeights(model.layers(), model, file);
    }

    /**
     * Saves a functional model's weights as {@link #saveWeights(Sequential, Path)} does; a model
     * used as a layer has its weights under its own path, as in a {@code .keras} archive.
     */
    public static void saveWeights(Model model, Path file) throws IOException {
        requireWeightsH5(model.name(), file);
        saveWeights(model.layers(), model, file);
    }

    /** Saves a loaded model's weights as {@link #saveWeights(Sequential, Path)} does. */
    public static void saveWeights(KerasModel model, Path file) throws IOException {
        if (model.isSequential()) {
            saveWeights(model.sequential(), file);
        } else {
            saveWeights(model.functional(), file);
        }
    }

    private static void saveWeights(List<Layer> layers, TrainableModel model, Path file) throws IOException {
        Optimizer opt = model.optimizer();
        byte[] h5 = WeightWriter.bytes(layers, opt == null ? null : opt.state(model.weights()));
        AtomicFiles.write(file, h5);
    }

    /** Keras's save_weights takes only a {@code .weights.h5} name (saving_api.save_weights). */
    private static void requireWeightsH5(String model, Path file) {
        if (!file.toString().endsWith(".weights.h5")) {
            throw new IllegalArgumentException(model + ": saveWeights (Keras's save_weights): the filename must end "
                    + "in `.weights.h5`. Received: filepath=" + file);
        }
    }

    /**
     * Saves a Sequential model as a Keras 3 {@code .keras} archive: {@code config.json},
     * {@code metadata.json} and {@code model.weights.h5}. It is written next to {@code file} and
     * renamed over it, so {@code file} is either the old or the whole new model.
     *
     * <p>The config holds every option with Keras's names — initializers, regularizers and
     * constraints as Keras objects, trainable flags, the model's name; one of the user's own that
     * Keras has no class for is left out with a warning (the weights still give the same
     * predictions). A compiled model's optimizer state goes to {@code optimizer/vars} as Keras 3
     * keeps it ({@link KerasModel#restoreOptimizerState()} puts it back). A model using Keras 2's
     * hard_sigmoid (a Keras 2 file's LSTM or GRU, often) is marked keras_version 2.15.0, so that rnn4j
     * reads it back with the same numbers; saving it logs a warning, since Keras 3 has no such
     * activation (it would read hard_sigmoid as relu6(x + 3)/6) and tf.keras 2.15 cannot read all of
     * the Keras 3 layout: such a file is for rnn4j.
     *
     * @throws IllegalArgumentException when the file name does not end in {@code .keras} (Keras's
     *                                  model.save raises for such a path, or writes its legacy
     *                                  {@code .h5}); nothing is written
     */
    public static void save(Sequential model, Path file) throws IOException {
        KerasArchive.save(model, file);
    }

    /**
     * Saves a functional model as a Keras 3 {@code .keras} archive, as
     * {@link #save(Sequential, Path)} does: the config lists its layers with the tensors each is
     * called on ({@code inbound_nodes}, one entry per call of a shared layer), then its inputs and
     * outputs; a model used as a layer is written whole in its place, its weights under its path.
     * The file name must end in {@code .keras}.
     */
    public static void save(Model model, Path file) throws IOException {
        KerasArchive.save(model, file);
    }

    /**
     * Saves a loaded model as a Keras 3 {@code .keras} archive (see {@link #save(Sequential, Path)});
     * the file name must end in {@code .keras}.
     */
    public static void save(KerasModel model, Path file) throws IOException {
        KerasArchive.checkExtension(file);
        AtomicFiles.write(file, archive(model));
    }

    /** A loaded model's archive, its TextVectorization front (config, vocabulary asset, idf weights) included. */
    private static byte[] archive(KerasModel model) throws IOException {
        TextInputs.TextInput text = model.textInput();
        return model.isSequential() ? KerasArchive.archive(model.sequential(), text)
                : KerasArchive.archive(model.functional(), text);
    }

    /**
     * Writes a model's {@code .keras} archive to a stream, the bytes {@link #save(Sequential, Path)}
     * would write to a file (as Keras 3's saving_lib.save_model writes to a file object; its public
     * {@code model.save} takes a path only); the stream is
     * left open. The archive is built whole before its first byte is written, so a model that
     * cannot be saved writes nothing.
     */
    public static void save(Sequential model, OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        out.write(KerasArchive.archive(model));
    }

    /** Writes a functional model's {@code .keras} archive to a stream, as {@link #save(Sequential, OutputStream)}. */
    public static void save(Model model, OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        out.write(KerasArchive.archive(model));
    }

    /** Writes a loaded model's {@code .keras} archive to a stream, as {@link #save(Sequential, OutputStream)}. */
    public static void save(KerasModel model, OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        out.write(archive(model));
    }

    /**
     * Keras's {@code model.to_json()}: the model's architecture as {@code config.json} of {@link #save} holds it
     * (no weights, no compile_config), which Keras's {@code keras.models.model_from_json} and {@link #fromJson} read.
     */
    public static String toJson(Sequential model) {
        if (!model.isBuilt()) {
            throw new IllegalStateException(model.name() + ": build the model (give it an Input) before to_json");
        }
        return Json.write(new ConfigWriter().model(model));
    }

    /** Keras's {@code model.to_json()} for a functional model (see {@link #toJson(Sequential)}). */
    public static String toJson(Model model) {
        return Json.write(new FunctionalWriter(new ConfigWriter()).model(model));
    }

    /**
     * Keras's {@code keras.models.model_from_json(json, custom_objects)} (and {@code Model.from_config}): a new
     * model of that architecture with freshly initialized weights, drawn from {@link io.rnn4j.layers.Seeds}.
     *
     * @throws KerasFileException naming what in the JSON rnn4j cannot build
     */
    public static KerasModel fromJson(String json, CustomLayers custom) {
        Map<String, Object> config = ModelReader.parse("to_json", "the architecture", json);
        String version = config.get("keras_version") instanceof String v ? v : null;
        boolean keras2 = version != null && isKeras2(version);
        return new ModelReader("to_json", keras2, new CustomLayerEntries(custom)).read(config, version, null);
    }

    /** {@link #fromJson(String, CustomLayers)} for a model of built-in layers only. */
    public static KerasModel fromJson(String json) {
        return fromJson(json, CustomLayers.of());
    }

    // ---- Keras 2 / tf.keras .h5 ----

    private static KerasModel loadH5(String file, HdfFile h5, CustomLayers custom) {
        String config = H5.stringAttribute(file, h5, "model_config");
        if (config == null) {
            throw new KerasFileException(file + ": holds weights only (no model_config attribute); load it with "
                    + "Models.load(architectureJson, weights) or Models.loadWeights(model, weights)");
        }
        String version = version(file, h5);
        boolean keras2 = version == null || isKeras2(version);
        String training = H5.stringAttribute(file, h5, "training_config");
        KerasModel model = new ModelReader(file, keras2, new CustomLayerEntries(custom)).read(
                ModelReader.parse(file, "model_config", config), version, training);
        Node weights = H5.child(file, h5, "model_weights");
        if (!(weights instanceof Group g)) {
            throw new KerasFileException(file + ": has a model_config but no model_weights group");
        }
        List<Layer> layers = kerasLayers(model);
        WeightReader.apply(layers, WeightReader.readKeras2(file, g, layers));
        return model;
    }

    private static String version(String file, HdfFile h5) {
        String v = H5.stringAttribute(file, h5, "keras_version");
        if (v == null && H5.child(file, h5, "model_weights") instanceof Group g) {
            v = H5.stringAttribute(file, g, "keras_version");
        }
        return v;
    }

    static boolean isKeras2(String version) {
        return version.startsWith("1.") || version.startsWith("2.");
    }

    // ---- Keras 3 .keras ----

    private static KerasModel loadKeras3(String file, ArchiveEntries zip, CustomLayers custom) throws IOException {
        String version = null;
        byte[] metadata = zip.get("metadata.json");
        if (metadata != null) {
            Map<String, Object> meta = ModelReader.parse(file, "metadata.json",
                    new String(metadata, StandardCharsets.UTF_8));
            version = meta.get("keras_version") instanceof String v ? v : null;
        }
        Map<String, Object> config = ModelReader.parse(file, "config.json",
                new String(zip.required("config.json"), StandardCharsets.UTF_8));
        boolean keras2 = version != null && isKeras2(version);
        String training = config.get("compile_config") != null ? Json.write(config.get("compile_config")) : null;
        CustomLayerEntries entries = new CustomLayerEntries(custom);
        byte[] weights = zip.required("model.weights.h5");
        // A string input into a TextVectorization: the vectorizer stands in front of the numeric model.
        TextInputs.Extracted text = TextInputs.extract(file, config, zip, weights);
        KerasModel model = new ModelReader(file, keras2, entries).read(text.config(), version, training);
        model.textInput(text.text());
        String h5name = file + "!model.weights.h5";
        try (HdfFile h5 = H5.open(weights, h5name)) {
            List<Layer> layers = kerasLayers(model);
            entries.requireOwnVariablesOnly(h5name, h5, layers);
            NumericPreprocessingLayers.loadState(h5name, zip, h5, layers);
            List<List<Tensor>> values = WeightReader.readKeras3(h5name, h5, layers);
            OptimizerVars optimizer = OptimizerVars.read(h5name, h5);
            WeightReader.apply(layers, values);
            model.optimizerState(h5name, optimizer);
        }
        return model;
    }

    /** Keras's model.layers: a functional model's InputLayers count in Keras 3's naming; they have no weights. */
    private static List<Layer> kerasLayers(KerasModel model) {
        return model.layers();
    }

    private static HdfFile openH5(Path path) throws IOException {
        byte[] head = head(path);
        if (!startsWith(head, HDF5_MAGIC)) {
            throw new KerasFileException(path + ": not an HDF5 file: it starts with " + hex(head));
        }
        return H5.open(path);
    }

    private static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(8);
        }
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x ", x));
        }
        return s.length() == 0 ? "nothing (empty file)" : s.toString().trim();
    }
}
