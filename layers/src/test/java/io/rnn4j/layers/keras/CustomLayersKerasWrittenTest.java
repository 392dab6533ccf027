package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.resource;
import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.model.Fit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keras 3.15.1 files holding custom layer classes (keras3151/make_custom_layers.py, JAX on the
 * CPU): a registered TemporalAttention after an LSTM (Sequential, compiled with SGD and trained one
 * epoch), an unregistered ScaledBlend with a config option called on two tensors (functional), each
 * saved as .keras and as Keras 3's legacy .h5, loaded with {@link CustomLayers} mapping them to the
 * test's Java layers ({@link TemporalAttention}, {@link ScaledBlend}).
 *
 * <p>The bar for Keras's outputs is 1e-5 + 1e-5·|y|, as in KerasWritten3151Test: JAX's float32
 * rounding (XLA's summation order) differs from rnn4j's in the last places.
 */
class CustomLayersKerasWrittenTest {
    static final CustomLayers CUSTOM = CustomLayers.of()
            .with(TemporalAttention.KEY, c -> new TemporalAttention())
            .with("ScaledBlend", c -> new ScaledBlend(c.number("scale", 1.0)));

    @TempDir
    Path dir;

    static List<Tensor> inputs(String model, int count) throws IOException {
        List<Tensor> xs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            xs.add(Npy.read(resource(model + ".x" + i + ".npy")).tensor());
        }
        return xs;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"custom_attention.keras", "custom_attention.h5"})
    void aRegisteredCustomAttentionAfterAnLstmPredictsAsKeras(String file) throws IOException {
        KerasModel m = Models.load(resource(file), CUSTOM);
        assertThat(m.layer("temporal_attention")).as("the registry's Java layer, named from the file")
                .isInstanceOf(TemporalAttention.class);
        assertThat(m.layer("temporal_attention").countParams()).as("W 4x4, b 4, u 4").isEqualTo(24);
        assertClose(file, m.predict(inputs("custom_attention", 1).get(0)).toArray(),
                Npy.read(resource("custom_attention.y.npy")).values());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"custom_functional.keras", "custom_functional.h5"})
    void anUnregisteredCustomLayerOnTwoTensorsWithAnOptionPredictsAsKeras(String file) throws IOException {
        KerasModel m = Models.load(resource(file), CUSTOM);
        ScaledBlend blend = (ScaledBlend) m.layer("blend");
        assertThat(blend.scale()).as("scale read from the config").isEqualTo(0.7);
        // Keras's weights order: the trainable gate before the non-trainable offset the build added first.
        assertThat(blend.weights()).extracting(w -> w.name()).containsExactly("gate", "offset");
        assertThat(blend.countTrainableParams()).isEqualTo(4);
        assertThat(m.layer("attend")).isInstanceOf(TemporalAttention.class);
        assertClose(file, m.predict(inputs("custom_functional", 2)).get(0).toArray(),
                Npy.read(resource("custom_functional.y.npy")).values());
    }

    @Test
    void theJsonAndSaveWeightsFormLoadsTheCustomLayerToo() throws IOException {
        KerasModel m = Models.load(resource("custom_attention.json"), resource("custom_attention.weights.h5"), CUSTOM);
        assertClose("custom_attention json + weights", m.predict(inputs("custom_attention", 1).get(0)).toArray(),
                Npy.read(resource("custom_attention.y.npy")).values());
        // summary: the layer under its Keras class name, its 24 weights counted.
        assertThat(m.sequential().summary()).containsPattern("temporal_attention\\s+│ \\(None, 4\\)\\s+│\\s+24 │")
                .contains("(TemporalAttention)");
        assertThatThrownBy(() -> Models.load(resource("custom_attention.json"), resource("custom_attention.weights.h5")))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("rnn4j_demo>TemporalAttention");
    }

    @Test
    void kerassSaveWeightsLoadIntoTheSameModelBuiltInJavaWithTheJavaLayer() throws IOException {
        // load_weights matches Keras 3 paths: the Java layer's className() gives layers/temporal_attention.
        io.rnn4j.layers.model.Sequential m = io.rnn4j.layers.model.Sequential.of(io.rnn4j.layers.Input.shape(6, 3),
                new io.rnn4j.layers.LSTM(4).returnSequences(true), new TemporalAttention(), new io.rnn4j.layers.Dense(2));
        Models.loadWeights(m, resource("custom_attention.weights.h5"));
        assertClose("custom_attention weights into Java", m.predict(inputs("custom_attention", 1).get(0)).toArray(),
                Npy.read(resource("custom_attention.y.npy")).values());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"custom_attention.keras", "custom_attention.h5"})
    void fromAStreamTheCustomLayersLoadToo(String file) throws IOException {
        try (java.io.InputStream in = getClass().getResourceAsStream("keras3151/" + file)) {
            KerasModel m = Models.load(in, file, true, CUSTOM);
            assertThat(m.layer("temporal_attention")).isInstanceOf(TemporalAttention.class);
            assertClose(file + " from a stream", m.predict(inputs("custom_attention", 1).get(0)).toArray(),
                    Npy.read(resource("custom_attention.y.npy")).values());
        }
    }

    @Test
    void theCompiledAttentionModelTrainsOnAsKerasDidForOneMoreEpochOfSgd() throws IOException {
        // The gradients through the Java layer (the autograd Ops it is written with) are Keras's:
        // two SGD steps later the predictions still agree.
        KerasModel m = Models.load(resource("custom_attention.keras"), true, CUSTOM);
        Tensor fx = Npy.read(resource("custom.fit_x.npy")).tensor();
        Tensor fy = Npy.read(resource("custom.fit_y.npy")).tensor();
        m.fit(fx, fy, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertClose("custom_attention after one more epoch", m.predict(inputs("custom_attention", 1).get(0)).toArray(),
                Npy.read(resource("custom_attention.y_after.npy")).values());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"custom_attention.keras", "custom_attention.h5"})
    void withoutARegistryEntryTheFileIsRefusedNamingTheKeyAndTheJavaApi(String file) {
        assertThatThrownBy(() -> Models.load(resource(file))).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("temporal_attention")
                .hasMessageContaining("CustomLayers.of().with(\"rnn4j_demo>TemporalAttention\"")
                .hasMessageContaining("Models.load(file, ");
        // Keys match the registered name exactly, as Keras's custom_objects do.
        CustomLayers bare = CustomLayers.of().with("TemporalAttention", c -> new TemporalAttention());
        assertThatThrownBy(() -> Models.load(resource(file), bare)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("\"rnn4j_demo>TemporalAttention\"")
                .hasMessageContaining("the CustomLayers given hold [TemporalAttention]");
    }

    @Test
    void anUnregisteredClassWithoutAnEntryIsRefusedNamingItsClassName() {
        CustomLayers onlyAttention = CustomLayers.of().with(TemporalAttention.KEY, c -> new TemporalAttention());
        assertThatThrownBy(() -> Models.load(resource("custom_functional.keras"), onlyAttention))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("'blend'")
                .hasMessageContaining("CustomLayers.of().with(\"ScaledBlend\"");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"custom_functional.keras", "custom_functional.h5"})
    void aConfigKeyTheFactoryNeitherReadsNorIgnoresIsRefusedWithItsValue(String file) {
        CustomLayers forgetful = CustomLayers.of().with(TemporalAttention.KEY, c -> new TemporalAttention())
                .with("ScaledBlend", c -> new ScaledBlend(1.0));
        assertThatThrownBy(() -> Models.load(resource(file), forgetful)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("layer 'blend' (ScaledBlend)")
                .hasMessageContaining("config key 'scale' = 0.7 was neither read nor ignored");
        CustomLayers ignoring = CustomLayers.of().with(TemporalAttention.KEY, c -> new TemporalAttention())
                .with("ScaledBlend", c -> {
                    c.ignore("scale");
                    return new ScaledBlend(0.7);
                });
        assertThat(catchLoad(file, ignoring)).as("an explicitly ignored key loads").isNull();
    }

    private Throwable catchLoad(String file, CustomLayers custom) {
        try {
            Models.load(resource(file), custom);
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    /** A stand-in declaring fixed weight shapes under a class name, to check the file's count and shapes. */
    static final class Declaring extends Layer {
        private final String cls;
        private final Shape[] shapes;

        Declaring(String cls, Shape... shapes) {
            super("declaring");
            this.cls = cls;
            this.shapes = shapes;
        }

        @Override
        protected Shape build(Shape in, RandomGenerator random) {
            for (int i = 0; i < shapes.length; i++) {
                addWeight("w" + i, shapes[i], Initializers.zeros(), random, null, null, true);
            }
            return Shape.of(in.dim(-1));
        }

        @Override
        protected Shape acceptedShape() {
            return keepingOnly(inputShape(), -1);
        }

        @Override
        protected Shape outputShapeFor(Shape input) {
            return Shape.of(input.dim(-1));
        }

        @Override
        protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
            return io.rnn4j.layers.autograd.Ops.mean(x, 1, false);
        }

        @Override
        public String className() {
            return cls;
        }
    }

    private static CustomLayers declaring(Shape... shapes) {
        return CustomLayers.of().with(TemporalAttention.KEY, c -> new Declaring("TemporalAttention", shapes));
    }

    @Test
    void aJavaLayerDeclaringOtherWeightsThanTheFileHoldsIsRefusedNamingBoth() {
        assertThatThrownBy(() -> Models.load(resource("custom_attention.keras"), declaring(Shape.of(4, 4),
                Shape.of(4)))).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("'layers/temporal_attention/vars' holds 3 variables")
                .hasMessageContaining("layer 'temporal_attention' (TemporalAttention) expects 2 there [w0, w1]");
        assertThatThrownBy(() -> Models.load(resource("custom_attention.h5"), declaring(Shape.of(4, 4),
                Shape.of(4)))).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("layer 'temporal_attention' has 3 weights")
                .hasMessageContaining("expects 2 [w0, w1]");
        for (String file : List.of("custom_attention.keras", "custom_attention.h5")) {
            assertThatThrownBy(() -> Models.load(resource(file), declaring(Shape.of(4, 4), Shape.of(3),
                    Shape.of(4)))).as(file).isInstanceOf(KerasFileException.class)
                    .hasMessageContaining("has shape (4,) but weight 'w1' of layer 'temporal_attention' "
                            + "(TemporalAttention) needs (3,)");
        }
    }

    @Test
    void aFactoryLayerWhoseClassNameIsNotTheFilesIsRefused() {
        CustomLayers renamed = CustomLayers.of().with(TemporalAttention.KEY, c -> new Declaring("Attn",
                Shape.of(4, 4), Shape.of(4), Shape.of(4)));
        assertThatThrownBy(() -> Models.load(resource("custom_attention.keras"), renamed))
                .isInstanceOf(KerasFileException.class)
                .hasMessageContaining("className() is 'Attn'; it must be the file's class 'TemporalAttention'");
    }

    @Test
    void aCustomLayerHoldingADenseIsRefusedInAKerasArchiveWhereItsWeightsSitInNestedGroups() {
        // Keras keeps Projector's own alpha in layers/projector/vars and its Dense attribute's kernel
        // and bias in layers/projector/proj/vars (named by the attribute); a Java layer that does not track a
        // Dense there (Layer.addSublayer, CustomSublayersTest) is refused.
        CustomLayers custom = CustomLayers.of().with("Projector", c -> {
            c.integer("units");
            return new Declaring("Projector", Shape.of(3));
        });
        assertThatThrownBy(() -> Models.load(resource("custom_nested.keras"), custom))
                .isInstanceOf(KerasFileException.class)
                .hasMessageContaining("custom layer 'projector' (Projector) keeps variables of sub-layers in "
                        + "[layers/projector/proj]");
        // The legacy .h5 lists all three under the layer (weight_names): a Java layer declaring one is refused.
        assertThatThrownBy(() -> Models.load(resource("custom_nested.h5"), custom))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("layer 'projector' has 3 weights");
    }

    @Test
    void aTrainingSetupNamingACustomLossOrMetricIsRefusedNamingItWhileTheModelLoadsUncompiled() throws IOException {
        // Custom losses and metrics (functions or classes) are out of CustomLayers' scope: compile=true
        // refuses them by name.
        String fn = "{\"module\": \"builtins\", \"class_name\": \"function\", \"config\": \"my_loss\", "
                + "\"registered_name\": \"my_loss\"}";
        String cls = "{\"module\": null, \"class_name\": \"MyLoss\", \"config\": {\"name\": \"my_loss\"}, "
                + "\"registered_name\": \"MyLoss\"}";
        String metricFn = fn.replace("my_loss", "my_metric");
        String metricCls = cls.replace("MyLoss", "MyMetric");
        for (String[] edit : List.of(new String[] {"\"loss\": \"mse\"", "\"loss\": " + fn, "my_loss"},
                new String[] {"\"loss\": \"mse\"", "\"loss\": " + cls, "MyLoss"},
                new String[] {"\"metrics\": null", "\"metrics\": [" + metricFn + "]", "my_metric"},
                new String[] {"\"metrics\": null", "\"metrics\": [" + metricCls + "]", "MyMetric"})) {
            Path copy = Archives.copy(resource("custom_attention.keras"), dir.resolve("loss.keras"),
                    Map.of("config.json", c -> c.replace(edit[0], edit[1])));
            assertThatThrownBy(() -> Models.load(copy, true, CUSTOM)).as(edit[2])
                    .isInstanceOf(KerasFileException.class).hasMessageContaining(edit[2]);
            assertThat(Models.load(copy, false, CUSTOM).predict(inputs("custom_attention", 1).get(0)).toArray())
                    .as("compile=false loads it").hasSize(6);
        }
    }

    @Test
    void savedByRnn4jTheLoadedModelsLoadBackWithTheSameNumbers() throws IOException {
        for (String name : List.of("custom_attention", "custom_functional")) {
            KerasModel m = Models.load(resource(name + ".keras"), CUSTOM);
            List<Tensor> xs = inputs(name, name.equals("custom_functional") ? 2 : 1);
            Path saved = dir.resolve(name + ".keras");
            Models.save(m, saved);
            KerasModel back = Models.load(saved, CUSTOM);
            assertThat(back.predict(xs).get(0).toArray()).as(name + " saved and loaded back: bit for bit")
                    .isEqualTo(m.predict(xs).get(0).toArray());
            Map<String, Object> cfg = ModelReader.parse(name, "config", new String(
                    Archives.bytes(saved, "config.json"), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(Json.write(cfg)).contains("\"registered_name\": \"rnn4j_demo>TemporalAttention\"");
        }
    }
}
