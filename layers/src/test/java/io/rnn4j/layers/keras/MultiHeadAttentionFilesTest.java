package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.GlobalAveragePooling1D;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.MultiHeadAttention;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.constraints.Constraints;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.optimizers.Optimizers;
import io.rnn4j.layers.regularizers.Regularizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MultiHeadAttention in Keras files: Bidirectional(LSTM) → MultiHeadAttention(h, h) →
 * GlobalAveragePooling1D → Dense lowers its loss and predicts the same bits after a .keras round
 * trip (weights under Keras 3's query_dense/key_dense/value_dense/output_dense, config keys and
 * build_config shapes_dict as Keras 3 writes them, summary counts as Keras's); the call options
 * (a key, an attention_mask input, use_causal_mask, return_attention_scores) and the masks coming
 * in round trip too; a hand-written Keras 3 functional config and a tf.keras 2 entry load; bad
 * values are refused by layer and option. Seed 61.
 */
class MultiHeadAttentionFilesTest {
    private static final long SEED = 61;

    @TempDir
    Path tmp;



    @Test
    void bilstmAttentionPoolingDenseTrainsAndRoundTripsBitForBit() throws IOException {
        System.out.println("MultiHeadAttentionFilesTest seed " + SEED);
        Seeds.set(SEED);
        Input in = Input.shape(Input.NONE, 3).named("x");
        SymbolicTensor h = new Bidirectional(new LSTM(8).returnSequences(true)).named("bi").apply(in);
        SymbolicTensor a = new MultiHeadAttention(2, 4).named("mha").apply(h, h);
        SymbolicTensor y = new Dense(1, "sigmoid").apply(new GlobalAveragePooling1D().apply(a));
        Model m = Model.of(in, y).named("bilstm_mha");
        // Keras's count for query (16, 2, 4)+(2, 4), key and value alike, output (2, 4, 16)+(16).
        assertThat(m.layer("mha").countParams()).isEqualTo(3 * (16 * 8 + 8) + 8 * 16 + 16);
        assertThat(m.summary()).contains("mha (MultiHeadAttention)").contains("552");

        int batch = 32;
        Tensor x = TestTensors.gaussian(SEED, batch, 6, 3);
        float[] xv = x.toArray();
        float[] target = new float[batch];
        for (int b = 0; b < batch; b++) {
            target[b] = xv[b * 18] + xv[b * 18 + 15] > 0 ? 1 : 0;  // first and last steps' first feature
        }
        m.compile(Optimizers.adam(0.01), Losses.binaryCrossentropy());
        History hist = m.fit(List.of(x), List.of(Tensor.of(target, batch, 1)), Fit.defaults().batchSize(8).epochs(6).verbose(0));
        List<Double> loss = hist.get("loss");
        System.out.println("MultiHeadAttentionFilesTest loss by epoch " + loss);
        assertThat(loss.get(loss.size() - 1)).as("loss after 6 epochs below 0.9 of the first: %s", loss)
                .isLessThan(0.9 * loss.get(0));

        Path out = tmp.resolve("bilstm_mha.keras");
        Models.save(m, out);
        String config = SaveTest.entry(out, "config.json");
        assertThat(config).contains("\"class_name\": \"MultiHeadAttention\", \"config\": {\"name\": \"mha\", "
                + "\"trainable\": true, \"dtype\": \"float32\", \"num_heads\": 2, \"key_dim\": 4, \"value_dim\": 4, "
                + "\"dropout\": 0.0, \"use_bias\": true, \"output_shape\": null, \"attention_axes\": [1], "
                + "\"kernel_initializer\": {\"module\": \"keras.initializers\", \"class_name\": \"GlorotUniform\"")
                .contains("\"activity_regularizer\": null, \"kernel_constraint\": null, \"bias_constraint\": null, "
                        + "\"seed\": null}, \"registered_name\": null, \"build_config\": {\"shapes_dict\": "
                        + "{\"query_shape\": [null, null, 16], \"value_shape\": [null, null, 16]}}")
                .as("query and value positional, as Keras 3 writes mha(h, h)")
                .contains("\"name\": \"mha\", \"inbound_nodes\": [{\"args\": [{\"class_name\": \"__keras_tensor__\", "
                        + "\"config\": {\"shape\": [null, null, 16], \"dtype\": \"float32\", \"keras_history\": "
                        + "[\"bi\", 0, 0]}}, {\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": "
                        + "[null, null, 16], \"dtype\": \"float32\", \"keras_history\": [\"bi\", 0, 0]}}], "
                        + "\"kwargs\": {}}]");
        try (var h5 = HdfFile.fromBytes(Archives.bytes(out, "model.weights.h5"))) {
            String p = "layers/multi_head_attention/";
            assertThat(h5.getDatasetByPath(p + "query_dense/vars/0").getDimensions()).containsExactly(16, 2, 4);
            assertThat(h5.getDatasetByPath(p + "query_dense/vars/1").getDimensions()).containsExactly(2, 4);
            assertThat(h5.getDatasetByPath(p + "key_dense/vars/0").getDimensions()).containsExactly(16, 2, 4);
            assertThat(h5.getDatasetByPath(p + "value_dense/vars/1").getDimensions()).containsExactly(2, 4);
            assertThat(h5.getDatasetByPath(p + "output_dense/vars/0").getDimensions()).containsExactly(2, 4, 16);
            assertThat(h5.getDatasetByPath(p + "output_dense/vars/1").getDimensions()).containsExactly(16);
        }
        KerasModel back = Models.load(out);
        Model b = back.functional();
        assertThat(Fixtures.layersOf(b.summary())).isEqualTo(Fixtures.layersOf(m.summary()));
        assertThat(b.predict(List.of(x)).get(0).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(m.predict(List.of(x)).get(0).toArray());
        Tensor longer = TestTensors.gaussian(SEED + 1, 4, 11, 3);
        assertThat(b.predict(List.of(longer)).get(0).toArray()).as("11 steps through the None steps")
                .isEqualTo(m.predict(List.of(longer)).get(0).toArray());
    }

    @Test
    void callOptionsMasksAndEveryOptionRoundTrip() throws IOException {
        Seeds.set(SEED + 2);
        Input ids = Input.shape(5).named("ids");
        Input keys = Input.shape(7, 3).named("keys");
        Input attention = Input.shape(5, 7).named("allowed");
        SymbolicTensor q = new Embedding(10, 6).maskZero(true).named("emb").apply(ids);
        SymbolicTensor v = new Dense(4).named("values").apply(keys);
        MultiHeadAttention mha = new MultiHeadAttention(3, 2).valueDim(5).outputShape(7).dropout(0.25f)
                .useCausalMask(true).returnAttentionScores(true).useAttentionMask(true)
                .kernelInitializer(Initializers.heNormal()).biasInitializer(Initializers.constant(0.1f))
                .kernelRegularizer(Regularizers.l2(0.01f)).biasConstraint(Constraints.nonNeg()).named("cross");
        List<SymbolicTensor> outs = mha.applyAll(q, v, keys, attention);
        Model m = Model.of(List.of(ids, keys, attention), outs);
        Path out = tmp.resolve("cross.keras");
        Models.save(m, out);
        String config = SaveTest.entry(out, "config.json");
        assertThat(config).contains("\"num_heads\": 3, \"key_dim\": 2, \"value_dim\": 5, \"dropout\": 0.25, "
                        + "\"use_bias\": true, \"output_shape\": [7], \"attention_axes\": [1]")
                .contains("\"build_config\": {\"shapes_dict\": {\"query_shape\": [null, 5, 6], \"value_shape\": "
                        + "[null, 7, 4], \"key_shape\": [null, 7, 3]}}")
                .contains("\"kwargs\": {\"attention_mask\": {\"class_name\": \"__keras_tensor__\", \"config\": "
                        + "{\"shape\": [null, 5, 7], \"dtype\": \"float32\", \"keras_history\": [\"allowed\", 0, 0]}}, "
                        + "\"use_causal_mask\": true, \"return_attention_scores\": true}");
        MultiHeadAttention read = (MultiHeadAttention) Models.load(out).layer("cross");
        assertThat(read.valueDim()).isEqualTo(5);
        assertThat(read.outputShapeOption()).isEqualTo(7);
        assertThat(read.dropout()).isEqualTo(0.25f);
        assertThat(read.useCausalMask() && read.returnAttentionScores() && read.useAttentionMask()).isTrue();
        assertThat(read.kernelRegularizer()).isNotNull();
        assertThat(read.biasConstraint()).isNotNull();

        float[] idv = {3, 1, 4, 0, 0, 2, 7, 1, 8, 2};
        float[] allowed = TestTensors.gaussian(SEED + 3, 2, 5, 7).toArray();
        for (int i = 0; i < allowed.length; i++) {
            allowed[i] = allowed[i] > -0.8f ? 1 : 0;
        }
        List<Tensor> x = List.of(Tensor.of(idv, 2, 5), TestTensors.gaussian(SEED + 4, 2, 7, 3), Tensor.of(allowed, 2, 5, 7));
        List<Tensor> want = m.predict(x);
        List<Tensor> got = Models.load(out).predict(x);
        assertThat(got.get(1).shape().dims()).containsExactly(2, 3, 5, 7);
        for (int i = 0; i < 2; i++) {
            assertThat(got.get(i).toArray()).as("output %d after save and load, bit for bit", i)
                    .isEqualTo(want.get(i).toArray());
        }
        float[] scores = want.get(1).toArray();
        for (int j = 0; j < 7; j++) {
            assertThat(scores[3 * 7 + j]).as("padded query step 3 of sample 0 (id 0), head 0: zero scores").isZero();
        }
    }

    private static Layer read(String json) {
        return new LayerReader(false).read(ModelReader.parse("test", "layer", json)).layer();
    }

    private static Layer readKeras2(String json) {
        return new LayerReader(true).read(ModelReader.parse("test", "layer", json)).layer();
    }

    @Test
    void handWrittenKeras3EntryAndTfKeras2EntryLoad() {
        MultiHeadAttention k3 = (MultiHeadAttention) read("""
                {"module": "keras.layers", "class_name": "MultiHeadAttention", "config": {"name": "mha",
                 "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config":
                 {"name": "float32"}, "registered_name": null}, "num_heads": 4, "key_dim": 16, "value_dim": 8,
                 "dropout": 0.1, "use_bias": false, "use_gate": false, "output_shape": 12, "attention_axes": null,
                 "sliding_window": null, "kernel_initializer": {"module": "keras.initializers", "class_name":
                 "GlorotUniform", "config": {"seed": null}, "registered_name": null}, "bias_initializer":
                 {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
                 "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null,
                 "kernel_constraint": null, "bias_constraint": null, "seed": null}, "registered_name": null,
                 "build_config": {"shapes_dict": {"query_shape": [null, 10, 32], "value_shape": [null, 10, 32]}}}""");
        assertThat(k3.name()).isEqualTo("mha");
        assertThat(k3.numHeads()).isEqualTo(4);
        assertThat(k3.keyDim()).isEqualTo(16);
        assertThat(k3.valueDim()).isEqualTo(8);
        assertThat(k3.dropout()).isEqualTo(0.1f);
        assertThat(k3.useBias()).isFalse();
        assertThat(k3.outputShapeOption()).isEqualTo(12);
        MultiHeadAttention defaults = (MultiHeadAttention) read("""
                {"class_name": "MultiHeadAttention", "config": {"name": "d", "num_heads": 2, "key_dim": 3}}""");
        assertThat(defaults.valueDim()).as("value_dim defaults to key_dim").isEqualTo(3);
        assertThat(defaults.useBias()).isTrue();
        assertThat(defaults.outputShapeOption()).isZero();
        // tf.keras 2.15's get_config adds the build shapes; attention_axes as a built layer writes it.
        MultiHeadAttention k2 = (MultiHeadAttention) readKeras2("""
                {"class_name": "MultiHeadAttention", "config": {"name": "multi_head_attention", "trainable": true,
                 "dtype": "float32", "num_heads": 2, "key_dim": 4, "value_dim": 4, "dropout": 0.0, "use_bias": true,
                 "output_shape": null, "attention_axes": [1], "kernel_initializer": {"class_name": "GlorotUniform",
                 "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}},
                 "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null,
                 "kernel_constraint": null, "bias_constraint": null, "query_shape": [null, 6, 16],
                 "key_shape": [null, 6, 16], "value_shape": [null, 6, 16]}}""");
        assertThat(k2.numHeads()).isEqualTo(2);
        assertThat(LayerReader.KNOWN_UNSUPPORTED).doesNotContain("MultiHeadAttention");
    }

    /** Keras 3's config.json of mha(q, v, use_causal_mask=True) on q (4, 3), v (6, 2), as Keras 3 writes the call. */
    private static final String KERAS3 = """
            {"module": "keras.src.models.functional", "class_name": "Functional", "config": {"name": "functional",
             "trainable": true, "layers": [
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 4, 3],
               "dtype": "float32", "sparse": false, "name": "q"}, "registered_name": null, "name": "q",
               "inbound_nodes": []},
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 6, 2],
               "dtype": "float32", "sparse": false, "name": "v"}, "registered_name": null, "name": "v",
               "inbound_nodes": []},
              {"module": "keras.layers", "class_name": "MultiHeadAttention", "config": {"name": "mha",
               "trainable": true, "dtype": "float32", "num_heads": 2, "key_dim": 3, "value_dim": 3, "dropout": 0.0,
               "use_bias": true, "output_shape": null, "attention_axes": [1], "kernel_initializer": {"module":
               "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name":
               null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {},
               "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null,
               "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null, "seed": null},
               "registered_name": null, "build_config": {"shapes_dict": {"query_shape": [null, 4, 3],
               "value_shape": [null, 6, 2]}}, "name": "mha", "inbound_nodes": [{"args": [{"class_name":
               "__keras_tensor__", "config": {"shape": [null, 4, 3], "dtype": "float32", "keras_history":
               ["q", 0, 0]}}, {"class_name": "__keras_tensor__", "config": {"shape": [null, 6, 2], "dtype":
               "float32", "keras_history": ["v", 0, 0]}}], "kwargs": {"query_mask": null, "value_mask": null,
               "use_causal_mask": true}}]}],
             "input_layers": [["q", 0, 0], ["v", 0, 0]], "output_layers": ["mha", 0, 0]},
             "registered_name": "Functional"}
            """;

    @Test
    void keras3FunctionalConfigOfACausalCallLoads() {
        KerasModel k = new ModelReader("mha.json", false).read(ModelReader.parse("mha.json", "config", KERAS3),
                null, null);
        MultiHeadAttention loaded = (MultiHeadAttention) k.layer("mha");
        assertThat(loaded.useCausalMask()).isTrue();
        Input q = Input.shape(4, 3);
        Input v = Input.shape(6, 2);
        MultiHeadAttention java = new MultiHeadAttention(2, 3).useCausalMask(true);
        Model model = Model.of(List.of(q, v), java.apply(q, v));
        java.setWeights(loaded.getWeights());
        List<Tensor> x = List.of(TestTensors.gaussian(SEED + 5, 2, 4, 3), TestTensors.gaussian(SEED + 6, 2, 6, 2));
        assertThat(k.predict(x).get(0).toArray()).as("the Keras config gives the model built in Java")
                .isEqualTo(model.predict(x).get(0).toArray());
        String keyed = KERAS3.replace("\"query_mask\": null", "\"key\": {\"class_name\": \"__keras_tensor__\", "
                + "\"config\": {\"shape\": [null, 6, 2], \"dtype\": \"float32\", \"keras_history\": [\"v\", 0, 0]}}");
        assertThat(new ModelReader("k.json", false).read(ModelReader.parse("k.json", "config", keyed), null, null)
                .layer("mha").inputShapes()).as("key by name comes third").hasSize(3);
        String bad = KERAS3.replace("\"query_mask\": null", "\"sliding\": 3");
        assertThatThrownBy(() -> new ModelReader("b.json", false).read(ModelReader.parse("b.json", "config", bad),
                null, null)).isInstanceOf(KerasFileException.class).hasMessage("unsupported option sliding=3 in the "
                + "call of layer 'mha' (MultiHeadAttention)");
    }

    @Test
    void badValuesAreRefusedByLayerAndOption() {
        String mha = "{\"class_name\": \"MultiHeadAttention\", \"config\": {\"name\": \"m\", \"num_heads\": 2, "
                + "\"key_dim\": %s}}";
        assertThatThrownBy(() -> read(mha.formatted("0"))).isInstanceOf(KerasFileException.class)
                .hasMessage("layer 'm' (MultiHeadAttention): MultiHeadAttention: key_dim must be a positive "
                        + "integer, got 0");
        assertThatThrownBy(() -> read(mha.formatted("4, \"attention_axes\": [2]")))
                .isInstanceOf(KerasFileException.class).hasMessage("unsupported option attention_axes=[2.0] in layer "
                        + "'m' (MultiHeadAttention): rnn4j attends over the sequence axis of rank-3 inputs only "
                        + "(None, 1 or -2)");
        assertThatThrownBy(() -> read(mha.formatted("4, \"attention_axes\": [1, 2]")))
                .hasMessageContaining("attention_axes=[1.0, 2.0]");
        assertThatThrownBy(() -> read(mha.formatted("4, \"output_shape\": [3, 5]")))
                .isInstanceOf(KerasFileException.class).hasMessage("unsupported option output_shape=[3.0, 5.0] in layer "
                        + "'m' (MultiHeadAttention): rnn4j supports None or one positive integer (the output's last "
                        + "axis)");
        assertThatThrownBy(() -> read(mha.formatted("4, \"use_gate\": true"))).isInstanceOf(KerasFileException.class)
                .hasMessage("unsupported option use_gate=true in layer 'm' (MultiHeadAttention)");
        assertThatThrownBy(() -> read(mha.formatted("4, \"sliding_window\": 8")))
                .hasMessage("unsupported option sliding_window=8 in layer 'm' (MultiHeadAttention)");
        // activity_regularizer is read for every layer now; a class rnn4j lacks is refused by option
        assertThatThrownBy(() -> read(mha.formatted("4, \"activity_regularizer\": {\"class_name\": "
                + "\"OrthogonalRegularizer\"}"))).hasMessageContaining("activity_regularizer");
    }
}
