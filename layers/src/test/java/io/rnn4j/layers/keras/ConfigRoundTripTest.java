package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.BatchNormalization;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.Flatten;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.constraints.Constraints;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import io.rnn4j.layers.regularizers.Regularizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a saved {@code config.json} carries beyond the numbers of a prediction — initializers,
 * regularizers and constraints as Keras 3 objects, trainable flags, BatchNormalization's options,
 * the model's name — comes back on loading; a BatchNormalization model trained here predicts the
 * same bits after a round trip (its moving statistics included). BatchNormalization configs in
 * tf.keras's form load, and settings without a counterpart are refused by name. Seed 31.
 */
class ConfigRoundTripTest {
    private static final long SEED = 31;

    @TempDir
    Path tmp;

    @Test
    void optionsInitializersRegularizersConstraintsAndTrainableComeBack() throws IOException {
        System.out.println("ConfigRoundTripTest seed " + SEED);
        Seeds.set(SEED);
        Sequential m = Sequential.of(Input.shape(6, 3),
                new LSTM(4).returnSequences(true).kernelInitializer(Initializers.varianceScaling(2.0, "fan_out",
                        "untruncated_normal")).recurrentInitializer(Initializers.truncatedNormal(0f, 0.1f))
                        .biasRegularizer(Regularizers.l1(0.02f)).recurrentConstraint(Constraints.maxNorm(3f, 0)),
                new BatchNormalization().momentum(0.9).epsilon(0.01).gammaRegularizer(Regularizers.l2(0.001f))
                        .betaConstraint(Constraints.nonNeg()),
                new Bidirectional(new GRU(3).returnSequences(true)),
                new Flatten(),
                new Dense(2).kernelInitializer(Initializers.heUniform()).kernelRegularizer(Regularizers.l1l2(0.01f,
                        0.02f)).biasConstraint(Constraints.unitNorm(0))).named("tuned_model");
        m.layers().get(2).trainable(false);
        Tensor x = TestTensors.gaussian(SEED, 10, 6, 3);
        m.compile(Optimizers.adam(0.01), Losses.meanSquaredError());
        m.fit(x, TestTensors.gaussian(SEED, 10, 2), Fit.defaults().batchSize(5).epochs(2).verbose(0));
        Path out = tmp.resolve("tuned.keras");
        Models.save(m, out);

        String config;
        try (ZipFile z = new ZipFile(out.toFile())) {
            config = new String(z.getInputStream(z.getEntry("config.json")).readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(config).contains("\"name\": \"tuned_model\"")
                .contains("\"kernel_initializer\": {\"module\": \"keras.initializers\", \"class_name\": "
                        + "\"VarianceScaling\", \"config\": {\"scale\": 2.0, \"mode\": \"fan_out\", \"distribution\": "
                        + "\"untruncated_normal\"}, \"registered_name\": null}")
                .contains("\"bias_regularizer\": {\"module\": \"keras.regularizers\", \"class_name\": \"L1\", "
                        + "\"config\": {\"l1\": 0.02}, \"registered_name\": null}")
                .contains("\"momentum\": 0.9, \"epsilon\": 0.01");

        KerasModel back = Models.load(out);
        Sequential s = back.sequential();
        assertThat(s.name()).isEqualTo("tuned_model");
        LSTM lstm = (LSTM) s.layers().get(0);
        assertThat(lstm.kernelInitializer().kerasConfig()).contains(new KerasConfig("VarianceScaling",
                Map.of("scale", 2.0, "mode", "fan_out", "distribution", "untruncated_normal")));
        assertThat(lstm.recurrentInitializer().kerasConfig()).contains(KerasConfig.of("TruncatedNormal", "mean", 0.0,
                "stddev", 0.1));
        assertThat(lstm.biasInitializer().kerasConfig()).contains(KerasConfig.of("Zeros"));
        assertThat(lstm.biasRegularizer().kerasConfig()).contains(KerasConfig.of("L1", "l1", 0.02));
        assertThat(lstm.recurrentConstraint().kerasConfig()).contains(KerasConfig.of("MaxNorm", "max_value", 3.0,
                "axis", 0));
        assertThat(lstm.kernelRegularizer()).isNull();
        BatchNormalization bn = (BatchNormalization) s.layers().get(1);
        assertThat(bn.momentum()).isEqualTo(0.9);
        assertThat(bn.epsilon()).isEqualTo(0.01);
        assertThat(bn.gammaRegularizer().kerasConfig()).contains(KerasConfig.of("L2", "l2", 0.001));
        assertThat(bn.betaConstraint().kerasConfig()).contains(KerasConfig.of("NonNeg"));
        Bidirectional bi = (Bidirectional) s.layers().get(2);
        assertThat(bi.trainable()).isFalse();
        assertThat(bi.weights()).noneMatch(w -> w.trainable());
        Dense dense = (Dense) s.layers().get(4);
        assertThat(dense.kernelInitializer().kerasConfig()).contains(KerasConfig.of("HeUniform"));
        assertThat(dense.kernelRegularizer().kerasConfig()).contains(KerasConfig.of("L1L2", "l1", 0.01, "l2", 0.02));
        assertThat(dense.biasConstraint().kerasConfig()).contains(KerasConfig.of("UnitNorm", "axis", 0));
        assertThat(Fixtures.layersOf(s.summary())).isEqualTo(Fixtures.layersOf(m.summary()));
        assertThat(back.predict(x).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(m.predict(x).toArray());
        assertThat(bn.getWeights().get(2).toArray()).as("trained moving_mean")
                .isEqualTo(m.layers().get(1).getWeights().get(2).toArray());
    }

    @Test
    void tfKerasBatchNormalizationConfigLoads() {
        Map<String, Object> entry = ModelReader.parse("test", "layer", """
                {"class_name": "BatchNormalization", "config": {"name": "bn", "trainable": false, "dtype": "float32",
                 "axis": [2], "momentum": 0.9, "epsilon": 0.001, "center": true, "scale": false,
                 "beta_initializer": {"class_name": "Zeros", "config": {}},
                 "gamma_initializer": {"class_name": "Ones", "config": {}},
                 "moving_mean_initializer": {"class_name": "Zeros", "config": {}},
                 "moving_variance_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1.0,
                   "mode": "fan_avg", "distribution": "normal", "seed": null}},
                 "beta_regularizer": null, "gamma_regularizer": null, "beta_constraint": null,
                 "gamma_constraint": null, "renorm": false, "renorm_clipping": null, "renorm_momentum": 0.99,
                 "fused": null, "virtual_batch_size": null, "adjustment": null}}""");
        Layer l = new LayerReader(true).read(entry).layer();
        BatchNormalization bn = (BatchNormalization) l;
        assertThat(bn.name()).isEqualTo("bn");
        assertThat(bn.trainable()).isFalse();
        assertThat(bn.axis()).isEqualTo(2);
        assertThat(bn.scale()).isFalse();
        assertThat(bn.momentum()).isEqualTo(0.9);
        assertThat(bn.movingVarianceInitializer().kerasConfig()).contains(KerasConfig.of("GlorotNormal"));
        bn.build(io.rnn4j.engine.Shape.of(4, 5));
        assertThat(bn.weights()).extracting(w -> w.name()).containsExactly("beta", "moving_mean", "moving_variance");

        Map<String, Object> renorm = ModelReader.parse("test", "layer", """
                {"class_name": "BatchNormalization", "config": {"name": "bn_renorm", "renorm": true}}""");
        assertThatThrownBy(() -> new LayerReader(true).read(renorm)).isInstanceOf(KerasFileException.class)
                .hasMessage("unsupported option renorm=true in layer 'bn_renorm' (BatchNormalization)");
        Map<String, Object> axes = ModelReader.parse("test", "layer", """
                {"class_name": "BatchNormalization", "config": {"name": "bn_axes", "axis": [1, 2]}}""");
        assertThatThrownBy(() -> new LayerReader(false).read(axes)).isInstanceOf(KerasFileException.class)
                .hasMessage("unsupported option axis=[1.0, 2.0] in layer 'bn_axes' (BatchNormalization)");
    }

    @Test
    void sequentialLoadWeightsReadsKerasFiles() throws IOException {
        Path keras = Fixtures.file("keras3-emg-gru-stacked/gru_model.keras");
        Sequential java = Sequential.of(Input.shape(4, 1), new GRU(32).returnSequences(true), new GRU(16),
                new Dense(3, "softmax"));
        java.loadWeights(keras);
        Tensor x = Npy.read(Fixtures.file("keras3-emg-gru-stacked/x.npy")).tensor();
        assertThat(java.predict(x).toArray()).isEqualTo(Models.load(keras).predict(x).toArray());
        Sequential wrong = Sequential.of(Input.shape(4, 1), new GRU(8), new Dense(3));
        assertThatThrownBy(() -> wrong.loadWeights(keras)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("layers/gru/cell/vars");
    }

    @Test
    void embeddingOptionsComeBack() throws IOException {
        Seeds.set(SEED + 1);
        Sequential m = Sequential.of(Input.shape(5), new Embedding(30, 4).maskZero(true)
                .embeddingsInitializer(Initializers.randomNormal(0f, 0.2f))
                .embeddingsRegularizer(Regularizers.l2(0.05f)).embeddingsConstraint(Constraints.maxNorm()),
                new LSTM(3));
        Path out = tmp.resolve("embedding.keras");
        Models.save(m, out);
        Embedding e = (Embedding) Models.load(out).sequential().layers().get(0);
        assertThat(e.inputDim()).isEqualTo(30);
        assertThat(e.outputDim()).isEqualTo(4);
        assertThat(e.maskZero()).isTrue();
        assertThat(e.embeddingsInitializer().kerasConfig()).contains(KerasConfig.of("RandomNormal", "mean", 0.0,
                "stddev", 0.2));
        assertThat(e.embeddingsRegularizer().kerasConfig()).contains(KerasConfig.of("L2", "l2", 0.05));
        assertThat(e.embeddingsConstraint().kerasConfig()).contains(KerasConfig.of("MaxNorm", "max_value", 2.0,
                "axis", 0));
    }
}
