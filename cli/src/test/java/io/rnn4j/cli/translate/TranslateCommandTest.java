package io.rnn4j.cli.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.cli.CliRun;
import io.rnn4j.cli.Kernels;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code rnn4j translate} in a small mode: exact-match accuracy on held-out dates is high after a
 * short training; the attention map is drawn; bad options are one line.
 */
class TranslateCommandTest {

    @Test
    void heldOutDatesAreMostlyTranslatedExactly() {
        Kernels.assumeFusedKernels();
        CliRun r = CliRun.of("translate", "--train", "5000", "--test", "300", "--epochs", "3", "--units", "48",
                "jeudi 26 novembre 2026");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Matcher m = Pattern.compile("exact-match accuracy on 300 held-out dates: ([0-9.]+)%").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        double accuracy = Double.parseDouble(m.group(1));
        System.out.printf(Locale.ROOT, "translate bar: %.1f%% exact matches on held-out dates%n", accuracy);
        // All ten characters must be right; guessing gets essentially none.
        assertThat(accuracy).isGreaterThan(75.0);
        assertThat(r.out()).contains("\"jeudi 26 novembre 2026\"").contains("attention while writing")
                .containsPattern("(?m)^  2  +[ .:\\-=+*#%@]+$");
    }

    @Test
    void fewerTrainingAndTestExamplesThanItShowsStillRun() {
        Kernels.assumeFusedKernels();
        for (String[] counts : new String[][] {{"1", "5"}, {"2", "1"}}) {
            CliRun r = CliRun.of("translate", "--train", counts[0], "--test", counts[1], "--epochs", "1", "--units",
                    "8", "--embedding", "8");
            assertThat(r.exitCode()).as("--train %s --test %s: %s", counts[0], counts[1], r.err()).isZero();
            assertThat(r.out().lines().filter(l -> l.startsWith("  e.g. ")).count())
                    .as("every training example shown, no more").isEqualTo(Long.parseLong(counts[0]));
            assertThat(r.out()).contains("exact-match accuracy on " + counts[1] + " held-out dates");
        }
    }

    @Test
    void badOptionsAreOneLineErrors() {
        CliRun r = CliRun.of("translate", "--train", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("rnn4j translate: --train must be at least 1, got 0");
        CliRun blank = CliRun.of("translate", " ");
        assertThat(blank.err().strip()).isEqualTo("rnn4j translate: a date to translate is empty");
    }
}
