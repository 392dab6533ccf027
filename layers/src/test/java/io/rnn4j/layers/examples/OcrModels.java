package io.rnn4j.layers.examples;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Conv2D;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.MaxPooling2D;
import io.rnn4j.layers.Reshape;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.keras.CustomLayers;
import io.rnn4j.layers.model.Model;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What keras-io's two OCR examples share, captcha_ocr.py ({@link CaptchaOcrTest}) and
 * handwriting_recognition.py ({@link HandwritingRecognitionTest}): the same model (two Conv2D and
 * pooling, Reshape so that width is time, Dense, Dropout, two Bidirectional LSTMs, a softmax and the
 * {@link CTCLayer}) and synthetic images of glyphs placed left to right, drawn as make_ocr.py and
 * make_handwriting.py draw them, each at its own {@link Sizes}.
 */
final class OcrModels {
    /** The examples' CTCLayer: the Python class is not registered, so a file names it by its class name. */
    static final CustomLayers CUSTOM = CustomLayers.of().with("CTCLayer", c -> new CTCLayer());

    private OcrModels() {
    }

    /**
     * One example's sizes.
     *
     * @param width       the image's width (time, after the model's two poolings: width / 4 steps)
     * @param height      the image's height
     * @param labelLength the characters of each label
     * @param symbols     the character ids drawn, 1..symbols
     * @param classes     dense2's units: the vocabulary's size and 2 (the example's padding and CTC blank)
     * @param glyphRows   a glyph's rows (along the height)
     * @param glyphCols   a glyph's columns (along the width)
     * @param slot        the columns each character's slot takes, left to right
     * @param top         the first row a glyph may start at
     * @param topJitter   how many rows from {@code top} it may start at
     * @param left        the first column in its slot a glyph may start at
     * @param leftJitter  how many columns from {@code left} it may start at
     */
    record Sizes(int width, int height, int labelLength, int symbols, int classes, int glyphRows, int glyphCols,
            int slot, int top, int topJitter, int left, int leftJitter) {
    }

    /**
     * The example's model at {@code sizes} with the given widths (the two Conv2D, Dense and the two
     * LSTMs) and dropout rates, named {@code name}, its layers named as Keras names them.
     */
    static Model build(Sizes sizes, String name, int conv1, int conv2, int dense, int lstm1, int lstm2,
            double dropout, double lstmDropout) {
        Input image = Input.shape(sizes.width(), sizes.height(), 1).named("image");
        Input label = Input.shape(Input.NONE).named("label");
        SymbolicTensor x = new Conv2D(conv1, 3, "relu").padding("same").kernelInitializer(Initializers.heNormal())
                .named("Conv1").apply(image);
        x = new MaxPooling2D(2, 2).named("pool1").apply(x);
        x = new Conv2D(conv2, 3, "relu").padding("same").kernelInitializer(Initializers.heNormal()).named("Conv2")
                .apply(x);
        x = new MaxPooling2D(2, 2).named("pool2").apply(x);
        x = new Reshape(sizes.width() / 4, sizes.height() / 4 * conv2).named("reshape").apply(x);
        x = new Dense(dense, "relu").named("dense1").apply(x);
        x = new Dropout(dropout).named("dropout").apply(x);
        x = new Bidirectional(new LSTM(lstm1).returnSequences(true).dropout(lstmDropout)).named("bidirectional")
                .apply(x);
        x = new Bidirectional(new LSTM(lstm2).returnSequences(true).dropout(lstmDropout)).named("bidirectional_1")
                .apply(x);
        x = new Dense(sizes.classes(), "softmax").named("dense2").apply(x);
        SymbolicTensor out = new CTCLayer().named("ctc_loss").apply(label, x);
        return Model.of(List.of(image, label), List.of(out)).named(name);
    }

    /** The example's prediction_model: from the image input to dense2's output. */
    static Model predictionModel(Model model) {
        Layer dense2 = model.layer("dense2");
        return Model.of(model.inputs().get(0), model.nodes(dense2).get(0).outputs().get(0));
    }

    /**
     * {@code n} synthetic images as the example's script draws them (with Java's generator):
     * {@code [images (n, width, height, 1), labels (n, labelLength)]}, each character an id of 1..symbols
     * drawn as its glyph (random bits from {@code glyphSeed}) in its slot, shifted by up to
     * {@code topJitter - 1} rows and {@code leftJitter - 1} columns, plus noise in [0, 0.1).
     */
    static Tensor[] draw(Sizes sizes, long glyphSeed, long seed, int n) {
        int width = sizes.width();
        int height = sizes.height();
        int length = sizes.labelLength();
        int rows = sizes.glyphRows();
        int cols = sizes.glyphCols();
        SplittableRandom g = new SplittableRandom(glyphSeed);
        float[][] glyphs = new float[sizes.symbols()][rows * cols];
        for (float[] glyph : glyphs) {
            for (int i = 0; i < glyph.length; i++) {
                glyph[i] = g.nextDouble() < 0.5 ? 1f : 0f;
            }
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[] images = new float[n * width * height];
        float[] labels = new float[n * length];
        for (int s = 0; s < n; s++) {
            for (int k = 0; k < length; k++) {
                int id = 1 + r.nextInt(sizes.symbols());
                labels[s * length + k] = id;
                int top = sizes.top() + r.nextInt(sizes.topJitter());
                int left = sizes.slot() * k + sizes.left() + r.nextInt(sizes.leftJitter());
                for (int row = 0; row < rows; row++) {
                    for (int col = 0; col < cols; col++) {
                        // (width, height, 1): the example transposes the image so that width is time
                        images[(s * width + left + col) * height + top + row] = glyphs[id - 1][row * cols + col];
                    }
                }
            }
            for (int i = s * width * height; i < (s + 1) * width * height; i++) {
                images[i] += 0.1f * (float) r.nextDouble();
            }
        }
        return new Tensor[] {Tensor.of(images, n, width, height, 1), Tensor.of(labels, n, length)};
    }
}
