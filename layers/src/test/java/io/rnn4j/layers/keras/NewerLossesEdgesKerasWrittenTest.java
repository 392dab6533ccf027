package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.losses.Loss;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The focal crossentropies, Dice, Tversky, Circle and CategoricalGeneralizedCrossEntropy on edge
 * inputs, against Keras 3.15.1 on TensorFlow (keras3151/make_rev-ctc.py, rev-ctc.losses.json):
 * logits of ±50, probabilities of exactly 0 and 1, unnormalized probabilities, 3-D inputs with an
 * axis, Circle with sample weights. Each case is rebuilt from Keras's get_config; its unreduced
 * losses, its default reduction with the sample weights and that reduction's gradient w.r.t. the
 * predictions are Keras's (bar 1e-5 + 1e-5·|y|).
 */
class NewerLossesEdgesKerasWrittenTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> manifest() throws IOException {
        return (Map<String, Object>) Json.parse(Files.readString(resource("rev-ctc.losses.json")));
    }

    static Stream<String> cases() throws IOException {
        return manifest().keySet().stream();
    }

    /** A nested JSON list of numbers as a tensor of its shape. */
    private static Tensor tensor(Object nested) {
        List<Integer> dims = new ArrayList<>();
        for (Object o = nested; o instanceof List<?> l; o = l.get(0)) {
            dims.add(l.size());
        }
        List<Double> flat = new ArrayList<>();
        flatten(nested, flat);
        float[] v = new float[flat.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = flat.get(i).floatValue();
        }
        return Tensor.of(v, dims.stream().mapToInt(Integer::intValue).toArray());
    }

    private static void flatten(Object o, List<Double> out) {
        if (o instanceof List<?> l) {
            l.forEach(e -> flatten(e, out));
        } else {
            out.add(((Number) o).doubleValue());
        }
    }

    private static double[] numbers(Object nested) {
        List<Double> flat = new ArrayList<>();
        flatten(nested, flat);
        return flat.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void valuesAndGradientAreKeras(String name) throws IOException {
        Map<String, Object> c = (Map<String, Object>) manifest().get(name);
        Loss loss = NewerLosses.read(name, (String) c.get("class_name"), (Map<String, Object>) c.get("config"));
        Variable yTrue = Variable.constant(tensor(c.get("y_true")));
        Variable yPred = Variable.parameter(tensor(c.get("y_pred")));
        assertClose(name + " unreduced", loss.perSample(yTrue, Variable.constant(yPred.value())).value().toArray(),
                numbers(c.get("none")));
        Tensor sw = c.get("sample_weight") == null ? null : tensor(c.get("sample_weight"));
        Variable reduced = loss.compute(yTrue, yPred, sw);
        assertClose(name + " reduced", reduced.value().toArray(), numbers(c.get("loss")));
        reduced.backward();
        assertClose(name + " gradient of the reduced loss", yPred.grad().toArray(), numbers(c.get("grad")));
    }
}
