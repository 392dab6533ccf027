package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Add;
import io.rnn4j.layers.AdditiveAttention;
import io.rnn4j.layers.Attention;
import io.rnn4j.layers.BatchNormalization;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Concatenate;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.LayerNormalization;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.optimizers.Optimizers;
import io.rnn4j.layers.regularizers.Regularizers;
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
 * Functional models through Keras files: a model built here with several inputs, initial states,
 * returned states, attention (causal, with scale), concatenation, a merge and both
 * normalizations, trained briefly, saved as .keras and loaded back, predicts the same bits and
 * trains on; a Keras 3 config of Concatenate, Attention and LayerNormalization (written as Keras
 * writes it, weights at Keras's paths) loads into the same numbers as the model built in Java;
 * the frugally-deep model loaded from its .h5 trains and saves. Seed 41.
 */
class FunctionalModelsTest {
    private static final long SEED = 41;

    @TempDir
    Path tmp;


    private static Model seq2seq() {
        Input enc = Input.shape(6, 3).named("encoder_input");
        Input dec = Input.shape(6, 2).named("decoder_input");
        List<SymbolicTensor> e = new LSTM(5).returnSequences(true).returnState(true).named("encoder")
                .kernelRegularizer(Regularizers.l2(0.01f)).applyAll(enc);
        SymbolicTensor d = new LSTM(5).returnSequences(true).named("decoder").apply(dec, e.subList(1, 3));
        SymbolicTensor context = new Attention().useScale(true).useCausalMask(true).named("attention")
                .apply(d, e.get(0));
        SymbolicTensor additive = new AdditiveAttention().named("additive").apply(d, e.get(0));
        SymbolicTensor sum = new Add().named("add").apply(context, additive);
        SymbolicTensor joined = new Concatenate().named("concatenate").apply(d, sum);
        SymbolicTensor norm = new LayerNormalization().epsilon(1e-2f).gammaInitializer(Initializers.constant(0.5f))
                .named("layer_normalization").apply(joined);
        SymbolicTensor bn = new BatchNormalization().named("batch_normalization").apply(norm);
        SymbolicTensor gru = new Bidirectional(new GRU(3)).named("bidirectional").apply(bn);
        SymbolicTensor out = new Dense(2, "softmax").named("head").apply(gru);
        SymbolicTensor aux = new Dense(1).named("aux").apply(e.get(1));
        return Model.of(List.of(enc, dec), List.of(out, aux)).named("seq2seq");
    }

    @Test
    void aModelOfOneInputAndOneOutputWritesEachFlatAsKerasDoes() throws IOException {
        // Keras 3's get_config for Model(x, y) writes ["name", 0, 0], not [["name", 0, 0]]: a list of
        // one would make Keras's predict return a list.
        Input in = Input.shape(4, 2).named("series");
        Model m = Model.of(in, new Dense(1).named("head").apply(new LSTM(3).apply(in)));
        Path out = tmp.resolve("single.keras");
        Models.save(m, out);
        String config = entry(out, "config.json");
        assertThat(config).contains("\"input_layers\": [\"series\", 0, 0]")
                .contains("\"output_layers\": [\"head\", 0, 0]");
        Tensor x = TestTensors.gaussian(SEED, 3, 4, 2);
        assertThat(Models.load(out).predict(x).toArray()).as("reloaded predictions, bit for bit")
                .containsExactly(m.predict(x).toArray());
    }

    @Test
    void javaBuiltFunctionalModelRoundTripsAndTrainsOn() throws IOException {
        System.out.println("FunctionalModelsTest seed " + SEED);
        Seeds.set(SEED);
        Model m = seq2seq();
        List<Tensor> x = List.of(TestTensors.gaussian(SEED, 8, 6, 3), TestTensors.gaussian(SEED + 1, 8, 6, 2));
        float[] oneHot = new float[16];
        for (int i = 0; i < 8; i++) {
            oneHot[2 * i + i % 2] = 1f;
        }
        List<Tensor> y = List.of(Tensor.of(oneHot, 8, 2), TestTensors.gaussian(SEED + 2, 8, 1));
        m.compile(Optimizers.adam(0.01), List.of(Losses.categoricalCrossentropy(), Losses.meanSquaredError()),
                List.of(List.of(), List.of()));
        m.fit(x, y, Fit.defaults().batchSize(4).epochs(1).verbose(0));
        Path out = tmp.resolve("seq2seq.keras");
        Models.save(m, out);

        String config = entry(out, "config.json");
        assertThat(config).contains("\"class_name\": \"Functional\"")
                .contains("\"kwargs\": {\"initial_state\": [{\"class_name\": \"__keras_tensor__\"")
                .contains("\"kwargs\": {\"use_causal_mask\": true}")
                .contains("\"input_layers\": [[\"encoder_input\", 0, 0], [\"decoder_input\", 0, 0]]")
                .contains("\"output_layers\": [[\"head\", 0, 0], [\"aux\", 0, 0]]");

        KerasModel back = Models.load(out);
        assertThat(back.isSequential()).isFalse();
        Model b = back.functional();
        assertThat(b.name()).isEqualTo("seq2seq");
        assertThat(b.layers()).extracting(Layer::name)
                .containsExactlyElementsOf(m.layers().stream().map(Layer::name).toList());
        assertThat(b.layers()).extracting(Layer::className)
                .containsExactlyElementsOf(m.layers().stream().map(Layer::className).toList());
        assertThat(Fixtures.layersOf(b.summary())).isEqualTo(Fixtures.layersOf(m.summary()));
        assertThat(((Attention) b.layer("attention")).useCausalMask()).isTrue();
        List<Tensor> want = m.predict(x);
        List<Tensor> got = b.predict(x);
        for (int i = 0; i < want.size(); i++) {
            assertThat(got.get(i).toArray()).as("output %d after save and load, bit for bit", i)
                    .isEqualTo(want.get(i).toArray());
        }

        b.compile(Optimizers.sgd(0.1), List.of(Losses.categoricalCrossentropy(), Losses.meanSquaredError()),
                List.of(List.of(), List.of()));
        float[] before = b.layer("head").weights().get(0).value().toArray();
        b.fit(x, y, Fit.defaults().batchSize(8).epochs(1).verbose(0));
        assertThat(b.layer("head").weights().get(0).value().toArray()).as("the loaded model trains")
                .isNotEqualTo(before);
    }

    /** Keras 3's config.json of in (4, 6) and memory (5, 6): LayerNormalization, Attention, Concatenate, Dense. */
    private static final String KERAS3 = """
            {"module": "keras.src.models.functional", "class_name": "Functional", "config": {"name": "functional",
             "trainable": true, "layers": [
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 4, 6],
               "dtype": "float32", "sparse": false, "name": "query"}, "registered_name": null, "name": "query",
               "inbound_nodes": []},
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 5, 6],
               "dtype": "float32", "sparse": false, "name": "memory"}, "registered_name": null, "name": "memory",
               "inbound_nodes": []},
              {"module": "keras.layers", "class_name": "LayerNormalization", "config": {"name": "ln",
               "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config":
               {"name": "float32"}, "registered_name": null}, "axis": -1, "epsilon": 0.001, "center": true,
               "scale": true, "rms_scaling": false, "beta_initializer": {"module": "keras.initializers",
               "class_name": "Zeros", "config": {}, "registered_name": null}, "gamma_initializer": {"module":
               "keras.initializers", "class_name": "Ones", "config": {}, "registered_name": null},
               "beta_regularizer": null, "gamma_regularizer": null, "beta_constraint": null,
               "gamma_constraint": null}, "registered_name": null, "build_config": {"input_shape": [null, 4, 6]},
               "name": "ln", "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape":
               [null, 4, 6], "dtype": "float32", "keras_history": ["query", 0, 0]}}], "kwargs": {}}]},
              {"module": "keras.layers", "class_name": "Attention", "config": {"name": "att", "trainable": true,
               "dtype": "float32", "use_scale": true, "score_mode": "dot", "dropout": 0.0, "seed": null},
               "registered_name": null, "build_config": {"input_shape": [[null, 4, 6], [null, 5, 6]]},
               "name": "att", "inbound_nodes": [{"args": [[{"class_name": "__keras_tensor__", "config":
               {"shape": [null, 4, 6], "dtype": "float32", "keras_history": ["ln", 0, 0]}},
               {"class_name": "__keras_tensor__", "config": {"shape": [null, 5, 6], "dtype": "float32",
               "keras_history": ["memory", 0, 0]}}]], "kwargs": {"mask": [null, null], "training": false}}]},
              {"module": "keras.layers", "class_name": "Concatenate", "config": {"name": "cat", "trainable": true,
               "dtype": "float32", "axis": -1}, "registered_name": null, "name": "cat", "inbound_nodes": [{"args":
               [[{"class_name": "__keras_tensor__", "config": {"shape": [null, 4, 6], "dtype": "float32",
               "keras_history": ["att", 0, 0]}}, {"class_name": "__keras_tensor__", "config": {"shape":
               [null, 4, 6], "dtype": "float32", "keras_history": ["ln", 0, 0]}}]], "kwargs": {}}]},
              {"module": "keras.layers", "class_name": "Dense", "config": {"name": "out", "trainable": true,
               "dtype": "float32", "units": 3, "activation": "tanh", "use_bias": true}, "registered_name": null,
               "name": "out", "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape":
               [null, 4, 12], "dtype": "float32", "keras_history": ["cat", 0, 0]}}], "kwargs": {}}]}],
             "input_layers": [["query", 0, 0], ["memory", 0, 0]], "output_layers": [["out", 0, 0]]},
             "registered_name": "Functional"}
            """;

    @Test
    void keras3AttentionConcatenateLayerNormalizationConfigLoads() throws IOException {
        float[] gamma = new float[6];
        float[] beta = new float[6];
        float[][] kernel = new float[12][3];
        float[] bias = {0.1f, -0.2f, 0.3f};
        SplittableRandom r = new SplittableRandom(SEED);
        for (int i = 0; i < 6; i++) {
            gamma[i] = (float) (1 + 0.3 * r.nextGaussian());
            beta[i] = (float) (0.2 * r.nextGaussian());
        }
        for (float[] row : kernel) {
            for (int j = 0; j < 3; j++) {
                row[j] = (float) (0.4 * r.nextGaussian());
            }
        }
        Path json = Files.writeString(tmp.resolve("model.json"), KERAS3);
        Path weights = tmp.resolve("model.weights.h5");
        try (WritableHdfFile h5 = HdfFile.write(weights)) {
            WritableGroup layers = h5.putGroup("layers");
            WritableGroup ln = layers.putGroup("layer_normalization").putGroup("vars");
            ln.putDataset("0", gamma);
            ln.putDataset("1", beta);
            layers.putGroup("attention").putGroup("vars").putDataset("0", 1.7f); // a scalar, as Keras writes it
            WritableGroup dense = layers.putGroup("dense").putGroup("vars");
            dense.putDataset("0", kernel);
            dense.putDataset("1", bias);
        }
        KerasModel k = Models.load(json, weights);
        assertThat(k.layers()).extracting(Layer::className).containsExactly("InputLayer", "InputLayer",
                "LayerNormalization", "Attention", "Concatenate", "Dense");
        assertThat(k.countParams()).isEqualTo(6 + 6 + 1 + 36 + 3);

        Input q = Input.shape(4, 6);
        Input mem = Input.shape(5, 6);
        SymbolicTensor n = new LayerNormalization().apply(q);
        SymbolicTensor a = new Attention().useScale(true).apply(n, mem);
        SymbolicTensor out = new Dense(3, "tanh").apply(new Concatenate().apply(a, n));
        Model java = Model.of(List.of(q, mem), List.of(out));
        java.setWeights(List.of(Tensor.of(gamma, 6), Tensor.of(beta, 6), Tensor.of(new float[] {1.7f}),
                Tensor.of(flatten(kernel), 12, 3), Tensor.of(bias, 3)));
        List<Tensor> x = List.of(TestTensors.gaussian(SEED, 2, 4, 6), TestTensors.gaussian(SEED + 1, 2, 5, 6));
        assertThat(k.predict(x).get(0).toArray()).as("the Keras config gives the model built in Java")
                .isEqualTo(java.predict(x).get(0).toArray());
    }

    private static float[] flatten(float[][] m) {
        float[] f = new float[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, f, i * m[0].length, m[0].length);
        }
        return f;
    }

    @Test
    void keras2GruWithInitialStateTrainsAndSaves() throws IOException {
        KerasModel m = Models.load(Fixtures.file("frugally-deep-gru-toy/temp_stateless.h5"));
        List<Tensor> x = List.of(Tensor.of(new float[] {1, 0, 0}, 1, 3, 1), Tensor.of(new float[] {10}, 1, 1));
        Path out = tmp.resolve("gru.keras");
        Models.save(m, out);
        KerasModel back = Models.load(out);
        assertThat(back.predict(x).get(0).toArray()).isEqualTo(m.predict(x).get(0).toArray());
        Model f = back.functional();
        f.compile(Optimizers.sgd(0.01), Losses.meanSquaredError());
        f.fit(x, List.of(Tensor.zeros(1, 3, 1)), Fit.defaults().batchSize(1).epochs(1).verbose(0));
        assertThat(f.predict(x).get(0).toArray()).as("one SGD step moves the outputs")
                .isNotEqualTo(m.predict(x).get(0).toArray());
    }

    @Test
    void maskTensorsAreRefusedByName() {
        String masked = KERAS3.replace("\"kwargs\": {\"mask\": [null, null], \"training\": false}",
                "\"kwargs\": {\"mask\": [null, {\"class_name\": \"__keras_tensor__\", \"config\": "
                        + "{\"keras_history\": [\"att\", 0, 0]}}]}");
        assertThatThrownBy(() -> new ModelReader("masked.json", false).read(ModelReader.parse("masked.json", "config",
                masked), null, null)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("the masks passed to layer 'att' (Attention) are a list holding 'att'; rnn4j "
                        + "takes one mask tensor for a call (its first input's), or the masks Keras computes for "
                        + "Embedding(mask_zero) and Masking");
    }

    private static String entry(Path zip, String name) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return new String(z.getInputStream(z.getEntry(name)).readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
