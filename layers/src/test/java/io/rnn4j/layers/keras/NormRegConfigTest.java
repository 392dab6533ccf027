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
import io.rnn4j.layers.SpectralNormalization;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.constraints.Constraints;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.regularizers.Regularizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GroupNormalization, SpectralNormalization and ActivityRegularization configs: every option saved
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
    void handWrittenKeras3EntriesLoadWithKerasDefaults() {
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
