package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.allWeights;
import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.assertWeightsAsKeras;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static io.rnn4j.layers.keras.Keras3151.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.ActivityRegularization;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.regularizers.Regularizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keras's {@code activity_regularizer} in files Keras 3.15.1 wrote (keras3151/make_activity_reg.py,
 * TensorFlow on the CPU: Dense and LSTM layers with L1, L2, L1L2 and "l2", and a Bidirectional
 * LSTM): rnn4j predicts Keras's outputs, evaluates Keras's loss with batches of 4, 4 and 2 (activity
 * losses included), logs Keras's fit loss and after one epoch of SGD (three steps) holds Keras's
 * weights, all within {@code 1e-5 + 1e-5·|y|}; saved back, every layer's activity_regularizer entry
 * is Keras's and rnn4j reads its file to the same bits. A Java-built model's regularizers survive a
 * .keras round trip, a hand-written entry loads, and ActivityRegularization refuses one.
 */
class ActivityRegularizerFilesTest {
    @TempDir
    Path tmp;

    static Stream<String> fixtures() throws IOException {
        return Files.readAllLines(resource("manifest-activity-reg.txt")).stream().filter(l -> !l.isBlank());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aKerasWrittenModelEvaluatesAndTrainsWithItsActivityLossesAsKeras(String line) throws IOException {
        String[] f = line.trim().split(" ");
        String name = f[0];
        KerasModel m = Models.load(resource(name + ".keras"), true);
        Tensor x = Npy.read(resource(name + ".x0.npy")).tensor();
        float[] y = m.predict(x).toArray();
        assertClose(name + " predict", y, Npy.read(resource(name + ".y.npy")).values());

        Path back = tmp.resolve(name + ".keras");
        Models.save(m, back);
        assertThat(activityRegularizers(back)).as("each layer's activity_regularizer as Keras wrote it")
                .isEqualTo(activityRegularizers(resource(name + ".keras")));
        assertThat(Models.load(back).predict(x).toArray()).as("rnn4j's own file, bit for bit").isEqualTo(y);

        Sequential s = m.sequential();
        Tensor fx = Npy.read(resource(name + ".fit_x.npy")).tensor();
        Tensor fy = Npy.read(resource(name + ".fit_y.npy")).tensor();
        assertClose(name + " evaluate loss (batch 4)", new float[] {(float) s.evaluate(fx, fy, 4).loss()},
                Npy.read(resource(name + ".loss.npy")).values());
        List<Weight> weights = allWeights(m);
        List<float[]> before = values(weights);
        double logged = s.fit(fx, fy, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0)).last("loss");
        assertClose(name + " fit's logged loss", new float[] {(float) logged},
                Npy.read(resource(name + ".fit_loss.npy")).values());
        assertThat(weights).hasSize(Integer.parseInt(f[1]));
        double moved = assertWeightsAsKeras(name, "after three SGD steps", weights, before);
        // The steps move the weights 100 times the bar or more, so the comparison says that rnn4j trained as Keras.
        assertThat(moved).as("the largest change of a weight in the three steps").isGreaterThan(1e-3);
    }

    @Test
    void aJavaBuiltModelsActivityRegularizersSurviveAKerasRoundTrip() throws IOException {
        Dense d = new Dense(2).named("dense");
        d.activityRegularizer(Regularizers.l1l2(0.01, 0.02));
        LSTM lstm = new LSTM(3).returnSequences(true).named("lstm");
        lstm.activityRegularizer(Regularizers.l1(0.5));
        Sequential s = Sequential.of(Input.shape(Input.NONE, 2), lstm, d);
        Path file = tmp.resolve("act.keras");
        Models.save(s, file);
        Map<String, Object> saved = activityRegularizers(file);
        assertThat(saved.get("dense")).as("Keras's serialized L1L2").isEqualTo(Map.of("module", "keras.regularizers",
                "class_name", "L1L2", "config", Map.of("l1", 0.01f, "l2", 0.02f)));
        KerasModel back = Models.load(file);
        assertThat(back.layer("dense").activityRegularizer().kerasConfig())
                .isEqualTo(d.activityRegularizer().kerasConfig());
        assertThat(back.layer("lstm").activityRegularizer().kerasConfig())
                .isEqualTo(lstm.activityRegularizer().kerasConfig());
        Tensor x = GradCheckData.x();
        assertThat(back.predict(x).toArray()).isEqualTo(s.predict(x).toArray());

        Layer read = new LayerReader(false).read(ModelReader.parse("test", "layer", """
                {"class_name": "Dense", "config": {"name": "h", "units": 2, "activity_regularizer":
                 {"module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.25}}}}""")).layer();
        assertThat(read.activityRegularizer().kerasConfig()).isEqualTo(Regularizers.l2(0.25).kerasConfig());
        assertThatThrownBy(() -> new LayerReader(false).read(ModelReader.parse("test", "layer", """
                {"class_name": "ActivityRegularization", "config": {"name": "a", "l1": 0.1, "activity_regularizer":
                 {"module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.25}}}}""")))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("activity_regularizer")
                .hasMessageContaining("takes no activity_regularizer");
        assertThat(new ActivityRegularization(0.1, 0).activityRegularizer()).isNull();
    }

    @Test
    void aLegacyH5WithSpectralNormalizationListsTheWrappedKernelOnceAndLoads() throws IOException {
        // Keras's legacy weight_names: [dense/kernel, dense/bias, vector_u], trainable first, the kernel once
        KerasModel m = Models.load(resource("normreg_legacy.h5"));
        Tensor x = Npy.read(resource("normreg_legacy.x0.npy")).tensor();
        assertClose("normreg_legacy predict", m.predict(x).toArray(), Npy.read(resource("normreg_legacy.y.npy")).values());
        assertThat(m.layers().get(3).activityRegularizer()).as("the LSTM's activity_regularizer from the h5 config")
                .isNotNull();
    }

    @Test
    void aCustomLayersActivityRegularizerIsWrittenAndReadBack() throws IOException {
        Input a = Input.shape(Input.NONE, 2).named("a");
        TemporalAttention t = new TemporalAttention();
        t.activityRegularizer(Regularizers.l2(0.5));
        Model model = Model.of(a, new Dense(2).apply(t.apply(new LSTM(4).returnSequences(true).apply(a))));
        Path file = tmp.resolve("custom.keras");
        Models.save(model, file);
        KerasModel back = Models.load(file, CustomLayersKerasWrittenTest.CUSTOM);
        assertThat(back.layer(t.name()).activityRegularizer().kerasConfig()).as("the custom layer's, via its base keys")
                .isEqualTo(Regularizers.l2(0.5).kerasConfig());
    }

    /** A small fixed batch (2, 4, 2). */
    private static final class GradCheckData {
        static Tensor x() {
            float[] v = new float[16];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) Math.sin(i + 1);
            }
            return Tensor.of(v, 2, 4, 2);
        }
    }

    /**
     * A regularizer entry as it means: class and factors as float32 (Keras's L1 writes its float32
     * factor widened, 0.029999999329447746, rnn4j the decimal 0.03), without Keras's
     * shared_object_id bookkeeping or the null registered_name.
     */
    @SuppressWarnings("unchecked")
    private static Object comparable(Object entry) {
        if (!(entry instanceof Map<?, ?> m)) {
            return entry;
        }
        Map<String, Object> factors = new LinkedHashMap<>();
        ((Map<String, Object>) m.get("config")).forEach((k, v) -> factors.put(k, ((Number) v).floatValue()));
        return Map.of("module", m.get("module"), "class_name", m.get("class_name"), "config", factors);
    }

    /** Each layer's activity_regularizer entry (null when absent), by layer name, nested layers included. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> activityRegularizers(Path file) throws IOException {
        Map<String, Object> root = ModelReader.parse(file.toString(), "config.json", SaveTest.entry(file,
                "config.json"));
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object l : (List<Object>) ((Map<String, Object>) root.get("config")).get("layers")) {
            collect((Map<String, Object>) l, out);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Map<String, Object> layer, Map<String, Object> out) {
        Map<String, Object> c = (Map<String, Object>) layer.get("config");
        if (!"InputLayer".equals(layer.get("class_name"))) {
            out.put(String.valueOf(c.get("name")), comparable(c.get("activity_regularizer")));
        }
        for (String nested : List.of("layer", "backward_layer")) {
            if (c.get(nested) instanceof Map<?, ?> n) {
                collect((Map<String, Object>) n, out);
            }
        }
    }
}
