package io.rnn4j.layers.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Conv1D;
import io.rnn4j.layers.Conv1DTranspose;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.callbacks.EarlyStopping;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras's example "Timeseries anomaly detection using an Autoencoder" (keras-io
 * examples/timeseries/timeseries_anomaly_detection.py, NAB's art_daily series): a convolutional
 * reconstruction autoencoder. Conv1D(32, 7, "same", strides 2, relu) → Dropout(0.2) →
 * Conv1D(16, 7, "same", strides 2, relu) → Conv1DTranspose(16, 7, "same", strides 2, relu) →
 * Dropout(0.2) → Conv1DTranspose(32, 7, "same", strides 2, relu) → Conv1DTranspose(1, 7, "same"),
 * on windows of 288 steps (a day of 5-minute values) of one channel. It is compiled with Adam(0.001)
 * and mse, and fitted on x as both input and target, with validation_split 0.1 and
 * EarlyStopping(val_loss, patience 5, mode min). Then the largest per-window training MAE is the
 * threshold above which a test window is an anomaly.
 *
 * <p>The summary checked is the one Keras 3 printed in the rendered example (keras-io
 * examples/timeseries/md/timeseries_anomaly_detection.md, commit 3548075): 9,505 parameters, the
 * transposed convolutions' 1,808, 3,616 and 225 among them.
 *
 * <p>Data: art_daily's layout (one z-normalised value per 5 minutes, windows of 288 steps),
 * synthetic and shorter: a daily sine with Gaussian noise. Windows are taken every 8 steps instead of
 * every step, to keep this test at a few seconds on the scalar backend. The test series carries a
 * jump of 6 standard deviations over 30 steps, as the example's daily_jumpsup. Seed 59.
 */
class TimeseriesAnomalyDetectionTest {
    private static final long SEED = 59;
    private static final int TIME_STEPS = 288;

    @TempDir
    Path tmp;

    /** The example's model, its layers named as a fresh Keras session names them. */
    static Sequential makeModel() {
        return Sequential.of(Input.shape(TIME_STEPS, 1),
                new Conv1D(32, 7, "relu").padding("same").strides(2).named("conv1d"),
                new Dropout(0.2f).named("dropout"),
                new Conv1D(16, 7, "relu").padding("same").strides(2).named("conv1d_1"),
                new Conv1DTranspose(16, 7, "relu").padding("same").strides(2).named("conv1d_transpose"),
                new Dropout(0.2f).named("dropout_1"),
                new Conv1DTranspose(32, 7, "relu").padding("same").strides(2).named("conv1d_transpose_1"),
                new Conv1DTranspose(1, 7).padding("same").named("conv1d_transpose_2"));
    }

    @Test
    void summaryHasThePublishedShapesAndParameterCounts() {
        String summary = makeModel().summary();
        System.out.println(summary);
        assertThat(Examples.rows(summary)).containsExactly(
                List.of("conv1d (Conv1D)", "(None, 144, 32)", "256"),
                List.of("dropout (Dropout)", "(None, 144, 32)", "0"),
                List.of("conv1d_1 (Conv1D)", "(None, 72, 16)", "3,600"),
                List.of("conv1d_transpose (Conv1DTranspose)", "(None, 144, 16)", "1,808"),
                List.of("dropout_1 (Dropout)", "(None, 144, 16)", "0"),
                List.of("conv1d_transpose_1 (Conv1DTranspose)", "(None, 288, 32)", "3,616"),
                List.of("conv1d_transpose_2 (Conv1DTranspose)", "(None, 288, 1)", "225"));
        assertThat(Examples.totals(summary)).containsExactly("Total params: 9,505 (37.13 KB)",
                "Trainable params: 9,505 (37.13 KB)", "Non-trainable params: 0 (0.00 B)");
    }

    /** A daily sine (288 steps a period) with Gaussian noise, plus {@code jump} over steps [from, from + 30). */
    private static float[] series(long seed, int length, double jump, int from) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[length];
        for (int t = 0; t < length; t++) {
            double day = Math.sin(2 * Math.PI * t / TIME_STEPS);
            v[t] = (float) (day + 0.1 * r.nextGaussian() + (t >= from && t < from + 30 ? jump : 0));
        }
        return v;
    }

    /** The example's create_sequences, every {@code hop}-th window: (windows, 288, 1), normalised by mean and std. */
    private static Tensor sequences(float[] v, int hop, double mean, double std) {
        int n = (v.length - TIME_STEPS) / hop + 1;
        float[] out = new float[n * TIME_STEPS];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < TIME_STEPS; t++) {
                out[i * TIME_STEPS + t] = (float) ((v[i * hop + t] - mean) / std);
            }
        }
        return Tensor.of(out, n, TIME_STEPS, 1);
    }

    /** Mean absolute error of each window (the example's np.mean(np.abs(pred - x), axis=1)). */
    private static double[] windowMae(Tensor prediction, Tensor x) {
        float[] p = prediction.toArray();
        float[] v = x.toArray();
        double[] mae = new double[x.dim(0)];
        for (int i = 0; i < p.length; i++) {
            mae[i / TIME_STEPS] += Math.abs(p[i] - v[i]) / TIME_STEPS;
        }
        return mae;
    }

    @Test
    void trainsFlagsTheJumpAndRoundTripsBitForBit() throws IOException {
        System.out.println("TimeseriesAnomalyDetectionTest seed " + SEED);
        Seeds.set(SEED);
        float[] train = series(SEED, 2 * TIME_STEPS + 160, 0, 0);
        double mean = 0;
        for (float f : train) {
            mean += f / train.length;
        }
        double var = 0;
        for (float f : train) {
            var += (f - mean) * (f - mean) / (train.length - 1); // pandas' std: ddof 1
        }
        double std = Math.sqrt(var);
        Tensor xTrain = sequences(train, 8, mean, std);

        Sequential model = makeModel();
        model.compile(Optimizers.adam(0.001), Losses.meanSquaredError());
        int epochs = 6;
        History history = model.fit(xTrain, xTrain, Fit.defaults().batchSize(16).epochs(epochs).validationSplit(0.1).seed(SEED)
                .callbacks(new EarlyStopping().monitor("val_loss").patience(5).mode("min")).verbose(0));
        List<Double> loss = history.get("loss");
        System.out.println("TimeseriesAnomalyDetectionTest history " + history.history());
        assertThat(loss).as("epochs run (EarlyStopping with patience 5 may not stop 6)").hasSize(epochs);
        assertThat(loss.get(loss.size() - 1)).as("reconstruction loss falls over %d epochs: %s", epochs, loss)
                .isLessThan(0.5 * loss.get(0));

        // The example's detection: the worst training window's MAE is the threshold.
        double threshold = 0;
        for (double m : windowMae(model.predict(xTrain), xTrain)) {
            threshold = Math.max(threshold, m);
        }
        int jumpAt = TIME_STEPS + 100;
        float[] test = series(SEED + 1, 2 * TIME_STEPS + 160, 6 * std, jumpAt);
        Tensor xTest = sequences(test, 8, mean, std);
        double[] testMae = windowMae(model.predict(xTest), xTest);
        List<Integer> flagged = new ArrayList<>();
        List<Integer> withJump = new ArrayList<>();
        for (int i = 0; i < testMae.length; i++) {
            if (testMae[i] > threshold) {
                flagged.add(i);
            }
            if (i * 8 < jumpAt + 30 && i * 8 + TIME_STEPS > jumpAt) {
                withJump.add(i);
            }
        }
        System.out.println("TimeseriesAnomalyDetectionTest threshold " + threshold + ", anomalous windows " + flagged
                + " of " + testMae.length + ", windows holding the jump " + withJump);
        assertThat(flagged).as("windows above the threshold %s: all and only those holding the jump", threshold)
                .isEqualTo(withJump);

        Path saved = tmp.resolve("autoencoder.keras");
        Models.save(model, saved);
        KerasModel back = Models.load(saved);
        assertThat(Examples.rows(back.summary())).isEqualTo(Examples.rows(model.summary()));
        assertThat(back.predict(xTest).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(model.predict(xTest).toArray());
        // The compile config comes back too (Adam(0.001), mse): the loaded model evaluates to the same loss.
        back.compileFromConfig();
        assertThat(back.evaluate(xTest, xTest).loss()).as("test loss after load, compiled from the file")
                .isEqualTo(model.evaluate(xTest, xTest).loss());
        System.out.println("TimeseriesAnomalyDetectionTest training config " + back.trainingConfig().orElse(""));
    }
}
