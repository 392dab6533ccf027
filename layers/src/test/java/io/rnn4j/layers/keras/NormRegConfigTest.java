package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.ActivityRegularization;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.GroupNormalization;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.ReversibleEmbedding;
import io.rnn4j.layers.SpectralNormalization;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.constraints.Constraints;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.regularizers.Regularizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GroupNormalization, SpectralNormalization, ActivityRegularization and ReversibleEmbedding configs
 * (its reverse call's {@code reverse: true} in the inbound node as Keras writes it): every option saved
 * to .keras and loaded back (with the weights, to the same bits, SpectralNormalization's kernel
 * stored twice as Keras stores it), hand-written Keras 3 entries with keys left out loading with
 * Keras's defaults, and values rnn4j or Keras refuses refused naming the layer.
 */
class NormRegConfigTest {
    @TempDir
    Path tmp;

    private static Layer read(String json) {
        return new LayerReader(false).read(ModelReader.parse("test", "layer", json)).layer();
    }

    @Test
    void everyOptionComesBackWithTheWeights() throws IOException {
        GroupNormalization gn = new GroupNormalization().groups(-1).axis(1).epsilon(0.01).center(false)
                .gammaInitializer(Initializers.constant(0.5f)).gammaRegularizer(Regularizers.l2(0.01))
                .gammaConstraint(Constraints.nonNeg()).named("gn");
        SpectralNormalization sn = new SpectralNormalization(new Dense(3).named("inner")).powerIterations(2)
                .named("sn");
        ActivityRegularization ar = new ActivityRegularization(0.01, 0.02).named("ar");
        Sequential m = Sequential.of(Input.shape(4, 6), new LSTM(6).returnSequences(true), gn, sn, ar);
        Tensor x = io.rnn4j.layers.GradCheck.uniform(new java.util.Random(5), -1, 1, 2, 4, 6);
        Path out = tmp.resolve("options.keras");
        Models.save(m, out);
        KerasModel back = Models.load(out);
        GroupNormalization g = (GroupNormalization) back.layer("gn");
        assertThat(g.groups()).as("groups=-1 saved as the channel count, as Keras's get_config").isEqualTo(4);
        assertThat(g.axis()).isEqualTo(1);
        assertThat(g.epsilon()).isEqualTo(0.01f);
        assertThat(List.of(g.center(), g.scale())).containsExactly(false, true);
        assertThat(g.gammaRegularizer()).isNotNull();
        assertThat(g.gammaConstraint()).isNotNull();
        SpectralNormalization s = (SpectralNormalization) back.layer("sn");
        assertThat(s.powerIterations()).isEqualTo(2);
        assertThat(s.layer()).isInstanceOf(Dense.class);
        assertThat(s.layer().name()).isEqualTo("inner");
        assertThat(s.weights()).extracting(Weight::name).containsExactly("kernel", "vector_u", "bias");
        ActivityRegularization a = (ActivityRegularization) back.layer("ar");
        assertThat(List.of(a.l1(), a.l2())).containsExactly(0.01, 0.02);
        assertThat(back.predict(List.of(x)).get(0).toArray()).as("the same weights, bit for bit")
                .isEqualTo(m.predict(x).toArray());
        Map<String, Map<String, Object>> entries = NormRegFilesTest.entries(out);
        assertThat(entries.get("gn GroupNormalization").keySet()).containsExactly("name", "trainable", "dtype",
                "groups", "axis", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer",
                "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint");
        assertThat(entries.get("sn SpectralNormalization").keySet()).containsExactly("name", "trainable", "dtype",
                "layer", "power_iterations");
        assertThat(entries.get("ar ActivityRegularization").keySet()).containsExactly("name", "trainable", "dtype",
                "l1", "l2");
        assertThat(H5Listing.of(Archives.bytes(out, "model.weights.h5")).keySet()).as("the kernel at both paths")
                .contains("layers/spectral_normalization/vars/0", "layers/spectral_normalization/vars/1",
                        "layers/spectral_normalization/layer/vars/0", "layers/spectral_normalization/layer/vars/1");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aReversibleEmbeddingLanguageModelSavesItsReverseCallAsKeras() throws IOException {
        ReversibleEmbedding e = new ReversibleEmbedding(8, 4).maskZero(true).tieWeights(false).logitSoftCap(2.5)
                .named("re");
        Input ids = Input.shape(Input.NONE);
        Model m = Model.of(ids, e.applyReverse(new LSTM(4).returnSequences(true).apply(e.apply(ids))));
        Path out = tmp.resolve("lm.keras");
        Models.save(m, out);
        Map<String, Object> root = ModelReader.parse(out.toString(), "config.json", SaveTest.entry(out,
                "config.json"));
        Map<String, Object> entry = ((List<Map<String, Object>>) ((Map<String, Object>) root.get("config"))
                .get("layers")).stream().filter(l -> "ReversibleEmbedding".equals(l.get("class_name"))).findFirst()
                .orElseThrow();
        assertThat(((Map<String, Object>) entry.get("config")).keySet()).as("Keras 3.15.1's get_config keys")
                .containsExactly("name", "trainable", "dtype", "input_dim", "output_dim", "embeddings_initializer",
                        "embeddings_regularizer", "activity_regularizer", "embeddings_constraint", "mask_zero",
                        "quantization_config", "tie_weights", "reverse_dtype", "logit_soft_cap");
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) entry.get("inbound_nodes");
        assertThat(nodes).extracting(n -> n.get("kwargs")).as("the second call with reverse=True, as Keras")
                .containsExactly(Map.of(), Map.of("reverse", true));
        KerasModel back = Models.load(out);
        ReversibleEmbedding b = (ReversibleEmbedding) back.layer("re");
        assertThat(List.of(b.maskZero(), b.tieWeights())).containsExactly(true, false);
        assertThat(b.logitSoftCap()).isEqualTo(2.5f);
        Tensor x = Tensor.of(new float[] {1, 2, 0, 7, 6, 5}, 2, 3);
        assertThat(back.predict(List.of(x)).get(0).toArray()).as("bit for bit").isEqualTo(m.predict(x).toArray());
    }

    @Test
    void handWrittenKeras3EntriesLoadWithKerasDefaults() {
        ReversibleEmbedding re = (ReversibleEmbedding) read("""
                {"class_name": "ReversibleEmbedding", "config": {"name": "r", "input_dim": 5, "output_dim": 2,
                 "reverse_dtype": null}}""");
        assertThat(List.of(re.tieWeights(), re.maskZero())).containsExactly(true, false);
        assertThat(re.logitSoftCap()).isNull();
        GroupNormalization g = (GroupNormalization) read("""
                {"class_name": "GroupNormalization", "config": {"name": "g"}}""");
        assertThat(g.groups()).isEqualTo(32);
        assertThat(g.axis()).isEqualTo(-1);
        assertThat(g.epsilon()).isEqualTo(1e-3f);
        assertThat(List.of(g.center(), g.scale())).containsExactly(true, true);
        SpectralNormalization s = (SpectralNormalization) read("""
                {"class_name": "SpectralNormalization", "config": {"name": "s", "layer":
                 {"class_name": "Embedding", "config": {"name": "e", "input_dim": 5, "output_dim": 2}}}}""");
        assertThat(s.powerIterations()).isEqualTo(1);
        assertThat(s.layer()).isInstanceOf(Embedding.class);
        ActivityRegularization a = (ActivityRegularization) read("""
                {"class_name": "ActivityRegularization", "config": {"name": "a", "l2": 0.5}}""");
        assertThat(List.of(a.l1(), a.l2())).containsExactly(0.0, 0.5);
    }

    @Test
    void refusedValuesNameTheLayer() {
        assertThatThrownBy(() -> read("""
                {"class_name": "ReversibleEmbedding", "config": {"name": "r", "input_dim": 5, "output_dim": 2,
                 "reverse_dtype": "bfloat16"}}""")).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("unsupported dtype 'bfloat16'").hasMessageContaining("'r'");
        assertThatThrownBy(() -> read("""
                {"class_name": "ReversibleEmbedding", "config": {"name": "r2", "input_dim": 5, "output_dim": 2,
                 "logit_soft_cap": -1.0}}""")).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("r2").hasMessageContaining("logit_soft_cap must be a positive number");
        assertThatThrownBy(() -> read("""
                {"class_name": "GroupNormalization", "config": {"name": "g", "groups": 0}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("'g'").hasMessageContaining("groups");
        assertThatThrownBy(() -> read("""
                {"class_name": "GroupNormalization", "config": {"name": "g2", "axis": [1, 2]}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("g2").hasMessageContaining("axis");
        assertThatThrownBy(() -> read("""
                {"class_name": "SpectralNormalization", "config": {"name": "s", "power_iterations": 0, "layer":
                 {"class_name": "Dense", "config": {"name": "d", "units": 2}}}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("'s'")
                .hasMessageContaining("power_iterations must be > 0, got 0");
        assertThatThrownBy(() -> read("""
                {"class_name": "ActivityRegularization", "config": {"name": "a", "l1": -1}}"""))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("'a'")
                .hasMessageContaining("l1 must be a non-negative");
    }
}
