package io.rnn4j.layers.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Conv1D;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.GlobalAveragePooling1D;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LayerNormalization;
import io.rnn4j.layers.MultiHeadAttention;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.Session;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.callbacks.EarlyStopping;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.ops.KerasOps;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras's example "Timeseries classification with a Transformer model" (keras-io
 * examples/timeseries/timeseries_classification_transformer.py, FordA): transformer_encoder blocks
 * of MultiHeadAttention(key_dim=head_size, num_heads, dropout)(inputs, inputs) → Dropout →
 * LayerNormalization(epsilon=1e-6) → {@code res = x + inputs} (Keras 3's Add operation) →
 * Conv1D(ff_dim, 1, relu) → Dropout → Conv1D(features, 1) → LayerNormalization(epsilon=1e-6) →
 * {@code x + res}, then GlobalAveragePooling1D, Dense(relu) + Dropout per mlp unit and a softmax
 * Dense; sparse_categorical_crossentropy, Adam(1e-4), sparse_categorical_accuracy, EarlyStopping
 * (patience=10, restore_best_weights) and validation_split 0.2.
 *
 * <p>The pooling's data_format: the source today reads "channels_last"; the page's printed summary
 * (examples/timeseries/md/timeseries_classification_transformer.md: 93,130 parameters, the first
 * Dense 64,128 = 500·128 + 128) and training log come from the earlier "channels_first", which pools
 * over the one feature and keeps the 500 steps (keras-io issues #1876, #1908 and #2395 report the
 * 29,258 parameters channels_last gives, keras-io PR #2006 proposes going back). Both build here;
 * the summaries are checked against those numbers and Keras's formulas (MultiHeadAttention
 * 3·(1·4·256 + 4·256) + 4·256·1 + 1 = 7,169; LayerNormalization 2; Conv1D 1·4 + 4 = 8 and
 * 4·1 + 1 = 5; the head 128·2 + 2 = 258), with the names a fresh Keras 3 session gives (the
 * printed table is tf.keras 2's, where {@code x + inputs} was a TFOpLambda layer).
 *
 * <p>Training runs the variant that learns on FordA's one channel, channels_first (with one feature
 * every LayerNormalization outputs its beta, so the blocks add constants to the series and the head
 * learns from the series itself), at a small size: 32 steps, head_size 8, 2 heads, 2 blocks, mlp
 * [16]. Data: FordA's layout, synthetic: a sine of period 8 plus noise, its sign the class, each
 * series z-normalised. Seed 29.
 */
class TimeseriesClassificationTransformerTest {
    private static final long SEED = 29;

    @TempDir
    Path tmp;

    /** The example's transformer_encoder. */
    static SymbolicTensor transformerEncoder(SymbolicTensor inputs, int headSize, int numHeads, int ffDim,
            float dropout) {
        SymbolicTensor x = new MultiHeadAttention(numHeads, headSize).dropout(dropout).apply(inputs, inputs);
        x = new Dropout(dropout).apply(x);
        x = new LayerNormalization().epsilon(1e-6f).apply(x);
        SymbolicTensor res = KerasOps.add(x, inputs);
        x = new Conv1D(ffDim, 1, "relu").apply(res);
        x = new Dropout(dropout).apply(x);
        x = new Conv1D(inputs.shape().dim(1), 1).apply(x);
        x = new LayerNormalization().epsilon(1e-6f).apply(x);
        return KerasOps.add(x, res);
    }

    /** The example's build_model, its pooling's data_format a parameter (see the class comment). */
    static Model buildModel(int steps, int features, int headSize, int numHeads, int ffDim, int blocks,
            int[] mlpUnits, float dropout, float mlpDropout, int classes, String dataFormat) {
        Session.clear();
        Input inputs = Input.shape(steps, features).named("input_layer");
        SymbolicTensor x = inputs.symbolic();
        for (int i = 0; i < blocks; i++) {
            x = transformerEncoder(x, headSize, numHeads, ffDim, dropout);
        }
        x = new GlobalAveragePooling1D(dataFormat, false).apply(x);
        for (int dim : mlpUnits) {
            x = new Dense(dim, "relu").apply(x);
            x = new Dropout(mlpDropout).apply(x);
        }
        return Model.of(inputs, new Dense(classes, "softmax").apply(x));
    }

    /** Keras 3's rows for the example's model: 500 steps of 1 feature, 4 blocks, the head after the pooling. */
    private static List<List<String>> publishedRows(String pooled, String firstDense) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("input_layer (InputLayer)", "(None, 500, 1)", "0"));
        String seq = "(None, 500, 1)";
        for (int b = 0; b < 4; b++) {
            String n = b == 0 ? "" : "_" + b;
            rows.add(List.of("multi_head_attention" + n + " (MultiHeadAttention)", seq, "7,169"));
            // Each MultiHeadAttention's own Dropout draws a name first (Keras 3.15.1: dropout, dropout_3, ...).
            rows.add(List.of("dropout_" + (3 * b + 1) + " (Dropout)", seq, "0"));
            rows.add(List.of("layer_normalization" + (b == 0 ? "" : "_" + 2 * b) + " (LayerNormalization)", seq, "2"));
            rows.add(List.of("add" + (b == 0 ? "" : "_" + 2 * b) + " (Add)", seq, "0"));
            rows.add(List.of("conv1d" + (b == 0 ? "" : "_" + 2 * b) + " (Conv1D)", "(None, 500, 4)", "8"));
            rows.add(List.of("dropout_" + (3 * b + 2) + " (Dropout)", "(None, 500, 4)", "0"));
            rows.add(List.of("conv1d_" + (2 * b + 1) + " (Conv1D)", seq, "5"));
            rows.add(List.of("layer_normalization_" + (2 * b + 1) + " (LayerNormalization)", seq, "2"));
            rows.add(List.of("add_" + (2 * b + 1) + " (Add)", seq, "0"));
        }
        rows.add(List.of("global_average_pooling1d (GlobalAveragePooling1D)", pooled, "0"));
        rows.add(List.of("dense (Dense)", "(None, 128)", firstDense));
        rows.add(List.of("dropout_12 (Dropout)", "(None, 128)", "0"));
        rows.add(List.of("dense_1 (Dense)", "(None, 2)", "258"));
        return rows;
    }

    @Test
    void summaryHasThePublishedParameterCountsWithChannelsFirstAndTheReportedOnesWithChannelsLast() {
        Model first = buildModel(500, 1, 256, 4, 4, 4, new int[] {128}, 0.25f, 0.4f, 2, "channels_first");
        String summary = first.summary();
        System.out.println(summary);
        assertThat(Examples.rows(summary)).containsExactlyElementsOf(publishedRows("(None, 500)", "64,128"));
        assertThat(Examples.totals(summary)).containsExactly("Total params: 93,130 (363.79 KB)",
                "Trainable params: 93,130 (363.79 KB)", "Non-trainable params: 0 (0.00 B)");
        Model last = buildModel(500, 1, 256, 4, 4, 4, new int[] {128}, 0.25f, 0.4f, 2, "channels_last");
        String lastSummary = last.summary();
        assertThat(Examples.rows(lastSummary)).containsExactlyElementsOf(publishedRows("(None, 1)", "256"));
        assertThat(Examples.totals(lastSummary)).first().isEqualTo("Total params: 29,258 (114.29 KB)");
    }

    /** {@code n} series of {@code steps}: a sine of period 8 plus noise, positive for class 1, negative for 0. */
    private static Tensor[] fordALike(long seed, int n, int steps) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * steps];
        float[] y = new float[n];
        for (int s = 0; s < n; s++) {
            int label = s % 2;
            y[s] = label;
            double[] v = new double[steps];
            double mean = 0;
            for (int t = 0; t < steps; t++) {
                v[t] = (label == 1 ? 1 : -1) * Math.sin(2 * Math.PI * t / 8) + r.nextGaussian();
                mean += v[t] / steps;
            }
            double var = 0;
            for (int t = 0; t < steps; t++) {
                var += (v[t] - mean) * (v[t] - mean) / steps;
            }
            for (int t = 0; t < steps; t++) {
                x[s * steps + t] = (float) ((v[t] - mean) / Math.sqrt(var));
            }
        }
        return new Tensor[] {Tensor.of(x, n, steps, 1), Tensor.of(y, n)};
    }

    @Test
    void trainsAFewEpochsAndRoundTripsBitForBit() throws IOException {
        System.out.println("TimeseriesClassificationTransformerTest seed " + SEED);
        Seeds.set(SEED);
        int steps = 32;
        Tensor[] train = fordALike(SEED, 80, steps);
        Tensor[] test = fordALike(SEED + 1, 16, steps);
        Model model = buildModel(steps, 1, 8, 2, 4, 2, new int[] {16}, 0.25f, 0.4f, 2, "channels_first");
        model.compile(Optimizers.adam(1e-4), Losses.sparseCategoricalCrossentropy(),
                Metrics.sparseCategoricalAccuracy());
        EarlyStopping early = new EarlyStopping().patience(10).restoreBestWeights(true);
        double before = model.evaluate(train[0], train[1]).loss();
        int epochs = 4;
        History history = model.fit(List.of(train[0]), List.of(train[1]), Fit.defaults().batchSize(8).epochs(epochs)
                .validationSplit(0.2).callbacks(early).verbose(0).seed(SEED));
        System.out.println("TimeseriesClassificationTransformerTest history " + history.history());
        assertThat(history.history()).containsKeys("loss", "sparse_categorical_accuracy", "val_loss",
                "val_sparse_categorical_accuracy");
        // The logged training loss is taken with dropout on (0.4 in a head of 16 units: noisy); the
        // validation loss and the loss evaluated on the training data are not.
        List<Double> val = history.get("val_loss");
        assertThat(val.get(val.size() - 1)).as("validation loss falls over %d epochs: %s", epochs, val)
                .isLessThan(val.get(0));
        double after = model.evaluate(train[0], train[1]).loss();
        assertThat(after).as("the training data's loss, evaluated before and after fit").isLessThan(before);

        Path saved = tmp.resolve("transformer.keras");
        Models.save(model, saved);
        String config = readConfig(saved);
        assertThat(config).as("res = x + inputs saved as Keras 3's Add operation").contains("{\"module\": "
                + "\"keras.src.ops.numpy\", \"class_name\": \"Add\", \"config\": {\"name\": \"add\"}, "
                + "\"registered_name\": \"Add\", \"name\": \"add\", \"inbound_nodes\": [{\"args\": [{\"class_name\": "
                + "\"__keras_tensor__\", \"config\": {\"shape\": [null, 32, 1], \"dtype\": \"float32\", "
                + "\"keras_history\": [\"layer_normalization\", 0, 0]}}, {\"class_name\": \"__keras_tensor__\", "
                + "\"config\": {\"shape\": [null, 32, 1], \"dtype\": \"float32\", \"keras_history\": "
                + "[\"input_layer\", 0, 0]}}], \"kwargs\": {}}]}");
        KerasModel back = Models.load(saved);
        assertThat(Examples.rows(back.functional().summary())).isEqualTo(Examples.rows(model.summary()));
        assertThat(back.predict(test[0]).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(model.predict(test[0]).toArray());
    }

    private static String readConfig(Path keras) throws IOException {
        try (var zip = new java.util.zip.ZipFile(keras.toFile())) {
            return new String(zip.getInputStream(zip.getEntry("config.json")).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
