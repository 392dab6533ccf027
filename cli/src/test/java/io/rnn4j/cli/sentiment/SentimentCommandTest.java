package io.rnn4j.cli.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.cli.CliRun;
import io.rnn4j.cli.Kernels;
import io.rnn4j.cli.data.Npy;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnn4j sentiment} in a small mode: held-out accuracy clearly above chance; sentences
 * classified; with --save, a .keras file holding the TextVectorization that {@code rnn4j predict
 * --text} runs on raw sentences, giving the probabilities the demo printed.
 */
class SentimentCommandTest {

    @Test
    void heldOutAccuracyIsClearlyAboveChance() {
        Kernels.assumeFusedKernels();
        CliRun r = CliRun.of("sentiment", "--units", "8", "--embedding", "8", "--epochs", "2", "--max-length", "24",
                "Absolutely loved it, great service!", "Terrible, a waste of money.");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Matcher m = Pattern.compile("held-out accuracy: ([0-9.]+)% of 600 sentences").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        double accuracy = Double.parseDouble(m.group(1));
        System.out.printf(Locale.ROOT, "sentiment bar: %.1f%% held-out accuracy (chance 50%%)%n", accuracy);
        // 600 balanced sentences: chance stays within 50 +- 6 points with 99.7% probability.
        assertThat(accuracy).isGreaterThan(65.0);
        assertThat(r.out()).containsPattern("\\d\\.\\d{3} +(positive|negative) +\"Absolutely loved it, great service!\"")
                .contains("\"Terrible, a waste of money.\"");
    }

    @Test
    void aSentenceWithoutWordsIsRefused() {
        CliRun r = CliRun.of("sentiment", "...");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("rnn4j sentiment: the sentence \"...\" has no words to classify");
    }

    @Test
    void aTestFractionLeavingAPartEmptyIsRefusedNamingTheOptionAndTheCounts() {
        CliRun tiny = CliRun.of("sentiment", "--test-fraction", "0.0001");
        assertThat(tiny.exitCode()).isEqualTo(2);
        assertThat(tiny.err().strip()).isEqualTo("rnn4j sentiment: --test-fraction 0.0001 holds out 0 of the 3,000 "
                + "sentences and leaves 3,000 to train on; both need at least one: raise --test-fraction");
        CliRun huge = CliRun.of("sentiment", "--test-fraction", "0.9999");
        assertThat(huge.err().strip()).isEqualTo("rnn4j sentiment: --test-fraction 0.9999 holds out 3,000 of the 3,000 "
                + "sentences and leaves 0 to train on; both need at least one: lower --test-fraction");
        assertThat(tiny.out()).isEmpty();
    }

    @Test
    void fewerHeldOutSentencesThanItShowsStillRun() {
        Kernels.assumeFusedKernels();
        CliRun r = CliRun.of("sentiment", "--test-fraction", "0.001", "--units", "2", "--embedding", "2", "--epochs",
                "1", "--max-length", "8");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("held-out accuracy: ").contains("of 4 sentences");
        assertThat(r.out().lines().filter(l -> l.contains("  [positive]") || l.contains("  [negative]")).count())
                .isEqualTo(4);
    }

    @Test
    void theSavedModelTakesRawSentencesInPredict(@TempDir Path dir) throws IOException {
        Kernels.assumeFusedKernels();
        Path model = dir.resolve("sentiment.keras");
        List<String> sentences = List.of("Absolutely loved it, great service!", "Terrible, a waste of money.");
        CliRun r = CliRun.of("sentiment", "--units", "2", "--embedding", "2", "--epochs", "1", "--max-length", "8",
                "--save", model.toString(), sentences.get(0), sentences.get(1));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("saved the model with its TextVectorization to " + model);
        double[] printed = new double[2];
        for (int i = 0; i < 2; i++) {
            Matcher m = Pattern.compile("(\\d\\.\\d{3}) +(positive|negative) +\"" + Pattern.quote(sentences.get(i)))
                    .matcher(r.out());
            assertThat(m.find()).as(r.out()).isTrue();
            printed[i] = Double.parseDouble(m.group(1));
        }

        Path texts = Files.writeString(dir.resolve("reviews.txt"), String.join("\n", sentences) + "\n");
        Path y = dir.resolve("y.npy");
        CliRun p = CliRun.of("predict", "--model", model.toString(), "--text", texts.toString(), "--output",
                y.toString());
        assertThat(p.exitCode()).as(p.err()).isZero();
        float[] got = Npy.read(y).data();
        assertThat(got).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat((double) got[i]).as("predict --text on sentence %d against the demo's printed %.3f", i,
                    printed[i]).isCloseTo(printed[i], org.assertj.core.data.Offset.offset(0.0005 + 1e-6));
        }
        KerasModel loaded = Models.load(model);
        assertThat(loaded.textVectorization()).as("the file holds the TextVectorization").isPresent();
        assertThat(loaded.predictText(sentences).toArray()).as("predict --text is the file's predictText")
                .containsExactly(got);
    }

    @Test
    void aSaveFileNotNamedKerasIsRefusedBeforeTraining() {
        CliRun r = CliRun.of("sentiment", "--save", "model.h5");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("rnn4j sentiment: --save model.h5: the model is saved as a Keras 3 "
                + ".keras file (rnn4j writes no other model format); name it *.keras");
        assertThat(r.out()).isEmpty();
    }
}
