package io.rnn4j.layers.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.ActivationLayer;
import io.rnn4j.layers.BatchNormalization;
import io.rnn4j.layers.Conv1D;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GlobalAveragePooling1D;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.callbacks.EarlyStopping;
import io.rnn4j.layers.callbacks.ModelCheckpoint;
import io.rnn4j.layers.callbacks.ReduceLROnPlateau;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.model.Evaluation;
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
 * Keras's example "Timeseries classification from scratch" (keras-io
 * examples/timeseries/timeseries_classification_from_scratch.py, FordA): a fully convolutional
 * network, three times Conv1D(64, 3, padding="same") → BatchNormalization → ReLU, then
 * GlobalAveragePooling1D and a softmax Dense, compiled with adam, sparse_categorical_crossentropy and
 * sparse_categorical_accuracy, fitted with the example's ModelCheckpoint / ReduceLROnPlateau /
 * EarlyStopping and validation_split 0.2, the best checkpoint loaded back and evaluated.
 *
 * <p>The summary checked is the one Keras 3 printed for this model in the rendered example of
 * rstudio/keras3 (vignettes/examples/timeseries/timeseries_classification_from_scratch.Rmd, the same
 * model through the R front end of Keras 3: 25,858 parameters, 384 of them BatchNormalization's
 * moving statistics); keras-io's own page draws the model with plot_model instead of printing it.
 *
 * <p>Data: FordA's layout (one channel, two classes, z-normalised series; 64 steps instead of 500 to
 * keep the test short), synthetic:
 * class 1 series are smoothed noise (a moving sum of 4 white-noise values), class 0 white noise,
 * both scaled to mean 0 and deviation 1, so only the local correlation tells them apart, which
 * 3-step convolutions see. Seed 11.
 */
class TimeseriesClassificationFromScratchTest {
    private static final long SEED = 11;

    @TempDir
    Path tmp;

    /**
     * The example's make_model(input_shape), named as a fresh Keras session names them. Keras's
     * ReLU layer has no rnn4j class: Activation("relu") computes the same, under another class name.
     */
    static Model makeModel(int steps, int numClasses) {
        Input inputLayer = Input.shape(steps, 1).named("input_layer");
        SymbolicTensor x = inputLayer.symbolic();
        for (int i = 0; i < 3; i++) {
            String suffix = i == 0 ? "" : "_" + i;
            x = new Conv1D(64, 3).padding("same").named("conv1d" + suffix).apply(x);
            x = new BatchNormalization().named("batch_normalization" + suffix).apply(x);
            x = new ActivationLayer("relu").named("re_lu" + suffix).apply(x);
        }
        SymbolicTensor gap = new GlobalAveragePooling1D().named("global_average_pooling1d").apply(x);
        SymbolicTensor outputLayer = new Dense(numClasses, "softmax").named("dense").apply(gap);
        return Model.of(inputLayer, outputLayer).named("functional");
    }

    @Test
    void summaryHasThePublishedShapesAndParameterCounts() {
        Model model = makeModel(500, 2);
        String summary = model.summary();
        System.out.println(summary);
        // Keras 3's rows, but for the class of the three ReLU layers (Activation here).
        assertThat(Examples.rows(summary)).containsExactly(
                List.of("input_layer (InputLayer)", "(None, 500, 1)", "0"),
                List.of("conv1d (Conv1D)", "(None, 500, 64)", "256"),
                List.of("batch_normalization (BatchNormalization)", "(None, 500, 64)", "256"),
                List.of("re_lu (Activation)", "(None, 500, 64)", "0"),
                List.of("conv1d_1 (Conv1D)", "(None, 500, 64)", "12,352"),
                List.of("batch_normalization_1 (BatchNormalization)", "(None, 500, 64)", "256"),
                List.of("re_lu_1 (Activation)", "(None, 500, 64)", "0"),
                List.of("conv1d_2 (Conv1D)", "(None, 500, 64)", "12,352"),
                List.of("batch_normalization_2 (BatchNormalization)", "(None, 500, 64)", "256"),
                List.of("re_lu_2 (Activation)", "(None, 500, 64)", "0"),
                List.of("global_average_pooling1d (GlobalAveragePooling1D)", "(None, 64)", "0"),
                List.of("dense (Dense)", "(None, 2)", "130"));
        assertThat(Examples.totals(summary)).containsExactly("Total params: 25,858 (101.01 KB)",
                "Trainable params: 25,474 (99.51 KB)", "Non-trainable params: 384 (1.50 KB)");
    }

    /** {@code n} series of {@code steps}: odd samples smoothed noise (class 1), even ones white noise (class 0). */
    private static Tensor[] fordALike(long seed, int n, int steps) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * steps];
        float[] y = new float[n];
        for (int s = 0; s < n; s++) {
            boolean smooth = s % 2 == 1;
            y[s] = smooth ? 1 : 0;
            double[] raw = new double[steps + 3];
            for (int t = 0; t < raw.length; t++) {
                raw[t] = r.nextGaussian();
            }
            double[] v = new double[steps];
            double mean = 0;
            for (int t = 0; t < steps; t++) {
                v[t] = smooth ? raw[t] + raw[t + 1] + raw[t + 2] + raw[t + 3] : raw[t];
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
    void trainsWithTheExamplesCallbacksAndTheBestCheckpointLoadsBackBitForBit() throws IOException {
        System.out.println("TimeseriesClassificationFromScratchTest seed " + SEED);
        Seeds.set(SEED);
        // make_model takes its input shape from the data, as the example's does: shorter series than FordA's
        // 500 steps keep this test at a few seconds on the scalar backend the layers tests run on.
        int steps = 64;
        Tensor[] train = fordALike(SEED, 40, steps);
        Tensor[] test = fordALike(SEED + 1, 16, steps);
        Model model = makeModel(steps, 2);

        Path best = tmp.resolve("best_model.keras");
        // Keras's callbacks as the example sets them; a whole-model checkpoint needs its saver spelled out.
        ModelCheckpoint checkpoint = new ModelCheckpoint(best.toString()).saveBestOnly(true).monitor("val_loss")
                .modelSaver((m, path) -> Models.save((Model) m, path));
        ReduceLROnPlateau reduceLr = new ReduceLROnPlateau().monitor("val_loss").factor(0.5).patience(20)
                .minLr(0.0001);
        EarlyStopping earlyStopping = new EarlyStopping().monitor("val_loss").patience(50).verbose(1);
        model.compile(Optimizers.adam(), Losses.sparseCategoricalCrossentropy(), Metrics.sparseCategoricalAccuracy());
        int epochs = 6;
        History history = model.fit(List.of(train[0]), List.of(train[1]), Fit.defaults().batchSize(32).epochs(epochs)
                .callbacks(checkpoint, reduceLr, earlyStopping).validationSplit(0.2).verbose(2).seed(SEED));

        List<Double> loss = history.get("loss");
        System.out.println("TimeseriesClassificationFromScratchTest history " + history.history());
        assertThat(history.history()).containsKeys("loss", "sparse_categorical_accuracy", "val_loss",
                "val_sparse_categorical_accuracy", "learning_rate");
        assertThat(loss.get(loss.size() - 1)).as("training loss falls over %d epochs: %s", epochs, loss)
                .isLessThan(0.8 * loss.get(0));
        assertThat(best).as("the best val_loss checkpoint").exists();

        // As the example: load the best model (compiled from its file, as load_model does) and evaluate.
        KerasModel loaded = Models.load(best);
        loaded.compileFromConfig();
        Model bestModel = loaded.functional();
        Evaluation eval = bestModel.evaluate(test[0], test[1]);
        System.out.println("TimeseriesClassificationFromScratchTest test loss " + eval.loss() + " accuracy "
                + eval.metric("sparse_categorical_accuracy"));
        assertThat(eval.metric("sparse_categorical_accuracy")).isBetween(0.0, 1.0);

        Path saved = tmp.resolve("fcn.keras");
        Models.save(model, saved);
        Model back = Models.load(saved).functional();
        assertThat(Examples.rows(back.summary())).isEqualTo(Examples.rows(model.summary()));
        assertThat(back.predict(test[0]).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(model.predict(test[0]).toArray());
    }
}
