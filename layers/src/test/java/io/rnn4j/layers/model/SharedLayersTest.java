package io.rnn4j.layers.model;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.GradCheck;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.Subtract;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Autograd;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.optimizers.Optimizers;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A layer applied twice in one graph (a siamese encoder): one set of weights, two nodes; the
 * forward equals the layers called one by one (bit for bit), every weight's gradient — the shared
 * encoder's summed over both applications — matches float64 central differences, and training
 * moves the one set of weights. Seed 97.
 */
class SharedLayersTest {
    private static final long SEED = 97;
    private final Random r = new Random(SEED);

    private static Variable sumOf(List<Variable> outs) {
        Variable s = Ops.sumAll(outs.get(0));
        for (int i = 1; i < outs.size(); i++) {
            s = Ops.add(s, Ops.sumAll(outs.get(i)));
        }
        return s;
    }

    static List<Variable> parameters(List<Weight> weights) {
        return weights.stream().map(Weight::variable).toList();
    }

    @Test
    void aSiameseEncoderSharesItsWeightsAndSumsTheirGradients() {
        Seeds.set(SEED);
        Input left = Input.shape(4, 3).named("left");
        Input right = Input.shape(4, 3).named("right");
        LSTM encoder = new LSTM(5).named("encoder");
        SymbolicTensor a = encoder.apply(left);
        SymbolicTensor b = encoder.apply(right);
        Dense head = new Dense(1).named("head");
        Model m = Model.of(List.of(left, right), List.of(head.apply(new Subtract().apply(a, b))));

        assertThat(encoder.inboundNodes()).hasSize(2);
        assertThat(a.node().index()).isZero();
        assertThat(b.node().index()).isEqualTo(1);
        assertThat(m.layers()).filteredOn(l -> l == encoder).hasSize(1);
        assertThat(m.weights()).hasSize(5);
        assertThat(m.countParams()).isEqualTo(encoder.countParams() + head.countParams());
        assertThat(m.summary()).contains("left[0][0], right[0][0]");

        Tensor xa = uniform(r, -1, 1, 3, 4, 3);
        Tensor xb = uniform(r, -1, 1, 3, 4, 3);
        float[] got = m.predict(List.of(xa, xb)).get(0).toArray();
        float[] want;
        try (var _ = Autograd.noGrad()) {
            CallContext ctx = CallContext.inference();
            Variable ea = encoder.call(Variable.constant(xa), null, ctx);
            Variable eb = encoder.call(Variable.constant(xb), null, ctx);
            want = head.call(Ops.sub(ea, eb), null, ctx).value().toArray();
        }
        assertThat(got).containsExactly(want);

        GradCheck.checkParameters("siamese LSTM encoder", () -> sumOf(m.call(List.of(Variable.constant(xa),
                Variable.constant(xb)), CallContext.inference())), parameters(m.weights()));

        m.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        List<Tensor> before = encoder.getWeights();
        m.trainOnBatch(List.of(xa, xb), List.of(uniform(r, -1, 1, 3, 1)));
        List<Tensor> after = encoder.getWeights();
        assertThat(after.get(0).toArray()).isNotEqualTo(before.get(0).toArray());
    }

    @Test
    void aSharedLayerMustTakeTheShapeItWasBuiltFor() {
        Dense d = new Dense(2).named("shared");
        d.apply(Input.shape(3));
        assertThatThrownBy(() -> d.apply(Input.shape(4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Input of layer 'shared' (Dense) is incompatible with the layer: expected "
                        + "shape=(None, 3), found shape=(None, 4)");
    }

    @Test
    void aLayerAppliedTwiceInSequenceReusesItsWeights() {
        Seeds.set(SEED);
        Input in = Input.shape(6, 2);
        GRU g = new GRU(2).returnSequences(true).named("twice");
        Model m = Model.of(in, g.apply(g.apply(in)));
        assertThat(m.weights()).hasSize(3);
        Tensor x = uniform(r, -1, 1, 2, 6, 2);
        float[] want;
        try (var _ = Autograd.noGrad()) {
            CallContext ctx = CallContext.inference();
            want = g.call(g.call(Variable.constant(x), null, ctx), null, ctx).value().toArray();
        }
        assertThat(m.predict(x).toArray()).containsExactly(want);
        GradCheck.checkParameters("GRU applied to its own output", () -> sumOf(m.call(List.of(Variable.constant(x)),
                CallContext.inference())), parameters(m.weights()));
    }
}
