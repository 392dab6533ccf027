package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Autograd;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keras's semantics, checked as properties that hold whatever the numbers: masked padding equals
 * truncation, go_backwards equals running on the reversed sequence, Bidirectional zeroes masked
 * outputs and reverses its backward sequence, the layers around the recurrent ones compute what
 * Keras defines (float64 references), and weights have Keras's shapes, order and counts. Seed 3.
 */
class LayerSemanticsTest {
    private final Random r = new Random(3);

    private static Tensor run(Layer l, Tensor x, Tensor mask) {
        try (var _ = Autograd.noGrad()) {
            return l.call(Variable.constant(x), mask, CallContext.inference()).value();
        }
    }

    private static void assertAllClose(String what, float[] got, float[] want, double tol) {
        assertThat(got).as(what).hasSize(want.length);
        for (int i = 0; i < want.length; i++) {
            assertThat((double) got[i]).as("%s [%d]", what, i).isCloseTo(want[i], within(tol));
        }
    }

    @Test
    void denseIsXTimesKernelPlusBiasThenActivation() {
        Dense d = new Dense(3, "tanh");
        d.build(Shape.of(4));
        Tensor x = uniform(r, -1, 1, 2, 4);
        float[] k = d.weights().get(0).value().toArray();
        d.weights().get(1).set(Tensor.of(new float[] {0.1f, -0.2f, 0.3f}, 3));
        float[] b = {0.1f, -0.2f, 0.3f};
        float[] xv = x.toArray();
        float[] y = run(d, x, null).toArray();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                double s = b[j];
                for (int p = 0; p < 4; p++) {
                    s += (double) xv[i * 4 + p] * k[p * 3 + j];
                }
                assertThat((double) y[i * 3 + j]).isCloseTo(Math.tanh(s), within(1e-6));
            }
        }
    }

    @Test
    void maskedPaddingGivesWhatTheTruncatedSequenceGives() {
        for (Recurrent<?> layer : List.of(new LSTM(3), new GRU(3), new SimpleRNN(3), new GRU(3).resetAfter(false))) {
            Masking masking = new Masking();
            masking.build(Shape.of(5, 2));
            layer.build(Shape.of(5, 2));
            // Sample 0: 3 real steps then 2 padding steps of zeros.
            float[] real = uniform(r, -1, 1, 1, 3, 2).toArray();
            float[] padded = Arrays.copyOf(real, 10);
            Tensor xPadded = Tensor.of(padded, 1, 5, 2);
            Variable v = Variable.constant(xPadded);
            Tensor mask = masking.computeMask(v, null);
            assertThat(mask.toArray()).containsExactly(1, 1, 1, 0, 0);
            Tensor y = run(layer, run(masking, xPadded, null), mask);
            Recurrent<?> shortLayer = layer.copy("short_" + layer.name(), false);
            shortLayer.build(Shape.of(3, 2));
            shortLayer.setWeights(layer.getWeights());
            assertAllClose(layer.name() + " on padding vs truncated", y.toArray(),
                    run(shortLayer, Tensor.of(real, 1, 3, 2), null).toArray(), 1e-6);
        }
    }

    @Test
    void goBackwardsRunsTheReversedSequenceAndReturnsProcessingOrder() {
        LSTM back = new LSTM(2).goBackwards(true).returnSequences(true);
        back.build(Shape.of(4, 3));
        LSTM fwd = back.copy("fwd", false);
        fwd.build(Shape.of(4, 3));
        fwd.setWeights(back.getWeights());
        Tensor x = uniform(r, -1, 1, 2, 4, 3);
        Tensor reversed = x.device().zeros(x.shape());
        x.device().reverse(x, 1, reversed);
        assertAllClose("go_backwards == forward on reversed input", run(back, x, null).toArray(),
                run(fwd, reversed, null).toArray(), 1e-6);
    }

    @Test
    void bidirectionalZeroesMaskedStepsAndReversesTheBackwardSequence() {
        Bidirectional bi = new Bidirectional(new SimpleRNN(2).returnSequences(true), MergeMode.NONE);
        bi.build(Shape.of(3, 2));
        Tensor x = uniform(r, -1, 1, 1, 3, 2);
        Tensor mask = Tensor.of(new float[] {1, 1, 0}, 1, 3);
        List<Variable> out;
        try (var _ = Autograd.noGrad()) {
            out = bi.run(Variable.constant(x), mask, null, CallContext.inference());
        }
        float[] f = out.get(0).value().toArray();
        float[] b = out.get(1).value().toArray();
        // zero_output_for_mask = return_sequences: step 2 (masked) is zero in both directions.
        assertThat(Arrays.copyOfRange(f, 4, 6)).containsExactly(0f, 0f);
        assertThat(Arrays.copyOfRange(b, 4, 6)).containsExactly(0f, 0f);
        // The backward layer, run alone on the reversed sequence, gives its outputs in forward time once reversed.
        SimpleRNN alone = (SimpleRNN) bi.backwardLayer().copy("alone", false);
        alone.build(Shape.of(2, 2));
        alone.setWeights(bi.backwardLayer().getWeights());
        float[] xr = x.toArray();
        Tensor firstTwoReversed = Tensor.of(new float[] {xr[2], xr[3], xr[0], xr[1]}, 1, 2, 2);
        float[] ref = run(alone, firstTwoReversed, null).toArray();
        assertAllClose("backward output in forward time", Arrays.copyOfRange(b, 0, 4),
                new float[] {ref[2], ref[3], ref[0], ref[1]}, 1e-6);
        assertThat(bi.forwardLayer().name()).startsWith("forward_");
        assertThat(bi.backwardLayer().name()).startsWith("backward_");
        assertThat(bi.backwardLayer().goBackwards()).isTrue();
    }

    @Test
    void embeddingMaskZeroMasksTheRecurrentLayer() {
        Embedding e = new Embedding(6, 3).maskZero(true);
        e.build(Shape.of(4));
        GRU gru = new GRU(2);
        gru.build(Shape.of(4, 3));
        Tensor ids = Tensor.of(new float[] {0, 3, 5, 0}, 1, 4);
        Variable v = Variable.constant(ids);
        Tensor mask = e.computeMask(v, null);
        assertThat(mask.toArray()).containsExactly(0, 1, 1, 0);
        float[] table = e.weights().get(0).value().toArray();
        assertThat(run(e, ids, null).toArray()).startsWith(Arrays.copyOfRange(table, 0, 3));
        Tensor y = run(gru, run(e, ids, null), mask);
        GRU alone = gru.copy("alone", false);
        alone.build(Shape.of(2, 3));
        alone.setWeights(gru.getWeights());
        Tensor real = Tensor.of(concat(Arrays.copyOfRange(table, 9, 12), Arrays.copyOfRange(table, 15, 18)), 1, 2, 3);
        assertAllClose("leading and trailing ids 0 skipped", y.toArray(), run(alone, real, null).toArray(), 1e-6);
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void returnedStatesAreTheFinalStates() {
        LSTM lstm = new LSTM(3).returnState(true);
        lstm.build(Shape.of(4, 2));
        try (var _ = Autograd.noGrad()) {
            RnnOutput o = lstm.run(Variable.constant(uniform(r, -1, 1, 2, 4, 2)), null, null, CallContext.inference());
            assertThat(o.states()).hasSize(2);
            assertThat(o.output().value().toArray()).containsExactly(o.states().get(0).value().toArray());
            assertThat(o.states().get(1).shape()).isEqualTo(Shape.of(2, 3));
        }
    }

    @Test
    void shapeLayers() {
        RepeatVector rv = new RepeatVector(3);
        rv.build(Shape.of(2));
        assertThat(run(rv, Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), null).toArray())
                .containsExactly(1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4);
        Reshape rs = new Reshape(-1, 3);
        rs.build(Shape.of(2, 3));
        assertThat(rs.outputShape()).isEqualTo(Shape.of(2, 3));
        Flatten f = new Flatten();
        f.build(Shape.of(2, 3));
        assertThat(f.outputShape()).isEqualTo(Shape.of(6));
        Masking m = new Masking(2f);
        m.build(Shape.of(2, 2));
        assertThat(run(m, Tensor.of(new float[] {2, 2, 2, 1}, 1, 2, 2), null).toArray()).containsExactly(0, 0, 2, 1);
    }

    @Test
    void weightsHaveKerasShapesOrderAndCounts() {
        SimpleRNN s = new SimpleRNN(64);
        s.build(Shape.of(10, 1));
        assertThat(s.countParams()).isEqualTo(4224);
        LSTM l = new LSTM(64);
        l.build(Shape.of(10, 1));
        assertThat(l.countParams()).isEqualTo(16896);
        assertThat(l.weights().stream().map(Weight::name)).containsExactly("kernel", "recurrent_kernel", "bias");
        GRU g = new GRU(4);
        g.build(Shape.of(3, 6));
        assertThat(g.weights().get(2).shape()).isEqualTo(Shape.of(2, 12));
        assertThat(g.countParams()).isEqualTo(3 * 4 * (6 + 4 + 2));
        GRU old = new GRU(4).resetAfter(false);
        old.build(Shape.of(3, 6));
        assertThat(old.weights().get(2).shape()).isEqualTo(Shape.of(12));
        Bidirectional b = new Bidirectional(new LSTM(4));
        b.build(Shape.of(3, 6));
        assertThat(b.weights()).hasSize(6);
        assertThat(b.weights().get(0).path()).startsWith("forward_lstm");
        assertThat(b.outputShape()).isEqualTo(Shape.of(8));
    }

    @Test
    void lstmStartsWithUnitForgetBias() {
        LSTM l = new LSTM(3);
        l.build(Shape.of(2, 2));
        assertThat(l.weights().get(2).value().toArray()).containsExactly(0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0);
        LSTM plain = new LSTM(3).unitForgetBias(false);
        plain.build(Shape.of(2, 2));
        assertThat(plain.weights().get(2).value().toArray()).containsOnly(0f);
    }
}
