package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Autograd;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Keras's own numbers: all 35 keras-js layer cases (Keras 2.1 wrote the expected outputs; weights
 * set from the files in get_weights() order; configurations from keras-js's notebooks, see
 * shared/keras-fixtures/README.md) and frugally-deep's GRU toy, reproduced to 1e-5 (the inputs and
 * weights in the files are rounded to 6 decimals).
 */
class KerasFixtureTest {
    private static final double TOLERANCE = 1e-5;

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> all = new ArrayList<>();
        for (String file : new String[] {"SimpleRNN", "LSTM", "GRU", "Bidirectional"}) {
            @SuppressWarnings("unchecked")
            Map<String, Object> cases = (Map<String, Object>) Json.parse(read(file + ".json"));
            for (Map.Entry<String, Object> e : cases.entrySet()) {
                all.add(Arguments.of(e.getKey(), e.getValue()));
            }
        }
        assertThat(all).as("keras-js cases").hasSize(35);
        return all.stream();
    }

    private static String read(String file) throws IOException {
        try (InputStream in = KerasFixtureTest.class.getResourceAsStream(
                "/keras-fixtures/kerasjs-layer-tests/" + file)) {
            assertThat(in).as("fixture %s on the test class path", file).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void reproducesKeras(String id, Object data) {
        Map<String, Object> c = (Map<String, Object>) data;
        Tensor x = tensor((Map<String, Object>) c.get("input"), true);
        Map<String, Object> expected = (Map<String, Object>) c.get("expected");
        List<Tensor> weights = new ArrayList<>();
        for (Object w : (List<Object>) c.get("weights")) {
            weights.add(tensor((Map<String, Object>) w, false));
        }
        String[] parts = id.split("\\.");
        int n = Integer.parseInt(parts[2]);
        Layer layer = parts[1].equals("Bidirectional") ? bidirectional(n) : recurrent(parts[1], n);
        Sequential model = Sequential.of(Input.shape(x.dim(1), x.dim(2)), layer);
        model.setWeights(weights);
        Tensor y = model.predict(x);
        if (!parts[1].equals("Bidirectional") && n >= 5) {
            // Stateful cases: Keras's expected output is the SECOND predict, from the carried states.
            y = model.predict(x);
        }
        float[] want = floats(expected.get("data"));
        assertThat(y.size()).as("%s output size", id).isEqualTo(want.length);
        float[] got = y.toArray();
        for (int i = 0; i < want.length; i++) {
            assertThat((double) got[i]).as("%s element %d", id, i).isCloseTo(want[i],
                    org.assertj.core.data.Offset.offset(TOLERANCE));
        }
    }

    /** keras-js recurrent case n of SimpleRNN, LSTM or GRU (Keras 2.1: GRU reset_after=false, hard_sigmoid = 0.2x+0.5). */
    private static Layer recurrent(String kind, int n) {
        int units = n == 1 ? 5 : 4;
        Recurrent<?> r = switch (kind) {
            case "SimpleRNN" -> new SimpleRNN(units);
            case "LSTM" -> new LSTM(units).recurrentActivation(n == 1 ? Activation.SIGMOID
                    : Activation.HARD_SIGMOID_KERAS2);
            case "GRU" -> new GRU(units).resetAfter(false).recurrentActivation(n == 1 ? Activation.SIGMOID
                    : Activation.HARD_SIGMOID_KERAS2);
            default -> throw new IllegalArgumentException(kind);
        };
        r.activation(n == 1 ? Activation.SIGMOID : Activation.TANH);
        r.returnSequences(n == 2 || n == 4 || n == 6 || n == 8);
        r.goBackwards(n == 3 || n == 4 || n == 7 || n == 8);
        r.stateful(n >= 5);
        if (n == 8 && !kind.equals("LSTM")) {
            r.useBias(false);
        }
        return r;
    }

    /** keras-js wrappers.Bidirectional case n: units 4, tanh, hard_sigmoid (Keras 2). */
    private static Layer bidirectional(int n) {
        Recurrent<?> inner = switch (n) {
            case 5 -> new GRU(4).resetAfter(false).recurrentActivation(Activation.HARD_SIGMOID_KERAS2);
            case 6 -> new LSTM(4).recurrentActivation(Activation.HARD_SIGMOID_KERAS2);
            default -> new SimpleRNN(4);
        };
        inner.returnSequences(n >= 4);
        MergeMode mode = switch (n) {
            case 0, 7 -> MergeMode.SUM;
            case 1 -> MergeMode.MUL;
            case 3 -> MergeMode.AVE;
            default -> MergeMode.CONCAT;
        };
        return new Bidirectional(inner, mode);
    }

    @Test
    void frugallyDeepGruToyWithInitialStateAndStatefulCarry() {
        // GRU(1, activation=None, use_bias=False, return_sequences=True, reset_after=True,
        // recurrent_activation=sigmoid); kernel [[1,-2,3]], recurrent_kernel [[-0.5,2,-1.1]];
        // x = [[[1],[0],[0]]], initial_state [[10]] (frugally-deep @52fc908 test/stateful_test).
        GRU gru = new GRU(1).activation(Activation.LINEAR).useBias(false).returnSequences(true).stateful(true);
        gru.build(Shape.of(3, 1));
        gru.setWeights(List.of(Tensor.of(new float[] {1, -2, 3}, 1, 3), Tensor.of(new float[] {-0.5f, 2, -1.1f}, 1, 3)));
        Tensor x = Tensor.of(new float[] {1, 0, 0}, 1, 3, 1);
        Variable h0 = Variable.constant(Tensor.of(new float[] {10}, 1, 1));
        try (var _ = Autograd.noGrad()) {
            RnnOutput first = gru.run(Variable.constant(x), null, List.of(h0), CallContext.inference());
            assertClose("stateless / first call (TF 2.0 and 2.1)", first.output().value(),
                    -7.676248, -7.5144324, -7.3429837);
            // TF 2.1's stateful model, called again, starts from the carried state -7.3429837.
            RnnOutput second = gru.run(Variable.constant(x), null, null, CallContext.inference());
            assertClose("stateful second call (TF 2.1)", second.output().value(), -7.247089, -7.058707, -6.857616);
            gru.resetStates();
            RnnOutput again = gru.run(Variable.constant(x), null, List.of(h0), CallContext.inference());
            assertClose("after reset_states", again.output().value(), -7.676248, -7.5144324, -7.3429837);
        }
    }

    private static void assertClose(String what, Tensor t, double... want) {
        float[] got = t.toArray();
        assertThat(got).as(what).hasSize(want.length);
        for (int i = 0; i < want.length; i++) {
            assertThat((double) got[i]).as("%s [%d]", what, i).isCloseTo(want[i],
                    org.assertj.core.data.Offset.offset(TOLERANCE));
        }
    }

    @SuppressWarnings("unchecked")
    private static Tensor tensor(Map<String, Object> t, boolean addBatch) {
        List<Object> shape = (List<Object>) t.get("shape");
        int[] dims = new int[shape.size() + (addBatch ? 1 : 0)];
        int at = 0;
        if (addBatch) {
            dims[at++] = 1;
        }
        for (Object d : shape) {
            dims[at++] = ((Double) d).intValue();
        }
        return Tensor.of(floats(t.get("data")), dims);
    }

    @SuppressWarnings("unchecked")
    private static float[] floats(Object list) {
        List<Object> l = (List<Object>) list;
        float[] f = new float[l.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = ((Double) l.get(i)).floatValue();
        }
        return f;
    }
}
