package io.rnn4j.layers.examples;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.Timeseries;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.callbacks.EarlyStopping;
import io.rnn4j.layers.callbacks.ModelCheckpoint;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.keras.Npy;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keras-io's examples/timeseries/timeseries_weather_forecasting.py ("Timeseries forecasting for weather
 * prediction", last modified 2020/07/20) at a tiny size: a seeded synthetic "weather" of 400 steps
 * (pressure, temperature, humidity, wind; daily and seasonal cycles) instead of the Jena record, normalized
 * with the training split's mean and std, cut into windows as {@code timeseries_dataset_from_array} cuts them
 * ({@link Timeseries#windows}: sampling_rate {@code STEP}, sequence_length {@code PAST / STEP}, targets the
 * temperature {@code PAST + FUTURE} steps on), Input → LSTM(32) → Dense(1), Adam and "mse", trained with
 * validation data, {@code EarlyStopping(monitor="val_loss", min_delta=0, patience)} and
 * {@code ModelCheckpoint(save_best_only=True, save_weights_only=True, monitor="val_loss")}.
 *
 * <p>Keras's side is keras3151/make_weather_lstm.py (TensorFlow backend; Adam(0.03) and patience 2 so that
 * the validation loss turns up and EarlyStopping stops within the fixture's 10 epochs; Keras stopped after
 * epoch 5 of 10, the best epoch the third): rnn4j's windows are Keras's dataset batches bit for bit, the file
 * predicts Keras's outputs, and fit with both callbacks gives Keras's history, stops at Keras's epoch and
 * checkpoints Keras's best-epoch weights, printing ModelCheckpoint's verbose=1 lines as Keras does. Bar:
 * {@code Keras3151.assertClose}, 1e-5 + 1e-5·|y|. A Java-built copy (Adam(0.01), up to 30 epochs,
 * EarlyStopping restoring the best weights) forecasts the validation windows with an mse under 0.15 and
 * under a quarter of persistence's (the last temperature seen).
 */
class WeatherForecastingLstmTest {
    private static final int N = 400;
    private static final int FEATURES = 4;
    private static final int TRAIN_SPLIT = (int) (0.7 * N);
    private static final int STEP = 3;
    private static final int PAST = 24;
    private static final int FUTURE = 6;
    private static final int SEQUENCE_LENGTH = PAST / STEP;
    private static final int BATCH_SIZE = 32;
    private static final int EPOCHS = 10;
    private static final int PATIENCE = 2;
    private static final int TEMPERATURE = 1;

    @TempDir
    Path tmp;

    /** The example's normalize: (data − mean) / std of the first {@code trainSplit} rows, numpy's std (ddof 0). */
    static double[][] normalize(double[][] data, int trainSplit) {
        int features = data[0].length;
        double[][] out = new double[data.length][features];
        for (int f = 0; f < features; f++) {
            double sum = 0;
            for (int i = 0; i < trainSplit; i++) {
                sum += data[i][f];
            }
            double mean = sum / trainSplit;
            double squares = 0;
            for (int i = 0; i < trainSplit; i++) {
                squares += (data[i][f] - mean) * (data[i][f] - mean);
            }
            double std = Math.sqrt(squares / trainSplit);
            for (int i = 0; i < data.length; i++) {
                out[i][f] = (data[i][f] - mean) / std;
            }
        }
        return out;
    }

    /** Rows {@code [from, to)} of {@code columns} as a float32 tensor {@code (to − from, columns.length)}. */
    static Tensor rows(double[][] data, int from, int to, int... columns) {
        float[] v = new float[(to - from) * columns.length];
        for (int i = from; i < to; i++) {
            for (int c = 0; c < columns.length; c++) {
                v[(i - from) * columns.length + c] = (float) data[i][columns[c]];
            }
        }
        return Tensor.of(v, to - from, columns.length);
    }

    private static double[][] series(String name) throws IOException {
        double[] flat = Npy.read(resource(name)).values();
        assertThat(flat).as(name).hasSize(N * FEATURES);
        double[][] out = new double[N][FEATURES];
        for (int i = 0; i < N; i++) {
            System.arraycopy(flat, i * FEATURES, out[i], 0, FEATURES);
        }
        return out;
    }

    /** The example's dataset_train and dataset_val, unbatched: {train, val}. */
    static Timeseries.Windows[] datasets(double[][] features) {
        int[] all = {0, 1, 2, 3};
        int start = PAST + FUTURE;
        Timeseries.Windows train = Timeseries.windows(rows(features, 0, TRAIN_SPLIT, all),
                rows(features, start, start + TRAIN_SPLIT, TEMPERATURE), SEQUENCE_LENGTH, 1, STEP, null, null);
        // x_val: the validation rows less the last past + future (no labels); y_val from train_split + past + future
        int xEnd = N - TRAIN_SPLIT - PAST - FUTURE;
        Timeseries.Windows val = Timeseries.windows(rows(features, TRAIN_SPLIT, TRAIN_SPLIT + xEnd, all),
                rows(features, TRAIN_SPLIT + start, N, TEMPERATURE), SEQUENCE_LENGTH, 1, STEP, null, null);
        return new Timeseries.Windows[] {train, val};
    }

    private static Timeseries.Windows[] datasets() throws IOException {
        return datasets(normalize(series("weather.raw.npy"), TRAIN_SPLIT));
    }

    private static List<Weight> weights(KerasModel m) {
        List<Weight> out = new ArrayList<>();
        for (Layer l : m.layers()) {
            out.addAll(l.weights());
        }
        return out;
    }

    private static double[] npy(String name) throws IOException {
        return Npy.read(resource(name)).values();
    }

    @Test
    void normalizationAndWindowsAreKerassDatasetBatches() throws IOException {
        double[][] features = normalize(series("weather.raw.npy"), TRAIN_SPLIT);
        double[][] want = series("weather.normalized.npy");
        for (int i = 0; i < N; i++) {
            for (int f = 0; f < FEATURES; f++) {
                assertThat(features[i][f]).as("normalized row %d feature %d", i, f)
                        .isCloseTo(want[i][f], Offset.offset(1e-12));
            }
        }
        Timeseries.Windows[] ds = datasets(features);
        // 280 training rows: 280 − (8 − 1)·3 = 259 windows; 90 validation rows: 69 windows
        assertThat(ds[0].x().shape().dims()).containsExactly(259, SEQUENCE_LENGTH, FEATURES);
        assertThat(ds[1].x().shape().dims()).containsExactly(69, SEQUENCE_LENGTH, FEATURES);
        String[] names = {"train", "val"};
        for (int d = 0; d < 2; d++) {
            Tensor x = Npy.read(resource("weather." + names[d] + "_x.npy")).tensor();
            Tensor y = Npy.read(resource("weather." + names[d] + "_y.npy")).tensor();
            assertThat(ds[d].x().shape()).isEqualTo(x.shape());
            assertThat(ds[d].x().toArray()).as("%s inputs, Keras's batches concatenated", names[d])
                    .isEqualTo(x.toArray());
            assertThat(ds[d].y().shape()).isEqualTo(y.shape());
            assertThat(ds[d].y().toArray()).as("%s targets", names[d]).isEqualTo(y.toArray());
        }
    }

    @Test
    void kerasFileLoadsAndPredictsKerassForecasts() throws IOException {
        KerasModel keras = Models.load(resource("weather.keras"));
        assertThat(keras.kerasVersion()).contains("3.15.1");
        assertThat(keras.countParams()).isEqualTo(4 * 32 * (FEATURES + 32 + 1) + 32 + 1);
        assertClose("the untrained model's forecasts of the validation windows",
                keras.predict(datasets()[1].x()).toArray(), npy("weather.pred.npy"));
    }

    @Test
    void fitWithEarlyStoppingAndCheckpointIsKerassRun() throws IOException {
        Timeseries.Windows[] ds = datasets();
        KerasModel model = Models.load(resource("weather.keras"), true);
        EarlyStopping es = new EarlyStopping().monitor("val_loss").minDelta(0).patience(PATIENCE);
        Path checkpoint = tmp.resolve("weather.best.weights.h5");
        ModelCheckpoint ckpt = new ModelCheckpoint(checkpoint.toString()).monitor("val_loss").verbose(1)
                .saveWeightsOnly(true).saveBestOnly(true);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        History h = model.fit(ds[0].x(), ds[0].y(), Fit.defaults().batchSize(BATCH_SIZE).epochs(EPOCHS)
                .shuffle(false).validationData(ds[1].x(), ds[1].y()).callbacks(es, ckpt).verbose(0)
                .output(new PrintStream(printed, true, StandardCharsets.UTF_8)));
        double[] loss = npy("weather.loss.npy");
        double[] valLoss = npy("weather.val_loss.npy");
        assertThat(loss.length).as("Keras stopped early").isLessThan(EPOCHS);
        assertThat(h.epochs()).as("epochs run before EarlyStopping stopped").isEqualTo(loss.length);
        assertThat(es.stoppedEpoch()).as("es.stopped_epoch").isEqualTo((int) npy("weather.stopped_epoch.npy")[0]);
        assertClose("loss per epoch", toFloats(h.get("loss")), loss);
        assertClose("val_loss per epoch", toFloats(h.get("val_loss")), valLoss);
        assertClose("the trained model's forecasts (the example's last cell)",
                model.predict(ds[1].x()).toArray(), npy("weather.val_pred.npy"));

        // the checkpoint holds the best epoch's weights, not the last epoch's
        int best = 0;
        for (int e = 1; e < valLoss.length; e++) {
            best = valLoss[e] < valLoss[best] ? e : best;
        }
        assertThat(best).as("the best epoch is not the last").isLessThan(valLoss.length - 1);
        KerasModel restored = Models.load(resource("weather.keras"));
        Models.loadWeights(restored, checkpoint);
        KerasModel kerasCheckpoint = Models.load(resource("weather.keras"));
        Models.loadWeights(kerasCheckpoint, resource("weather.best.weights.h5"));
        List<Weight> ours = weights(restored);
        List<Weight> theirs = weights(kerasCheckpoint);
        assertThat(ours).hasSize(5);
        for (int i = 0; i < ours.size(); i++) {
            double[] want = npy("weather.best" + i + ".npy");
            assertClose("rnn4j's checkpoint, weight " + ours.get(i).path(), ours.get(i).value().toArray(), want);
            assertThat(theirs.get(i).value().toArray()).as("Keras's own checkpoint file, weight %d", i)
                    .isEqualTo(toFloats(want));
        }
        assertPrintedAsKeras(printed.toString(StandardCharsets.UTF_8).replace(tmp + File.separator, ""),
                Files.readString(resource("weather.checkpoint_log.txt")));
        assertThat(Files.list(tmp).toList()).as("one checkpoint file, rewritten at each improvement")
                .containsExactly(checkpoint);
    }

    @Test
    void aJavaBuiltCopyForecastsBetterThanPersistence() throws IOException {
        long seed = 2020;
        System.out.println("WeatherForecastingLstmTest seed " + seed);
        Timeseries.Windows[] ds = datasets();
        Seeds.set(seed);
        Input inputs = Input.shape(SEQUENCE_LENGTH, FEATURES);
        SymbolicTensor lstmOut = new LSTM(32).apply(inputs);
        Model model = Model.of(inputs, new Dense(1).apply(lstmOut));
        model.compile(Optimizers.adam(0.01), Losses.meanSquaredError());
        model.fit(ds[0].x(), ds[0].y(), Fit.defaults().batchSize(BATCH_SIZE).epochs(30).seed(seed)
                .validationData(ds[1].x(), ds[1].y()).callbacks(new EarlyStopping().patience(5)
                        .restoreBestWeights(true)).verbose(0));
        double mse = model.evaluate(ds[1].x(), ds[1].y()).loss();
        // persistence: the temperature at the window's last step as the forecast FUTURE steps on
        float[] x = ds[1].x().toArray();
        float[] y = ds[1].y().toArray();
        double persistence = 0;
        for (int w = 0; w < y.length; w++) {
            double d = x[((w * SEQUENCE_LENGTH) + SEQUENCE_LENGTH - 1) * FEATURES + TEMPERATURE] - y[w];
            persistence += d * d / y.length;
        }
        System.out.printf("WeatherForecastingLstmTest: validation mse %.4f, persistence %.4f%n", mse, persistence);
        // measured: 0.061 against persistence's 1.217 (the temperature's daily cycle turns a quarter in FUTURE steps)
        assertThat(mse).as("validation mse (normalized temperature, variance about 1)").isLessThan(0.15);
        assertThat(mse).as("validation mse against persistence's %s", persistence).isLessThan(0.25 * persistence);
    }

    /**
     * ModelCheckpoint(verbose=1)'s lines as Keras printed them: the words exactly, each {@code %.5f} number
     * within 2e-5 (a loss within the bar may round to the next fifth decimal).
     */
    private static void assertPrintedAsKeras(String got, String want) {
        Pattern number = Pattern.compile("\\d+\\.\\d{5}");
        String[] g = got.split("\n", -1);
        String[] w = want.split("\n", -1);
        assertThat(g).as("ModelCheckpoint's printed lines:%n%s", got).hasSameSizeAs(w);
        for (int i = 0; i < w.length; i++) {
            assertThat(number.matcher(g[i]).replaceAll("#")).as("line %d", i)
                    .isEqualTo(number.matcher(w[i]).replaceAll("#"));
            Matcher mg = number.matcher(g[i]);
            Matcher mw = number.matcher(w[i]);
            while (mw.find()) {
                assertThat(mg.find()).isTrue();
                assertThat(Double.parseDouble(mg.group())).as("line %d: %s", i, g[i])
                        .isCloseTo(Double.parseDouble(mw.group()), Offset.offset(2e-5));
            }
        }
    }

    private static float[] toFloats(List<Double> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
