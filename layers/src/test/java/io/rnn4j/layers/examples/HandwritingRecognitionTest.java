package io.rnn4j.layers.examples;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Conv2D;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.MaxPooling2D;
import io.rnn4j.layers.Reshape;
import io.rnn4j.layers.StringLookup;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.keras.Npy;
import io.rnn4j.layers.losses.Ctc;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * keras-io's examples/vision/handwriting_recognition.py (and its Keras 3 version) at a tiny size: an image
 * (width 32, height 8, 1) and a label input → Conv2D(4, 3, relu, he_normal, same) → MaxPooling2D → Conv2D(8) →
 * MaxPooling2D → Reshape to (8, 2·8) → Dense(8, relu) → Dropout(0.2) → Bidirectional(LSTM(8, return_sequences,
 * dropout 0.25)) → Bidirectional(LSTM(4, …)) → Dense(8 + 2, softmax) → the example's CTC layer (CaptchaOcrTest's
 * {@link CTCLayer}); the predictions are decoded greedily and turned into text through the example's
 * {@code num_to_char = StringLookup(vocabulary=char_to_num.get_vocabulary(), mask_token=None, invert=True)},
 * and scored with its {@code calculate_edit_distance}.
 *
 * <p>Keras's side is keras3151/make_handwriting.py (TensorFlow backend): 8 synthetic words of 4 characters of
 * "abc-019" (random 4×6 glyphs placed left to right with jitter and noise), Keras's softmax, the decoding, the
 * decoded strings, the edit distance (labels padded with the example's 99 and not), and one epoch of SGD(0.05)
 * with the dropouts at 0. Bar: {@code Keras3151.assertClose}, 1e-5 + 1e-5·|y|.
 */
class HandwritingRecognitionTest {
    private static final int WIDTH = 32;
    private static final int HEIGHT = 8;
    private static final int MAX_LEN = 4;
    private static final List<String> CHARACTERS = List.of("a", "b", "c", "-", "0", "1", "9");

    /** The example's build_model at the tiny sizes, its layers named as Keras names them. */
    static Model buildModel(double dropout, double lstmDropout) {
        Input image = Input.shape(WIDTH, HEIGHT, 1).named("image");
        Input label = Input.shape(Input.NONE).named("label");
        SymbolicTensor x = new Conv2D(4, 3, "relu").padding("same").kernelInitializer(Initializers.heNormal())
                .named("Conv1").apply(image);
        x = new MaxPooling2D(2, 2).named("pool1").apply(x);
        x = new Conv2D(8, 3, "relu").padding("same").kernelInitializer(Initializers.heNormal()).named("Conv2")
                .apply(x);
        x = new MaxPooling2D(2, 2).named("pool2").apply(x);
        x = new Reshape(WIDTH / 4, HEIGHT / 4 * 8).named("reshape").apply(x);
        x = new Dense(8, "relu").named("dense1").apply(x);
        x = new Dropout(dropout).named("dropout").apply(x);
        x = new Bidirectional(new LSTM(8).returnSequences(true).dropout(lstmDropout)).named("bidirectional")
                .apply(x);
        x = new Bidirectional(new LSTM(4).returnSequences(true).dropout(lstmDropout)).named("bidirectional_1")
                .apply(x);
        x = new Dense(CHARACTERS.size() + 1 + 2, "softmax").named("dense2").apply(x);
        SymbolicTensor out = new CTCLayer().named("ctc_loss").apply(label, x);
        return Model.of(List.of(image, label), List.of(out)).named("handwriting_recognizer");
    }

    private static Tensor npy(String name) throws IOException {
        return Npy.read(resource(name)).tensor();
    }

    private static KerasModel loadExample() throws IOException {
        return Models.load(resource("hw.keras"), true, CaptchaOcrTest.CUSTOM);
    }

    private static Tensor softmax() throws IOException {
        Model model = loadExample().functional();
        return CaptchaOcrTest.predictionModel(model).predict(npy("hw.images.npy"));
    }

    /** ops.nn.ctc_decode(pred, sequence_lengths)[0][0][:, :max_len], as the example calls it (greedy, mask_index 0). */
    private static int[][] decode(Tensor softmax) {
        int[] lengths = new int[softmax.shape().dim(0)];
        Arrays.fill(lengths, softmax.shape().dim(1));
        int[][] all = Ctc.decode(softmax, lengths).labels()[0];
        int[][] out = new int[all.length][];
        for (int s = 0; s < all.length; s++) {
            out[s] = Arrays.copyOf(all[s], MAX_LEN); // the decoding is at least max_len long here (8 steps)
        }
        return out;
    }

    /** The example's num_to_char, built from char_to_num's vocabulary as it does. */
    private static StringLookup numToChar() {
        StringLookup charToNum = new StringLookup().vocabularyArgument(CHARACTERS, null);
        return new StringLookup().maskToken(null).invert(true).vocabularyArgument(charToNum.vocabulary(), null);
    }

    /** decode_batch_predictions: each row without its -1s, through num_to_char, joined. */
    static List<String> decodeBatchPredictions(int[][] decoded, StringLookup numToChar) {
        List<String> texts = new ArrayList<>();
        for (int[] row : decoded) {
            StringBuilder text = new StringBuilder();
            for (int id : row) {
                if (id != -1) {
                    text.append(numToChar.token(id));
                }
            }
            texts.add(text.toString());
        }
        return texts;
    }

    /**
     * calculate_edit_distance: tf.sparse.from_dense keeps every non-zero entry (the -1s of the decoding and
     * the 99s of the padding included), tf.edit_distance(normalize=False) is the Levenshtein distance of each
     * row's kept entries, and tf.reduce_mean averages them in float32.
     */
    static float calculateEditDistance(float[] labels, int[][] decoded) {
        float sum = 0;
        for (int s = 0; s < decoded.length; s++) {
            int[] truth = Arrays.stream(toInts(labels, s)).filter(v -> v != 0).toArray();
            int[] hypothesis = Arrays.stream(decoded[s]).filter(v -> v != 0).toArray();
            sum += levenshtein(hypothesis, truth);
        }
        return sum / decoded.length;
    }

    private static int[] toInts(float[] labels, int s) {
        int[] out = new int[MAX_LEN];
        for (int k = 0; k < MAX_LEN; k++) {
            out[k] = (int) labels[s * MAX_LEN + k];
        }
        return out;
    }

    private static int levenshtein(int[] a, int[] b) {
        int[] prev = new int[b.length + 1];
        int[] cur = new int[b.length + 1];
        for (int j = 0; j <= b.length; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length; i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length; j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length];
    }

    @Test
    void theExampleFileLoadsAndPredictsKerassSoftmax() throws IOException {
        KerasModel loaded = loadExample();
        assertThat(loaded.kerasVersion()).contains("3.15.1");
        assertThat(((Dropout) loaded.functional().layer("dropout")).rate()).isEqualTo(0.2f);
        assertClose("prediction_model (image -> dense2) softmax", softmax().toArray(),
                Npy.read(resource("hw.softmax.npy")).values());
    }

    @Test
    void decodingThroughTheInvertedStringLookupGivesKerassTexts() throws IOException {
        int[][] decoded = decode(softmax());
        double[] ids = Npy.read(resource("hw.decoded.npy")).values();
        for (int s = 0; s < decoded.length; s++) {
            for (int k = 0; k < MAX_LEN; k++) {
                assertThat(decoded[s][k]).as("sample %d, character %d", s, k).isEqualTo((int) ids[s * MAX_LEN + k]);
            }
        }
        List<String> want = Files.readAllLines(resource("hw.texts.txt"), StandardCharsets.UTF_8);
        StringLookup numToChar = numToChar();
        assertThat(numToChar.vocabulary()).containsExactly("[UNK]", "a", "b", "c", "-", "0", "1", "9");
        // the untrained model emits class 8, past the vocabulary: num_to_char gives the OOV token, as Keras
        assertThat(decodeBatchPredictions(decoded, numToChar)).as("decode_batch_predictions' strings")
                .isEqualTo(want);
    }

    @Test
    void theEditDistanceCallbackComputesKerassMean() throws IOException {
        int[][] decoded = decode(softmax());
        double[] want = Npy.read(resource("hw.edit.npy")).values();
        assertClose("calculate_edit_distance, labels padded with 99",
                new float[] {calculateEditDistance(npy("hw.val_labels.npy").toArray(), decoded)},
                new double[] {want[0]});
        assertClose("calculate_edit_distance, full labels",
                new float[] {calculateEditDistance(npy("hw.labels.npy").toArray(), decoded)}, new double[] {want[1]});
        // and the distance itself: a substitution, an insertion with the -1 kept, the 99 padding kept
        assertThat(calculateEditDistance(new float[] {1, 2, 99, 99}, new int[][] {{1, 3, -1, -1}})).isEqualTo(3f);
        assertThat(calculateEditDistance(new float[] {1, 2, 3, 4}, new int[][] {{1, 2, 3, 4}})).isZero();
    }

    @Test
    void oneEpochOfSgdWithoutDropoutEndsAtKerassWeightsAndLoss() throws IOException {
        Model keras = loadExample().functional();
        Model model = buildModel(0.0, 0.0);
        assertThat(model.weights()).hasSameSizeAs(keras.weights());
        for (int i = 0; i < keras.weights().size(); i++) {
            model.weights().get(i).set(keras.weights().get(i).value());
        }
        model.compile(Optimizers.sgd(0.05));
        History h = model.fit(List.of(npy("hw.images.npy"), npy("hw.labels.npy")),
                Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertClose("the epoch's logged loss", new float[] {h.get("loss").get(0).floatValue()},
                Npy.read(resource("hw.fit_loss.npy")).values());
        for (int i = 0; i < model.weights().size(); i++) {
            assertClose("weight " + i + " (" + model.weights().get(i).path() + ") after one epoch",
                    model.weights().get(i).value().toArray(), Npy.read(resource("hw.after" + i + ".npy")).values());
        }
    }
}
