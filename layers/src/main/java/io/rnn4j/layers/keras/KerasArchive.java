package io.rnn4j.layers.keras;

import io.rnn4j.layers.Layer;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizer;
import io.rnn4j.layers.optimizers.OptimizerState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the {@code .keras} archive as Keras 3 does — {@code metadata.json}, {@code config.json},
 * {@code model.weights.h5}, stored uncompressed — into a temporary file beside the target, then
 * renames it over the target.
 */
final class KerasArchive {
    private static final System.Logger LOG = System.getLogger("io.rnn4j.layers.keras");
    /** The Keras version whose layout is written (the file format, not a claim about who wrote it). */
    static final String KERAS3_FORMAT = "3.10.0";
    /** Marks an archive whose hard_sigmoid is Keras 2's, so that rnn4j reads it back as such. */
    static final String KERAS2_FORMAT = "2.15.0";

    private KerasArchive() {
    }

    static void save(Sequential model, Path file) throws IOException {
        checkExtension(file);
        io.rnn4j.layers.internal.AtomicFiles.write(file, archive(model));
    }

    /** The bytes of a Sequential model's {@code .keras} archive. */
    static byte[] archive(Sequential model) throws IOException {
        return archive(model, null);
    }

    /** The bytes of a Sequential model's archive, with the text front it was loaded with (or null). */
    static byte[] archive(Sequential model, TextInputs.TextInput text) throws IOException {
        if (!model.isBuilt()) {
            throw new IllegalStateException(model.name() + ": build the model before saving it");
        }
        ConfigWriter cw = new ConfigWriter();
        Map<String, Object> config = cw.model(model);
        Optimizer opt = model.optimizer();
        if (opt != null) {
            compileConfig(config, new CompileConfig.Setup(opt,
                    model.loss() == null ? List.of() : List.of(model.loss()), null,
                    List.of(model.metrics()), List.of(model.weightedMetrics())), true, model.name());
        }
        return archive(config, cw.keras2(), model.layers(), opt == null ? null : opt.state(model.weights()),
                model.name(), text);
    }

    /**
     * Keras 3's model.save takes {@code .keras} (and writes its legacy HDF5 format for {@code .h5},
     * which rnn4j reads but does not write) and raises for anything else; the name is checked as
     * Keras checks it, case and all, since Keras's load_model goes by it too.
     */
    static void checkExtension(Path file) {
        Objects.requireNonNull(file, "file");
        Path name = file.getFileName();
        if (name != null && name.toString().endsWith(".keras")) {
            return;
        }
        String legacy = name != null && (name.toString().endsWith(".h5") || name.toString().endsWith(".hdf5"))
                ? "rnn4j does not write the legacy HDF5 format that Keras writes for .h5 (it reads it: Models.load). "
                : "";
        throw new IllegalArgumentException("Invalid filepath extension for saving. rnn4j saves a whole model only as "
                + "a Keras 3 .keras archive (Keras's native format): add a .keras extension. " + legacy
                + "Received: filepath=" + file + ".");
    }

    /** Adds Keras 3's compile_config, or warns naming what Keras could not rebuild. */
    private static void compileConfig(Map<String, Object> config, CompileConfig.Setup setup, boolean single,
            String model) {
        List<String> missing = new ArrayList<>();
        CompileConfig.of(setup, single, missing).ifPresentOrElse(c -> config.put("compile_config", c),
                () -> LOG.log(System.Logger.Level.WARNING, "{0}: saved without its compile_config, since Keras has "
                        + "no class for {1}; Keras will load it uncompiled", model, missing));
    }

    static void save(Model model, Path file) throws IOException {
        checkExtension(file);
        io.rnn4j.layers.internal.AtomicFiles.write(file, archive(model));
    }

    /** The bytes of a functional model's {@code .keras} archive. */
    static byte[] archive(Model model) throws IOException {
        return archive(model, null);
    }

    /** The bytes of a functional model's archive, with the text front it was loaded with (or null). */
    static byte[] archive(Model model, TextInputs.TextInput text) throws IOException {
        ConfigWriter cw = new ConfigWriter();
        Map<String, Object> config = new FunctionalWriter(cw).model(model);
        Optimizer opt = model.optimizer();
        if (opt != null) {
            compileConfig(config, new CompileConfig.Setup(opt, model.losses(), model.lossWeights(),
                    model.metricsPerOutput(), model.weightedMetricsPerOutput()), model.outputs().size() == 1,
                    model.name());
        }
        return archive(config, cw.keras2(), model.layers(), opt == null ? null : opt.state(model.weights()),
                model.name(), text);
    }

    private static byte[] archive(Map<String, Object> modelConfig, boolean keras2, List<Layer> layers,
            OptimizerState optimizer, String model, TextInputs.TextInput text) throws IOException {
        if (text != null) {
            TextInputs.insert(modelConfig, text);
        }
        String config = Json.write(modelConfig);
        if (keras2) {
            LOG.log(System.Logger.Level.WARNING, "{0}: the model uses Keras 2''s hard_sigmoid (clip(0.2·x + 0.5, 0, 1)),"
                    + " which Keras 3 does not have; the archive says keras_version {1} so that rnn4j reads it back "
                    + "with the same numbers, but Keras 3 would read hard_sigmoid as relu6(x + 3)/6 and tf.keras 2.15 "
                    + "cannot read all of this Keras 3 layout: only rnn4j computes this model from the file", model,
                    KERAS2_FORMAT);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("keras_version", keras2 ? KERAS2_FORMAT : KERAS3_FORMAT);
        meta.put("date_saved", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")));
        meta.put("saved_by", "rnn4j");
        // The archive is built in memory, so that a file is written whole or not at all.
        Map<String, float[]> others = new LinkedHashMap<>(text == null ? Map.of() : TextInputs.variables(text));
        others.putAll(NumericPreprocessingLayers.variables(layers));
        byte[] weights = WeightWriter.bytes(layers, optimizer, others);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            stored(z, "metadata.json", Json.write(meta).getBytes(StandardCharsets.UTF_8));
            stored(z, "config.json", config.getBytes(StandardCharsets.UTF_8));
            stored(z, "model.weights.h5", weights);
            if (text != null) {
                for (Map.Entry<String, byte[]> asset : TextInputs.assets(text).entrySet()) {
                    stored(z, asset.getKey(), asset.getValue());
                }
            }
            for (Map.Entry<String, byte[]> asset : NumericPreprocessingLayers.assets(layers).entrySet()) {
                stored(z, asset.getKey(), asset.getValue());
            }
        }
        return bytes.toByteArray();
    }

    private static void stored(ZipOutputStream z, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        z.putNextEntry(e);
        z.write(data);
        z.closeEntry();
    }
}
