package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bidirectional over ConvLSTM2D (and 1D/3D) against two float64 references
 * ({@link ConvLstmGridReference}): the forward one, and the backward one going backwards with its
 * sequence reversed back into forward time, both outputting zeros at masked steps with
 * return_sequences (Keras's forced zero_output_for_mask); merged as concat (on the last axis, the
 * last spatial one with channels_first, as Keras), sum, mul, ave or none, on a (batch, time) mask;
 * return_state's states (forward h, c, then backward h, c), initial_state, a given backward_layer,
 * weights in Keras's order and the parameter count, gradients against finite differences, and bad
 * initial states named. Bar {@code 1e-5 + 1e-5·|reference|}. Seed 47.
 */
class BidirectionalConvLstmTest {
    static final long SEED = 47;
    private final Random r = new Random(SEED);
    private static final float[] MASK = {1, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0};

    /** The reference of one direction of a built Bidirectional on channels_last x (3, 4, 5, 4, 2). */
    private static ConvLstmGridReference direction(ConvLSTM<?> layer, float[] x, float[] mask) {
        ConvLstmGridReference ref = new ConvLstmGridReference(3, 4, new int[] {5, 4}, 2, layer.filters(),
                layer.kernelDims());
        ref.stride = layer.strideDims();
        ref.padding = layer.padding();
        ref.backwards = layer.goBackwards();
        ref.zeroOutputForMask = layer.zeroOutputForMask();
        ref.activation = layer.activation() == Activation.RELU ? v -> Math.max(0, v) : Math::tanh;
        ref.kernel = layer.weights().get(0).value().toArray();
        ref.recurrent = layer.weights().get(1).value().toArray();
        ref.bias = layer.weights().get(2).value().toArray();
        ref.x = x;
        ref.mask = mask;
        return ref.run();
    }

    private void randomize(Layer layer) {
        for (Weight w : layer.weights()) {
            w.set(uniform(r, -0.5f, 0.5f, w.shape().dims()));
        }
    }

    /** (b, t, rest) with the t axis reversed. */
    static double[] reversed(double[] a, int b, int t) {
        int rest = a.length / (b * t);
        double[] out = new double[a.length];
        for (int i = 0; i < b; i++) {
            for (int s = 0; s < t; s++) {
                System.arraycopy(a, (i * t + s) * rest, out, (i * t + t - 1 - s) * rest, rest);
            }
        }
        return out;
    }

    /** Two arrays of (rows, last) and (rows, last) joined on the last axis. */
    static double[] concatLast(double[] a, double[] b, int last) {
        int rows = a.length / last;
        double[] out = new double[2 * a.length];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(a, i * last, out, 2 * i * last, last);
            System.arraycopy(b, i * last, out, (2 * i + 1) * last, last);
        }
        return out;
    }

    private static double[] merged(MergeMode mode, double[] f, double[] b, int last) {
        if (mode == MergeMode.CONCAT) {
            return concatLast(f, b, last);
        }
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = switch (mode) {
                case SUM -> f[i] + b[i];
                case MUL -> f[i] * b[i];
                case AVE -> (f[i] + b[i]) / 2;
                default -> throw new IllegalArgumentException(mode.name());
            };
        }
        return out;
    }

    static void assertClose(String what, Tensor actual, double[] expected) {
        ConvLSTM1DTest.assertClose(what + " (BidirectionalConvLstmTest seed " + SEED + ")", actual, expected);
    }

    @ParameterizedTest(name = "{0}, return_sequences {1}, channels_first {2}")
    @CsvSource({
        "CONCAT, true, false", "CONCAT, false, false", "CONCAT, true, true", "SUM, true, false", "MUL, false, false",
        "AVE, true, true", "NONE, true, false"
    })
    void mergesBothDirectionsAsKeras(MergeMode mode, boolean sequences, boolean channelsFirst) {
        System.out.println("BidirectionalConvLstmTest seed " + SEED);
        ConvLSTM2D inner = new ConvLSTM2D(3, 3, 2).padding("same").strides(2, 1).returnSequences(sequences)
                .returnState(true).named("c");
        if (channelsFirst) {
            inner.dataFormat("channels_first");
        }
        Bidirectional bi = new Bidirectional(inner, mode);
        bi.build(channelsFirst ? Shape.of(4, 2, 5, 4) : Shape.of(4, 5, 4, 2));
        randomize(bi);
        ConvLSTM<?> f = (ConvLSTM<?>) bi.forwardLayer();
        ConvLSTM<?> b = (ConvLSTM<?>) bi.backwardLayer();
        assertThat(List.of(f.name(), b.name())).containsExactly("forward_c", "backward_c");
        assertThat(List.of(f.zeroOutputForMask(), b.zeroOutputForMask())).as("forced to return_sequences")
                .containsOnly(sequences);
        float[] x = uniform(r, -1, 1, 3, 4, 5, 4, 2).toArray();
        ConvLstmGridReference fr = direction(f, x, MASK);
        ConvLstmGridReference br = direction(b, x, MASK);
        int positions = 3 * 4;
        double[] fy = sequences ? fr.sequence : fr.last();
        double[] by = sequences ? reversed(br.sequence, 3, 4) : br.last();
        int lead = sequences ? 12 : 3;
        if (channelsFirst) {
            fy = ConvLSTMChannelsFirstTest.toFirst(fy, lead, positions, 3);
            by = ConvLSTMChannelsFirstTest.toFirst(by, lead, positions, 3);
        }
        Tensor xt = channelsFirst ? Tensor.of(ConvLSTMChannelsFirstTest.toFirst(x, 12, 20, 2), 3, 4, 2, 5, 4)
                : Tensor.of(x, 3, 4, 5, 4, 2);
        List<Variable> out = bi.run(Variable.constant(xt), Tensor.of(MASK, 3, 4), null, CallContext.inference());
        String what = mode + " sequences " + sequences + " channels_first " + channelsFirst;
        int outputs = mode == MergeMode.NONE ? 2 : 1;
        assertThat(out).hasSize(outputs + 4);
        // Keras concatenates on axis -1: filters with channels_last, the last spatial axis (cols) with channels_first.
        int last = channelsFirst ? 4 : 3;
        if (mode == MergeMode.NONE) {
            assertClose(what + " forward output", out.get(0).value(), fy);
            assertClose(what + " backward output", out.get(1).value(), by);
        } else {
            assertClose(what + " merged output", out.get(0).value(), merged(mode, fy, by, last));
        }
        int[] state = channelsFirst ? new int[] {3, 3, 3, 4} : new int[] {3, 3, 4, 3};
        Shape one = Shape.of(java.util.Arrays.copyOfRange(state, 1, 4));
        Shape expectedOut = sequences ? Shape.of(4, one.dim(0), one.dim(1), one.dim(2)) : one;
        if (mode == MergeMode.CONCAT) {
            expectedOut = expectedOut.with(expectedOut.rank() - 1, 2 * expectedOut.dim(-1));
        }
        assertThat(bi.outputShape()).isEqualTo(expectedOut);
        assertThat(out.get(0).shape().dims()).containsExactly(prepend(3, expectedOut.dims()));
        double[][] states = {fr.h, fr.c, br.h, br.c};
        for (int i = 0; i < 4; i++) {
            double[] s = channelsFirst ? ConvLSTMChannelsFirstTest.toFirst(states[i], 3, positions, 3) : states[i];
            assertClose(what + " state " + i, out.get(outputs + i).value(), s);
            assertThat(out.get(outputs + i).shape()).isEqualTo(Shape.of(state));
        }
        List<Tensor> masks = bi.computeMasks(List.of(Variable.constant(xt)), java.util.Arrays.asList(
                Tensor.of(MASK, 3, 4)));
        assertThat(masks.get(0) != null).as("the mask passes on with return_sequences").isEqualTo(sequences);
    }

    private static int[] prepend(int b, int[] sample) {
        int[] d = new int[sample.length + 1];
        d[0] = b;
        System.arraycopy(sample, 0, d, 1, sample.length);
        return d;
    }

    @Test
    void initialStateReturnStateAndAGivenBackwardLayer() {
        ConvLSTM2D forward = new ConvLSTM2D(3, 3, 2).padding("same").returnState(true).named("f");
        ConvLSTM2D backward = new ConvLSTM2D(3, 3, 2).padding("same").returnState(true).goBackwards(true)
                .activation("relu").named("b");
        Bidirectional bi = new Bidirectional(forward, MergeMode.SUM, backward);
        Input x = Input.shape(Input.NONE, 5, 4, 2);
        List<Input> states = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            states.add(Input.shape(5, 4, 3));
        }
        List<SymbolicTensor> outs = bi.applyAll(x, states);
        assertThat(outs).hasSize(5);
        assertThat(outs).extracting(SymbolicTensor::shape).containsOnly(Shape.of(5, 4, 3));
        randomize(bi);
        List<String> names = bi.weights().stream().map(Weight::name).toList();
        assertThat(names).as("Keras's order: forward then backward").hasSize(6);
        assertThat(bi.weights().subList(0, 3)).isEqualTo(bi.forwardLayer().weights());
        assertThat(bi.weights().subList(3, 6)).isEqualTo(bi.backwardLayer().weights());
        assertThat(bi.countParams()).as("2 × (kernel 3·2·2·12 + recurrent 3·2·3·12 + bias 12)")
                .isEqualTo(2 * (144 + 216 + 12));
        Model m = Model.of(new ArrayList<>(List.of(x, states.get(0), states.get(1), states.get(2), states.get(3))),
                outs);
        assertThat(m.summary()).contains("bidirectional").contains("744");
        float[] xv = uniform(r, -1, 1, 3, 4, 5, 4, 2).toArray();
        List<Tensor> in = new ArrayList<>(List.of(Tensor.of(xv, 3, 4, 5, 4, 2)));
        float[][] init = new float[4][];
        for (int i = 0; i < 4; i++) {
            init[i] = uniform(r, -1, 1, 3, 5, 4, 3).toArray();
            in.add(Tensor.of(init[i], 3, 5, 4, 3));
        }
        ConvLstmGridReference fr = new ConvLstmGridReference(3, 4, new int[] {5, 4}, 2, 3, new int[] {3, 2});
        ConvLstmGridReference br = new ConvLstmGridReference(3, 4, new int[] {5, 4}, 2, 3, new int[] {3, 2});
        for (ConvLstmGridReference ref : List.of(fr, br)) {
            ConvLSTM<?> l = (ConvLSTM<?>) (ref == fr ? bi.forwardLayer() : bi.backwardLayer());
            ref.padding = "same";
            ref.backwards = ref == br;
            ref.activation = ref == br ? v -> Math.max(0, v) : Math::tanh;
            ref.kernel = l.weights().get(0).value().toArray();
            ref.recurrent = l.weights().get(1).value().toArray();
            ref.bias = l.weights().get(2).value().toArray();
            ref.x = xv;
            ref.h0 = init[ref == fr ? 0 : 2];
            ref.c0 = init[ref == fr ? 1 : 3];
            ref.run();
        }
        List<Tensor> y = m.predict(in);
        double[] sum = new double[fr.last().length];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = fr.last()[i] + br.last()[i];
        }
        assertClose("sum from initial_state", y.get(0), sum);
        assertClose("forward c", y.get(2), fr.c);
        assertClose("backward h", y.get(3), br.h);
        Bidirectional two = new Bidirectional(new ConvLSTM2D(3, 3).padding("same"));
        two.named("bi");
        assertThatThrownBy(() -> two.apply(x, List.of(Input.shape(5, 4, 3), Input.shape(5, 4, 3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bi: initial_state must hold 4 states (forward h and c, then backward h and c), "
                        + "got 2");
        List<Input> wrong = List.of(Input.shape(5, 4, 3), Input.shape(5, 4, 3), Input.shape(4, 5, 3),
                Input.shape(5, 4, 3));
        Bidirectional three = new Bidirectional(new ConvLSTM2D(3, 3).padding("same"));
        three.named("bi");
        assertThatThrownBy(() -> three.apply(x, wrong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bi: initial_state[2] must be (None, 5, 4, 3), got (None, 4, 5, 3)");
        assertThatThrownBy(() -> new Bidirectional(new ConvLSTM2D(3, 3), MergeMode.SUM,
                new ConvLSTM2D(3, 3).goBackwards(true).returnSequences(true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(": forward and backward layers must agree on return_sequences, got false and true");
    }

    @Test
    void badInitialStatesAreRefusedBeforeAnythingIsBuiltSoTheLayerCanBeAppliedAgain() {
        Input x = Input.shape(Input.NONE, 5, 4, 2);
        Bidirectional bi = new Bidirectional(new ConvLSTM2D(3, 3).padding("same"));
        bi.named("bi");
        List<Input> wrong = List.of(Input.shape(5, 4, 3), Input.shape(5, 4, 3), Input.shape(4, 5, 3),
                Input.shape(5, 4, 3));
        assertThatThrownBy(() -> bi.apply(x, wrong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bi: initial_state[2] must be (None, 5, 4, 3), got (None, 4, 5, 3)");
        assertThat(List.of(bi.isBuilt(), bi.forwardLayer().layer().isBuilt(), bi.backwardLayer().layer().isBuilt()))
                .as("the wrapper and both directions unbuilt after the refusal").containsOnly(false);
        List<Input> right = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            right.add(Input.shape(5, 4, 3));
        }
        assertThat(bi.apply(x, right).shape()).as("applied again with good states")
                .isEqualTo(Shape.withUnknown(5, 4, 6));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        for (boolean channelsFirst : new boolean[] {false, true}) {
            ConvLSTM1D inner = new ConvLSTM1D(2, 2).padding("same").returnSequences(true);
            if (channelsFirst) {
                inner.dataFormat("channels_first");
            }
            Bidirectional bi = new Bidirectional(inner);
            bi.build(Shape.of(3, 2, 3), Devices.defaultDevice(), Seeds.of(SEED));
            randomize(bi);
            Variable x = Variable.parameter(uniform(r, -1, 1, 2, 3, 2, 3));
            Tensor mask = Tensor.of(new float[] {1, 1, 0, 0, 1, 1}, 2, 3);
            GradCheck.checkLayer("Bidirectional(ConvLSTM1D) concat, channels_first " + channelsFirst, bi, x,
                    () -> bi.run(x, mask, null, CallContext.inference()).get(0));
        }
    }

    @Test
    void aSequentialModelOfConvLstm3dTrainsThroughBothDirections() {
        Sequential s = Sequential.of(Input.shape(2, 3, 3, 2, 2),
                new Bidirectional(new ConvLSTM3D(2, 2).padding("same"), MergeMode.AVE), new Flatten(), new Dense(1));
        Tensor x = uniform(r, -1, 1, 4, 2, 3, 3, 2, 2);
        Tensor before = s.predict(x);
        s.compile(new io.rnn4j.layers.optimizers.SGD(0.1f), io.rnn4j.layers.losses.Losses.meanSquaredError());
        s.fit(x, uniform(r, -1, 1, 4, 1), io.rnn4j.layers.model.Fit.defaults().epochs(1).verbose(0));
        assertThat(s.predict(x).toArray()).as("one SGD epoch moves the output").isNotEqualTo(before.toArray());
        assertThat(s.layers().get(0).weights()).hasSize(6);
    }
}
