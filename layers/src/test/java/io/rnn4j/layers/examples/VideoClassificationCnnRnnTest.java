package io.rnn4j.layers.examples;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.assertWeightsAsKeras;
import static io.rnn4j.layers.keras.Keras3151.npy;
import static io.rnn4j.layers.keras.Keras3151.npyValues;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.callbacks.ModelCheckpoint;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keras-io's examples/vision/video_classification.py ("Video Classification with a CNN-RNN
 * Architecture", last modified 2023/12/07), its sequence model at a smaller size: frame features
 * (MAX_SEQ_LENGTH 6, NUM_FEATURES 12) — the InceptionV3 features the example extracts stand as
 * synthetic vectors — and a bool frame mask (6,) → {@code GRU(16, return_sequences=True)(features,
 * mask=mask)} → GRU(8) → Dropout(0.4) → Dense(8, relu) → Dense(3, softmax), compiled with
 * sparse_categorical_crossentropy, adam and accuracy, fit with validation_split 0.3 and a
 * ModelCheckpoint(save_weights_only, save_best_only) whose weights are loaded back. The explicit
 * mask is {@code applyWithMask} here; Keras writes it in the file as the call's {@code "kwargs":
 * {"mask": ...}} (and, for gru_1, the mask gru passed on).
 *
 * <p>Keras's side is keras3151/make_video_cnn_rnn.py (TensorFlow backend): 36 videos of 2..6 valid
 * frames (each its class's prototype plus noise) followed by garbage padding (another class's
 * prototype, doubled, plus noise), Keras's probabilities, and one epoch of fit with Dropout 0
 * (TensorFlow's dropout draws cannot be reproduced): its history, weights and checkpoint. Bar:
 * {@code Keras3151.assertClose}, 1e-5 + 1e-5·|y|.
 */
class VideoClassificationCnnRnnTest {
    private static final int FRAMES = 6;
    private static final int FEATURES = 12;
    private static final int CLASSES = 3;

    @TempDir
    Path tmp;

    /** The example's get_sequence_model at this size and dropout rate, its layers named as Keras names them. */
    static Model buildModel(double dropout) {
        Input frameFeatures = Input.shape(FRAMES, FEATURES).named("input_layer");
        Input mask = Input.shape(FRAMES).dtype("bool").named("input_layer_1");
        SymbolicTensor x = new GRU(16).returnSequences(true).named("gru").applyWithMask(frameFeatures, mask);
        x = new GRU(8).named("gru_1").apply(x);
        x = new Dropout(dropout).named("dropout").apply(x);
        x = new Dense(8, "relu").named("dense").apply(x);
        SymbolicTensor out = new Dense(CLASSES, "softmax").named("dense_1").apply(x);
        Model model = Model.of(List.of(frameFeatures, mask), List.of(out)).named("functional");
        model.compile(Optimizers.adam(), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
        return model;
    }

    private static List<Tensor> kerasInputs() throws IOException {
        return List.of(npy("video.x0.npy"), npy("video.x1.npy"));
    }

    @Test
    void theExampleFileLoadsAndPredictsKerassProbabilities() throws IOException {
        KerasModel loaded = Models.load(resource("video.keras"), true);
        assertThat(loaded.kerasVersion()).contains("3.15.1");
        Model model = loaded.functional();
        assertThat(((Input) model.layer("input_layer_1")).dtype()).isEqualTo("bool");
        assertThat(((Dropout) model.layer("dropout")).rate()).isEqualTo(0.4f);
        assertThat(model.nodes(model.layer("gru")).get(0).mask().layer().name()).as("gru's mask= argument")
                .isEqualTo("input_layer_1");
        String summary = model.summary();
        System.out.println(summary);
        // Keras's summary lists the mask among what each GRU is connected to (gru_1's is the one gru passed on)
        assertThat(Examples.rows(summary, 4)).containsExactly(
                List.of("input_layer (InputLayer)", "(None, 6, 12)", "0", "-"),
                List.of("input_layer_1 (InputLayer)", "(None, 6)", "0", "-"),
                List.of("gru (GRU)", "(None, 6, 16)", "1,440", "input_layer[0][0], input_layer_1[0][0]"),
                List.of("gru_1 (GRU)", "(None, 8)", "624", "gru[0][0], input_layer_1[0][0]"),
                List.of("dropout (Dropout)", "(None, 8)", "0", "gru_1[0][0]"),
                List.of("dense (Dense)", "(None, 8)", "72", "dropout[0][0]"),
                List.of("dense_1 (Dense)", "(None, 3)", "27", "dense[0][0]"));
        assertClose("the example's predicted probabilities", model.predict(kerasInputs()).get(0).toArray(),
                npyValues("video.y.npy"));
    }

    @Test
    void theMaskDecidesWhatThePaddingFramesCanChange() throws IOException {
        Model model = Models.load(resource("video.keras")).functional();
        Tensor features = npy("video.x0.npy");
        Tensor mask = npy("video.x1.npy");
        float[] want = model.predict(List.of(features, mask)).get(0).toArray();
        // other garbage in every padding frame: the same probabilities, bit for bit
        float[] f = features.toArray();
        float[] m = mask.toArray();
        float[] g = Examples.gaussian(7, f.length).toArray();
        float[] other = f.clone();
        for (int i = 0; i < f.length; i++) {
            other[i] = m[i / FEATURES] == 0 ? 5 * g[i] : f[i];
        }
        Tensor repadded = Tensor.of(other, features.shape().dims());
        assertThat(model.predict(List.of(repadded, mask)).get(0).toArray())
                .as("predictions with other values in the masked frames").isEqualTo(want);
        // a bool input: Keras converts any value other than 0 to true
        float[] notBinary = m.clone();
        for (int i = 0; i < notBinary.length; i++) {
            notBinary[i] = notBinary[i] != 0 ? (i % 2 == 0 ? 2.5f : -1f) : 0f;
        }
        assertThat(model.predict(List.of(features, Tensor.of(notBinary, mask.shape().dims()))).get(0).toArray())
                .as("a mask of 2.5 and -1 for true").isEqualTo(want);
        // without the mask the padding frames count, and the probabilities move
        Tensor ones = Tensor.of(filled(m.length, 1f), mask.shape().dims());
        float[] unmasked = model.predict(List.of(features, ones)).get(0).toArray();
        float moved = 0;
        for (int i = 0; i < want.length; i++) {
            moved = Math.max(moved, Math.abs(unmasked[i] - want[i]));
        }
        assertThat(moved).as("largest probability change when the padding frames are read").isGreaterThan(0.05f);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void oneEpochWithTheCheckpointEndsAtKerassWeightsHistoryAndWeightsFile() throws IOException {
        Model keras = Models.load(resource("video.keras")).functional();
        Model model = buildModel(0.0);
        assertThat(model.weights()).extracting(Weight::path)
                .containsExactlyElementsOf(keras.weights().stream().map(Weight::path).toList());
        Examples.copyWeights(keras.weights(), model.weights());
        Path checkpoint = tmp.resolve("ckpt.weights.h5");
        History h = model.fit(kerasInputs(), List.of(npy("video.labels.npy")), Fit.defaults().validationSplit(0.3)
                .batchSize(8).epochs(1).shuffle(false).verbose(0)
                .callbacks(new ModelCheckpoint(checkpoint.toString()).saveWeightsOnly(true).saveBestOnly(true)));
        for (String key : List.of("loss", "accuracy", "val_loss", "val_accuracy")) {
            assertClose("the epoch's " + key, new float[] {h.get(key).get(0).floatValue()},
                    npyValues("video.fit_" + key + ".npy"));
        }
        assertWeightsAsKeras("video", "after one epoch", model.weights());
        // the example's seq_model.load_weights(filepath), into a model with the example's dropout
        Model restored = buildModel(0.4);
        restored.loadWeights(checkpoint);
        double[] after = npyValues("video.y_after.npy");
        assertClose("probabilities after load_weights of rnn4j's checkpoint",
                restored.predict(kerasInputs()).get(0).toArray(), after);
        // and Keras's checkpoint, the other way
        Model fromKeras = buildModel(0.4);
        fromKeras.loadWeights(resource("video.weights.h5"));
        assertClose("probabilities after load_weights of Keras's checkpoint",
                fromKeras.predict(kerasInputs()).get(0).toArray(), after);
    }

    @Test
    void savedBackByRnn4jTheMaskArgumentAndBoolInputRemain() throws IOException {
        Model model = Models.load(resource("video.keras")).functional();
        Path file = tmp.resolve("video_rnn4j.keras");
        Models.save(model, file);
        String config = configJson(file);
        assertThat(config).as("the bool input").containsPattern("\"batch_shape\": ?\\[null, ?6\\], ?\"dtype\": ?\"bool\"");
        assertThat(config).as("gru's call, mask by name").containsPattern("\"kwargs\": ?\\{\"mask\": ?\\{\"class_name\": "
                + "?\"__keras_tensor__\", ?\"config\": ?\\{\"shape\": ?\\[null, ?6\\], ?\"dtype\": ?\"bool\", "
                + "?\"keras_history\": ?\\[\"input_layer_1\", ?0, ?0\\]");
        Model back = Models.load(file).functional();
        assertThat(back.summary()).isEqualTo(model.summary());
        assertThat(back.predict(kerasInputs()).get(0).toArray()).as("after rnn4j's save and load, bit for bit")
                .isEqualTo(model.predict(kerasInputs()).get(0).toArray());
        // the Java-built model writes the one mask it was given
        Model java = buildModel(0.4);
        Path javaFile = tmp.resolve("video_java.keras");
        Models.save(java, javaFile);
        Model javaBack = Models.load(javaFile).functional();
        assertThat(javaBack.nodes(javaBack.layer("gru")).get(0).mask()).as("gru's mask after save and load")
                .isNotNull();
        assertThat(javaBack.predict(kerasInputs()).get(0).toArray()).isEqualTo(java.predict(kerasInputs()).get(0)
                .toArray());
    }

    private static String configJson(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return new String(zip.getInputStream(zip.getEntry("config.json")).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * {@code n} videos as make_video_cnn_rnn.py draws them (with Java's generator): {@code [features (n, 6, 12),
     * mask (n, 6), labels (n, 1)]}; class c's valid frames are its prototype plus noise (sd 0.5), the padding
     * frames after them twice class (c + 1) % 3's prototype plus noise.
     */
    static Tensor[] videos(long prototypeSeed, long seed, int n) {
        float[] prototypes = Examples.gaussian(prototypeSeed, CLASSES, FEATURES).toArray();
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * FRAMES * FEATURES];
        float[] mask = new float[n * FRAMES];
        float[] y = new float[n];
        for (int s = 0; s < n; s++) {
            int c = r.nextInt(CLASSES);
            int valid = 2 + r.nextInt(FRAMES - 1);
            y[s] = c;
            for (int t = 0; t < FRAMES; t++) {
                mask[s * FRAMES + t] = t < valid ? 1 : 0;
                int proto = t < valid ? c : (c + 1) % CLASSES;
                float scale = t < valid ? 1 : 2;
                for (int j = 0; j < FEATURES; j++) {
                    x[(s * FRAMES + t) * FEATURES + j] = scale * prototypes[proto * FEATURES + j]
                            + 0.5f * (float) r.nextGaussian();
                }
            }
        }
        return new Tensor[] {Tensor.of(x, n, FRAMES, FEATURES), Tensor.of(mask, n, FRAMES), Tensor.of(y, n, 1)};
    }

    @Test
    void theJavaBuiltModelLearnsToClassifyTheSyntheticVideos() {
        long seed = 2021;
        System.out.println("VideoClassificationCnnRnnTest seed " + seed);
        Seeds.set(seed);
        Model model = buildModel(0.4);
        Tensor[] train = videos(seed, seed + 1, 120);
        Tensor[] test = videos(seed, seed + 2, 60);
        Path checkpoint = tmp.resolve("learn.weights.h5");
        // Adam at 0.01 rather than the default 0.001 so that 120 videos and 15 epochs show it
        model.compile(Optimizers.adam(0.01), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
        History h = model.fit(List.of(train[0], train[1]), List.of(train[2]), Fit.defaults().validationSplit(0.3)
                .batchSize(16).epochs(15).seed(seed).verbose(0)
                .callbacks(new ModelCheckpoint(checkpoint.toString()).saveWeightsOnly(true).saveBestOnly(true)));
        System.out.println("VideoClassificationCnnRnnTest history " + h.history());
        assertThat(Files.exists(checkpoint)).as("the best epoch's checkpoint").isTrue();
        Model best = buildModel(0.4);
        try {
            best.loadWeights(checkpoint);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        double accuracy = best.evaluate(List.of(test[0], test[1]), List.of(test[2])).metric("accuracy");
        System.out.println("VideoClassificationCnnRnnTest test accuracy " + accuracy);
        assertThat(accuracy).as("test accuracy of the best checkpoint after 15 epochs (history %s); chance is 1/3",
                h.history()).isGreaterThanOrEqualTo(0.9);
    }
}
