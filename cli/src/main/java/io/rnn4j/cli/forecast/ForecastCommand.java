package io.rnn4j.cli.forecast;

import static io.rnn4j.cli.OptionChecks.aboveZero;
import static io.rnn4j.cli.OptionChecks.atLeast;

import io.rnn4j.cli.CliException;
import io.rnn4j.cli.CommonOptions;
import io.rnn4j.cli.OptionChecks;
import io.rnn4j.cli.OutputPaths;
import io.rnn4j.cli.Terminal;
import io.rnn4j.cli.data.Csv;
import io.rnn4j.cli.data.CsvTable;
import io.rnn4j.cli.data.Datasets;
import io.rnn4j.cli.data.TimeSeries;
import io.rnn4j.engine.Device;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SimpleRNN;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rnn4j forecast}: one-month-ahead forecasts of a monthly series with SimpleRNN, LSTM or GRU.
 *
 * <p>The model reads the month-on-month changes of the last {@code --window} months and predicts
 * the next change; the forecast is last month's value plus that change. Working on changes removes
 * the trend (CO2 rises about 2 ppm a year, so held-out months lie above anything seen in training)
 * and leaves the seasonal cycle for the network to learn. Months are split by time: training, then
 * validation, then the held-out test months that every forecast is scored on.
 */
@Command(name = "forecast", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Forecast a monthly series one month ahead with a recurrent network (default: the Mauna Loa "
                + "CO2 record, 1958-2020) and compare it with the naive and seasonal-naive forecasts.",
            "Writes a plot of actual vs predicted months and of the loss curves."})
public final class ForecastCommand implements Callable<Integer> {

    /** The recurrent layer to use. */
    public enum Cell {
        SIMPLE, LSTM, GRU;

        Layer layer(int units) {
            return switch (this) {
                case SIMPLE -> new SimpleRNN(units);
                case LSTM -> new LSTM(units);
                case GRU -> new GRU(units);
            };
        }

        String label(int units) {
            return (this == SIMPLE ? "SimpleRNN" : name()) + "(" + units + ")";
        }
    }

    @Mixin
    CommonOptions common;

    @Option(names = "--cell", defaultValue = "lstm", paramLabel = "simple|lstm|gru",
            description = "The recurrent layer (default: ${DEFAULT-VALUE}).")
    Cell cell;
    @Option(names = "--units", defaultValue = "32", paramLabel = "N", description = "Its units (default: ${DEFAULT-VALUE}).")
    int units;
    @Option(names = "--window", defaultValue = "24", paramLabel = "MONTHS",
            description = "Months of history each forecast reads (default: ${DEFAULT-VALUE}).")
    int window;
    @Option(names = "--epochs", defaultValue = "20", paramLabel = "N", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;
    @Option(names = "--learning-rate", defaultValue = "0.003", paramLabel = "LR",
            description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;
    @Option(names = "--test", defaultValue = "120", paramLabel = "MONTHS",
            description = "Months held out at the end, to score the forecasts on (default: ${DEFAULT-VALUE}).")
    int testMonths;
    @Option(names = "--validation", defaultValue = "60", paramLabel = "MONTHS",
            description = "Months before those used for the validation loss (default: ${DEFAULT-VALUE}).")
    int validationMonths;
    @Option(names = "--season", defaultValue = "12", paramLabel = "N",
            description = "The season's length for the seasonal-naive forecast (default: ${DEFAULT-VALUE}).")
    int season;
    @Option(names = "--csv", paramLabel = "FILE", description = "Forecast a column of this CSV file (with a header) "
            + "instead of the CO2 record.")
    Path csv;
    @Option(names = "--column", paramLabel = "NAME|N", description = "The CSV column to forecast (name or 1-based number).")
    String column;
    @Option(names = "--date-column", paramLabel = "NAME|N",
            description = "A CSV column of dates (1958-03-01 or 1958-03), one per month; missing months are interpolated.")
    String dateColumn;
    @Option(names = "--seed", defaultValue = "42", description = "Seed for weights and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--plot", defaultValue = "rnn4j-out/forecast.png", paramLabel = "FILE",
            description = "Where to write the PNG plot (default: ${DEFAULT-VALUE}).")
    Path plot;
    @Option(names = "--no-plot", description = "Do not draw the plot.")
    boolean noPlot;
    @Option(names = "--save", defaultValue = "rnn4j-out/forecast.keras", paramLabel = "FILE",
            description = "Where to save the trained model, as a Keras 3 .keras file (default: ${DEFAULT-VALUE}).")
    Path save;

    @Override
    public Integer call() throws IOException {
        checkOptions();
        Device device = common.modelDevice(); // chosen before any layer touches the engine
        PrintWriter out = common.out();
        Seeds.set(seed);

        // 1. The series: the bundled CO2 record or a CSV column, evenly spaced.
        TimeSeries series = csv == null ? Datasets.co2() : readCsv();
        double[] y = series.values();
        int n = y.length;
        int testStart = n - testMonths;
        int validationStart = testStart - validationMonths;
        if (validationStart - window - 1 < batchSize) {
            throw new CliException("the series has " + n + " values: too few for a window of " + window + ", "
                    + validationMonths + " validation and " + testMonths + " test months; lower --window, "
                    + "--validation or --test");
        }
        if (season > testStart) {
            throw new CliException("--season " + season + " is longer than the " + testStart + " months before the "
                    + "held-out ones: the seasonal-naive forecast repeats the value --season months earlier, and "
                    + "for " + series.label(testStart) + " there is none; use --season at most " + testStart);
        }
        out.printf("%s: %d months, %s .. %s%s; device %s%n", series.name(), n, series.label(0),
                series.label(n - 1), series.interpolated() > 0 ? " (" + series.interpolated()
                        + " missing months interpolated)" : "", device.name());

        // 2. Month-on-month changes, standardized with statistics of the training months only.
        //    change[k] = y[k + 1] - y[k], so the change into month t is change[t - 1].
        double[] change = new double[n - 1];
        for (int k = 0; k < n - 1; k++) {
            change[k] = y[k + 1] - y[k];
        }
        Standardizer scale = Standardizer.fit(change, 0, validationStart - 1);
        double[] z = scale.apply(change);

        // 3. Windows: the last `window` changes -> the next change, split by time.
        Windows train = Windows.of(z, window, validationStart - 1, window);
        Windows validation = Windows.of(z, validationStart - 1, testStart - 1, window);
        Windows test = Windows.of(z, testStart - 1, n - 1, window);
        out.printf("windows of %d months: %d for training (to %s), %d for validation, %d held out (%s .. %s)%n",
                window, train.count(), series.label(validationStart - 1), validation.count(), test.count(),
                series.label(testStart), series.label(n - 1));

        // 4. The model, as in Keras: a recurrent layer reading (window, 1), a Dense head.
        Sequential model = Sequential.of(
                Input.shape(window, 1),
                cell.layer(units),
                new Dense(1));
        model.compile(Optimizers.adam(learningRate), Losses.meanSquaredError(), Metrics.meanAbsoluteError());
        out.println(model.summary());
        out.flush();
        History history = model.fit(train.inputs(device), train.targets(device),
                Fit.defaults().batchSize(batchSize).epochs(epochs).seed(seed)
                        .validationData(validation.inputs(device), validation.targets(device))
                        .output(Terminal.stream(out)));

        // 5. Forecasts for the held-out months: last month's value plus the predicted change.
        float[] predictedChange = model.predict(test.inputs(device)).toArray();
        double[] forecast = new double[n];
        java.util.Arrays.fill(forecast, Double.NaN);
        for (int i = 0; i < test.count(); i++) {
            int t = testStart + i;
            forecast[t] = y[t - 1] + scale.invert(predictedChange[i]);
        }

        // A diverged model's forecasts are not numbers: nothing to score, and nothing worth saving
        // (over what may be a good model from an earlier run).
        String diverged = divergence(toArray(history.get("loss")), forecast, testStart, n);
        if (diverged != null) {
            throw new CliException(cell.label(units) + " diverged in training (" + diverged + "), so it is neither "
                    + "scored nor saved to " + save + "; lower --learning-rate (now " + learningRate + ")");
        }

        // 6. Scores next to the forecasts any model must beat.
        double[] naive = Accuracy.lagged(y, 1);
        double[] seasonal = Accuracy.lagged(y, season);
        out.printf("%nheld-out months %s .. %s (%d), errors in %s:%n", series.label(testStart),
                series.label(n - 1), testMonths, series.name());
        out.printf("  %-32s %8s %8s%n", "forecast", "MAE", "RMSE");
        row(out, cell.label(units), y, forecast, testStart, n);
        row(out, "naive (last month)", y, naive, testStart, n);
        row(out, "seasonal naive (" + season + " months ago)", y, seasonal, testStart, n);
        double mae = Accuracy.mae(y, forecast, testStart, n);
        double best = Math.min(Accuracy.mae(y, naive, testStart, n), Accuracy.mae(y, seasonal, testStart, n));
        out.println(comparison(cell.label(units), mae, best));

        // 7. The model, saved as Keras 3 would save it (rnn4j predict and Keras both load it).
        Models.save(model, save);
        out.printf(Locale.ROOT, "saved the model to %s%n  input: the last %d month-on-month changes, each as "
                + "(change - %.5f) / %.5f, shaped (%d, 1); output: the next change, scaled alike%n", save, window,
                scale.mean(), scale.std(), window);

        // 8. The plot: actual vs predicted, and the loss curves.
        if (noPlot) {
            out.flush();
            return 0;
        }
        ForecastPlot.write(plot, cell.label(units) + " one-month-ahead forecast, " + series.name(), series.name(),
                series.timeLabel(), series.time(), y, forecast, testStart, Math.min(testStart, 2 * testMonths),
                toArray(history.get("loss")), toArray(history.get("val_loss")));
        out.println("wrote " + plot);
        out.flush();
        return 0;
    }

    /** Where training went wrong: the first epoch whose loss is not a number, or forecasts that are not; else null. */
    static String divergence(double[] loss, double[] forecast, int from, int to) {
        for (int e = 0; e < loss.length; e++) {
            if (!Double.isFinite(loss[e])) {
                return "its loss is " + loss[e] + " in epoch " + (e + 1);
            }
        }
        for (int i = from; i < to; i++) {
            if (!Double.isFinite(forecast[i])) {
                return "its forecasts are " + forecast[i];
            }
        }
        return null;
    }

    /** The model's MAE against the better baseline's, in words; a baseline that is exact leaves no ratio to give. */
    static String comparison(String model, double mae, double best) {
        if (best == 0) {
            return mae == 0 ? model + " and the better baseline both forecast the held-out months exactly."
                    : String.format(Locale.ROOT, "The better baseline forecasts the held-out months exactly (MAE 0); "
                            + "%s's MAE is %.3f.", model, mae);
        }
        return String.format(Locale.ROOT, "%s's MAE is %.0f%% %s than the better baseline's.", model,
                Math.abs(100 * (1 - mae / best)), mae < best ? "lower" : "HIGHER");
    }

    private static void row(PrintWriter out, String name, double[] y, double[] f, int from, int to) {
        out.printf(Locale.ROOT, "  %-32s %8.3f %8.3f%n", name, Accuracy.mae(y, f, from, to), Accuracy.rmse(y, f, from, to));
    }

    private TimeSeries readCsv() throws IOException {
        OptionChecks.inputFile("--csv", csv, "file");
        if (column == null) {
            throw new CliException("--csv needs --column, the column to forecast (a header name or a number)");
        }
        CsvTable t = Csv.read(csv, true);
        int c = t.column(column);
        String name = t.columnNames().get(c);
        if (dateColumn == null) {
            return TimeSeries.ofSteps(name, t.numbers(c));
        }
        return TimeSeries.monthly(name, t.strings(t.column(dateColumn)), t.numbers(c), csv.toString());
    }

    private void checkOptions() {
        if (csv == null && (column != null || dateColumn != null)) {
            throw new CliException("--column and --date-column choose a column of --csv FILE; give --csv too");
        }
        atLeast("--units", units, 1);
        atLeast("--window", window, 1);
        atLeast("--epochs", epochs, 1);
        atLeast("--batch-size", batchSize, 1);
        atLeast("--test", testMonths, 1);
        atLeast("--validation", validationMonths, 1);
        atLeast("--season", season, 1);
        aboveZero("--learning-rate", learningRate);
        // Case and all, as Models.save (and Keras's save_model/load_model) check it: m.KERAS is refused here,
        // not after training.
        Path saveName = save.getFileName();
        if (saveName == null || !saveName.toString().endsWith(".keras")) {
            throw new CliException("--save " + save + ": the model is saved as a Keras 3 .keras file (rnn4j writes no "
                    + "other model format); name it *.keras");
        }
        if (!noPlot && !hasExtension(plot, ".png")) {
            throw new CliException("--plot " + plot + ": the plot is drawn as a PNG image; name it *.png, or leave it "
                    + "out with --no-plot");
        }
        new OutputPaths().reads("--csv", csv).writes("--save", save).writes("--plot", noPlot ? null : plot).check();
    }

    private static boolean hasExtension(Path file, String extension) {
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(extension);
    }

    private static double[] toArray(java.util.List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
