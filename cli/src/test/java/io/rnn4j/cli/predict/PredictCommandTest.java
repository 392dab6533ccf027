package io.rnn4j.cli.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.cli.CliRun;
import io.rnn4j.cli.Kernels;
import io.rnn4j.cli.data.Npy;
import io.rnn4j.cli.data.NpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnn4j predict} on files Keras wrote (shared/keras-fixtures): a Keras 3 .keras model
 * reproduces its reference outputs; a Keras 2 model gives the same outputs from its whole-model .h5
 * as from its JSON architecture plus weights file, from .npy and from CSV; bad input is one line.
 */
class PredictCommandTest {

    /** shared/keras-fixtures, found walking up from the working directory (CI keeps shared/ beside the checkout). */
    private static Path fixture(String relative) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared").resolve("keras-fixtures").resolve(relative);
            if (Files.exists(c)) {
                return c;
            }
        }
        throw new IllegalStateException("shared/keras-fixtures/" + relative + " not found in any parent of "
                + Path.of("").toAbsolutePath() + "; put the shared/ folder beside the checkout");
    }

    @Test
    void aKeras3ModelReproducesItsReferenceOutputs(@TempDir Path dir) throws IOException {
        Kernels.assumeFusedKernels();
        Path dirOf = fixture("keras3-emg-gru-stacked");
        Path out = dir.resolve("y.npy");
        CliRun r = CliRun.of("predict", "--model", dirOf.resolve("gru_model.keras").toString(), "--input",
                dirOf.resolve("x.npy").toString(), "--output", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + out + " [3, 3]");
        float[] got = Npy.read(out).data();
        float[] expected = Npy.read(dirOf.resolve("y_ref.npy")).data();
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.length; i++) {
            assertThat((double) got[i]).as("output %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void aKeras2ModelGivesTheSameOutputsFromH5FromJsonPlusWeightsAndFromCsv(@TempDir Path dir) throws IOException {
        Kernels.assumeFusedKernels();
        Path d = fixture("dl4j-simple-rnn");
        SplittableRandom rnd = new SplittableRandom(3);
        float[] x = new float[25];
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
            csv.append(x[i]).append('\n');
        }
        Path npy = dir.resolve("x.npy");
        Npy.write(npy, new NpyArray(new int[] {25, 1, 1}, x));
        Path csvFile = dir.resolve("x.csv");
        Files.writeString(csvFile, csv);

        CliRun whole = CliRun.of("predict", "--model", d.resolve("simple_rnn_tf_keras_2_model.h5").toString(),
                "--input", npy.toString());
        CliRun split = CliRun.of("predict", "--model", d.resolve("simple_rnn_tf_keras_2_config.json").toString(),
                "--weights", d.resolve("simple_rnn_tf_keras_2_weights.h5").toString(), "--input", npy.toString());
        CliRun fromCsv = CliRun.of("predict", "--model", d.resolve("simple_rnn_tf_keras_2_model.h5").toString(),
                "--input", csvFile.toString(), "--shape", "1,1");
        assertThat(whole.exitCode()).as(whole.err()).isZero();
        assertThat(whole.out().strip().lines().count()).isEqualTo(25);
        assertThat(split.out()).isEqualTo(whole.out());
        assertThat(fromCsv.out()).isEqualTo(whole.out());
    }

    @Test
    void aModelOfNoneTimestepsTakesFilesOfAnyLength(@TempDir Path dir) throws IOException {
        io.rnn4j.layers.Seeds.set(17);
        var m = io.rnn4j.layers.model.Sequential.of(io.rnn4j.layers.Input.shape(io.rnn4j.layers.Input.NONE, 2),
                new io.rnn4j.layers.GRU(3).returnSequences(true));
        Path model = dir.resolve("any-length.keras");
        io.rnn4j.layers.keras.Models.save(m, model);
        for (int t : new int[] {3, 7}) {
            Path x = dir.resolve("x" + t + ".npy");
            Npy.write(x, new NpyArray(new int[] {2, t, 2}, new float[4 * t]));
            CliRun r = CliRun.of("predict", "--model", model.toString(), "--input", x.toString(), "--output",
                    dir.resolve("y" + t + ".npy").toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("[2, " + t + ", 3]");
        }
        Path wrong = dir.resolve("wrong.npy");
        Npy.write(wrong, new NpyArray(new int[] {2, 4, 5}, new float[40]));
        CliRun r = CliRun.of("predict", "--model", model.toString(), "--input", wrong.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Input of layer 'gru").contains("expected shape=(None, None, 2), found shape=(2, 4, 5)");
    }

    @Test
    void aSequentialModelTakesOtherLengthsWhereNoWeightNeedsThemAsKerassDoes(@TempDir Path dir) throws IOException {
        // gru_model.keras is a Keras 3 Sequential built for 4 steps; Keras's Sequential predicts 6 too.
        Kernels.assumeFusedKernels();
        Path model = fixture("keras3-emg-gru-stacked/gru_model.keras");
        Path x = dir.resolve("x6.npy");
        Npy.write(x, new NpyArray(new int[] {2, 6, 1}, new float[12]));
        CliRun r = CliRun.of("predict", "--model", model.toString(), "--input", x.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().strip().lines().count()).isEqualTo(2);
    }

    @Test
    void badInputsAreOneLineErrors(@TempDir Path dir) throws IOException {
        Path model = fixture("keras3-emg-gru-stacked/gru_model.keras");
        Path x = dir.resolve("x.npy");
        Npy.write(x, new NpyArray(new int[] {2, 5}, new float[10]));
        CliRun shape = CliRun.of("predict", "--model", model.toString(), "--input", x.toString());
        assertThat(shape.exitCode()).isEqualTo(2);
        assertThat(shape.err().strip()).matches(
                "rnn4j predict: .*x\\.npy: holds \\[2, 5\\], but the model's input 0 takes \\(batch, 4, 1\\)");

        CliRun missing = CliRun.of("predict", "--model", dir.resolve("none.keras").toString(), "--input", x.toString());
        assertThat(missing.err().strip()).isEqualTo("rnn4j predict: no such model file: " + dir.resolve("none.keras"));
        Path json = dir.resolve("arch.json");
        Files.writeString(json, "{}");
        CliRun noWeights = CliRun.of("predict", "--model", json.toString(), "--input", x.toString());
        assertThat(noWeights.err()).contains("is an architecture only: give its --weights FILE");
        CliRun notNpy = CliRun.of("predict", "--model", model.toString(), "--input", x.toString(), "--output", "y.csv");
        assertThat(notNpy.err()).contains("outputs are written as .npy files");
        CliRun noModelOption = CliRun.of("predict", "--input", x.toString());
        assertThat(noModelOption.exitCode()).isEqualTo(2);
        assertThat(noModelOption.err()).contains("Missing required option: '--model=FILE'");
        Path junk = dir.resolve("junk.keras");
        Files.writeString(junk, "not a model");
        CliRun corrupt = CliRun.of("predict", "--model", junk.toString(), "--input", x.toString());
        assertThat(corrupt.exitCode()).isEqualTo(2);
        assertThat(corrupt.err().strip().toLowerCase(Locale.ROOT)).contains("neither a .keras archive");
    }

    @Test
    void anOutputNamingTheInputIsRefusedBeforeAnyWorkAndTheInputIsKept(@TempDir Path dir) throws IOException {
        Path model = fixture("keras3-emg-gru-stacked/gru_model.keras");
        Path x = dir.resolve("x.npy");
        Npy.write(x, new NpyArray(new int[] {2, 4, 1}, new float[8]));
        byte[] before = Files.readAllBytes(x);
        CliRun r = CliRun.of("predict", "--model", model.toString(), "--input", x.toString(), "--output",
                dir.resolve(".").resolve("x.npy").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("rnn4j predict: --output " + dir.resolve(".").resolve("x.npy")
                + " is the --input file " + x + ": writing it would replace the input; choose another --output");
        assertThat(Files.readAllBytes(x)).as("the input is untouched").isEqualTo(before);
        assertThat(r.out()).isEmpty();

        Path y = dir.resolve("y.npy");
        CliRun twice = CliRun.of("predict", "--model", model.toString(), "--input", x.toString(), "--output",
                y.toString(), "--output", y.toString());
        assertThat(twice.err().strip()).isEqualTo("rnn4j predict: --output " + y + " and --output " + y
                + " name the same file: one would replace the other; give each its own path");
    }

    @Test
    void anOutputThatCannotBeWrittenIsRefusedBeforeTheModelRuns(@TempDir Path dir) throws IOException {
        Path model = fixture("keras3-emg-gru-stacked/gru_model.keras");
        Path x = dir.resolve("x.npy");
        Npy.write(x, new NpyArray(new int[] {2, 4, 1}, new float[8]));
        Path file = Files.writeString(dir.resolve("ok.csv"), "a");
        CliRun parent = CliRun.of("predict", "--model", model.toString(), "--input", x.toString(), "--output",
                file.resolve("y.npy").toString());
        assertThat(parent.exitCode()).isEqualTo(2);
        assertThat(parent.err().strip()).isEqualTo("rnn4j predict: cannot write --output " + file.resolve("y.npy")
                + ": " + file + " is not a directory");
        Path folder = Files.createDirectories(dir.resolve("out.npy"));
        CliRun directory = CliRun.of("predict", "--model", model.toString(), "--input", x.toString(), "--output",
                folder.toString());
        assertThat(directory.err().strip()).isEqualTo("rnn4j predict: cannot write --output " + folder
                + ": it is a directory; give a file name");
    }

    @Test
    void aDirectoryGivenAsAFileIsCalledADirectory(@TempDir Path dir) throws IOException {
        Path model = fixture("keras3-emg-gru-stacked/gru_model.keras");
        Path x = dir.resolve("x.npy");
        Npy.write(x, new NpyArray(new int[] {2, 4, 1}, new float[8]));
        CliRun asModel = CliRun.of("predict", "--model", dir.toString(), "--input", x.toString());
        assertThat(asModel.exitCode()).isEqualTo(2);
        assertThat(asModel.err().strip()).isEqualTo("rnn4j predict: --model " + dir + " is a directory, not a model file");
        CliRun asInput = CliRun.of("predict", "--model", model.toString(), "--input", dir.toString());
        assertThat(asInput.err().strip()).isEqualTo("rnn4j predict: --input " + dir + " is a directory, not an input "
                + "file");
        Path json = Files.writeString(dir.resolve("arch.json"), "{}");
        CliRun asWeights = CliRun.of("predict", "--model", json.toString(), "--weights", dir.toString(), "--input",
                x.toString());
        assertThat(asWeights.err().strip()).isEqualTo("rnn4j predict: --weights " + dir + " is a directory, not a "
                + "weights file");
        CliRun asCsv = CliRun.of("forecast", "--csv", dir.toString(), "--column", "v", "--no-plot");
        assertThat(asCsv.err().strip()).isEqualTo("rnn4j forecast: --csv " + dir + " is a directory, not a file");
    }

    @Test
    void modelAndWeightsMessagesSpeakTheCommandLineAndTellTheTruth(@TempDir Path dir) throws IOException {
        Kernels.assumeFusedKernels();
        Path d = fixture("dl4j-simple-rnn");
        Path x = dir.resolve("x.npy");
        Npy.write(x, new NpyArray(new int[] {3, 1, 1}, new float[] {0.1f, -0.2f, 0.3f}));
        Path weightsOnly = d.resolve("simple_rnn_tf_keras_2_weights.h5");

        CliRun weightsAsModel = CliRun.of("predict", "--model", weightsOnly.toString(), "--input", x.toString());
        assertThat(weightsAsModel.exitCode()).isEqualTo(2);
        assertThat(weightsAsModel.err().strip()).isEqualTo("rnn4j predict: --model " + weightsOnly + " holds weights "
                + "only (Keras's save_weights): give the architecture as --model ARCH.json (model.to_json()) and this "
                + "file as --weights " + weightsOnly).doesNotContain("Models.load");

        // The architecture is JSON whatever the file is called.
        Path txt = Files.copy(d.resolve("simple_rnn_tf_keras_2_config.json"), dir.resolve("cfg.txt"));
        CliRun fromTxt = CliRun.of("predict", "--model", txt.toString(), "--weights", weightsOnly.toString(), "--input",
                x.toString());
        CliRun whole = CliRun.of("predict", "--model", d.resolve("simple_rnn_tf_keras_2_model.h5").toString(),
                "--input", x.toString());
        assertThat(fromTxt.exitCode()).as(fromTxt.err()).isZero();
        assertThat(fromTxt.out()).isEqualTo(whole.out());

        Path keras = fixture("keras3-emg-gru-stacked/gru_model.keras");
        CliRun wholeWithWeights = CliRun.of("predict", "--model", keras.toString(), "--weights",
                weightsOnly.toString(), "--input", x.toString());
        assertThat(wholeWithWeights.err().strip()).isEqualTo("rnn4j predict: --model " + keras + " is a .keras or .h5 "
                + "model file, which holds its weights already: drop --weights (--weights goes with a JSON "
                + "architecture, model.to_json())");
    }

    /** A file of this module's test resources, copied out of the class path. */
    private static Path resource(Path dir, String name) throws IOException {
        Path p = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
        try (var in = PredictCommandTest.class.getResourceAsStream("/io/rnn4j/cli/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    void aKerasTextModelPredictsFromRawTextAsKeras(@TempDir Path dir) throws IOException {
        // text_lstm.keras: TextVectorization → Embedding → LSTM → Dense; make_text_fixture.py wrote
        // Keras 3.15.1's predictions (TensorFlow backend) on texts.txt.
        Kernels.assumeFusedKernels();
        Path model = resource(dir, "text/text_lstm.keras");
        Path texts = resource(dir, "text/texts.txt");
        Path want = resource(dir, "text/text_lstm.y.npy");
        Path out = dir.resolve("y.npy");
        CliRun r = CliRun.of("predict", "--model", model.toString(), "--text", texts.toString(), "--output",
                out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + out + " [4, 2]");
        float[] got = Npy.read(out).data();
        float[] expected = Npy.read(want).data();
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.length; i++) {
            assertThat((double) got[i]).as("output %d (bar 1e-6)", i)
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-6));
        }
        CliRun both = CliRun.of("predict", "--model", model.toString(), "--text", texts.toString(), "--input",
                texts.toString());
        assertThat(both.exitCode()).isNotZero();
        assertThat(both.err()).contains("give either --input or --text, not both");
        CliRun none = CliRun.of("predict", "--model", model.toString());
        assertThat(none.err()).contains("give the model's inputs with --input FILE (or --text FILE");
        Path gru = fixture("keras3-emg-gru-stacked").resolve("gru_model.keras");
        CliRun notText = CliRun.of("predict", "--model", gru.toString(), "--text", texts.toString());
        assertThat(notText.err()).contains("the model takes no raw text");
    }
}
