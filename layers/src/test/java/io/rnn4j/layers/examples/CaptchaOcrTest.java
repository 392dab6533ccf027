package io.rnn4j.layers.examples;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.assertWeightsAsKeras;
import static io.rnn4j.layers.keras.Keras3151.npy;
import static io.rnn4j.layers.keras.Keras3151.npyValues;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keras-io's examples/vision/captcha_ocr.py ("OCR model for reading Captchas", Keras 3 version of
 * 2024/03/13) at a smaller size: an image input (width 48, height 16, 1) and a label input → Conv2D(8,
 * 3, relu, he_normal, same) → MaxPooling2D → Conv2D(16) → MaxPooling2D → Reshape to (12, 4·16) → Dense(16,
 * relu) → Dropout(0.2) → Bidirectional(LSTM(16, return_sequences, dropout 0.25)) → Bidirectional(LSTM(8,
 * …)) → Dense(6 + 2, softmax) → the example's custom {@link CTCLayer} on (labels, softmax), which adds
 * the CTC loss; compiled with only an optimizer. The inference model is cut from the image input to
 * "dense2" and decoded greedily as the example's {@code decode_batch_predictions}.
 *
 * <p>Keras's side is keras3151/make_ocr.py (TensorFlow backend): 16 synthetic captchas (random 6×10
 * glyphs of a 6-letter vocabulary placed left to right with jitter and noise), Keras's softmax, the
 * loss CTCLayer adds per batch of 8, the greedy decoding, and one epoch of SGD(0.05) with the dropouts
 * at 0 (TensorFlow's dropout draws cannot be reproduced). Bar: {@code Keras3151.assertClose}, 1e-5 +
 * 1e-5·|y|.
 */
class CaptchaOcrTest {
    /** The captcha example's sizes: 48×16 images of 4 characters of 6, each a 10×6 glyph in a 12-column slot. */
    static final OcrModels.Sizes SIZES = new OcrModels.Sizes(48, 16, 4, 6, 6 + 2, 10, 6, 12, 3, 3, 2, 4);
    private static final int WIDTH = SIZES.width();
    private static final int HEIGHT = SIZES.height();
    private static final int LENGTH = SIZES.labelLength();
    private static final int VOCAB = SIZES.symbols();
    private static final int EPOCHS = 45;

    @TempDir
    Path tmp;

    /** The example's model at the given sizes and dropout rates, its layers named as Keras names them. */
    static Model buildModel(int conv1, int conv2, int dense, int lstm1, int lstm2, double dropout,
            double lstmDropout) {
        return OcrModels.build(SIZES, "ocr_model_v1", conv1, conv2, dense, lstm1, lstm2, dropout, lstmDropout);
    }

    /** The example's file, compiled as Keras's load_model compiles it: Adam(), no loss (compile_config loss null). */
    private static KerasModel loadExample() throws IOException {
        return Models.load(resource("ocr.keras"), true, OcrModels.CUSTOM);
    }

    @Test
    void theExampleFileLoadsWithTheJavaCtcLayerAndPredictsKerassSoftmax() throws IOException {
        KerasModel loaded = loadExample();
        assertThat(loaded.kerasVersion()).contains("3.15.1");
        Model model = loaded.functional();
        assertThat(model.layer("ctc_loss")).isInstanceOf(CTCLayer.class);
        assertThat(((Dropout) model.layer("dropout")).rate()).isEqualTo(0.2f);
        assertThat(((LSTM) ((Bidirectional) model.layer("bidirectional")).forwardLayer()).dropout()).isEqualTo(0.25f);
        Tensor softmax = OcrModels.predictionModel(model).predict(npy("ocr.images.npy"));
        assertClose("prediction_model (image -> dense2) softmax", softmax.toArray(),
                npyValues("ocr.softmax.npy"));
        // the whole model returns the softmax too, as Keras's CTCLayer does
        assertThat(model.predict(List.of(npy("ocr.images.npy"), npy("ocr.labels.npy"))).get(0).toArray())
                .as("the full model's output is dense2's softmax").isEqualTo(softmax.toArray());
    }

    @Test
    void theLossCtcLayerAddsPerBatchIsKerassSumOfCtcBatchCost() throws IOException {
        Model model = loadExample().functional();
        Tensor images = npy("ocr.images.npy");
        Tensor labels = npy("ocr.labels.npy");
        double[] want = npyValues("ocr.loss.npy");
        float[] got = new float[want.length];
        for (int b = 0; b < want.length; b++) {
            CallContext ctx = CallContext.inference();
            model.call(List.of(Variable.constant(images.narrow(8 * b, 8)), Variable.constant(labels.narrow(8 * b,
                    8))), ctx);
            assertThat(ctx.addedLosses()).as("CTCLayer adds one loss per call").hasSize(1);
            got[b] = ctx.addedLosses().get(0).value().item();
        }
        assertClose("the CTC loss CTCLayer adds, per batch of 8", got, want);
        // Keras's model.evaluate(x): no targets, the loss is what CTCLayer adds, averaged over the samples
        assertThat(model.losses()).as("compiled with an optimizer alone").isEmpty();
        assertClose("evaluate(x, batch_size=8)", new float[] {(float) model.evaluate(List.of(images, labels), null,
                null, 8).loss()}, new double[] {(want[0] + want[1]) / 2});
    }

    @Test
    void greedyDecodingIsDecodeBatchPredictions() throws IOException {
        Tensor softmax = OcrModels.predictionModel(loadExample().functional()).predict(npy("ocr.images.npy"));
        int samples = softmax.shape().dim(0);
        // ops.ctc_decode(pred, input_len, strategy="greedy") with its default mask_index 0, as the example calls it
        int[][] decoded = Examples.greedyDecode(softmax, 0);
        double[] want = npyValues("ocr.decoded.npy");
        for (int s = 0; s < samples; s++) {
            for (int k = 0; k < LENGTH; k++) {
                assertThat(decoded[s][k]).as("sample %d, character %d", s, k).isEqualTo((int) want[s * LENGTH + k]);
            }
        }
    }

    @Test
    void oneEpochOfSgdWithoutDropoutEndsAtKerassWeightsAndLoss() throws IOException {
        Model keras = loadExample().functional();
        Model model = buildModel(8, 16, 16, 16, 8, 0.0, 0.0);
        Examples.copyWeights(keras.weights(), model.weights());
        model.compile(Optimizers.sgd(0.05));  // as make_ocr.py: the loss is what CTCLayer adds
        Tensor images = npy("ocr.images.npy");
        History h = model.fit(List.of(images, npy("ocr.labels.npy")),
                Fit.defaults().batchSize(8).epochs(1).shuffle(false).verbose(0));
        assertClose("the epoch's logged loss", new float[] {h.get("loss").get(0).floatValue()},
                npyValues("ocr.fit_loss.npy"));
        assertWeightsAsKeras("ocr", "after one epoch", model.weights());
    }

    @Test
    void savedBackByRnn4jItLoadsToTheSameNumbers() throws IOException {
        Model model = loadExample().functional();
        Path file = tmp.resolve("ocr_rnn4j.keras");
        Models.save(model, file);
        assertThat(configJson(file)).as("compiled with Adam alone, as Keras writes it").contains("\"loss\": null")
                .contains("\"class_name\": \"Adam\"");
        // Keras calls the Python CTCLayer with (labels, x), so the file must say so: "args": [labels, x]
        assertThat(configJson(file)).as("ctc_loss's call in rnn4j's file").containsPattern(
                "\"args\": ?\\[\\{\"class_name\": ?\"__keras_tensor__\", ?\"config\": ?\\{[^}]*\"keras_history\": ?"
                + "\\[\"label\", ?0, ?0\\]\\}\\}, ?\\{\"class_name\": ?\"__keras_tensor__\"");
        Model compiled = Models.load(file, true, OcrModels.CUSTOM).functional();
        assertThat(compiled.optimizer()).as("compiled from rnn4j's file").isNotNull();
        assertThat(compiled.losses()).as("with no loss, as the file says").isEmpty();
        Model back = Models.load(file, false, OcrModels.CUSTOM).functional();
        assertThat(back.layer("ctc_loss")).isInstanceOf(CTCLayer.class);
        assertThat(back.summary()).isEqualTo(model.summary());
        Tensor images = npy("ocr.images.npy");
        assertThat(OcrModels.predictionModel(back).predict(images).toArray()).as("softmax after rnn4j's save and load, bit for bit")
                .isEqualTo(OcrModels.predictionModel(model).predict(images).toArray());
    }

    private static String configJson(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return new String(zip.getInputStream(zip.getEntry("config.json")).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void summaryCountsKerassParameters() {
        Model model = buildModel(8, 16, 16, 16, 8, 0.2, 0.25);
        System.out.println(model.summary());
        // Conv 3·3·1·8 + 8 = 80 and 3·3·8·16 + 16 = 1,168; Dense 64·16 + 16 = 1,040; BiLSTM 2·4·16·(16 + 16 + 1)
        // = 4,224 and 2·4·8·(32 + 8 + 1) = 2,624; Dense 16·8 + 8 = 136
        assertThat(model.countParams()).isEqualTo(80 + 1168 + 1040 + 4224 + 2624 + 136);
    }

    @Test
    void theCtcLayerRefusesTheBlankAsALabelAndInputsOfOtherRanks() {
        Model model = buildModel(2, 2, 2, 2, 2, 0.0, 0.0);
        Tensor images = Tensor.zeros(2, WIDTH, HEIGHT, 1);
        Tensor blank = Tensor.of(new float[] {1, 2, 3, VOCAB + 1, 1, 2, 3, 4}, 2, LENGTH);
        assertThatThrownBy(() -> model.call(List.of(Variable.constant(images), Variable.constant(blank)),
                CallContext.inference())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ctc_loss").hasMessageContaining("class 7 is the blank").hasMessageContaining("7.0");
        assertThatThrownBy(() -> new CTCLayer().named("ctc").apply(Input.shape(4, 2), Input.shape(12, 8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ctc")
                .hasMessageContaining("expected labels (batch, label_length)").hasMessageContaining("(4, 2)");
        assertThatThrownBy(() -> new CTCLayer().named("ctc").apply(Input.shape(12, 8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 2 inputs, got 1");
    }

    /**
     * {@code n} synthetic captchas as make_ocr.py draws them (with Java's generator): {@code [images (n, 48, 16,
     * 1), labels (n, 4)]}, 4 characters of ids 1..6 each drawn as its 6×10 glyph (random bits from
     * {@code glyphSeed}) in its 12-column slot, shifted by up to 3 columns and 2 rows, plus noise in [0, 0.1).
     */
    static Tensor[] captchas(long glyphSeed, long seed, int n) {
        return OcrModels.draw(SIZES, glyphSeed, seed, n);
    }

    @Test
    void theJavaBuiltModelLearnsToReadTheSyntheticCaptchas() {
        long seed = 2024;
        System.out.println("CaptchaOcrTest seed " + seed);
        Seeds.set(seed);
        // the example's architecture with the brief's smaller sizes and its dropouts; Adam at 0.01 rather than
        // 0.001 so that 96 captchas and a few epochs show it
        Model model = buildModel(8, 16, 32, 32, 16, 0.2, 0.25);
        model.compile(Optimizers.adam(0.01));
        Tensor[] train = captchas(seed, seed + 1, 96);
        Tensor[] test = captchas(seed, seed + 2, 32);
        History h = model.fit(List.of(train[0], train[1]), Fit.defaults().batchSize(16).epochs(EPOCHS).seed(seed)
                .verbose(0));
        System.out.println("CaptchaOcrTest loss per epoch " + h.get("loss"));
        Tensor softmax = OcrModels.predictionModel(model).predict(test[0]);
        // the blank the CTC loss trained is the last class (the example decodes with mask_index 0, [UNK], instead)
        int[][] decoded = Examples.greedyDecode(softmax, -1);
        int right = 0;
        float[] want = test[1].toArray();
        for (int s = 0; s < 32; s++) {
            boolean same = decoded[s][LENGTH] == -1;
            for (int k = 0; k < LENGTH; k++) {
                same &= decoded[s][k] == (int) want[s * LENGTH + k];
            }
            right += same ? 1 : 0;
        }
        System.out.println("CaptchaOcrTest test sequences read exactly: " + right + " of 32");
        assertThat(right).as("captchas of the test set read exactly after %d epochs (loss %s)", EPOCHS, h.get("loss"))
                .isGreaterThanOrEqualTo(24);
    }
}
