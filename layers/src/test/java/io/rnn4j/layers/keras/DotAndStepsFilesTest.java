package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.ActivationLayer;
import io.rnn4j.layers.Concatenate;
import io.rnn4j.layers.Conv1D;
import io.rnn4j.layers.Cropping1D;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Dot;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.UpSampling1D;
import io.rnn4j.layers.ZeroPadding1D;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dot, ZeroPadding1D, Cropping1D and UpSampling1D in Keras files: the Luong-attention seq2seq of
 * Keras's tutorials (two LSTMs, Dot(axes=[2, 2]), softmax, Dot(axes=[2, 1]), Concatenate, Dense)
 * lowers its loss in training and predicts the same bits after a .keras round trip, at other
 * lengths too; every option comes back with the config keys Keras 3 writes; hand-written Keras 3
 * and tf.keras 2 entries, and a Keras 3 functional config of Dots, load; bad values are refused
 * by layer and option. Seed 29.
 */
class DotAndStepsFilesTest {
    private static final long SEED = 29;

    @TempDir
    Path tmp;


    /** Luong attention as the Keras tutorials build it, encoder and decoder lengths None. */
    private static Model luong() {
        Input enc = Input.shape(Input.NONE, 3).named("encoder_inputs");
        Input dec = Input.shape(Input.NONE, 4).named("decoder_inputs");
        List<SymbolicTensor> e = new LSTM(8).returnSequences(true).returnState(true).named("encoder").applyAll(enc);
        SymbolicTensor d = new LSTM(8).returnSequences(true).named("decoder").apply(dec, e.subList(1, 3));
        SymbolicTensor scores = new Dot(2, 2).named("scores").apply(d, e.get(0));
        SymbolicTensor attention = new ActivationLayer("softmax").named("attention").apply(scores);
        SymbolicTensor context = new Dot(2, 1).named("context").apply(attention, e.get(0));
        SymbolicTensor joined = new Concatenate().named("joined").apply(context, d);
        SymbolicTensor out = new Dense(4, "softmax").named("head").apply(joined);
        return Model.of(List.of(enc, dec), out).named("luong");
    }

    @Test
    void luongAttentionTrainsAndRoundTripsBitForBit() throws IOException {
        System.out.println("DotAndStepsFilesTest seed " + SEED);
        Seeds.set(SEED);
        Model m = luong();
        // Target at decoder step t: the largest of encoder step t's 3 features, or class 3 where step t + 1's first
        // feature is positive: something the attention over the encoder steps can find.
        int batch = 16;
        Tensor encX = TestTensors.gaussian(SEED, batch, 5, 3);
        Tensor decX = TestTensors.gaussian(SEED + 1, batch, 4, 4);
        float[] ev = encX.toArray();
        float[] target = new float[batch * 4 * 4];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < 4; t++) {
                int best = 0;
                for (int f = 1; f < 3; f++) {
                    best = ev[(b * 5 + t) * 3 + f] > ev[(b * 5 + t) * 3 + best] ? f : best;
                }
                target[(b * 4 + t) * 4 + (ev[(b * 5 + t + 1) * 3] > 0 ? 3 : best)] = 1;
            }
        }
        List<Tensor> x = List.of(encX, decX);
        m.compile(Optimizers.adam(0.02), Losses.categoricalCrossentropy());
        History h = m.fit(x, List.of(Tensor.of(target, batch, 4, 4)), Fit.defaults().batchSize(8).epochs(8).verbose(0));
        List<Double> loss = h.get("loss");
        System.out.println("DotAndStepsFilesTest Luong attention loss by epoch " + loss);
        assertThat(loss.get(loss.size() - 1)).as("loss after 8 epochs below 0.8 of the first: %s", loss)
                .isLessThan(0.8 * loss.get(0));

        Path out = tmp.resolve("luong.keras");
        Models.save(m, out);
        String config = SaveTest.entry(out, "config.json");
        assertThat(config).contains("\"class_name\": \"Dot\", \"config\": {\"name\": \"scores\", \"trainable\": true, "
                        + "\"dtype\": \"float32\", \"axes\": [2, 2], \"normalize\": false}")
                .contains("\"class_name\": \"Dot\", \"config\": {\"name\": \"context\", \"trainable\": true, "
                        + "\"dtype\": \"float32\", \"axes\": [2, 1], \"normalize\": false}")
                .contains("\"build_config\": {\"input_shape\": [[null, null, 8], [null, null, 8]]}");
        KerasModel back = Models.load(out);
        Model b = back.functional();
        assertThat(b.layers()).extracting(Layer::className).containsExactlyElementsOf(
                m.layers().stream().map(Layer::className).toList());
        assertThat(((Dot) b.layer("context")).axes()).containsExactly(2, 1);
        assertThat(Fixtures.layersOf(b.summary())).isEqualTo(Fixtures.layersOf(m.summary()));
        assertThat(b.predict(x).get(0).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(m.predict(x).get(0).toArray());
        List<Tensor> other = List.of(TestTensors.gaussian(SEED + 2, 3, 7, 3), TestTensors.gaussian(SEED + 3, 3, 2, 4));
        assertThat(b.predict(other).get(0).shape().dims()).containsExactly(3, 2, 4);
        assertThat(b.predict(other).get(0).toArray()).as("7 encoder and 2 decoder steps through the None lengths")
                .isEqualTo(m.predict(other).get(0).toArray());
    }

    @Test
    void stepLayersAndDotOptionsComeBackWithKeras3Keys() throws IOException {
        Seeds.set(SEED + 4);
        Sequential s = Sequential.of(Input.shape(10, 3), new ZeroPadding1D(0, 1).dataFormat("channels_first")
                .named("zp_first"), new ZeroPadding1D(2, 1).named("zp"), new Conv1D(4, 3, "relu"),
                new UpSampling1D(3).named("up"), new Cropping1D(1, 2).named("crop"), new LSTM(5), new Dense(1));
        Path out = tmp.resolve("steps.keras");
        Models.save(s, out);
        String config = SaveTest.entry(out, "config.json");
        assertThat(config).contains("\"class_name\": \"ZeroPadding1D\", \"config\": {\"name\": \"zp_first\", "
                        + "\"trainable\": true, \"dtype\": \"float32\", \"padding\": [0, 1], \"data_format\": "
                        + "\"channels_first\"}")
                .contains("\"class_name\": \"ZeroPadding1D\", \"config\": {\"name\": \"zp\", \"trainable\": true, "
                        + "\"dtype\": \"float32\", \"padding\": [2, 1], \"data_format\": \"channels_last\"}")
                .contains("\"class_name\": \"UpSampling1D\", \"config\": {\"name\": \"up\", \"trainable\": true, "
                        + "\"dtype\": \"float32\", \"size\": 3}")
                .contains("\"class_name\": \"Cropping1D\", \"config\": {\"name\": \"crop\", \"trainable\": true, "
                        + "\"dtype\": \"float32\", \"cropping\": [1, 2]}");
        KerasModel back = Models.load(out);
        assertThat(((ZeroPadding1D) back.layer("zp_first")).dataFormat()).isEqualTo("channels_first");
        assertThat(((ZeroPadding1D) back.layer("zp")).padding()).containsExactly(2, 1);
        assertThat(((UpSampling1D) back.layer("up")).size()).isEqualTo(3);
        assertThat(((Cropping1D) back.layer("crop")).cropping()).containsExactly(1, 2);
        assertThat(Fixtures.layersOf(back.sequential().summary())).isEqualTo(Fixtures.layersOf(s.summary()));
        Tensor x = TestTensors.gaussian(SEED + 5, 4, 10, 3);
        assertThat(back.predict(x).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(s.predict(x).toArray());

        Input a = Input.shape(6).named("a");
        Input c = Input.shape(2, 6).named("c");
        Model cosine = Model.of(List.of(a, c), new Dot(-1).normalize(true).named("cos").apply(a, c));
        Path cos = tmp.resolve("cosine.keras");
        Models.save(cosine, cos);
        assertThat(SaveTest.entry(cos, "config.json")).as("an int axes is written as an int, as Keras keeps it")
                .contains("\"axes\": -1, \"normalize\": true}");
        Dot d = (Dot) Models.load(cos).layer("cos");
        assertThat(d.axes()).containsExactly(-1);
        assertThat(d.normalize()).isTrue();
        List<Tensor> in = List.of(TestTensors.gaussian(SEED + 6, 3, 6), TestTensors.gaussian(SEED + 7, 3, 2, 6));
        assertThat(Models.load(cos).predict(in).get(0).toArray()).isEqualTo(cosine.predict(in).get(0).toArray());
    }

    private static Layer read(String json) {
        return new LayerReader(false).read(ModelReader.parse("test", "layer", json)).layer();
    }

    private static Layer readKeras2(String json) {
        return new LayerReader(true).read(ModelReader.parse("test", "layer", json)).layer();
    }

    @Test
    void handWrittenKeras3AndTfKeras2EntriesLoad() {
        String policy = "{\"module\": \"keras\", \"class_name\": \"DTypePolicy\", \"config\": {\"name\": \"float32\"}, "
                + "\"registered_name\": null}";
        Dot d = (Dot) read("""
                {"module": "keras.layers", "class_name": "Dot", "config": {"name": "scores", "trainable": true,
                 "dtype": %s, "axes": [2, 2], "normalize": false}, "registered_name": null,
                 "build_config": {"input_shape": [[null, 4, 8], [null, 6, 8]]}}""".formatted(policy));
        assertThat(d.name()).isEqualTo("scores");
        assertThat(d.axes()).containsExactly(2, 2);
        assertThat(d.normalize()).isFalse();
        Dot cos = (Dot) read("""
                {"class_name": "Dot", "config": {"name": "cos", "axes": -1, "normalize": true}}""");
        assertThat(cos.axes()).containsExactly(-1);
        assertThat(cos.normalize()).isTrue();
        ZeroPadding1D z = (ZeroPadding1D) read("""
                {"module": "keras.layers", "class_name": "ZeroPadding1D", "config": {"name": "zp", "trainable": true,
                 "dtype": %s, "padding": [1, 2], "data_format": "channels_last"}, "registered_name": null,
                 "build_config": {"input_shape": [null, 10, 3]}}""".formatted(policy));
        assertThat(z.padding()).containsExactly(1, 2);
        assertThat(z.dataFormat()).isEqualTo("channels_last");
        Cropping1D k = (Cropping1D) read("""
                {"module": "keras.layers", "class_name": "Cropping1D", "config": {"name": "crop", "trainable": true,
                 "dtype": %s, "cropping": [2, 0]}, "registered_name": null}""".formatted(policy));
        assertThat(k.cropping()).containsExactly(2, 0);
        UpSampling1D u = (UpSampling1D) read("""
                {"module": "keras.layers", "class_name": "UpSampling1D", "config": {"name": "up", "trainable": false,
                 "dtype": %s, "size": 3}, "registered_name": null}""".formatted(policy));
        assertThat(u.size()).isEqualTo(3);
        assertThat(u.trainable()).isFalse();
        // tf.keras 2.15's get_config: no data_format for ZeroPadding1D; ints where Keras takes them.
        ZeroPadding1D z2 = (ZeroPadding1D) readKeras2("""
                {"class_name": "ZeroPadding1D", "config": {"name": "zero_padding1d", "trainable": true,
                 "dtype": "float32", "padding": 3}}""");
        assertThat(z2.padding()).containsExactly(3, 3);
        assertThat(((Cropping1D) readKeras2("""
                {"class_name": "Cropping1D", "config": {"name": "c", "trainable": true, "dtype": "float32",
                 "cropping": [1, 1]}}""")).cropping()).containsExactly(1, 1);
        assertThat(((Dot) readKeras2("""
                {"class_name": "Dot", "config": {"name": "d", "trainable": true, "dtype": "float32", "axes": 1,
                 "normalize": false}}""")).axes()).containsExactly(1);
        // Keras's defaults where an option is absent.
        assertThat(((ZeroPadding1D) read("{\"class_name\": \"ZeroPadding1D\", \"config\": {\"name\": \"p\"}}"))
                .padding()).containsExactly(1, 1);
        assertThat(((Cropping1D) read("{\"class_name\": \"Cropping1D\", \"config\": {\"name\": \"c\"}}"))
                .cropping()).containsExactly(1, 1);
        assertThat(((UpSampling1D) read("{\"class_name\": \"UpSampling1D\", \"config\": {\"name\": \"u\"}}"))
                .size()).isEqualTo(2);
        assertThat(LayerReader.KNOWN_UNSUPPORTED).doesNotContain("Dot", "ZeroPadding1D", "Cropping1D", "UpSampling1D");
    }

    /** Keras 3's config.json of dec (3, 4) and enc (5, 4): Dot [2, 2], softmax, Dot [2, 1], and a cosine Dot. */
    private static final String KERAS3 = """
            {"module": "keras.src.models.functional", "class_name": "Functional", "config": {"name": "functional",
             "trainable": true, "layers": [
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 3, 4],
               "dtype": "float32", "sparse": false, "name": "dec"}, "registered_name": null, "name": "dec",
               "inbound_nodes": []},
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 5, 4],
               "dtype": "float32", "sparse": false, "name": "enc"}, "registered_name": null, "name": "enc",
               "inbound_nodes": []},
              {"module": "keras.layers", "class_name": "Dot", "config": {"name": "scores", "trainable": true,
               "dtype": "float32", "axes": [2, 2], "normalize": false}, "registered_name": null,
               "build_config": {"input_shape": [[null, 3, 4], [null, 5, 4]]}, "name": "scores", "inbound_nodes":
               [{"args": [[{"class_name": "__keras_tensor__", "config": {"shape": [null, 3, 4], "dtype": "float32",
               "keras_history": ["dec", 0, 0]}}, {"class_name": "__keras_tensor__", "config": {"shape": [null, 5, 4],
               "dtype": "float32", "keras_history": ["enc", 0, 0]}}]], "kwargs": {}}]},
              {"module": "keras.layers", "class_name": "Activation", "config": {"name": "attention",
               "trainable": true, "dtype": "float32", "activation": "softmax"}, "registered_name": null,
               "build_config": {"input_shape": [null, 3, 5]}, "name": "attention", "inbound_nodes": [{"args":
               [{"class_name": "__keras_tensor__", "config": {"shape": [null, 3, 5], "dtype": "float32",
               "keras_history": ["scores", 0, 0]}}], "kwargs": {}}]},
              {"module": "keras.layers", "class_name": "Dot", "config": {"name": "context", "trainable": true,
               "dtype": "float32", "axes": [2, 1], "normalize": false}, "registered_name": null,
               "build_config": {"input_shape": [[null, 3, 5], [null, 5, 4]]}, "name": "context", "inbound_nodes":
               [{"args": [[{"class_name": "__keras_tensor__", "config": {"shape": [null, 3, 5], "dtype": "float32",
               "keras_history": ["attention", 0, 0]}}, {"class_name": "__keras_tensor__", "config": {"shape":
               [null, 5, 4], "dtype": "float32", "keras_history": ["enc", 0, 0]}}]], "kwargs": {}}]},
              {"module": "keras.layers", "class_name": "Dot", "config": {"name": "cosine", "trainable": true,
               "dtype": "float32", "axes": -1, "normalize": true}, "registered_name": null,
               "build_config": {"input_shape": [[null, 3, 4], [null, 3, 4]]}, "name": "cosine", "inbound_nodes":
               [{"args": [[{"class_name": "__keras_tensor__", "config": {"shape": [null, 3, 4], "dtype": "float32",
               "keras_history": ["context", 0, 0]}}, {"class_name": "__keras_tensor__", "config": {"shape":
               [null, 3, 4], "dtype": "float32", "keras_history": ["dec", 0, 0]}}]], "kwargs": {}}]}],
             "input_layers": [["dec", 0, 0], ["enc", 0, 0]], "output_layers": [["context", 0, 0],
             ["cosine", 0, 0]]}, "registered_name": "Functional"}
            """;

    @Test
    void keras3FunctionalConfigOfDotsLoads() {
        KerasModel k = new ModelReader("luong.json", false).read(ModelReader.parse("luong.json", "config", KERAS3),
                null, null);
        assertThat(k.layers()).extracting(Layer::className).containsExactly("InputLayer", "InputLayer", "Dot",
                "Activation", "Dot", "Dot");
        Input dec = Input.shape(3, 4);
        Input enc = Input.shape(5, 4);
        SymbolicTensor att = new ActivationLayer("softmax").apply(new Dot(2, 2).apply(dec, enc));
        SymbolicTensor context = new Dot(2, 1).apply(att, enc);
        SymbolicTensor cos = new Dot(-1).normalize(true).apply(context, dec);
        Model java = Model.of(List.of(dec, enc), List.of(context, cos));
        List<Tensor> x = List.of(TestTensors.gaussian(SEED + 8, 2, 3, 4), TestTensors.gaussian(SEED + 9, 2, 5, 4));
        List<Tensor> got = k.predict(x);
        List<Tensor> want = java.predict(x);
        assertThat(got.get(1).shape().dims()).containsExactly(2, 3, 3);
        for (int i = 0; i < 2; i++) {
            assertThat(got.get(i).toArray()).as("output %d: the Keras config gives the model built in Java", i)
                    .isEqualTo(want.get(i).toArray());
        }
    }

    @Test
    void badValuesAreRefusedByLayerAndOption() {
        String dot = "{\"class_name\": \"Dot\", \"config\": {\"name\": \"d\"%s}}";
        assertThatThrownBy(() -> read(dot.formatted(""))).isInstanceOf(KerasFileException.class)
                .hasMessage("layer 'd' (Dot): option 'axes' must be an integer axis other than 0 (the batch axis), or "
                        + "a list of two, found null");
        assertThatThrownBy(() -> read(dot.formatted(", \"axes\": 0"))).isInstanceOf(KerasFileException.class)
                .hasMessageEndingWith("found 0");
        assertThatThrownBy(() -> read(dot.formatted(", \"axes\": [1, 2, 3]"))).isInstanceOf(KerasFileException.class)
                .hasMessageEndingWith("found [1.0, 2.0, 3.0]");
        assertThatThrownBy(() -> read(dot.formatted(", \"axes\": [2, 0.5]"))).isInstanceOf(KerasFileException.class)
                .hasMessageEndingWith("found [2.0, 0.5]");
        assertThatThrownBy(() -> read(dot.formatted(", \"axes\": 1, \"normalize\": \"yes\"")))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("layer 'd' (Dot): option 'normalize' must be true or false, found 'yes'");
        assertThatThrownBy(() -> read("""
                {"class_name": "ZeroPadding1D", "config": {"name": "z", "padding": -1}}""")).isInstanceOf(
                KerasFileException.class).hasMessage("layer 'z' (ZeroPadding1D): option 'padding' must be an integer "
                + ">= 0 or a list of two, found -1");
        assertThatThrownBy(() -> read("""
                {"class_name": "ZeroPadding1D", "config": {"name": "z", "padding": [1]}}"""))
                .hasMessageEndingWith("found [1.0]");
        assertThatThrownBy(() -> read("""
                {"class_name": "ZeroPadding1D", "config": {"name": "z", "data_format": "channels_middle"}}"""))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("unsupported option data_format='channels_middle' in layer 'z' (ZeroPadding1D)");
        assertThatThrownBy(() -> read("""
                {"class_name": "Cropping1D", "config": {"name": "c", "cropping": [1, -1]}}""")).isInstanceOf(
                KerasFileException.class).hasMessage("layer 'c' (Cropping1D): option 'cropping' must be an integer "
                + ">= 0 or a list of two, found [1.0, -1.0]");
        assertThatThrownBy(() -> read("""
                {"class_name": "UpSampling1D", "config": {"name": "u", "size": 0}}""")).isInstanceOf(
                KerasFileException.class).hasMessage("layer 'u' (UpSampling1D): option 'size' must be a positive "
                + "integer, found 0");
        assertThatThrownBy(() -> read("""
                {"class_name": "UpSampling1D", "config": {"name": "u", "interpolation": "bilinear"}}"""))
                .isInstanceOf(KerasFileException.class).hasMessage("unsupported option 'interpolation' = "
                        + "'bilinear' in layer 'u' (UpSampling1D): this loader does not know it");
    }
}
