package io.rnn4j.layers.examples;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.assertWeightsAsKeras;
import static io.rnn4j.layers.keras.Keras3151.npy;
import static io.rnn4j.layers.keras.Keras3151.npyValues;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.StringLookup;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keras-io's examples/vision/handwriting_recognition.py (and its Keras 3 version) at a tiny size: an image
 * (width 32, height 8, 1) and a label input → Conv2D(4, 3, relu, he_normal, same) → MaxPooling2D → Conv2D(8) →
 * MaxPooling2D → Reshape to (8, 2·8) → Dense(8, relu) → Dropout(0.2) → Bidirectional(LSTM(8, return_sequences,
 * dropout 0.25)) → Bidirectional(LSTM(4, …)) → Dense(8 + 2, softmax) → the example's CTC layer ({@link CTCLayer};
 * the model and the synthetic words are {@link OcrModels}', as CaptchaOcrTest's); the predictions are decoded greedily and turned into text through the example's
 * {@code num_to_char = StringLookup(vocabulary=char_to_num.get_vocabulary(), mask_token=None, invert=True)},
 * and scored with its {@code calculate_edit_distance}.
 *
 * <p>Keras's side is keras3151/make_handwriting.py (TensorFlow backend): 8 synthetic words of 4 characters of
 * "abc-019" (random 4×6 glyphs placed left to right with jitter and noise), Keras's softmax, the decoding, the
 * decoded strings, the edit distance (labels padded with the example's 99 and not), and one epoch of SGD(0.05)
 * with the dropouts at 0. Bar: {@code Keras3151.assertClose}, 1e-5 + 1e-5·|y|. rnn4j saves the loaded model
 * back and loads it to the same softmax and texts; a Java-built copy learns to read such synthetic words.
 */
class HandwritingRecognitionTest {
    private static final List<String> CHARACTERS = List.of("a", "b", "c", "-", "0", "1", "9");
    /**
     * The handwriting example's sizes: 32×8 images of 4 characters of "abc-019" (dense2: those, [UNK] and 2),
     * each a 6×4 glyph in an 8-column slot.
     */
    static final OcrModels.Sizes SIZES = new OcrModels.Sizes(32, 8, 4, CHARACTERS.size(), CHARACTERS.size() + 1 + 2,
            6, 4, 8, 1, 2, 1, 3);
    private static final int MAX_LEN = SIZES.labelLength();
    private static final int EPOCHS = 20;

    /** The example's build_model at the tiny sizes, its layers named as Keras names them. */
    static Model buildModel(double dropout, double lstmDropout) {
        return buildModel(4, 8, 8, 8, 4, dropout, lstmDropout);
    }

    /** build_model with the given widths: the two Conv2D, Dense and the two LSTMs. */
    static Model buildModel(int conv1, int conv2, int dense, int lstm1, int lstm2, double dropout,
            double lstmDropout) {
        return OcrModels.build(SIZES, "handwriting_recognizer", conv1, conv2, dense, lstm1, lstm2, dropout,
                lstmDropout);
    }

    @TempDir
    Path tmp;

    private static KerasModel loadExample() throws IOException {
        return Models.load(resource("hw.keras"), true, OcrModels.CUSTOM);
    }

    private static Tensor softmax() throws IOException {
        Model model = loadExample().functional();
        return OcrModels.predictionModel(model).predict(npy("hw.images.npy"));
    }

    /** ops.nn.ctc_decode(pred, sequence_lengths)[0][0][:, :max_len], as the example calls it (greedy, mask_index 0). */
    private static int[][] decode(Tensor softmax) {
        int[][] all = Examples.greedyDecode(softmax, 0);
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
                npyValues("hw.softmax.npy"));
    }

    @Test
    void decodingThroughTheInvertedStringLookupGivesKerassTexts() throws IOException {
        int[][] decoded = decode(softmax());
        double[] ids = npyValues("hw.decoded.npy");
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
        double[] want = npyValues("hw.edit.npy");
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
        Examples.copyWeights(keras.weights(), model.weights());
        model.compile(Optimizers.sgd(0.05));
        History h = model.fit(List.of(npy("hw.images.npy"), npy("hw.labels.npy")),
                Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertClose("the epoch's logged loss", new float[] {h.get("loss").get(0).floatValue()},
                npyValues("hw.fit_loss.npy"));
        assertWeightsAsKeras("hw", "after one epoch", model.weights());
    }

    @Test
    void savedBackByRnn4jItLoadsToTheSameSoftmaxAndTexts() throws IOException {
        Model model = loadExample().functional();
        Path file = tmp.resolve("hw_rnn4j.keras");
        Models.save(model, file);
        Model back = Models.load(file, false, OcrModels.CUSTOM).functional();
        assertThat(back.layer("ctc_loss")).isInstanceOf(CTCLayer.class);
        assertThat(back.summary()).isEqualTo(model.summary());
        Tensor images = npy("hw.images.npy");
        Tensor softmax = OcrModels.predictionModel(back).predict(images);
        assertThat(softmax.toArray()).as("softmax after rnn4j's save and load, bit for bit")
                .isEqualTo(OcrModels.predictionModel(model).predict(images).toArray());
        assertThat(decodeBatchPredictions(decode(softmax), numToChar())).as("Keras's texts from the reloaded model")
                .isEqualTo(Files.readAllLines(resource("hw.texts.txt"), StandardCharsets.UTF_8));
    }

    /**
     * {@code n} synthetic words as make_handwriting.py draws them (with Java's generator): {@code [images (n, 32, 8,
     * 1), labels (n, 4)]}, 4 characters of ids 1..7 each drawn as its 4×6 glyph (random bits from {@code glyphSeed})
     * in its 8-column slot, shifted by up to 2 columns and 1 row, plus noise in [0, 0.1).
     */
    static Tensor[] words(long glyphSeed, long seed, int n) {
        return OcrModels.draw(SIZES, glyphSeed, seed, n);
    }

    @Test
    void theJavaBuiltModelLearnsToReadTheSyntheticWords() {
        long seed = 2027;
        System.out.println("HandwritingRecognitionTest seed " + seed);
        Seeds.set(seed);
        int epochs = EPOCHS;
        // the example's architecture with its dropouts, wider than the Keras fixture's (CaptchaOcrTest's sizes) and
        // Adam at 0.01 rather than 0.001, so that a few epochs on 192 words show it
        Model model = buildModel(8, 16, 32, 32, 16, 0.2, 0.25);
        model.compile(Optimizers.adam(0.01));
        Tensor[] train = words(seed, seed + 1, 192);
        Tensor[] test = words(seed, seed + 2, 32);
        History h = model.fit(List.of(train[0], train[1]), Fit.defaults().batchSize(8).epochs(epochs).seed(seed)
                .verbose(0));
        System.out.println("HandwritingRecognitionTest loss per epoch " + h.get("loss"));
        Tensor softmax = OcrModels.predictionModel(model).predict(test[0]);
        // the blank the CTC loss trained is the last class (the example decodes with mask_index 0, [UNK], instead)
        int[][] decoded = Examples.greedyDecode(softmax, -1);
        StringLookup numToChar = numToChar();
        List<String> read = decodeBatchPredictions(decoded, numToChar);
        float[] labels = test[1].toArray();
        int right = 0;
        for (int s = 0; s < 32; s++) {
            StringBuilder want = new StringBuilder();
            for (int k = 0; k < MAX_LEN; k++) {
                want.append(numToChar.token((long) labels[s * MAX_LEN + k]));
            }
            right += read.get(s).contentEquals(want) ? 1 : 0;
        }
        System.out.println("HandwritingRecognitionTest test words read exactly: " + right + " of 32 " + read);
        assertThat(right).as("test words read exactly through num_to_char after %d epochs (loss %s); bar 24 of 32",
                epochs, h.get("loss")).isGreaterThanOrEqualTo(24);
    }
}
