package io.rnn4j.layers.examples;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Eager;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Masking;
import io.rnn4j.layers.Outputs;
import io.rnn4j.layers.Sequences;
import io.rnn4j.layers.Sequences.Side;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.examples.MaskingGuideLayers.CustomEmbedding;
import io.rnn4j.layers.examples.MaskingGuideLayers.MyActivation;
import io.rnn4j.layers.examples.MaskingGuideLayers.MyLayer;
import io.rnn4j.layers.examples.MaskingGuideLayers.TemporalSoftmax;
import io.rnn4j.layers.examples.MaskingGuideLayers.TemporalSplit;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.keras.Npy;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keras-io's guides/understanding_masking_and_padding.py ("Understanding masking &amp; padding", last
 * modified 2020/04/14), one test per section, each against what Keras 3.15.1 (TensorFlow backend) computed
 * on the guide's code at small sizes: keras3151/make_masking_guide.py writes {@code maskguide_<section>.*}.
 * Bar: {@code Keras3151.assertClose}, 1e-5 + 1e-5·|y|. The guide's custom layers are written in Java in
 * {@link MaskingGuideLayers}; Keras's files holding them load through its registry and save back. Set
 * {@code -Drnn4j.maskguide.out=DIR} to keep the saved files (to load them in Keras by hand).
 */
class MaskingAndPaddingGuideTest {
    private static final List<int[]> RAW_INPUTS = List.of(new int[] {711, 632, 71},
            new int[] {73, 8, 3215, 55, 927}, new int[] {83, 91, 1, 645, 1253, 927});

    @TempDir
    Path tmp;

    private static Tensor npy(String name) throws IOException {
        return Npy.read(resource("maskguide_" + name + ".npy")).tensor();
    }

    private static double[] want(String name) throws IOException {
        return Npy.read(resource("maskguide_" + name + ".npy")).values();
    }

    private static KerasModel load(String section) throws IOException {
        KerasModel m = Models.load(resource("maskguide_" + section + ".keras"), MaskingGuideLayers.REGISTRY);
        assertThat(m.kerasVersion()).contains("3.15.1");
        return m;
    }

    private static List<Weight> weightsOf(KerasModel m) {
        List<Weight> weights = new ArrayList<>();
        m.layers().forEach(l -> weights.addAll(l.weights()));
        return weights;
    }

    /** Gives {@code to} the Keras file's weights, in Keras's order, shapes checked. */
    private static void copyWeights(List<Weight> from, List<Weight> to) {
        assertThat(to).hasSameSizeAs(from);
        for (int i = 0; i < from.size(); i++) {
            assertThat(to.get(i).value().shape()).as("weight %d (%s)", i, from.get(i).path())
                    .isEqualTo(from.get(i).value().shape());
            to.get(i).set(from.get(i).value());
        }
    }

    /** Saves the loaded model, loads rnn4j's file back and checks it predicts the same; keeps it if asked. */
    private KerasModel saveAndReload(String section, KerasModel keras) throws IOException {
        String keep = System.getProperty("rnn4j.maskguide.out");
        Path dir = keep != null ? Files.createDirectories(Path.of(keep)) : tmp;
        Path file = dir.resolve("maskguide_" + section + ".rnn4j.keras");
        Models.save(keras, file);
        return Models.load(file, MaskingGuideLayers.REGISTRY);
    }

    // ---- Padding sequence data

    @Test
    void padSequencesPadsAndTruncatesAsKeras() throws IOException {
        // pad_sequences(raw_inputs, padding="post")
        assertClose("padding=post", Sequences.padInts(RAW_INPUTS, Sequences.LONGEST, Side.POST, Side.PRE, 0)
                .toArray(), want("pad.post"));
        assertClose("defaults (pre)", Sequences.padInts(RAW_INPUTS).toArray(), want("pad.pre"));
        assertClose("maxlen=4, truncating=pre, value=-1",
                Sequences.padInts(RAW_INPUTS, 4, Side.POST, Side.PRE, -1).toArray(), want("pad.cut_pre"));
        assertClose("maxlen=4, truncating=post, value=-1",
                Sequences.padInts(RAW_INPUTS, 4, Side.POST, Side.POST, -1).toArray(), want("pad.cut_post"));
    }

    // ---- Mask-generating layers: Embedding and Masking

    @Test
    void embeddingAndMaskingGenerateKerasMasks() throws IOException {
        Tensor padded = npy("pad.post");
        Embedding embedding = new Embedding(5000, 16).maskZero(true);
        Outputs maskedOutput = Eager.call(embedding, padded); // embedding(padded_inputs)
        assertThat(maskedOutput.values().get(0).shape()).isEqualTo(Shape.of(3, 6, 16));
        assertClose("masked_output._keras_mask", maskedOutput.masks().get(0).toArray(), want("gen.emb_mask"));
        assertClose("embedding.compute_mask(padded_inputs)", Eager.computeMask(embedding, padded).toArray(),
                want("gen.emb_compute_mask"));
        // tf.cast(tf.tile(tf.expand_dims(padded_inputs, -1), [1, 1, 10]), tf.float32)
        Tensor unmasked = tiled(padded, 10);
        Outputs masked = Eager.call(new Masking(), unmasked);
        assertClose("masked_embedding._keras_mask", masked.masks().get(0).toArray(), want("gen.masking_mask"));
        assertClose("Masking passes unmasked steps as they are", masked.values().get(0).value().toArray(),
                asDouble(unmasked.toArray()));
        assertThat(Eager.call(new Embedding(5000, 16), padded).masks().get(0)).as("mask_zero=False").isNull();
    }

    private static Tensor tiled(Tensor ids, int features) {
        float[] v = ids.toArray();
        float[] out = new float[v.length * features];
        for (int i = 0; i < out.length; i++) {
            out[i] = v[i / features];
        }
        return Tensor.of(out, ids.shape().dim(0), ids.shape().dim(1), features);
    }

    private static double[] asDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    // ---- Mask propagation in the Functional API and Sequential API

    @Test
    void embeddingMaskReachesLstmInSequentialAndFunctionalModels() throws IOException {
        Tensor x = npy("seq.x0");
        for (String section : List.of("seq", "func")) {
            KerasModel keras = load(section);
            assertClose(section + ", Keras's file", keras.predict(x).toArray(), want(section + ".y"));
            assertClose(section + ", saved by rnn4j", saveAndReload(section, keras).predict(x).toArray(),
                    want(section + ".y"));
        }
        Sequential seq = Sequential.of(new Embedding(50, 8).maskZero(true), new LSTM(8));
        seq.predict(x);
        copyWeights(weightsOf(load("seq")), seq.weights());
        assertClose("Sequential built in Java", seq.predict(x).toArray(), want("seq.y"));

        Input inputs = Input.shape(Input.NONE).dtype("int32");
        SymbolicTensor h = new Embedding(50, 8).maskZero(true).apply(inputs);
        Model func = Model.of(inputs, new LSTM(8).apply(h));
        copyWeights(weightsOf(load("func")), func.weights());
        assertClose("functional model built in Java", func.predict(x).toArray(), want("func.y"));
        // without the mask the LSTM runs over the padding: a different answer, so the fixture does test the mask
        Sequential unmasked = Sequential.of(new Embedding(50, 8), new LSTM(8));
        unmasked.predict(x);
        copyWeights(seq.weights(), unmasked.weights());
        assertThat(unmasked.predict(x).toArray()).isNotEqualTo(seq.predict(x).toArray());
    }

    // ---- Passing mask tensors directly to layers

    @Test
    void myLayerPassesEmbeddingComputeMaskToLstm() throws IOException {
        Tensor x = npy("mylayer.x0");
        KerasModel keras = load("mylayer");
        assertThat(keras.layers().get(1)).isInstanceOf(MyLayer.class);
        assertClose("MyLayer, Keras's file", keras.predict(x).toArray(), want("mylayer.y"));
        assertClose("MyLayer, saved by rnn4j", saveAndReload("mylayer", keras).predict(x).toArray(),
                want("mylayer.y"));
        MyLayer layer = new MyLayer();
        layer.build(Shape.of(10));
        copyWeights(keras.layers().get(1).weights(), layer.weights());
        Variable y = layer.call(Variable.constant(x), null, CallContext.inference()); // layer(x)
        assertClose("MyLayer called in Java", y.value().toArray(), want("mylayer.y"));
    }

    // ---- Supporting masking in your custom layers: TemporalSplit

    @Test
    void temporalSplitSplitsItsMaskAsKeras() throws IOException {
        Tensor padded = npy("pad.post");
        Tensor maskedEmbedding = tiled(padded, 10);
        Tensor mask = Eager.call(new Masking(), maskedEmbedding).masks().get(0);
        Outputs halves = Eager.call(new TemporalSplit(), maskedEmbedding, mask); // TemporalSplit()(masked_embedding)
        assertThat(halves.values()).hasSize(2);
        assertClose("first_half._keras_mask", halves.masks().get(0).toArray(), want("split.first_mask"));
        assertClose("second_half._keras_mask", halves.masks().get(1).toArray(), want("split.second_mask"));
        assertThat(Eager.call(new TemporalSplit(), maskedEmbedding).masks()).as("no mask in, none out")
                .containsOnlyNulls();

        Tensor x = npy("split.x0");
        // Keras 3 records the mask TemporalSplit.compute_mask splits as ops of the graph (Masking's
        // any(not_equal(x, 0), axis=-1), then split(..., 2, axis=1)), each half given to its LSTM as an
        // explicit mask: rnn4j reads them as the operations they are
        KerasModel keras = load("split");
        List<Tensor> loaded = keras.predict(List.of(x));
        assertClose("the Keras file, first half", loaded.get(0).toArray(), want("split.y0"));
        assertClose("the Keras file, second half", loaded.get(1).toArray(), want("split.y1"));
        List<Tensor> again = saveAndReload("split", keras).predict(List.of(x));
        assertThat(again.get(0).toArray()).as("rnn4j's own file, bit for bit").isEqualTo(loaded.get(0).toArray());
        assertThat(again.get(1).toArray()).isEqualTo(loaded.get(1).toArray());
        Input in = Input.shape(6, 10);
        List<SymbolicTensor> ab = new TemporalSplit().applyAll(new Masking().apply(in));
        Model model = Model.of(in, List.of(new LSTM(4).apply(ab.get(0)), new LSTM(4).apply(ab.get(1))));
        for (int i = 0; i < model.weights().size(); i++) {
            model.weights().get(i).set(npy("split.w" + i));
        }
        List<Tensor> java = model.predict(List.of(x));
        assertClose("Masking -> TemporalSplit -> LSTM, first half", java.get(0).toArray(), want("split.y0"));
        assertClose("second half", java.get(1).toArray(), want("split.y1"));
        assertThatThrownBy(() -> new TemporalSplit().build(Shape.of(5, 10)))
                .hasMessageContaining("even number of timesteps");
    }

    // ---- CustomEmbedding, generating a mask from input values

    @Test
    void customEmbeddingGeneratesKerasMask() throws IOException {
        Tensor x = npy("customemb.x0");
        CustomEmbedding layer = new CustomEmbedding(10, 4, true);
        layer.build(Shape.of(10));
        layer.weights().get(0).set(npy("customemb.w0"));
        Outputs y = Eager.call(layer, x);
        assertClose("CustomEmbedding(x)", y.values().get(0).value().toArray(), want("customemb.y"));
        assertClose("layer.compute_mask(x)", Eager.computeMask(layer, x).toArray(), want("customemb.mask"));
        assertClose("y._keras_mask", y.masks().get(0).toArray(), want("customemb.mask"));
        assertThat(Eager.computeMask(new CustomEmbedding(10, 4, false), x)).as("mask_zero=False").isNull();

        KerasModel keras = load("customemb");
        assertThat(keras.layers().get(1)).isInstanceOf(CustomEmbedding.class);
        assertClose("CustomEmbedding -> LSTM, Keras's file", keras.predict(x).toArray(), want("customemb.model_y"));
        KerasModel again = saveAndReload("customemb", keras);
        assertClose("saved by rnn4j", again.predict(x).toArray(), want("customemb.model_y"));
        // the int32 Input stays int32: Keras's CustomEmbedding (tf.nn.embedding_lookup) fails on float32 ids
        assertThat(again.functional().inputs().get(0).dtype()).isEqualTo("int32");
    }

    // ---- Opting-in to mask propagation on compatible layers: MyActivation

    @Test
    void myActivationPassesTheMaskToLstm() throws IOException {
        Tensor x = npy("myact.x0");
        KerasModel keras = load("myact");
        assertClose("Embedding -> MyActivation -> LSTM, Keras's file", keras.predict(x).toArray(),
                want("myact.y"));
        assertClose("saved by rnn4j", saveAndReload("myact", keras).predict(x).toArray(), want("myact.y"));

        Input inputs = Input.shape(Input.NONE).dtype("int32");
        Embedding embedding = new Embedding(50, 8).maskZero(true);
        MyActivation activation = new MyActivation();
        SymbolicTensor h = activation.apply(embedding.apply(inputs)); // will pass the mask along
        Model model = Model.of(inputs, new LSTM(8).apply(h));
        copyWeights(weightsOf(keras), model.weights());
        assertClose("built in Java", model.predict(x).toArray(), want("myact.y"));
        Outputs e = Eager.call(embedding, x);
        Tensor found = Eager.call(activation, e.values().get(0).value(), e.masks().get(0)).masks().get(0);
        assertClose("Mask found", found.toArray(), want("myact.mask"));
    }

    // ---- Writing layers that need mask information: TemporalSoftmax

    @Test
    void temporalSoftmaxUsesTheMaskInCall() throws IOException {
        Tensor x = npy("softmax.x0");
        KerasModel keras = load("softmax");
        assertClose("Embedding -> Dense -> TemporalSoftmax, Keras's file", keras.predict(x).toArray(),
                want("softmax.y"));
        assertClose("saved by rnn4j", saveAndReload("softmax", keras).predict(x).toArray(), want("softmax.y"));

        Input inputs = Input.shape(Input.NONE).dtype("int32");
        SymbolicTensor h = new Dense(1).apply(new Embedding(10, 4).maskZero(true).apply(inputs));
        Model model = Model.of(inputs, new TemporalSoftmax().apply(h));
        copyWeights(weightsOf(keras), model.weights());
        assertClose("built in Java", model.predict(x).toArray(), want("softmax.y"));
        Layer alone = new TemporalSoftmax();
        assertThatThrownBy(() -> Eager.call(alone, Tensor.zeros(2, 3, 1))).hasMessageContaining("needs the mask");
    }
}
