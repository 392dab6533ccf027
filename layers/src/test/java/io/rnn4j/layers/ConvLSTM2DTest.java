package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Model;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ConvLSTM2D's (and ConvLSTM3D's) forward pass against a float64 reference written with plain loops
 * ({@link ConvLstmGridReference}) for "valid" and "same" padding, strides and dilation per axis, odd,
 * even and 1×1 kernels, a kernel wider than the state, go_backwards, return_sequences /
 * return_state, initial_state (direct and functional), masks (go_backwards, zero_output_for_mask, a
 * step masked for every sample), a stateful layer over two calls, dropout's masks in training (four
 * per gate over the whole frame, fixed over time, scaled by 1 / (1 − rate)), other activations,
 * None and zero time steps; bar {@code 1e-5 + 1e-5·|reference|}. Seed 41.
 */
class ConvLSTM2DTest {
    static final long SEED = 41;
    private final Random r = new Random(SEED);

    /** A built layer with random weights (bias too) in [-0.5, 0.5), and its reference on input (b, t, spatial, c). */
    private ConvLstmGridReference reference(ConvLSTM<?> layer, int[] kernel, int[] strides, int[] dilation, int b,
            int t, int[] spatial, int c) {
        int[] sample = new int[spatial.length + 2];
        sample[0] = t;
        System.arraycopy(spatial, 0, sample, 1, spatial.length);
        sample[sample.length - 1] = c;
        layer.build(List.of(Shape.of(sample)), Devices.defaultDevice(), Seeds.of(SEED));
        for (Weight w : layer.weights()) {
            w.set(uniform(r, -0.5f, 0.5f, w.shape().dims()));
        }
        ConvLstmGridReference ref = new ConvLstmGridReference(b, t, spatial, c, layer.filters(), kernel);
        ref.stride = strides;
        ref.dilation = dilation;
        ref.padding = layer.padding();
        ref.backwards = layer.goBackwards();
        ref.zeroOutputForMask = layer.zeroOutputForMask();
        ref.kernel = layer.weights().get(0).value().toArray();
        ref.recurrent = layer.weights().get(1).value().toArray();
        ref.bias = layer.useBias() ? layer.weights().get(2).value().toArray() : null;
        int[] x = new int[sample.length + 1];
        x[0] = b;
        System.arraycopy(sample, 0, x, 1, sample.length);
        ref.x = uniform(r, -1, 1, x).toArray();
        return ref;
    }

    private ConvLstmGridReference reference(ConvLSTM2D layer, int b, int t, int rows, int cols, int c) {
        return reference(layer, layer.kernelSize(), layer.strides(), layer.dilationRate(), b, t,
                new int[] {rows, cols}, c);
    }

    static Variable input(ConvLstmGridReference ref) {
        int[] d = new int[ref.in.length + 3];
        d[0] = ref.batch;
        d[1] = ref.time;
        System.arraycopy(ref.in, 0, d, 2, ref.in.length);
        d[d.length - 1] = ref.channels;
        return Variable.constant(Tensor.of(ref.x, d));
    }

    static void assertClose(String what, Tensor actual, double[] expected) {
        ConvLSTM1DTest.assertClose(what + " (ConvLSTM2DTest seed " + SEED + ")", actual, expected);
    }

    @ParameterizedTest(name = "{0} strides {1}x{2} dilation {3}x{4} kernel {5}x{6} on {7}x{8}, go_backwards {9}")
    @CsvSource({
        "valid, 1, 1, 1, 1, 3, 3, 5, 6, false",
        "same, 1, 1, 1, 1, 3, 3, 5, 6, false",
        "same, 1, 1, 1, 1, 2, 4, 4, 5, true",  // even kernels: TensorFlow's odd padding step after, both convolutions
        "valid, 2, 1, 1, 1, 3, 2, 7, 6, false",
        "same, 1, 3, 1, 1, 2, 3, 5, 7, true",
        "same, 2, 2, 1, 1, 3, 3, 6, 5, false",
        "valid, 1, 1, 2, 1, 2, 3, 6, 5, true",
        "same, 1, 1, 1, 2, 3, 2, 4, 6, false",
        "valid, 1, 1, 1, 1, 1, 1, 3, 4, false",
        "SAME, 1, 1, 1, 1, 5, 4, 3, 2, false"  // a kernel wider than the state: the recurrent padding exceeds it
    })
    void forwardMatchesTheFloat64Reference(String padding, int sr, int sc, int dr, int dc, int kr, int kc, int rows,
            int cols, boolean backwards) {
        System.out.println("ConvLSTM2DTest seed " + SEED);
        int b = 2;
        int t = 3;
        ConvLSTM2D layer = new ConvLSTM2D(3, kr, kc).padding(padding).strides(sr, sc).dilationRate(dr, dc)
                .goBackwards(backwards).returnSequences(true).returnState(true);
        ConvLstmGridReference ref = reference(layer, b, t, rows, cols, 2).run();
        String what = padding + " s" + sr + "x" + sc + " d" + dr + "x" + dc + " k" + kr + "x" + kc;
        List<Variable> out = layer.callAll(List.of(input(ref)), null, CallContext.inference());
        assertThat(out).hasSize(3);
        int[] o = ref.out();
        assertThat(out.get(0).shape()).isEqualTo(Shape.of(b, t, o[0], o[1], 3));
        assertThat(layer.outputShape()).isEqualTo(Shape.of(t, o[0], o[1], 3));
        assertClose(what + " sequence", out.get(0).value(), ref.sequence);
        assertClose(what + " final h", out.get(1).value(), ref.h);
        assertClose(what + " final c", out.get(2).value(), ref.c);
        ConvLSTM2D last = new ConvLSTM2D(3, kr, kc).padding(padding).strides(sr, sc).dilationRate(dr, dc)
                .goBackwards(backwards);
        last.build(Shape.of(t, rows, cols, 2));
        last.setWeights(layer.getWeights());
        Tensor y = last.call(input(ref), null, CallContext.inference()).value();
        assertThat(y.shape()).isEqualTo(Shape.of(b, o[0], o[1], 3));
        assertClose(what + " last output", y, ref.last());
    }

    @ParameterizedTest(name = "ConvLSTM3D {0}, strides {1}, dilation {2}")
    @CsvSource({"valid, 1, 1", "same, 2, 1", "same, 1, 2", "valid, 1, 2"})
    void convLstm3dMatchesTheFloat64Reference(String padding, int stride, int dilation) {
        ConvLSTM3D layer = new ConvLSTM3D(2, 2, 3, 2).padding(padding).strides(1, stride, 1)
                .dilationRate(dilation, 1, 1).returnSequences(true).returnState(true);
        ConvLstmGridReference ref = reference(layer, layer.kernelSize(), layer.strides(), layer.dilationRate(), 2, 3,
                new int[] {4, 5, 3}, 2).run();
        List<Variable> out = layer.callAll(List.of(input(ref)), null, CallContext.inference());
        int[] o = ref.out();
        assertThat(out.get(0).shape()).isEqualTo(Shape.of(2, 3, o[0], o[1], o[2], 2));
        assertClose("3D " + padding + " sequence", out.get(0).value(), ref.sequence);
        assertClose("3D " + padding + " final c", out.get(2).value(), ref.c);
    }

    /** Row 0 all steps; row 1 loses its first and third; row 2 its third and last: step 2 is masked for all. */
    private static final float[] MASK = {1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0};

    @ParameterizedTest(name = "go_backwards {0}, zero_output_for_mask {1}")
    @CsvSource({"false, false", "true, false", "false, true", "true, true"})
    void maskedStepsKeepTheStatesAndRepeatTheOutput(boolean backwards, boolean zeroOutput) {
        ConvLSTM2D layer = new ConvLSTM2D(2, 3, 2).padding("same").goBackwards(backwards)
                .zeroOutputForMask(zeroOutput).returnSequences(true).returnState(true);
        ConvLstmGridReference ref = reference(layer, 3, 4, 4, 3, 2);
        ref.mask = MASK;
        ref.run();
        Tensor mask = Tensor.of(MASK, 3, 4);
        RnnOutput o = layer.run(input(ref), mask, null, CallContext.inference());
        String what = "masked, go_backwards " + backwards + ", zero_output_for_mask " + zeroOutput;
        assertClose(what + " sequence", o.output().value(), ref.sequence);
        assertClose(what + " h", o.states().get(0).value(), ref.h);
        assertClose(what + " c", o.states().get(1).value(), ref.c);
        List<Tensor> masks = layer.computeMasks(List.of(input(ref)), Arrays.asList(mask));
        assertThat(masks).hasSize(3);
        assertThat(masks.get(0)).as("return_sequences passes the mask on").isSameAs(mask);
        assertThat(masks.subList(1, 3)).containsOnlyNulls();
        ConvLSTM2D last = new ConvLSTM2D(2, 3, 2).padding("same").goBackwards(backwards).zeroOutputForMask(zeroOutput);
        last.build(Shape.of(4, 4, 3, 2));
        last.setWeights(layer.getWeights());
        assertClose(what + " last output", last.call(input(ref), mask, CallContext.inference()).value(), ref.last());
        assertThat(last.computeMask(input(ref), mask)).as("no mask without return_sequences").isNull();
    }

    @Test
    void initialStateIsWhereTheSequenceStarts() {
        ConvLSTM2D layer = new ConvLSTM2D(3, 2).padding("same").returnSequences(true);
        ConvLstmGridReference ref = reference(layer, 2, 3, 4, 3, 2);
        ref.h0 = uniform(r, -1, 1, 2, 4, 3, 3).toArray();
        ref.c0 = uniform(r, -1, 1, 2, 4, 3, 3).toArray();
        ref.run();
        Variable h0 = Variable.constant(Tensor.of(ref.h0, 2, 4, 3, 3));
        Variable c0 = Variable.constant(Tensor.of(ref.c0, 2, 4, 3, 3));
        RnnOutput o = layer.run(input(ref), null, List.of(h0, c0), CallContext.inference());
        assertClose("from initial_state: sequence", o.output().value(), ref.sequence);
        assertClose("from initial_state: h", o.states().get(0).value(), ref.h);
        assertClose("from initial_state: c", o.states().get(1).value(), ref.c);
        // Through the functional API: Input (None, 4, 3, 2) and the states as inputs, return_state outputs.
        ConvLSTM2D f = new ConvLSTM2D(3, 2).padding("same").returnState(true);
        Input x = Input.shape(Input.NONE, 4, 3, 2);
        Input h = Input.shape(4, 3, 3);
        Input c = Input.shape(4, 3, 3);
        List<SymbolicTensor> outs = f.applyAll(x, List.of(h, c));
        assertThat(outs).extracting(SymbolicTensor::shape).containsOnly(Shape.of(4, 3, 3));
        f.setWeights(layer.getWeights());
        var model = Model.of(List.of(x, h, c), outs);
        List<Tensor> y = model.predict(List.of(input(ref).value(), h0.value(), c0.value()));
        assertClose("functional: output", y.get(0), ref.last());
        assertClose("functional: h", y.get(1), ref.h);
        assertClose("functional: c", y.get(2), ref.c);
    }

    @Test
    void aStatefulLayerCarriesItsStatesAcrossCallsUntilReset() {
        ConvLSTM2D layer = new ConvLSTM2D(2, 3).stateful(true).returnSequences(true);
        ConvLstmGridReference whole = reference(layer, 2, 4, 5, 4, 2).run();
        int frame = 5 * 4 * 2;
        float[][] halves = new float[2][2 * 2 * frame];
        for (int b = 0; b < 2; b++) {
            for (int half = 0; half < 2; half++) {
                System.arraycopy(whole.x, (b * 4 + half * 2) * frame, halves[half], b * 2 * frame, 2 * frame);
            }
        }
        Tensor first = layer.call(Variable.constant(Tensor.of(halves[0], 2, 2, 5, 4, 2)), null,
                CallContext.inference()).value();
        Tensor second = layer.call(Variable.constant(Tensor.of(halves[1], 2, 2, 5, 4, 2)), null,
                CallContext.inference()).value();
        int state = 3 * 2 * 2;
        double[][] parts = new double[2][2 * 2 * state];
        for (int b = 0; b < 2; b++) {
            for (int half = 0; half < 2; half++) {
                System.arraycopy(whole.sequence, (b * 4 + half * 2) * state, parts[half], b * 2 * state, 2 * state);
            }
        }
        assertClose("stateful call 1", first, parts[0]);
        assertClose("stateful call 2, from call 1's states", second, parts[1]);
        assertClose("carried h", layer.states().get(0), whole.h);
        assertThat(layer.fixedBatchSize()).isEqualTo(2);
        layer.resetStates();
        assertThat(layer.states().get(1).toArray()).containsOnly(0f);
        Tensor again = layer.call(Variable.constant(Tensor.of(halves[0], 2, 2, 5, 4, 2)), null,
                CallContext.inference()).value();
        assertThat(again.toArray()).as("after reset_states, as the first call").isEqualTo(first.toArray());
    }

    /**
     * Keras's dropout in training: four input masks (one per gate) over the whole frame (batch,
     * rows, cols, channels) and four recurrent masks over h, the same at every time step, drawn
     * here from the call's stream in the layer's order and given to the reference.
     */
    @Test
    void dropoutDrawsFourMasksPerGateFixedOverTime() {
        float rate = 0.4f;
        float recurrentRate = 0.3f;
        ConvLSTM2D layer = new ConvLSTM2D(2, 2, 3).padding("same").dropout(rate).recurrentDropout(recurrentRate)
                .returnSequences(true);
        ConvLstmGridReference ref = reference(layer, 2, 3, 4, 3, 2);
        RandomGenerator stream = Seeds.of(99);
        ref.inputDrop = draws(stream, 2 * 4 * 3 * 2, rate);
        ref.recurrentDrop = draws(stream, 2 * 4 * 3 * 2, recurrentRate);
        ref.run();
        assertClose("dropout in training", layer.call(input(ref), null, CallContext.training(Seeds.of(99))).value(),
                ref.sequence);
        ref.inputDrop = null;
        ref.recurrentDrop = null;
        ref.run();
        assertClose("no dropout at inference", layer.call(input(ref), null, CallContext.inference()).value(),
                ref.sequence);
    }

    /** Four of Keras's DropoutRNNCell masks: kept (scaled by 1 / (1 − rate)) where the draw is below 1 − rate. */
    private static float[][] draws(RandomGenerator stream, int n, float rate) {
        float scale = (float) (1.0 / (1.0 - KerasConfig.decimal(rate)));
        float[][] m = new float[4][n];
        for (float[] one : m) {
            for (int i = 0; i < n; i++) {
                one[i] = stream.nextFloat() < 1f - rate ? scale : 0f;
            }
        }
        return m;
    }

    @Test
    void otherActivationsAreKerasFormulas() {
        ConvLSTM2D layer = new ConvLSTM2D(3, 2).activation("relu").recurrentActivation("hard_sigmoid")
                .returnSequences(true);
        ConvLstmGridReference ref = reference(layer, 2, 3, 3, 4, 2);
        ref.activation = v -> Math.max(0, v);
        ref.recurrentActivation = v -> Math.min(Math.max(v + 3, 0), 6) / 6;  // Keras 3: relu6(x + 3) / 6
        ref.run();
        assertClose("relu / hard_sigmoid", layer.call(input(ref), null, CallContext.inference()).value(),
                ref.sequence);
    }

    @Test
    void noneTimeStepsTakeAnyLengthAndZeroStepsGiveTheInitialStates() {
        ConvLSTM2D layer = new ConvLSTM2D(2, 3).returnSequences(true).returnState(true);
        layer.build(Shape.withUnknown(Input.NONE, 5, 4, 2));
        for (int t : new int[] {1, 4}) {
            List<Variable> y = layer.callAll(List.of(Variable.constant(uniform(r, -1, 1, 2, t, 5, 4, 2))), null,
                    CallContext.inference());
            assertThat(y.get(0).shape()).as("%d time steps", t).isEqualTo(Shape.of(2, t, 3, 2, 2));
        }
        List<Variable> none = layer.callAll(List.of(Variable.constant(Tensor.zeros(3, 0, 5, 4, 2))), null,
                CallContext.inference());
        assertThat(none.get(0).shape()).isEqualTo(Shape.of(3, 0, 3, 2, 2));
        assertThat(none.get(1).value().toArray()).hasSize(36).containsOnly(0f);
        ConvLSTM2D last = new ConvLSTM2D(2, 3);
        last.build(Shape.withUnknown(Input.NONE, 5, 4, 2));
        Tensor h0 = uniform(r, -1, 1, 3, 3, 2, 2);
        Tensor y = last.run(Variable.constant(Tensor.zeros(3, 0, 5, 4, 2)), null, List.of(Variable.constant(h0),
                Variable.constant(h0)), CallContext.inference()).output().value();
        assertThat(y.toArray()).as("no step: the initial h").isEqualTo(h0.toArray());
    }
}
