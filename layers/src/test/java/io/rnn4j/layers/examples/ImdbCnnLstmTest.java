package io.rnn4j.layers.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.ActivationLayer;
import io.rnn4j.layers.Conv1D;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.MaxPooling1D;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras's old example keras/examples/imdb_cnn_lstm.py ("a recurrent convolutional network on the
 * IMDB sentiment classification task"), as Keras 3 takes it: a Sequential of Embedding(20000, 128)
 * → Dropout(0.25) → Conv1D(64, 5, padding="valid", activation="relu", strides=1) →
 * MaxPooling1D(pool_size=4) → LSTM(70) → Dense(1) → Activation("sigmoid") over reviews padded to
 * maxlen 100, compiled with adam, binary_crossentropy and accuracy (batch size 30 there, 20 here). Keras 3 ignores
 * Embedding's input_length (the example's way to give the input shape), so the port starts with
 * {@code Input(shape=(100,))}, as Keras 3's Sequential wants.
 *
 * <p>The example prints no summary; the numbers checked are Keras's formulas: Conv1D 5·128·64 + 64
 * = 41,024 over 100 − 5 + 1 = 96 steps, pooled to 96 / 4 = 24; LSTM 4·(70·(64 + 70) + 70) = 37,800;
 * Dense 71; total 2,638,895 (× 4 bytes = 10.07 MB). Keras 3's Sequential summary has no input row.
 *
 * <p>Data: reviews of 100 word ids in 1..99, positive where one of the ids 1..4 occurs among the
 * first 20 words; the conv-pool-LSTM stack must find it. Seed 31.
 */
class ImdbCnnLstmTest {
    private static final long SEED = 31;
    private static final int MAX_FEATURES = 20000;
    private static final int MAXLEN = 100;

    @TempDir
    Path tmp;

    static Sequential buildModel() {
        return Sequential.of(Input.shape(MAXLEN),
                new Embedding(MAX_FEATURES, 128).named("embedding"),
                new Dropout(0.25f).named("dropout"),
                new Conv1D(64, 5, "relu").padding("valid").strides(1).named("conv1d"),
                new MaxPooling1D(4).named("max_pooling1d"),
                new LSTM(70).named("lstm"),
                new Dense(1).named("dense"),
                new ActivationLayer("sigmoid").named("activation")).named("sequential");
    }

    @Test
    void summaryHasKerasShapesAndParameterCounts() {
        String summary = buildModel().summary();
        System.out.println(summary);
        assertThat(Examples.rows(summary)).containsExactly(
                List.of("embedding (Embedding)", "(None, 100, 128)", "2,560,000"),
                List.of("dropout (Dropout)", "(None, 100, 128)", "0"),
                List.of("conv1d (Conv1D)", "(None, 96, 64)", "41,024"),
                List.of("max_pooling1d (MaxPooling1D)", "(None, 24, 64)", "0"),
                List.of("lstm (LSTM)", "(None, 70)", "37,800"),
                List.of("dense (Dense)", "(None, 1)", "71"),
                List.of("activation (Activation)", "(None, 1)", "0"));
        assertThat(Examples.totals(summary)).containsExactly("Total params: 2,638,895 (10.07 MB)",
                "Trainable params: 2,638,895 (10.07 MB)", "Non-trainable params: 0 (0.00 B)");
    }

    /** {@code n} reviews of {@link #MAXLEN} ids in 1..99; label 1 where an id in 1..4 is among the first 20. */
    static Tensor[] reviews(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * MAXLEN];
        float[] y = new float[n];
        for (int s = 0; s < n; s++) {
            for (int t = 0; t < MAXLEN; t++) {
                int id = 1 + r.nextInt(99);
                x[s * MAXLEN + t] = id;
                y[s] = t < 20 && id <= 4 ? 1 : y[s];
            }
        }
        return new Tensor[] {Tensor.of(x, n, MAXLEN), Tensor.of(y, n, 1)};
    }

    @Test
    void trainsThenRoundTripsThroughKerasFileBitForBit() throws IOException {
        System.out.println("ImdbCnnLstmTest seed " + SEED);
        Seeds.set(SEED);
        Sequential model = buildModel();
        // Fewer and smaller batches than the example's 25,000 reviews in batches of 30: the 96-step convolution is
        // the cost here, on the scalar backend the layers tests run on.
        Tensor[] train = reviews(SEED, 40);
        Tensor[] test = reviews(SEED + 1, 20);
        // Adam at 0.01 rather than the example's default 0.001: 40 reviews and 4 epochs must show learning.
        model.compile(Optimizers.adam(0.01), Losses.binaryCrossentropy(), Metrics.accuracy());
        History h = model.fit(train[0], train[1], Fit.defaults().batchSize(20).epochs(4).validationData(test[0], test[1])
                .verbose(2).seed(SEED));
        List<Double> loss = h.get("loss");
        System.out.println("ImdbCnnLstmTest history " + h.history());
        assertThat(loss.get(loss.size() - 1)).as("training loss falls: %s", loss).isLessThan(0.9 * loss.get(0));

        Path out = tmp.resolve("imdb_cnn_lstm.keras");
        Models.save(model, out);
        KerasModel loaded = Models.load(out);
        loaded.compileFromConfig();
        Sequential back = loaded.sequential();
        assertThat(Examples.rows(back.summary())).isEqualTo(Examples.rows(buildModel().summary()));
        assertThat(back.predict(test[0]).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(model.predict(test[0]).toArray());
        assertThat(back.evaluate(test[0], test[1], 20).metric("accuracy")).as("the loaded model's test accuracy")
                .isEqualTo(model.evaluate(test[0], test[1], 20).metric("accuracy"));
    }
}
