package io.rnn4j.layers.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.GlobalMaxPooling1D;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SpatialDropout1D;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IMDB sentiment pattern of Keras's text examples and their many derivatives: Embedding →
 * SpatialDropout1D → Bidirectional(LSTM(64, return_sequences=True)) → GlobalMaxPooling1D →
 * Dense(1, sigmoid), built in the functional style of keras-io's "Bidirectional LSTM on IMDB"
 * (examples/nlp/bidirectional_lstm_imdb.py: {@code keras.Input(shape=(None,), dtype="int32")},
 * Embedding(20000, 128), adam, binary_crossentropy, accuracy).
 *
 * <p>No published page prints this exact model's summary. Its Embedding(20000, 128) and
 * Bidirectional(LSTM(64, return_sequences=True)) rows are those keras-io's example prints for the
 * same layers on the same inputs (examples/nlp/md/bidirectional_lstm_imdb.md: 2,560,000 and 98,816,
 * shape (None, None, 128)), and so is the Dense(1) on 128 features (129); the others are Keras's
 * formulas (no weights in SpatialDropout1D and GlobalMaxPooling1D; total 2,658,945 × 4 bytes).
 *
 * <p>Data: reviews of 12 word ids drawn from the 100 most frequent (1..99), positive (label 1) when
 * one of the ids 1..6 occurs: something the max over the BiLSTM's steps can find. Seed 23.
 */
class ImdbBidirectionalLstmMaxPoolTest {
    private static final long SEED = 23;
    private static final int MAX_FEATURES = 20000;

    @TempDir
    Path tmp;

    static Model buildModel() {
        Input inputs = Input.shape(Input.NONE).named("input_layer");
        SymbolicTensor x = new Embedding(MAX_FEATURES, 128).named("embedding").apply(inputs);
        x = new SpatialDropout1D(0.2f).named("spatial_dropout1d").apply(x);
        x = new Bidirectional(new LSTM(64).returnSequences(true)).named("bidirectional").apply(x);
        x = new GlobalMaxPooling1D().named("global_max_pooling1d").apply(x);
        SymbolicTensor outputs = new Dense(1, "sigmoid").named("dense").apply(x);
        return Model.of(inputs, outputs).named("functional");
    }

    @Test
    void summaryHasKerasShapesAndParameterCounts() {
        String summary = buildModel().summary();
        System.out.println(summary);
        assertThat(Examples.rows(summary)).containsExactly(
                List.of("input_layer (InputLayer)", "(None, None)", "0"),
                List.of("embedding (Embedding)", "(None, None, 128)", "2,560,000"),
                List.of("spatial_dropout1d (SpatialDropout1D)", "(None, None, 128)", "0"),
                List.of("bidirectional (Bidirectional)", "(None, None, 128)", "98,816"),
                List.of("global_max_pooling1d (GlobalMaxPooling1D)", "(None, 128)", "0"),
                List.of("dense (Dense)", "(None, 1)", "129"));
        assertThat(Examples.totals(summary)).containsExactly("Total params: 2,658,945 (10.14 MB)",
                "Trainable params: 2,658,945 (10.14 MB)", "Non-trainable params: 0 (0.00 B)");
    }

    /** {@code n} reviews of {@code length} word ids in 1..99; label 1 where an id in 1..6 occurs. */
    static Tensor[] reviews(long seed, int n, int length) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * length];
        float[] y = new float[n];
        for (int s = 0; s < n; s++) {
            for (int t = 0; t < length; t++) {
                int id = 1 + r.nextInt(99);
                x[s * length + t] = id;
                y[s] = id <= 6 ? 1 : y[s];
            }
        }
        return new Tensor[] {Tensor.of(x, n, length), Tensor.of(y, n, 1)};
    }

    @Test
    void trainsThenRoundTripsThroughKerasFileBitForBit() throws IOException {
        System.out.println("ImdbBidirectionalLstmMaxPoolTest seed " + SEED);
        Seeds.set(SEED);
        Model model = buildModel();
        Tensor[] train = reviews(SEED, 64, 12);
        Tensor[] val = reviews(SEED + 1, 16, 12);
        // Adam at 0.01 rather than the example's default 0.001: 64 reviews and 5 epochs must show learning.
        model.compile(Optimizers.adam(0.01), Losses.binaryCrossentropy(), Metrics.accuracy());
        History h = model.fit(List.of(train[0]), List.of(train[1]), Fit.defaults().batchSize(16).epochs(5)
                .validationData(val[0], val[1]).verbose(2).seed(SEED));
        List<Double> loss = h.get("loss");
        System.out.println("ImdbBidirectionalLstmMaxPoolTest history " + h.history());
        assertThat(loss.get(loss.size() - 1)).as("training loss falls: %s", loss).isLessThan(0.9 * loss.get(0));

        Path out = tmp.resolve("imdb_bilstm.keras");
        Models.save(model, out);
        KerasModel loaded = Models.load(out);
        loaded.compileFromConfig();
        Model back = loaded.functional();
        assertThat(Examples.rows(back.summary())).isEqualTo(Examples.rows(buildModel().summary()));
        assertThat(back.predict(val[0]).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(model.predict(val[0]).toArray());
        Tensor longer = reviews(SEED + 2, 3, 31)[0];
        assertThat(back.predict(longer).toArray()).as("31-word reviews through the None length, bit for bit")
                .isEqualTo(model.predict(longer).toArray());
        assertThat(back.evaluate(val[0], val[1]).loss()).as("the loaded model, compiled from its file, evaluates alike")
                .isEqualTo(model.evaluate(val[0], val[1]).loss());
    }
}
