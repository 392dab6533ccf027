package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GradCheck;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java side of custom layers: the test's TemporalAttention against a float64 reference and
 * finite differences, CustomLayerConfig's getters and refusals on hand-written Keras 3 entries,
 * KerasSerializable layers saved as Keras writes a custom class and loaded back, and the refusals
 * of layers the writer cannot save. Seeds are fixed (Random(5), Random(9)).
 */
class CustomLayersTest {
    @TempDir
    Path dir;

    /** score_t = tanh(h_t·W + b)·u, a = softmax_t(score), out = Σ_t a_t h_t, in float64 loops. */
    private static double[] attentionReference(float[] h, int batch, int steps, int d, float[] w, float[] b,
            float[] u) {
        double[] out = new double[batch * d];
        for (int s = 0; s < batch; s++) {
            double[] score = new double[steps];
            double max = Double.NEGATIVE_INFINITY;
            for (int t = 0; t < steps; t++) {
                double sc = 0;
                for (int j = 0; j < d; j++) {
                    double z = b[j];
                    for (int i = 0; i < d; i++) {
                        z += h[(s * steps + t) * d + i] * (double) w[i * d + j];
                    }
                    sc += Math.tanh(z) * u[j];
                }
                score[t] = sc;
                max = Math.max(max, sc);
            }
            double total = 0;
            for (int t = 0; t < steps; t++) {
                score[t] = Math.exp(score[t] - max);
                total += score[t];
            }
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < d; i++) {
                    out[s * d + i] += score[t] / total * h[(s * steps + t) * d + i];
                }
            }
        }
        return out;
    }

    @Test
    void temporalAttentionMatchesAFloat64ReferenceForAnyNumberOfTimesteps() {
        Random r = new Random(5);
        TemporalAttention a = new TemporalAttention();
        a.build(Shape.withUnknown(Shape.UNKNOWN, 4));
        assertThat(a.weights()).extracting(Weight::name).containsExactly("W", "b", "u");
        assertThat(a.countParams()).isEqualTo(16 + 4 + 4);
        for (int steps : new int[] {1, 3, 7}) {
            Tensor x = GradCheck.uniform(r, -2, 2, 2, steps, 4);
            float[] y = a.call(Variable.constant(x), null, CallContext.inference()).value().toArray();
            double[] want = attentionReference(x.toArray(), 2, steps, 4, a.weights().get(0).value().toArray(),
                    a.weights().get(1).value().toArray(), a.weights().get(2).value().toArray());
            for (int i = 0; i < want.length; i++) {
                assertThat((double) y[i]).as("%d steps, output %d (bar 1e-5 + 1e-5·|y|)", steps, i)
                        .isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-5 + 1e-5 * Math.abs(want[i])));
            }
        }
    }

    @Test
    void theJavaLayersGradientsMatchFiniteDifferences() {
        Random r = new Random(9);
        TemporalAttention a = new TemporalAttention();
        a.build(Shape.of(3, 4));
        Variable x = Variable.parameter(GradCheck.uniform(r, -1, 1, 2, 3, 4));
        List<Variable> params = new ArrayList<>(List.of(x));
        a.weights().forEach(w -> params.add(w.variable()));
        GradCheck.checkParameters("TemporalAttention: input, W, b, u", () -> a.call(x, null, CallContext.inference()),
                params);

        ScaledBlend s = new ScaledBlend(0.7);
        s.build(List.of(Shape.of(3, 4), Shape.of(3, 4)), io.rnn4j.engine.Devices.defaultDevice(), new Random(3));
        Variable p = Variable.parameter(GradCheck.uniform(r, -1, 1, 2, 3, 4));
        Variable q = Variable.parameter(GradCheck.uniform(r, -1, 1, 2, 3, 4));
        Weight gate = s.weights().get(0);
        assertThat(gate.name()).as("Keras's weights order: the trainable gate before the offset").isEqualTo("gate");
        GradCheck.checkParameters("ScaledBlend: a, b, gate",
                () -> s.callAll(List.of(p, q), null, CallContext.inference()).get(0), List.of(p, q, gate.variable()));
    }

    @Test
    void badInputToTheBuiltJavaLayerIsRefusedNamingItAndTheShapes() {
        TemporalAttention a = new TemporalAttention();
        a.build(Shape.withUnknown(Shape.UNKNOWN, 4));
        assertThatThrownBy(() -> a.call(Variable.constant(Tensor.of(new float[6], 1, 2, 3)), null,
                CallContext.inference())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + a.name() + "' (TemporalAttention)")
                .hasMessageContaining("expected shape=(None, None, 4)")
                .hasMessageContaining("found shape=(1, 2, 3)");
    }

    /** Records the Keras mask its call is given; passes x on, and (by default) no mask. */
    static final class MaskProbe extends Layer {
        Tensor seen;
        private final boolean passMask;

        MaskProbe(boolean passMask) {
            super("mask_probe");
            this.passMask = passMask;
        }

        @Override
        protected Shape build(Shape in, RandomGenerator random) {
            return in;
        }

        @Override
        protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
            seen = mask;
            return x;
        }

        @Override
        public Tensor computeMask(Variable x, Tensor mask) {
            return passMask ? mask : null;
        }
    }

    @Test
    void aJavaLayerGetsTheIncomingMaskAndDropsItUnlessItComputesOneAsKerasLayersWithoutSupportsMasking() {
        // Keras 3 passes a layer's call the mask of its input; one that does not support masking
        // destroys it (layer.py, "this layer does not support masking"): the LSTM after it sees none.
        float[] x = {1, 2, 3, 4, 0, 0, 0, 0, 5, 6, 0, 0, 0, 0, 0, 0};
        Tensor in = Tensor.of(x, 2, 4, 2);
        float[][] out = new float[3][];
        MaskProbe[] probes = {new MaskProbe(false), new MaskProbe(true)};
        LSTM first = null;
        for (int k = 0; k < 3; k++) {
            LSTM lstm = new LSTM(3);
            Sequential m = k < 2 ? Sequential.of(Input.shape(4, 2), new io.rnn4j.layers.Masking(0f), probes[k], lstm)
                    : Sequential.of(Input.shape(4, 2), lstm);
            if (first == null) {
                first = lstm;
            } else {
                lstm.setWeights(first.getWeights());
            }
            out[k] = m.predict(in).toArray();
        }
        assertThat(probes[0].seen).as("the mask reaches the Java layer's forward").isNotNull();
        assertThat(probes[0].seen.toArray()).containsExactly(1, 1, 0, 0, 1, 0, 0, 0);
        assertThat(out[0]).as("mask dropped: as the LSTM without Masking").isEqualTo(out[2]);
        assertThat(out[1]).as("computeMask passing it on: the LSTM skips the masked steps").isNotEqualTo(out[2]);
    }

    // ---- hand-written Keras 3 entries through the loader's layer reader ----

    @SuppressWarnings("unchecked")
    private static Layer readEntry(String json, CustomLayers custom) {
        Map<String, Object> entry = (Map<String, Object>) Json.parse(json);
        return new LayerReader(false, new CustomLayerEntries(custom)).read(entry).layer();
    }

    private static String blendEntry(String extra) {
        return "{\"module\": \"my_layers\", \"class_name\": \"ScaledBlend\", \"registered_name\": \"ScaledBlend\", "
                + "\"config\": {\"name\": \"mix\", \"trainable\": false, \"dtype\": {\"module\": \"keras\", "
                + "\"class_name\": \"DTypePolicy\", \"config\": {\"name\": \"float32\"}, \"registered_name\": null}"
                + extra + "}, \"build_config\": {\"input_shape\": [[null, 5, 4], [null, 5, 4]]}}";
    }

    @Test
    void aHandWrittenKeras3EntryIsReadThroughTheConfigAccessorsGetters() {
        List<Object> seen = new ArrayList<>();
        CustomLayers custom = CustomLayers.of().with("ScaledBlend", c -> {
            seen.add(c.name());
            seen.add(c.registeredName());
            seen.add(c.integer("units"));
            seen.add(c.number("scale"));
            seen.add(c.bool("flag"));
            seen.add(c.string("mode"));
            seen.add(List.of(c.ints("sizes")[0], c.ints("sizes")[1]));
            seen.add(c.map("init").get("class_name"));
            seen.add(c.list("tags"));
            seen.add(c.integer("absent", 7));
            seen.add(c.string("none", "fallback"));
            seen.add(c.has("none"));
            return new ScaledBlend(c.number("scale"));
        });
        Layer l = readEntry(blendEntry(", \"units\": 3, \"scale\": 0.25, \"flag\": true, \"mode\": \"fast\", "
                + "\"sizes\": [2, 5], \"init\": {\"class_name\": \"Zeros\", \"config\": {}}, \"tags\": [\"a\", 1], "
                + "\"none\": null"), custom);
        assertThat(seen).containsExactly("mix", "ScaledBlend", 3, 0.25, true, "fast", List.of(2, 5), "Zeros",
                List.of("a", 1.0), 7, "fallback", false);
        assertThat(l.name()).as("named from the file").isEqualTo("mix");
        assertThat(l.trainable()).as("trainable: false in the file").isFalse();
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedNamingTheLayerTheKeyAndTheValue() {
        CustomLayers custom = CustomLayers.of().with("ScaledBlend", c -> new ScaledBlend(c.number("scale")));
        assertThatThrownBy(() -> readEntry(blendEntry(", \"scale\": \"big\""), custom))
                .isInstanceOf(KerasFileException.class)
                .hasMessage("layer 'mix' (ScaledBlend): option 'scale' must be a number, found 'big'");
        assertThatThrownBy(() -> readEntry(blendEntry(""), custom)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("option 'scale' must be a number, found null");
        assertThatThrownBy(() -> readEntry(blendEntry(", \"scale\": 1, \"extra\": [1, 2]"), custom))
                .isInstanceOf(KerasFileException.class)
                .hasMessageContaining("config key 'extra' = [1.0, 2.0] was neither read nor ignored");
    }

    @Test
    void theBaseKeysAreReadAsForEveryLayer() {
        CustomLayers custom = CustomLayers.of().with("ScaledBlend", c -> new ScaledBlend(1));
        assertThatThrownBy(() -> readEntry(blendEntry(", \"dtype\": \"float16\"").replaceFirst(
                "\"dtype\": \\{[^}]*\\}[^}]*\\}, ", ""), custom)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("unsupported dtype 'float16' in layer 'mix' (ScaledBlend)");
        assertThatThrownBy(() -> readEntry(blendEntry(", \"activity_regularizer\": {\"class_name\": "
                + "\"OrthogonalRegularizer\"}"), custom)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("unsupported regularizer 'OrthogonalRegularizer' for option activity_regularizer");
        assertThat(readEntry(blendEntry(", \"activity_regularizer\": {\"class_name\": \"L2\"}"), custom)
                .activityRegularizer()).as("read as a base key, as Layer.__init__ takes it").isNotNull();
        assertThat(readEntry(blendEntry(", \"autocast\": true"), custom)).isInstanceOf(ScaledBlend.class);
    }

    @Test
    void aFailingFactoryIsReportedWithTheLayerAndTheKey() {
        CustomLayers custom = CustomLayers.of().with("ScaledBlend", c -> {
            throw new IllegalStateException("no GPU");
        });
        assertThatThrownBy(() -> readEntry(blendEntry(""), custom)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("layer 'mix' (ScaledBlend): the CustomLayers factory for 'ScaledBlend' failed")
                .hasMessageContaining("no GPU");
        CustomLayers returnsNull = CustomLayers.of().with("ScaledBlend", c -> null);
        assertThatThrownBy(() -> readEntry(blendEntry(""), returnsNull)).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("must return a new, unbuilt layer, it returned null");
    }

    @Test
    void theRegistryRefusesBlankAndRepeatedKeys() {
        CustomLayers one = CustomLayers.of().with("A", c -> new TemporalAttention());
        assertThatThrownBy(() -> one.with("A", c -> new TemporalAttention()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'A' already has a factory");
        assertThatThrownBy(() -> one.with(" ", c -> new TemporalAttention()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registered name");
        assertThat(one.with("B", c -> new TemporalAttention()).keys()).containsExactly("A", "B");
        assertThat(one.keys()).as("with returns a new registry").containsExactly("A");
    }

    @Test
    void aKerasBuiltInEntryIsNotReplacedInAKeras3FileButIsInALegacyOneAsInKeras() {
        CustomLayers custom = CustomLayers.of().with("Dense", c -> {
            c.ignore("units");
            return new CustomLayersKerasWrittenTest.Declaring("Dense");
        });
        String keras3 = "{\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"registered_name\": null, "
                + "\"config\": {\"name\": \"d\", \"units\": 2}}";
        assertThat(readEntry(keras3, custom)).isInstanceOf(Dense.class);
        String legacy = "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2}}";
        assertThat(readEntry(legacy, custom)).isInstanceOf(CustomLayersKerasWrittenTest.Declaring.class);
    }

    @Test
    void anUnregisteredUserClassNamedAsAKerasLayerIsNotTakenForKerassWithoutAnEntry() {
        // Keras 3 writes a class of the user's with its module (null for __main__) and registered_name
        // its class name: without custom_objects Keras cannot locate it, even named "Attention".
        String entry = "{\"module\": null, \"class_name\": \"Attention\", \"registered_name\": \"Attention\", "
                + "\"config\": {\"name\": \"att\", \"units\": 2}}";
        assertThatThrownBy(() -> readEntry(entry, CustomLayers.of())).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("unsupported layer att (Attention) in layer 'att': a custom layer class")
                .hasMessageContaining("CustomLayers.of().with(\"Attention\"");
        CustomLayers custom = CustomLayers.of().with("Attention", c -> {
            c.ignore("units");
            return new CustomLayersKerasWrittenTest.Declaring("Attention");
        });
        assertThat(readEntry(entry, custom)).isInstanceOf(CustomLayersKerasWrittenTest.Declaring.class);
    }

    // ---- saving ----

    @Test
    void javaBuiltCustomLayersSaveAsKerasWritesThemAndLoadBackBitForBit() throws IOException {
        Input a = Input.shape(Input.NONE, 3).named("a");
        Input b = Input.shape(Input.NONE, 3).named("b");
        SymbolicTensor h1 = new LSTM(4).returnSequences(true).apply(a);
        SymbolicTensor h2 = new Dense(4).apply(b);
        ScaledBlend blend = new ScaledBlend(0.3);
        SymbolicTensor y = new Dense(2).apply(new TemporalAttention().apply(blend.apply(h1, h2)));
        Model model = Model.of(List.of(a, b), y);
        Path file = dir.resolve("m.keras");
        Models.save(model, file);

        String json = new String(Archives.bytes(file, "config.json"), StandardCharsets.UTF_8);
        assertThat(json).contains("{\"module\": null, \"class_name\": \"ScaledBlend\", \"config\": {\"name\": \""
                + blend.name() + "\", \"trainable\": true, \"dtype\": \"float32\", \"scale\": 0.3}, "
                + "\"registered_name\": \"ScaledBlend\", \"build_config\": {\"input_shape\": [[null, null, 4], "
                + "[null, null, 4]]}")
                .contains("\"class_name\": \"TemporalAttention\", \"config\": {\"name\": \"temporal_attention")
                .contains("\"registered_name\": \"rnn4j_demo>TemporalAttention\"");
        // Keras's save_own_variables order, as weights(): the trainable gate, then the offset added before it.
        assertThat(blend.weights()).extracting(Weight::name).containsExactly("gate", "offset");
        try (io.jhdf.HdfFile h5 = io.jhdf.HdfFile.fromBytes(Archives.bytes(file, "model.weights.h5"))) {
            assertThat(H5.tensor("m", h5.getDatasetByPath("layers/scaled_blend/vars/0")).toArray()).as("vars/0")
                    .isEqualTo(blend.weights().get(0).value().toArray());
            assertThat(H5.tensor("m", h5.getDatasetByPath("layers/scaled_blend/vars/1")).toArray()).as("vars/1")
                    .isEqualTo(blend.weights().get(1).value().toArray());
        }

        KerasModel back = Models.load(file, CustomLayersKerasWrittenTest.CUSTOM);
        ScaledBlend loaded = (ScaledBlend) back.layer(blend.name());
        assertThat(loaded.weights().get(0).value().toArray()).as("gate").isEqualTo(
                blend.weights().get(0).value().toArray());
        assertThat(loaded.weights().get(1).value().toArray()).as("offset").isEqualTo(
                blend.weights().get(1).value().toArray());
        Random r = new Random(5);
        List<Tensor> xs = List.of(GradCheck.uniform(r, -1, 1, 2, 6, 3), GradCheck.uniform(r, -1, 1, 2, 6, 3));
        assertThat(back.predict(xs).get(0).toArray()).as("6 steps through None timesteps, bit for bit")
                .isEqualTo(model.predict(xs).get(0).toArray());
        assertThat(Fixtures.layersOf(back.functional().summary())).isEqualTo(Fixtures.layersOf(model.summary()));
    }

    /** A user's layer without KerasSerializable. */
    static final class Doubling extends Layer {
        Doubling() {
            super("doubling");
        }

        @Override
        protected Shape build(Shape in, RandomGenerator random) {
            return in;
        }

        @Override
        protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
            return io.rnn4j.layers.autograd.Ops.scale(x, 2f);
        }
    }

    @Test
    void aLayerTheWriterDoesNotKnowIsRefusedNamingTheInterfaceToImplement() {
        Sequential s = Sequential.of(Input.shape(3), new Doubling());
        assertThatThrownBy(() -> Models.save(s, dir.resolve("d.keras"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot save layer 'doubling' (Doubling) as Keras")
                .hasMessageContaining("implements io.rnn4j.layers.keras.KerasSerializable");
    }

    @Test
    void aKerasConfigThatRepeatsABaseKeyOrIsNotJsonIsRefused() {
        class Bad extends TemporalAttention2 {
            private final Map<String, Object> config;

            Bad(Map<String, Object> config) {
                this.config = config;
            }

            @Override
            public Map<String, Object> kerasConfig() {
                return config;
            }
        }
        Sequential repeats = Sequential.of(Input.shape(2, 3), new Bad(Map.of("name", "x")));
        assertThatThrownBy(() -> Models.save(repeats, dir.resolve("r.keras")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds 'name', which rnn4j writes");
        Sequential notJson = Sequential.of(Input.shape(2, 3), new Bad(Map.of("rng", new Random())));
        assertThatThrownBy(() -> Models.save(notJson, dir.resolve("n.keras")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kerasConfig() value of 'rng' is a java.util.Random");
    }

    /** A non-final attention-like layer to subclass in a test (TemporalAttention is final). */
    static class TemporalAttention2 extends Layer implements KerasSerializable {
        TemporalAttention2() {
            super("temporal_attention2");
        }

        @Override
        protected Shape build(Shape in, RandomGenerator random) {
            return Shape.of(in.dim(-1));
        }

        @Override
        protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
            return io.rnn4j.layers.autograd.Ops.mean(x, 1, false);
        }

        @Override
        public Map<String, Object> kerasConfig() {
            return Map.of();
        }
    }
}
