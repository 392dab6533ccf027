package io.rnn4j.cli.predict;

import io.rnn4j.cli.CliException;
import io.rnn4j.cli.CommonOptions;
import io.rnn4j.cli.OptionChecks;
import io.rnn4j.cli.OutputPaths;
import io.rnn4j.cli.data.Npy;
import io.rnn4j.cli.data.NpyArray;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.keras.KerasFileException;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rnn4j predict}: runs a saved model — rnn4j's or Keras's — on inputs from a file.
 *
 * <pre>{@code
 * KerasModel model = Models.load(Path.of("model.keras"));  // .keras, Keras 2 .h5, or JSON + weights
 * Tensor y = model.predict(x);                             // Keras's model.predict(x)
 * }</pre>
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a saved model on inputs from a file: a Keras 3 .keras file (what rnn4j saves), a Keras 2 "
                + "/ tf.keras .h5, or Keras's JSON architecture (model.to_json()) with --weights.",
            "Inputs are a .npy array whose first axis is the batch (any rank the model takes), or CSV with one "
                + "sample per line, flattened, reshaped by --shape. Outputs go to --output as .npy, or are printed "
                + "as CSV, one sample per line.",
            "A Keras model whose string input goes into a TextVectorization takes --text instead: raw text, one "
                + "sample per line."},
        footer = {"", "Example: rnn4j predict --model rnn4j-out/forecast.keras --input windows.npy --output y.npy",
            "         rnn4j predict --model sentiment.keras --text reviews.txt"})
public final class PredictCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "The model: .keras, .h5, or a JSON architecture from model.to_json() (then give --weights).")
    Path model;
    @Option(names = "--weights", paramLabel = "FILE",
            description = "Weights for a JSON architecture (Keras's save_weights .h5 or .weights.h5).")
    Path weights;
    @Option(names = "--input", paramLabel = "FILE",
            description = "Inputs (.npy or .csv); repeat for a model with several inputs, in its order.")
    List<Path> inputs = new ArrayList<>();
    @Option(names = "--text", paramLabel = "FILE",
            description = "For a model that takes raw text (a Keras TextVectorization, or a StringLookup of one "
                    + "token, on its string input): UTF-8 text, one sample per line, instead of --input.")
    Path text;
    @Option(names = "--shape", split = ",", paramLabel = "N",
            description = "The shape of one sample of a CSV input, e.g. --shape 24,1 (all CSV inputs).")
    List<Integer> shape;
    @Option(names = "--output", paramLabel = "FILE",
            description = "Write the outputs here as .npy (repeat for several outputs); default: print CSV.")
    List<Path> outputs = new ArrayList<>();
    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N",
            description = "Samples per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() throws IOException {
        for (Path o : outputs) {
            if (!o.getFileName().toString().endsWith(".npy")) {
                throw new CliException("--output " + o + ": outputs are written as .npy files; name it *.npy, or "
                        + "leave --output out to print CSV");
            }
        }
        if (inputs.isEmpty() == (text == null)) {
            throw new CliException(text == null ? "give the model's inputs with --input FILE (or --text FILE for a "
                    + "model that takes raw text)" : "give either --input or --text, not both");
        }
        OutputPaths files = new OutputPaths().reads("--model", model).reads("--weights", weights)
                .reads("--text", text);
        inputs.forEach(i -> files.reads("--input", i));
        outputs.forEach(o -> files.writes("--output", o));
        files.check();
        OptionChecks.inputFile("--model", model, "model file");
        if (weights != null) {
            OptionChecks.inputFile("--weights", weights, "weights file");
        }
        for (Path i : inputs) {
            OptionChecks.inputFile("--input", i, "input file");
        }
        if (text != null) {
            OptionChecks.inputFile("--text", text, "text file");
        }
        Device device = common.modelDevice();
        KerasModel m = load();
        List<Tensor> y = text != null ? List.of(predictText(m)) : predict(m, device);
        write(y);
        return 0;
    }

    /** The text file's lines through the model's TextVectorization front. */
    private Tensor predictText(KerasModel m) throws IOException {
        if (m.textVectorization().isEmpty() && m.stringLookup().isEmpty() && m.hashing().isEmpty()) {
            throw new CliException("--text " + text + ": the model takes no raw text (no TextVectorization, "
                    + "StringLookup or Hashing on a string input); give its inputs with --input");
        }
        List<String> lines = Files.readAllLines(text, java.nio.charset.StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new CliException("--text " + text + ": the file is empty; give one text per line");
        }
        return m.predictText(lines, batchSize);
    }

    private List<Tensor> predict(KerasModel m, Device device) throws IOException {
        // One batch per input, each checked against the model's input shape before anything runs.
        if (inputs.size() != m.inputCount()) {
            throw new CliException("the model takes " + m.inputCount() + " input(s), got " + inputs.size()
                    + " --input file(s)");
        }
        List<Tensor> x = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            NpyArray a = Samples.read(inputs.get(i), Samples.shape(shape));
            Shape expected = m.inputShape(i);
            int[] got = a.shape();
            // A Sequential model takes other sizes where no weight needs them, as Keras's does; its
            // layers refuse the rest, naming themselves. A functional model takes its inputs' shapes.
            boolean fits = m.isSequential() ? got.length == expected.rank() + 1 : Layer.fits(expected, Shape.of(got));
            if (!fits) {
                throw new CliException(inputs.get(i) + ": holds " + Arrays.toString(got) + ", but the model's input "
                        + i + " takes " + Layer.batchless(expected).replace("(None", "(batch"));
            }
            x.add(a.toTensor(device));
        }
        return m.isSequential() ? List.of(m.sequential().predict(x.get(0), batchSize)) : m.predict(x);
    }

    private void write(List<Tensor> y) throws IOException {
        PrintWriter out = common.out();
        if (!outputs.isEmpty() && outputs.size() != y.size()) {
            throw new CliException("the model has " + y.size() + " output(s), got " + outputs.size() + " --output file(s)");
        }
        for (int k = 0; k < y.size(); k++) {
            NpyArray result = NpyArray.of(y.get(k));
            if (outputs.isEmpty()) {
                if (y.size() > 1) {
                    out.println("# output " + k + " " + Arrays.toString(result.shape()));
                }
                Samples.printCsv(result, out);
            } else {
                Npy.write(outputs.get(k), result);
                out.println("wrote " + outputs.get(k) + " " + Arrays.toString(result.shape()));
            }
        }
        out.flush();
    }

    /**
     * The model: a whole .keras or .h5 file alone, or with --weights a JSON architecture (what
     * model.to_json() wrote, whatever its file is called). A .json file without --weights and a whole
     * model with them are refused, as is a weights-only .h5 given as the model.
     */
    private KerasModel load() throws IOException {
        if (weights != null) {
            if (isArchiveOrHdf5(model)) {
                throw new CliException("--model " + model + " is a .keras or .h5 model file, which holds its weights "
                        + "already: drop --weights (--weights goes with a JSON architecture, model.to_json())");
            }
            return Models.load(model, weights);
        }
        if (model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            throw new CliException("--model " + model + " is an architecture only: give its --weights FILE");
        }
        try {
            return Models.load(model);
        } catch (KerasFileException e) {
            if (String.valueOf(e.getMessage()).contains("holds weights only")) {
                throw new CliException("--model " + model + " holds weights only (Keras's save_weights): give the "
                        + "architecture as --model ARCH.json (model.to_json()) and this file as --weights " + model, e);
            }
            throw e;
        }
    }

    /** Whether a file starts as a zip (.keras) or an HDF5 file (.h5) does, rather than as JSON text. */
    private static boolean isArchiveOrHdf5(Path file) throws IOException {
        byte[] head;
        try (var in = Files.newInputStream(file)) {
            head = in.readNBytes(8);
        }
        boolean zip = head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        boolean hdf5 = head.length == 8 && (head[0] & 0xff) == 0x89 && head[1] == 'H' && head[2] == 'D'
                && head[3] == 'F';
        return zip || hdf5;
    }
}
