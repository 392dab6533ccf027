package io.rnn4j.cli.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.cli.CliRun;
import io.rnn4j.cli.Kernels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnn4j forecast} end to end in small modes: a one-epoch smoke run on a short CSV series,
 * the bar the demo must clear (beating both baselines on the CO2 record's held-out months), and
 * its errors.
 */
class ForecastCommandTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static double mae(String out, String rowName) {
        Matcher m = Pattern.compile("\\n  " + Pattern.quote(rowName) + " +([0-9.]+) +([0-9.]+)\\n").matcher(out);
        assertThat(m.find()).as("a row for %s in:%n%s", rowName, out).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void smokeOneTinyEpochOnAShortCsvSeries(@TempDir Path dir) throws Exception {
        Kernels.assumeFusedKernels();
        StringBuilder csv = new StringBuilder("month,sales\n");
        for (int i = 0; i < 72; i++) {
            csv.append(String.format(Locale.ROOT, "%d-%02d,%.3f%n", 2000 + i / 12, i % 12 + 1,
                    10 + 0.1 * i + 3 * Math.sin(2 * Math.PI * i / 12)));
        }
        Path data = dir.resolve("sales.csv");
        Files.writeString(data, csv);
        Path png = dir.resolve("plot.png");
        CliRun r = run("forecast", "--csv", data.toString(), "--column", "sales", "--date-column", "month", "--cell", "gru",
                "--units", "4", "--window", "6", "--epochs", "1", "--test", "12", "--validation", "12",
                "--plot", png.toString(), "--save", dir.resolve("m.keras").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("sales: 72 months, 2000-01 .. 2005-12").contains("Epoch 1/1")
                .contains("held-out months 2005-01 .. 2005-12 (12)").contains("GRU(4)").contains("naive (last month)");
        byte[] head = Files.readAllBytes(png);
        assertThat(head).as("a PNG file").startsWith(0x89, 'P', 'N', 'G');

        // The saved model runs in `rnn4j predict` on (window, 1) samples.
        assertThat(r.out()).contains("saved the model to " + dir.resolve("m.keras"));
        Path windows = dir.resolve("w.npy");
        io.rnn4j.cli.data.Npy.write(windows, new io.rnn4j.cli.data.NpyArray(new int[] {2, 6, 1}, new float[12]));
        CliRun p = run("predict", "--model", dir.resolve("m.keras").toString(), "--input", windows.toString());
        assertThat(p.exitCode()).as(p.err()).isZero();
        assertThat(p.out().strip().lines().count()).isEqualTo(2);
    }

    @Test
    void aSmallLstmBeatsBothBaselinesOnHeldOutCo2Months(@TempDir Path dir) {
        Kernels.assumeFusedKernels();
        CliRun r = run("forecast", "--units", "16", "--epochs", "6", "--no-plot", "--save",
                dir.resolve("m.keras").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        double model = mae(r.out(), "LSTM(16)");
        double naive = mae(r.out(), "naive (last month)");
        double seasonal = mae(r.out(), "seasonal naive (12 months ago)");
        System.out.printf(Locale.ROOT, "forecast bar: LSTM(16) MAE %.3f, naive %.3f, seasonal naive %.3f%n", model,
                naive, seasonal);
        assertThat(model).as("beats the seasonal-naive forecast").isLessThan(seasonal);
        assertThat(model).as("beats the naive forecast").isLessThan(naive);
    }

    @Test
    void badOptionsAndInputsAreOneLineErrors(@TempDir Path dir) throws Exception {
        CliRun missing = run("forecast", "--csv", dir.resolve("nope.csv").toString(), "--column", "x");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("rnn4j forecast: no such file: " + dir.resolve("nope.csv"));

        Path data = dir.resolve("d.csv");
        Files.writeString(data, "a,b\n1,2\n");
        CliRun column = run("forecast", "--csv", data.toString(), "--column", "c");
        assertThat(column.exitCode()).isEqualTo(2);
        assertThat(column.err()).contains("no column 'c'; the columns are 1 'a', 2 'b'");

        CliRun noColumn = run("forecast", "--csv", data.toString());
        assertThat(noColumn.err()).contains("--csv needs --column");
        CliRun cell = run("forecast", "--cell", "transformer");
        assertThat(cell.exitCode()).isEqualTo(2);
        assertThat(cell.err()).contains("Invalid value for option '--cell'").contains("SIMPLE, LSTM, GRU");
        CliRun units = run("forecast", "--units", "0");
        assertThat(units.err().strip()).isEqualTo("rnn4j forecast: --units must be at least 1, got 0");
        CliRun short_ = run("forecast", "--csv", data.toString(), "--column", "b");
        assertThat(short_.exitCode()).isEqualTo(2);
        assertThat(short_.err()).contains("the series has 1 values: too few");
    }

    @Test
    void outputPathsAreRefusedBeforeTrainingNotAfter(@TempDir Path dir) throws Exception {
        Path same = dir.resolve("same.keras");
        CliRun both = run("forecast", "--epochs", "1", "--plot", same.toString(), "--save", same.toString());
        assertThat(both.exitCode()).isEqualTo(2);
        // The plot's name is refused first now (a PNG is no .keras); either way the model is not lost.
        assertThat(both.err().strip()).startsWith("rnn4j forecast: --plot " + same + ": ");
        assertThat(both.out()).as("nothing trained").isEmpty();

        Path file = Files.writeString(dir.resolve("ok.csv"), "a");
        CliRun parent = run("forecast", "--epochs", "1", "--no-plot", "--save", file.resolve("m.keras").toString());
        assertThat(parent.err().strip()).isEqualTo("rnn4j forecast: cannot write --save " + file.resolve("m.keras")
                + ": " + file + " is not a directory");
        assertThat(parent.out()).isEmpty();

        Path folder = Files.createDirectories(dir.resolve("plot.png"));
        CliRun plot = run("forecast", "--epochs", "1", "--save", dir.resolve("m.keras").toString(), "--plot",
                folder.toString());
        assertThat(plot.err().strip()).isEqualTo("rnn4j forecast: cannot write --plot " + folder
                + ": it is a directory; give a file name");
        assertThat(plot.out()).isEmpty();

        Path data = Files.writeString(dir.resolve("d.keras"), "month,v\n");
        CliRun input = run("forecast", "--csv", data.toString(), "--column", "v", "--no-plot", "--save",
                data.toString());
        assertThat(input.err().strip()).isEqualTo("rnn4j forecast: --save " + data + " is the --csv file " + data
                + ": writing it would replace the input; choose another --save");
    }

    @Test
    void anExtensionItsWriterDoesNotProduceIsRefusedBeforeTraining(@TempDir Path dir) {
        CliRun h5 = run("forecast", "--no-plot", "--save", dir.resolve("m.h5").toString());
        assertThat(h5.exitCode()).isEqualTo(2);
        assertThat(h5.err().strip()).isEqualTo("rnn4j forecast: --save " + dir.resolve("m.h5") + ": the model is saved "
                + "as a Keras 3 .keras file (rnn4j writes no other model format); name it *.keras");
        assertThat(h5.out()).isEmpty();
        // Keras goes by the name as written (load_model would not read m.KERAS as an archive): so does --save,
        // before training rather than when Models.save refuses it at the end.
        CliRun upper = run("forecast", "--no-plot", "--save", dir.resolve("m.KERAS").toString());
        assertThat(upper.exitCode()).isEqualTo(2);
        assertThat(upper.err().strip()).endsWith("name it *.keras");
        assertThat(upper.out()).isEmpty();
        CliRun jpg = run("forecast", "--save", dir.resolve("m.keras").toString(), "--plot",
                dir.resolve("plot.jpg").toString());
        assertThat(jpg.err().strip()).isEqualTo("rnn4j forecast: --plot " + dir.resolve("plot.jpg") + ": the plot is "
                + "drawn as a PNG image; name it *.png, or leave it out with --no-plot");
        assertThat(jpg.out()).isEmpty();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aSeasonLongerThanTheHistoryIsRefusedBeforeTraining(@TempDir Path dir) {
        CliRun r = run("forecast", "--epochs", "1", "--season", "10000", "--no-plot", "--save",
                dir.resolve("a.keras").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("rnn4j forecast: --season 10000 is longer than the 626 months before "
                + "the held-out ones: the seasonal-naive forecast repeats the value --season months earlier, and for "
                + "2010-05 there is none; use --season at most 626");
        assertThat(r.out()).as("nothing trained").isEmpty();
        CliRun justOver = run("forecast", "--epochs", "1", "--season", "627", "--no-plot", "--save",
                dir.resolve("a.keras").toString());
        assertThat(justOver.err()).contains("use --season at most 626");
    }

    @Test
    void aDivergedModelIsAnErrorNeverANaNComparisonAndIsNotSaved(@TempDir Path dir) throws Exception {
        Kernels.assumeFusedKernels();
        Path model = dir.resolve("m.keras");
        CliRun r = run("forecast", "--units", "4", "--epochs", "1", "--learning-rate", "1e30", "--no-plot", "--save",
                model.toString());
        assertThat(r.exitCode()).as(r.out()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("rnn4j forecast: LSTM(4) diverged in training (its ")
                .endsWith("), so it is neither scored nor saved to " + model + "; lower --learning-rate (now 1.0E30)");
        // Keras's progress line shows the NaN loss, which is how the user sees it happen; no score follows.
        assertThat(r.out()).doesNotContain("held-out months").doesNotContain("baseline");
        assertThat(model).doesNotExist();
    }

    @Test
    void aSeriesTheBaselinesForecastExactlyGetsNoNaNOrInfinitePercentage(@TempDir Path dir) throws Exception {
        Kernels.assumeFusedKernels();
        StringBuilder csv = new StringBuilder("v\n");
        for (int i = 0; i < 72; i++) {
            csv.append("5\n");
        }
        Path data = Files.writeString(dir.resolve("flat.csv"), csv);
        CliRun r = run("forecast", "--csv", data.toString(), "--column", "v", "--units", "4", "--window", "6",
                "--epochs", "1", "--test", "12", "--validation", "12", "--no-plot", "--save",
                dir.resolve("m.keras").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("NaN").doesNotContain("Infinity")
                .containsPattern("The better baseline forecasts the held-out months exactly \\(MAE 0\\); LSTM\\(4\\)'s "
                        + "MAE is [0-9.]+\\.|LSTM\\(4\\) and the better baseline both forecast the held-out months exactly\\.");
    }

    @Test
    void theComparisonIsInWordsAndNeverNaN() {
        assertThat(ForecastCommand.comparison("GRU(8)", 0.5, 1.0)).isEqualTo("GRU(8)'s MAE is 50% lower than the better "
                + "baseline's.");
        assertThat(ForecastCommand.comparison("GRU(8)", 0.0, 0.0)).isEqualTo("GRU(8) and the better baseline both "
                + "forecast the held-out months exactly.");
        assertThat(ForecastCommand.comparison("GRU(8)", 0.25, 0.0)).isEqualTo("The better baseline forecasts the "
                + "held-out months exactly (MAE 0); GRU(8)'s MAE is 0.250.");
        assertThat(ForecastCommand.divergence(new double[] {1, Double.NaN}, new double[] {1}, 0, 1))
                .isEqualTo("its loss is NaN in epoch 2");
    }
}
