package io.rnn4j.cli.textgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.cli.CliRun;
import io.rnn4j.cli.Kernels;
import io.rnn4j.cli.data.NpyArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnn4j textgen} in a small mode: it learns (held-out bits per character well below what a
 * unigram model needs), checkpoints, resumes, and refuses bad checkpoints and options clearly.
 */
class TextgenCommandTest {
    private static final Pattern BITS = Pattern.compile("held-out: ([0-9.]+) bits per character \\(unigram: ([0-9.]+)\\)");

    @Test
    void learnsWellBelowTheUnigramBitsThenResumes(@TempDir Path dir) throws Exception {
        Kernels.assumeFusedKernels();
        Path ckpt = dir.resolve("t.npz");
        String[] small = {"--units", "32", "--seq-length", "32", "--chars-per-epoch", "40960", "--learning-rate", "0.01",
            "--held-out-chars", "4096", "--sample-length", "40", "--temperature", "0.5", "--checkpoint", ckpt.toString()};
        CliRun r = CliRun.of(concat(new String[] {"textgen", "--epochs", "3"}, small));
        assertThat(r.exitCode()).as(r.err()).isZero();
        Matcher m = BITS.matcher(r.out());
        double bits = Double.NaN;
        double unigram = Double.NaN;
        while (m.find()) {
            bits = Double.parseDouble(m.group(1));
            unigram = Double.parseDouble(m.group(2));
        }
        System.out.printf(Locale.ROOT, "textgen bar: %.3f bits per character after 3 small epochs, unigram %.2f%n", bits,
                unigram);
        assertThat(bits).as("held-out bits per character, well below the unigram model's").isLessThan(unigram - 0.5);
        assertThat(r.out()).contains("--- temperature 0.50 ---").contains("Call me Ishmael. ");
        assertThat(Checkpoint.load(ckpt).epochs()).isEqualTo(3);

        CliRun resumed = CliRun.of(concat(new String[] {"textgen", "--epochs", "4", "--resume"}, small));
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resumed from " + ckpt + " after 3 epoch(s)").contains("epoch 4 of 4")
                .doesNotContain("epoch 3 of 4");
        assertThat(Checkpoint.load(ckpt).epochs()).isEqualTo(4);
    }

    @Test
    void checkpointsRoundTripAndBadOnesAreRefusedWhole(@TempDir Path dir) throws Exception {
        CharVocabulary v = CharVocabulary.of("abc—");
        Checkpoint c = new Checkpoint(2, 8, 16, v,
                List.of(new NpyArray(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}), new NpyArray(new int[] {3},
                        new float[] {7, 8, 9})));
        Path f = dir.resolve("c.npz");
        c.save(f);
        Checkpoint back = Checkpoint.load(f);
        assertThat(back.epochs()).isEqualTo(2);
        assertThat(back.vocabulary().codePoints()).isEqualTo(v.codePoints());
        assertThat(back.weights()).isEqualTo(c.weights());

        Path junk = dir.resolve("junk.npz");
        Files.writeString(junk, "not a zip");
        assertThatThrownBy(() -> Checkpoint.load(junk)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an rnn4j textgen checkpoint");
        byte[] whole = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.npz");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> Checkpoint.load(cut)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badOptionsAreOneLineErrors(@TempDir Path dir) {
        CliRun prime = CliRun.of("textgen", "--prime", "Ωmega", "--epochs", "0");
        assertThat(prime.exitCode()).isEqualTo(2);
        assertThat(prime.err()).contains("--prime: the character 'Ω' is not in the model's vocabulary");
        CliRun noCkpt = CliRun.of("textgen", "--resume", "--checkpoint", dir.resolve("none.npz").toString());
        assertThat(noCkpt.exitCode()).isEqualTo(2);
        assertThat(noCkpt.err()).contains("--resume: no checkpoint at");
        CliRun folder = CliRun.of("textgen", "--checkpoint", dir.toString());
        assertThat(folder.err().strip()).as("refused before training").isEqualTo("rnn4j textgen: cannot write "
                + "--checkpoint " + dir + ": it is a directory; give a file name");
        assertThat(folder.out()).isEmpty();
        CliRun temp = CliRun.of("textgen", "--temperature", "0");
        assertThat(temp.err().strip()).isEqualTo("rnn4j textgen: --temperature must be > 0, got 0.0");
    }

    @Test
    void anExistingCheckpointIsNotOverwrittenWithoutResume(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("t.npz");
        new Checkpoint(5, 8, 16, CharVocabulary.of("abc"), List.of(new NpyArray(new int[] {1}, new float[] {1})))
                .save(ckpt);
        byte[] before = Files.readAllBytes(ckpt);
        CliRun r = CliRun.of("textgen", "--epochs", "1", "--checkpoint", ckpt.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("rnn4j textgen: --checkpoint " + ckpt + " exists (an earlier run's): "
                + "pass --resume to continue training it, or delete it or choose another --checkpoint to start afresh");
        assertThat(r.out()).as("refused before training").isEmpty();
        assertThat(Files.readAllBytes(ckpt)).isEqualTo(before);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
