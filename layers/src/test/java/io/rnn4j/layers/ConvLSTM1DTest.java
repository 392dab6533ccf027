package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.model.Model;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ConvLSTM1D's forward pass against a float64 reference written with plain loops
 * ({@link ConvLstmReference}) for "valid" and "same" padding, strides, dilation, odd and even
 * kernels, go_backwards, return_sequences / return_state, initial_state, masks (a first step
 * masked, a step masked for every sample, trailing steps masked, zero_output_for_mask), a stateful
 * layer over two calls, and dropout's masks in training (four per gate, fixed over time, scaled by
 * 1 / (1 − rate)); bar {@code 1e-5 + 1e-5·|reference|}. Keras's own numbers from
 * conv_lstm1d_test.py::test_correctness to 2e-6. Seed 23.
 */
class ConvLSTM1DTest {
    static final long SEED = 23;
    private final Random r = new Random(SEED);

    /** A built layer with random weights (bias too) in [-0.5, 0.5), returned with its reference. */
    private ConvLstmReference reference(ConvLSTM1D layer, int b, int t, int s, int c) {
        layer.build(List.of(Shape.of(t, s, c)), Devices.defaultDevice(), Seeds.of(SEED));
        for (Weight w : layer.weights()) {
            w.set(uniform(r, -0.5f, 0.5f, w.shape().dims()));
        }
        ConvLstmReference ref = new ConvLstmReference(b, t, s, c, layer.filters(), layer.kernelSize());
        ref.stride = layer.strides();
        ref.dilation = layer.dilationRate();
        ref.padding = layer.padding();
        ref.backwards = layer.goBackwards();
        ref.zeroOutputForMask = layer.zeroOutputForMask();
        ref.kernel = layer.weights().get(0).value().toArray();
        ref.recurrent = layer.weights().get(1).value().toArray();
        ref.bias = layer.useBias() ? layer.weights().get(2).value().toArray() : null;
        ref.x = uniform(r, -1, 1, b, t, s, c).toArray();
        return ref;
    }

    private static Variable input(ConvLstmReference ref) {
        return Variable.constant(Tensor.of(ref.x, ref.batch, ref.time, ref.steps, ref.channels));
    }

    static void assertClose(String what, Tensor actual, double[] expected) {
        float[] a = actual.toArray();
        assertThat(a).as("%s: size", what).hasSize(expected.length);
        for (int i = 0; i < a.length; i++) {
            assertThat((double) a[i]).as("%s %s element %d (seed %d, bar 1e-5 + 1e-5|reference|)", what,
                    actual.shape(), i, SEED).isCloseTo(expected[i],
                    org.assertj.core.data.Offset.offset(1e-5 + 1e-5 * Math.abs(expected[i])));
        }
    }

    @ParameterizedTest(name = "{0} strides {1} dilation {2} kernel {3} on {4} steps, go_backwards {5}")
    @CsvSource({
        "valid, 1, 1, 3, 7, false",
        "same, 1, 1, 3, 7, false",
        "same, 1, 1, 4, 6, true",  // even kernel: TensorFlow's odd padding step on the right, both convolutions
        "valid, 2, 1, 3, 8, false",
        "same, 2, 1, 3, 7, true",
        "same, 3, 1, 2, 8, false",
        "valid, 1, 2, 3, 9, true",
        "same, 1, 2, 2, 5, false",
        "valid, 1, 1, 1, 4, false",
        "SAME, 1, 1, 5, 3, false"  // a kernel wider than the state: the recurrent padding exceeds the steps
    })
    void forwardMatchesTheFloat64Reference(String padding, int strides, int dilation, int k, int steps,
            boolean backwards) {
        System.out.println("ConvLSTM1DTest seed " + SEED);
        int b = 2;
        int t = 4;
        ConvLSTM1D layer = new ConvLSTM1D(3, k).padding(padding).strides(strides).dilationRate(dilation)
                .goBackwards(backwards).returnSequences(true).returnState(true);
        ConvLstmReference ref = reference(layer, b, t, steps, 2).run();
        String what = padding + " s" + strides + " d" + dilation + " k" + k + " S" + steps;
        List<Variable> out = layer.callAll(List.of(input(ref)), null, CallContext.inference());
        assertThat(out).hasSize(3);
        int o = ref.outSteps();
        assertThat(out.get(0).shape()).isEqualTo(Shape.of(b, t, o, 3));
        assertThat(layer.outputShape()).isEqualTo(Shape.of(t, o, 3));
        assertClose(what + " sequence", out.get(0).value(), ref.sequence);
        assertClose(what + " final h", out.get(1).value(), ref.h);
        assertClose(what + " final c", out.get(2).value(), ref.c);
        // Without return_sequences: the last step's output, same weights.
        ConvLSTM1D last = new ConvLSTM1D(3, k).padding(padding).strides(strides).dilationRate(dilation)
                .goBackwards(backwards);
        last.build(Shape.of(t, steps, 2));
        last.setWeights(layer.getWeights());
        Tensor y = last.call(input(ref), null, CallContext.inference()).value();
        assertThat(y.shape()).isEqualTo(Shape.of(b, o, 3));
        assertClose(what + " last output", y, ref.last());
    }

    /** keras/src/layers/rnn/conv_lstm1d_test.py::test_correctness: Keras's expected output, verbatim. */
    @Test
    void kerasOwnTestCorrectnessNumbers() {
        float[] seq = new float[120];
        for (int i = 0; i < seq.length; i++) {
            seq[i] = (float) i / 10;  // np.arange(120) / 10 in float32
        }
        ConvLSTM1D layer = new ConvLSTM1D(2, 3).kernelInitializer(Initializers.constant(0.01f))
                .recurrentInitializer(Initializers.constant(0.02f)).biasInitializer(Initializers.constant(0.03f));
        layer.build(Shape.of(3, 4, 5));
        assertThat(layer.weights().get(2).value().toArray()).as("unit_forget_bias on Constant(0.03)")
                .containsExactly(0.03f, 0.03f, 1f, 1f, 0.03f, 0.03f, 0.03f, 0.03f);
        Tensor y = layer.call(Variable.constant(Tensor.of(seq, 2, 3, 4, 5)), null, CallContext.inference()).value();
        double[] expected = {0.40807986, 0.40807986, 0.46421072, 0.46421072, 0.80933154, 0.80933154, 0.8233646,
            0.8233646};
        assertThat(y.shape()).isEqualTo(Shape.of(2, 2, 2));
        float[] a = y.toArray();
        for (int i = 0; i < a.length; i++) {
            assertThat((double) a[i]).as("element %d, Keras's value to 2e-6", i)
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(2e-6));
        }
    }

    /** Row 0 all steps; row 1 loses its first and third; row 2 its third and last two: step 2 is masked for all. */
    private static final float[] MASK = {1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 0};

    @ParameterizedTest(name = "go_backwards {0}, zero_output_for_mask {1}")
    @CsvSource({"false, false", "true, false", "false, true", "true, true"})
    void maskedStepsKeepTheStatesAndRepeatTheOutput(boolean backwards, boolean zeroOutput) {
        ConvLSTM1D layer = new ConvLSTM1D(2, 3).padding("same").goBackwards(backwards).zeroOutputForMask(zeroOutput)
                .returnSequences(true).returnState(true);
        ConvLstmReference ref = reference(layer, 3, 5, 4, 3);
        ref.mask = MASK;
        ref.run();
        Tensor mask = Tensor.of(MASK, 3, 5);
        RnnOutput o = layer.run(input(ref), mask, null, CallContext.inference());
        String what = "masked, go_backwards " + backwards + ", zero_output_for_mask " + zeroOutput;
        assertClose(what + " sequence", o.output().value(), ref.sequence);
        assertClose(what + " h", o.states().get(0).value(), ref.h);
        assertClose(what + " c", o.states().get(1).value(), ref.c);
        List<Tensor> masks = layer.computeMasks(List.of(input(ref)), Arrays.asList(mask));
        assertThat(masks).hasSize(3);
        assertThat(masks.get(0)).as("return_sequences passes the mask on").isSameAs(mask);
        assertThat(masks.subList(1, 3)).containsOnlyNulls();
        ConvLSTM1D last = new ConvLSTM1D(2, 3).padding("same").goBackwards(backwards).zeroOutputForMask(zeroOutput);
        last.build(Shape.of(5, 4, 3));
        last.setWeights(layer.getWeights());
        assertClose(what + " last output", last.call(input(ref), mask, CallContext.inference()).value(), ref.last());
        assertThat(last.computeMask(input(ref), mask)).as("no mask without return_sequences").isNull();
    }

    @Test
    void initialStateIsWhereTheSequenceStarts() {
        ConvLSTM1D layer = new ConvLSTM1D(3, 2).padding("same").returnSequences(true);
        ConvLstmReference ref = reference(layer, 2, 3, 5, 2);
        ref.h0 = uniform(r, -1, 1, 2, 5, 3).toArray();
        ref.c0 = uniform(r, -1, 1, 2, 5, 3).toArray();
        ref.run();
        RnnOutput o = layer.run(input(ref), null, List.of(Variable.constant(Tensor.of(ref.h0, 2, 5, 3)),
                Variable.constant(Tensor.of(ref.c0, 2, 5, 3))), CallContext.inference());
        assertClose("from initial_state: sequence", o.output().value(), ref.sequence);
        assertClose("from initial_state: h", o.states().get(0).value(), ref.h);
        assertClose("from initial_state: c", o.states().get(1).value(), ref.c);
        // Through the functional API: Input (3, 5, 2) and the states as inputs, return_state outputs.
        ConvLSTM1D f = new ConvLSTM1D(3, 2).padding("same").returnState(true);
        Input x = Input.shape(Input.NONE, 5, 2);
        Input h = Input.shape(5, 3);
        Input c = Input.shape(5, 3);
        List<SymbolicTensor> outs = f.applyAll(x, List.of(h, c));
        assertThat(outs).extracting(SymbolicTensor::shape).containsExactly(Shape.of(5, 3), Shape.of(5, 3),
                Shape.of(5, 3));
        f.setWeights(layer.getWeights());
        var model = Model.of(List.of(x, h, c), outs);
        List<Tensor> y = model.predict(List.of(Tensor.of(ref.x, 2, 3, 5, 2), Tensor.of(ref.h0, 2, 5, 3),
                Tensor.of(ref.c0, 2, 5, 3)));
        assertClose("functional: output", y.get(0), ref.last());
        assertClose("functional: h", y.get(1), ref.h);
        assertClose("functional: c", y.get(2), ref.c);
    }

    @Test
    void aStatefulLayerCarriesItsStatesAcrossCallsUntilReset() {
        ConvLSTM1D layer = new ConvLSTM1D(2, 3).stateful(true).returnSequences(true);
        ConvLstmReference whole = reference(layer, 2, 6, 5, 2).run();
        // Calls on steps 0-2 and 3-5 give what one call on the 6 steps gives.
        float[][] halves = new float[2][2 * 3 * 5 * 2];
        for (int b = 0; b < 2; b++) {
            for (int half = 0; half < 2; half++) {
                System.arraycopy(whole.x, (b * 6 + half * 3) * 10, halves[half], b * 3 * 10, 3 * 10);
            }
        }
        Tensor first = layer.call(Variable.constant(Tensor.of(halves[0], 2, 3, 5, 2)), null,
                CallContext.inference()).value();
        Tensor second = layer.call(Variable.constant(Tensor.of(halves[1], 2, 3, 5, 2)), null,
                CallContext.inference()).value();
        double[] expected = whole.sequence;
        int state = 3 * 2;
        double[][] parts = new double[2][2 * 3 * state];
        for (int b = 0; b < 2; b++) {
            for (int half = 0; half < 2; half++) {
                System.arraycopy(expected, (b * 6 + half * 3) * state, parts[half], b * 3 * state, 3 * state);
            }
        }
        assertClose("stateful call 1", first, parts[0]);
        assertClose("stateful call 2, from call 1's states", second, parts[1]);
        assertThat(layer.states()).hasSize(2);
        assertClose("carried h", layer.states().get(0), whole.h);
        assertThat(layer.fixedBatchSize()).isEqualTo(2);
        layer.resetStates();
        assertThat(layer.states().get(0).toArray()).containsOnly(0f);
        assertThat(layer.states().get(1).toArray()).containsOnly(0f);
        Tensor again = layer.call(Variable.constant(Tensor.of(halves[0], 2, 3, 5, 2)), null,
                CallContext.inference()).value();
        assertThat(again.toArray()).as("after reset_states, as the first call").isEqualTo(first.toArray());
    }

    /**
     * Dropout in training is Keras's: four input masks (one per gate) over (batch, steps, channels)
     * and four recurrent masks over h, each element kept with probability 1 − rate and scaled by
     * 1 / (1 − rate), the same at every time step. The masks are drawn here from the call's stream
     * in the layer's order (the four input masks, then the four recurrent ones, row-major) and given
     * to the reference.
     */
    @Test
    void dropoutDrawsFourMasksPerGateFixedOverTime() {
        float rate = 0.4f;
        float recurrentRate = 0.3f;
        ConvLSTM1D layer = new ConvLSTM1D(2, 3).padding("same").dropout(rate).recurrentDropout(recurrentRate)
                .returnSequences(true);
        ConvLstmReference ref = reference(layer, 2, 4, 5, 3);
        RandomGenerator stream = Seeds.of(99);
        ref.inputDrop = draws(stream, 4, 2 * 5 * 3, rate);
        ref.recurrentDrop = draws(stream, 4, 2 * 5 * 2, recurrentRate);
        ref.run();
        Tensor y = layer.call(input(ref), null, CallContext.training(Seeds.of(99))).value();
        assertClose("dropout in training", y, ref.sequence);
        ref.inputDrop = null;
        ref.recurrentDrop = null;
        ref.run();
        assertClose("no dropout at inference", layer.call(input(ref), null, CallContext.inference()).value(),
                ref.sequence);
    }

    /** Keras's DropoutRNNCell mask: kept (scaled by 1 / (1 − rate)) where the draw is below 1 − rate. */
    private static float[][] draws(RandomGenerator stream, int count, int n, float rate) {
        float scale = (float) (1.0 / (1.0 - KerasConfig.decimal(rate)));
        float[][] m = new float[count][n];
        for (float[] one : m) {
            for (int i = 0; i < n; i++) {
                one[i] = stream.nextFloat() < 1f - rate ? scale : 0f;
            }
        }
        return m;
    }

    /** Keras clamps the rates to [0, 1] and drops only strictly between: 0 and 1 change nothing in training. */
    @Test
    void ratesAreClampedAndOnlyRatesStrictlyBetween0And1Drop() {
        assertThat(new ConvLSTM1D(2, 3).dropout(1.5f).dropout()).isEqualTo(1f);
        assertThat(new ConvLSTM1D(2, 3).recurrentDropout(-0.2f).recurrentDropout()).isEqualTo(0f);
        ConvLSTM1D layer = new ConvLSTM1D(2, 3).dropout(1f).recurrentDropout(1f);
        ConvLstmReference ref = reference(layer, 2, 3, 5, 2).run();
        assertClose("rate 1 in training drops nothing", layer.call(input(ref), null,
                CallContext.training(Seeds.of(3))).value(), ref.last());
    }

    /** Any activation Keras takes: softmax acts on the last axis (the filters), as Keras's activations do. */
    @Test
    void otherActivationsAreKerasFormulas() {
        ConvLSTM1D layer = new ConvLSTM1D(3, 2).activation("relu").recurrentActivation("hard_sigmoid")
                .returnSequences(true);
        ConvLstmReference ref = reference(layer, 2, 3, 4, 2);
        ref.activation = v -> Math.max(0, v);
        ref.recurrentActivation = v -> Math.min(Math.max(v + 3, 0), 6) / 6;  // Keras 3: relu6(x + 3) / 6
        ref.run();
        assertClose("relu / hard_sigmoid", layer.call(input(ref), null, CallContext.inference()).value(),
                ref.sequence);
    }

    @Test
    void zeroTimeStepsGiveTheInitialStates() {
        ConvLSTM1D seq = new ConvLSTM1D(2, 3).returnSequences(true).returnState(true);
        seq.build(Shape.withUnknown(Input.NONE, 5, 2));
        List<Variable> out = seq.callAll(List.of(Variable.constant(Tensor.zeros(3, 0, 5, 2))), null,
                CallContext.inference());
        assertThat(out.get(0).shape()).isEqualTo(Shape.of(3, 0, 3, 2));
        assertThat(out.get(1).value().toArray()).hasSize(18).containsOnly(0f);
        ConvLSTM1D last = new ConvLSTM1D(2, 3);
        last.build(Shape.withUnknown(Input.NONE, 5, 2));
        Tensor h0 = uniform(r, -1, 1, 3, 3, 2);
        Tensor y = last.run(Variable.constant(Tensor.zeros(3, 0, 5, 2)), null, List.of(Variable.constant(h0),
                Variable.constant(h0)), CallContext.inference()).output().value();
        assertThat(y.toArray()).as("no step: the initial h").isEqualTo(h0.toArray());
    }
}
