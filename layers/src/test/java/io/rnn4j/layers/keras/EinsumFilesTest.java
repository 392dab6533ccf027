package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.allWeights;
import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.assertSameOutputs;
import static io.rnn4j.layers.keras.Keras3151.assertWeightsAsKeras;
import static io.rnn4j.layers.keras.Keras3151.inputs;
import static io.rnn4j.layers.keras.Keras3151.layerConfigs;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static io.rnn4j.layers.keras.Keras3151.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.constraints.Constraints;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.regularizers.Regularizers;
import io.rnn4j.layers.EinsumDense;
import io.rnn4j.layers.GroupQueryAttention;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.model.Fit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EinsumDense and GroupQueryAttention in files Keras 3.15.1 wrote (keras3151/make_einsum.py,
 * TensorFlow on the CPU): six equations side by side (plain, left and right ellipsis with bias
 * shapes (5,) and (5, 1, 1), kernel axes reversed with a transposed output, a batch-like letter, a
 * summed input letter) and an Embedding(mask_zero) whose mask EinsumDense drops before an LSTM;
 * four GroupQueryAttention calls in one model (causal self-attention over Embedding masks, a
 * separate key with returned scores and dropout, an attention_mask with causal and a Masking'd
 * value and no bias, causal only). rnn4j predicts Keras's outputs within
 * {@code 1e-5 + 1e-5·|y|} (float32 rounding), also from Keras 3's legacy .h5, writes them back with Keras's config keys and reads
 * its own file to the same bits; one epoch of SGD (two steps) gives Keras's weights within the
 * same bar. Java-built layers with every option and call argument round trip to the same bits. Hand-written Keras 3 entries load with Keras's defaults; LoRA, quantization and bad
 * equations or head counts are refused by name.
 */
class EinsumFilesTest {
    /** The EinsumDense and GroupQueryAttention layers, whose configs are compared. */
    private static final Predicate<String> EINSUM = c -> c.equals("EinsumDense") || c.equals("GroupQueryAttention");

    @TempDir
    Path tmp;

    static Stream<String> fixtures() throws IOException {
        return Files.readAllLines(resource("manifest-einsum.txt")).stream().filter(l -> !l.isBlank());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aKerasWrittenModelPredictsAsKerasAndRoundTrips(String line) throws IOException {
        String[] f = line.trim().split(" ");
        String name = f[0];
        List<Tensor> xs = inputs(name, Integer.parseInt(f[1]));
        KerasModel m = Models.load(resource(name + ".keras"));
        assertThat(m.kerasVersion()).contains("3.15.1");
        List<Tensor> ys = m.predict(xs);
        assertThat(ys).hasSize(Integer.parseInt(f[2]));
        for (int i = 0; i < ys.size(); i++) {
            assertClose(name + " output " + i, ys.get(i).toArray(), Npy.read(resource(name + ".y" + i + ".npy"))
                    .values());
        }
        Path back = tmp.resolve(name + ".keras");
        Models.save(m, back);
        List<Map<String, Object>> theirs = layerConfigs(resource(name + ".keras"), EINSUM);
        List<Map<String, Object>> ours = layerConfigs(back, EINSUM);
        assertThat(ours).as("EinsumDense/GroupQueryAttention entries written back").hasSameSizeAs(theirs)
                .isNotEmpty();
        for (int i = 0; i < ours.size(); i++) {
            Map<String, Object> t = theirs.get(i);
            // rnn4j leaves use_gate/sliding_window out at their defaults, for Keras 3 releases before them.
            List<String> keys = t.keySet().stream().filter(k -> !(k.equals("use_gate") && Boolean.FALSE.equals(t.get(k))
                    || k.equals("sliding_window") && t.get(k) == null)).toList();
            assertThat(ours.get(i).keySet()).as("get_config keys in Keras's order").containsExactlyElementsOf(keys);
            for (String key : keys) {
                if (key.endsWith("_initializer")) {
                    // Keras 3.15 adds input_axes/output_axes: null to GlorotUniform's config; rnn4j leaves them out.
                    assertThat(((Map<?, ?>) ours.get(i).get(key)).get("class_name")).as(key)
                            .isEqualTo(((Map<?, ?>) t.get(key)).get("class_name"));
                } else if (!key.equals("dtype") && !key.equals("name")) {
                    assertThat(ours.get(i).get(key)).as(key).isEqualTo(t.get(key));
                }
            }
        }
        List<Tensor> again = Models.load(back).predict(xs);
        assertSameOutputs("", again, ys);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ed_train", "gqa_train"})
    void oneEpochOfSgdOnAKerasWrittenModelGivesKerasWeights(String name) throws IOException {
        KerasModel m = Models.load(resource(name + ".keras"), true);
        List<Weight> weights = allWeights(m);
        List<float[]> before = values(weights);
        Tensor fx = Npy.read(resource(name + ".fit_x0.npy")).tensor();
        Tensor fy = Npy.read(resource(name + ".fit_y.npy")).tensor();
        m.fit(fx, fy, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        double moved = assertWeightsAsKeras(name, "after two SGD steps", weights, before);
        assertThat(resource(name + ".after0.npy").resolveSibling(name + ".after" + weights.size() + ".npy"))
                .as("no Keras weight left unchecked").doesNotExist();
        assertThat(moved).as("the largest change of a weight in the two steps").isGreaterThan(1e-2);
    }

    @Test
    void kerasLegacyH5KeepsGroupQueryAttentionWeightsByNameAndPredictsAsKeras() throws IOException {
        KerasModel m = Models.load(resource("gqa_legacy.h5"));
        List<Tensor> ys = m.predict(List.of(Npy.read(resource("gqa_legacy.x0.npy")).tensor()));
        assertThat(ys).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertClose("gqa_legacy.h5 output " + i, ys.get(i).toArray(), Npy.read(resource("gqa_legacy.y" + i
                    + ".npy")).values());
        }
    }

    @Test
    void javaBuiltLayersRoundTripWithTheirOptionsCallsAndWeights() throws IOException {
        Seeds.set(73);
        Input ids = Input.shape(5).named("ids");
        Input keys = Input.shape(Input.NONE, 3).named("keys");
        Input allowed = Input.shape(5, 7).named("allowed");
        SymbolicTensor q = new Embedding(10, 6).maskZero(true).named("emb").apply(ids);
        SymbolicTensor v = new EinsumDense("abc,cd->abd", Input.NONE, 6).biasAxes("d").activation("tanh")
                .kernelRegularizer(Regularizers.l2(0.01f)).biasConstraint(Constraints.nonNeg()).named("proj")
                .apply(keys);
        GroupQueryAttention g = new GroupQueryAttention(2, 4, 2).useGate(true).slidingWindow(3).dropout(0.25)
                .useCausalMask(true).returnAttentionScores(true).useAttentionMask(true)
                .kernelInitializer(Initializers.heNormal()).biasRegularizer(Regularizers.l1(0.02f)).named("gqa");
        List<SymbolicTensor> outs = g.applyAll(q, v, keys, allowed);
        Model m = Model.of(List.of(ids, keys, allowed), outs);
        assertThat(m.summary()).contains("gqa (GroupQueryAttention)").contains("proj (EinsumDense)");
        // query, key, gate, value: (6·4·2 + 4·2), (3·2·2 + 2·2), (6·4·2 + 4·2), (6·2·2 + 2·2); output 4·2·6 + 6.
        assertThat(g.countParams()).isEqualTo(56 + 16 + 56 + 28 + 54);
        Path out = tmp.resolve("gqa.keras");
        Models.save(m, out);
        String config = SaveTest.entry(out, "config.json");
        assertThat(config).contains("\"output_shape\": [null, 6], \"equation\": \"abc,cd->abd\", \"activation\": "
                        + "\"tanh\", \"bias_axes\": \"d\"")
                .contains("\"head_dim\": 2, \"num_query_heads\": 4, \"num_key_value_heads\": 2, \"use_bias\": true, "
                        + "\"use_gate\": true, \"sliding_window\": 3, \"dropout\": 0.25")
                .contains("\"build_config\": {\"shapes_dict\": {\"query_shape\": [null, 5, 6], \"value_shape\": "
                        + "[null, null, 6], \"key_shape\": [null, null, 3]}}")
                .contains("\"use_causal_mask\": true, \"return_attention_scores\": true}");
        KerasModel back = Models.load(out);
        GroupQueryAttention read = (GroupQueryAttention) back.layer("gqa");
        assertThat(List.of(read.useGate(), read.useCausalMask(), read.returnAttentionScores(),
                read.useAttentionMask())).containsOnly(true);
        assertThat(read.slidingWindow()).isEqualTo(3);
        assertThat(read.biasRegularizer()).isNotNull();
        EinsumDense proj = (EinsumDense) back.layer("proj");
        assertThat(proj.kernelRegularizer()).isNotNull();
        assertThat(proj.biasConstraint()).isNotNull();
        float[] mask = TestTensors.gaussian(74, 2, 5, 7).toArray();
        for (int i = 0; i < mask.length; i++) {
            mask[i] = mask[i] > -0.8f ? 1 : 0;
        }
        List<Tensor> x = List.of(Tensor.of(new float[] {3, 1, 4, 0, 0, 2, 7, 1, 8, 2}, 2, 5),
                TestTensors.gaussian(75, 2, 7, 3), Tensor.of(mask, 2, 5, 7));
        List<Tensor> want = m.predict(x);
        List<Tensor> got = back.predict(x);
        for (int i = 0; i < 2; i++) {
            assertThat(got.get(i).toArray()).as("output %d after save and load, bit for bit", i)
                    .isEqualTo(want.get(i).toArray());
        }
    }

    private static Layer read(String json) {
        return new LayerReader(false).read(ModelReader.parse("test", "layer", json)).layer();
    }

    @Test
    void handWrittenKeras3EntriesLoadWithKerasDefaults() {
        EinsumDense d = (EinsumDense) read("""
                {"class_name": "EinsumDense", "config": {"name": "e", "equation": "...b,bc->...c",
                 "output_shape": 4}}""");
        assertThat(d.partialOutputShape()).containsExactly(4);
        assertThat(d.biasAxes()).isNull();
        assertThat(d.activation()).isEqualTo(Activation.LINEAR);
        assertThat(d.kernelInitializer().kerasName()).isEqualTo("glorot_uniform");
        EinsumDense n = (EinsumDense) read("""
                {"class_name": "EinsumDense", "config": {"name": "e", "equation": "abc,cd->abd",
                 "output_shape": [null, 4], "bias_axes": "d", "activation": "relu"}}""");
        assertThat(n.partialOutputShape()).containsExactly(Shape.UNKNOWN, 4);
        assertThat(n.activation()).isEqualTo(Activation.RELU);
        GroupQueryAttention g = (GroupQueryAttention) read("""
                {"class_name": "GroupQueryAttention", "config": {"name": "g", "head_dim": 4,
                 "num_query_heads": 4, "num_key_value_heads": 2, "flash_attention": true}}""");
        assertThat(List.of(g.useBias(), g.useGate())).containsExactly(true, false);
        assertThat(g.dropout()).isZero();
        assertThat(g.slidingWindow()).isZero();
        assertThat(g.flashAttention()).isTrue();
    }

    @Test
    void unsupportedSettingsAndBadConfigsAreRefusedByName() {
        String entry = """
                {"class_name": "EinsumDense", "config": {"name": "e", "equation": "ab,bc->ac", "output_shape": 3, %s}}""";
        assertThatThrownBy(() -> read(entry.formatted("\"lora_rank\": 2"))).isInstanceOf(KerasFileException.class)
                .hasMessageStartingWith("unsupported option lora_rank=2 in layer 'e' (EinsumDense)")
                .hasMessageContaining("no LoRA");
        assertThatThrownBy(() -> read(entry.formatted("\"quantization_config\": {\"mode\": \"int8\"}")))
                .isInstanceOf(KerasFileException.class)
                .hasMessageStartingWith("unsupported option quantization_config=");
        assertThatThrownBy(() -> read("""
                {"class_name": "EinsumDense", "config": {"name": "e", "equation": "ab,bc", "output_shape": 3}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("invalid einsum equation 'ab,bc'");
        assertThatThrownBy(() -> read("""
                {"class_name": "GroupQueryAttention", "config": {"name": "g", "head_dim": 4,
                 "num_query_heads": 3, "num_key_value_heads": 2}}""")).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("num_query_heads must be divisible by num_key_value_heads, got 3 and 2");
        assertThatThrownBy(() -> read("""
                {"class_name": "GroupQueryAttention", "config": {"name": "g", "head_dim": 4,
                 "num_query_heads": 2, "num_key_value_heads": 2, "dropout": 0.1, "flash_attention": true}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("dropout is not supported when flash");
        assertThat(LayerReader.KNOWN_UNSUPPORTED).doesNotContain("EinsumDense", "GroupQueryAttention");
    }
}
