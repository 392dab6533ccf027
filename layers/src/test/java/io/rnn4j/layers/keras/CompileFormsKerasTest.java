package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.model.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every form of {@code compile(...)} a Keras 3.15.1 user writes, as Keras's get_compile_config() saves it
 * (keras3151/make_compile_forms.py, compile_forms.json): each keras.losses function as an object (module
 * "builtins", registered_name "function"), losses by name and as instances, metrics as functions, names
 * and instances, per-output lists and dicts, loss_weights and weighted_metrics. rnn4j reads each to the
 * training setup Keras rebuilds: evaluate on the same weights and data logs Keras's keys and values
 * (bar 1e-5 + 1e-5·|y|); what rnn4j writes back for it reads again to the same values.
 */
class CompileFormsKerasTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> fixture() throws IOException {
        return (Map<String, Object>) Json.parse(Files.readString(resource("compile_forms.json")));
    }

    @SuppressWarnings("unchecked")
    static Stream<String> cases() throws IOException {
        return ((Map<String, Object>) fixture().get("cases")).keySet().stream();
    }

    private static void flatten(Object o, List<Double> out) {
        if (o instanceof List<?> l) {
            l.forEach(e -> flatten(e, out));
        } else {
            out.add(((Number) o).doubleValue());
        }
    }

    private static Tensor tensor(Object nested, int... dims) {
        List<Double> flat = new ArrayList<>();
        flatten(nested, flat);
        float[] v = new float[flat.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = flat.get(i).floatValue();
        }
        return Tensor.of(v, dims);
    }

    @SuppressWarnings("unchecked")
    private static Model model(Map<String, Object> f, boolean two) {
        Input in = Input.shape(3).named("x");
        SymbolicTensor a = new Dense(2, Activation.SIGMOID).named("a").apply(in);
        SymbolicTensor b = new Dense(3, Activation.SOFTMAX).named("b").apply(in);
        Model m = two ? Model.of(List.of(in), List.of(a, b)) : Model.of(List.of(in), List.of(b));
        List<Object> wa = (List<Object>) f.get("wa");
        List<Object> wb = (List<Object>) f.get("wb");
        List<Tensor> w = new ArrayList<>();
        if (two) {
            w.add(tensor(wa.get(0), 3, 2));
            w.add(tensor(wa.get(1), 2));
        }
        w.add(tensor(wb.get(0), 3, 3));
        w.add(tensor(wb.get(1), 3));
        assertThat(m.weights()).hasSameSizeAs(w);
        for (int i = 0; i < w.size(); i++) {
            m.weights().get(i).set(w.get(i));
        }
        return m;
    }

    private static Map<String, Double> evaluate(Map<String, Object> f, Map<String, Object> c, Map<String, Object> config) {
        boolean two = Boolean.TRUE.equals(c.get("two"));
        Model m = model(f, two);
        List<String> outputs = two ? List.of("a", "b") : List.of("b");
        CompileConfig.Setup s = CompileConfig.read("compile_forms", config, outputs);
        m.compile(s.optimizer(), s.losses(), s.lossWeights(), s.metrics(), s.weightedMetrics());
        Tensor x = tensor(f.get("x"), 6, 3);
        Tensor yb = Boolean.TRUE.equals(c.get("sparse")) ? tensor(f.get("ids"), 6) : tensor(f.get("yb"), 6, 3);
        List<Tensor> y = two ? List.of(tensor(f.get("ya"), 6, 2), yb) : List.of(yb);
        Tensor sw = Boolean.TRUE.equals(c.get("weighted")) ? tensor(f.get("sw"), 6) : null;
        return new TreeMap<>(m.evaluate(List.of(x), y, sw, 32).asMap());
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsToKerassEvaluationAndWritesWhatReadsBack(String name) throws IOException {
        Map<String, Object> f = fixture();
        Map<String, Object> c = (Map<String, Object>) ((Map<String, Object>) f.get("cases")).get(name);
        Map<String, Object> config = (Map<String, Object>) c.get("compile_config");
        Map<String, Double> want = new TreeMap<>();
        ((Map<String, Object>) c.get("evaluate")).forEach((k, v) -> want.put(k, ((Number) v).doubleValue()));
        Map<String, Double> got = evaluate(f, c, config);
        assertThat(got.keySet()).as("%s: the logged names", name).isEqualTo(want.keySet());
        for (String k : want.keySet()) {
            assertClose(name + " " + k, new float[] {got.get(k).floatValue()}, new double[] {want.get(k)});
        }
        // rnn4j's own compile_config of that setup, as JSON text, reads to the same numbers
        boolean two = Boolean.TRUE.equals(c.get("two"));
        CompileConfig.Setup s = CompileConfig.read(name, config, two ? List.of("a", "b") : List.of("b"));
        List<String> missing = new ArrayList<>();
        Map<String, Object> written = CompileConfig.of(s, !two, missing).orElseThrow(() -> new AssertionError(
                name + ": rnn4j writes no compile_config, missing " + missing));
        Map<String, Object> back = (Map<String, Object>) Json.parse(Json.write(written));
        Map<String, Double> again = evaluate(f, c, back);
        assertThat(again).as("%s: evaluate after rnn4j's compile_config", name).isEqualTo(got);
    }
}
