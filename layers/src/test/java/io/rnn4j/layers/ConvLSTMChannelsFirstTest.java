package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Model;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ConvLSTM1D/2D/3D with data_format "channels_first" against the float64 reference
 * ({@link ConvLstmGridReference}, which computes in channels_last) with the channels axis moved by
 * the test's own loops: input {@code (batch, time, channels, spatial...)}, sequence, final h and c
 * and initial_state {@code (batch, [time,] filters, new_spatial...)}, masks and go_backwards, None
 * time steps, the kernel's shape (the same in both layouts, as Keras's), a stateful layer's states,
 * gradients against float64 finite differences, and bad input named. Bar
 * {@code 1e-5 + 1e-5·|reference|}. Seed 43.
 */
class ConvLSTMChannelsFirstTest {
    static final long SEED = 43;
    private final Random r = new Random(SEED);

    /** {@code a} of {@code (lead, positions, channels)} as {@code (lead, channels, positions)}. */
    static double[] toFirst(double[] a, int lead, int positions, int channels) {
        double[] out = new double[a.length];
        for (int l = 0; l < lead; l++) {
            for (int p = 0; p < positions; p++) {
                for (int k = 0; k < channels; k++) {
                    out[(l * channels + k) * positions + p] = a[(l * positions + p) * channels + k];
                }
            }
        }
        return out;
    }

    static float[] toFirst(float[] a, int lead, int positions, int channels) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        double[] m = toFirst(d, lead, positions, channels);
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) m[i];
        }
        return out;
    }

    private static int product(int[] d) {
        int n = 1;
        for (int v : d) {
            n *= v;
        }
        return n;
    }

    /** A channels_first layer built on (t, c, spatial...) with random weights, and its channels_last reference. */
    private ConvLstmGridReference reference(ConvLSTM<?> layer, int[] kernel, int b, int t, int[] spatial, int c) {
        int[] sample = new int[spatial.length + 2];
        sample[0] = t;
        sample[1] = c;
        System.arraycopy(spatial, 0, sample, 2, spatial.length);
        layer.build(List.of(Shape.of(sample)), Devices.defaultDevice(), Seeds.of(SEED));
        for (Weight w : layer.weights()) {
            w.set(uniform(r, -0.5f, 0.5f, w.shape().dims()));
        }
        ConvLstmGridReference ref = new ConvLstmGridReference(b, t, spatial, c, layer.filters(), kernel);
        ref.stride = layer.strideDims();
        ref.dilation = layer.dilationDims();
        ref.padding = layer.padding();
        ref.backwards = layer.goBackwards();
        ref.zeroOutputForMask = layer.zeroOutputForMask();
        ref.kernel = layer.weights().get(0).value().toArray();
        ref.recurrent = layer.weights().get(1).value().toArray();
        ref.bias = layer.useBias() ? layer.weights().get(2).value().toArray() : null;
        int[] x = new int[spatial.length + 3];
        x[0] = b;
        x[1] = t;
        System.arraycopy(spatial, 0, x, 2, spatial.length);
        x[x.length - 1] = c;
        ref.x = uniform(r, -1, 1, x).toArray();
        return ref;
    }

    /** The reference's input, channels first. */
    static Variable input(ConvLstmGridReference ref) {
        int[] d = new int[ref.in.length + 3];
        d[0] = ref.batch;
        d[1] = ref.time;
        d[2] = ref.channels;
        System.arraycopy(ref.in, 0, d, 3, ref.in.length);
        return Variable.constant(Tensor.of(toFirst(ref.x, ref.batch * ref.time, product(ref.in), ref.channels), d));
    }

    /** A channels_last state-like result of the reference (lead samples of out positions × filters), channels first. */
    static double[] first(ConvLstmGridReference ref, double[] a, int lead) {
        return toFirst(a, lead, product(ref.out()), ref.filters);
    }

    static void assertClose(String what, Tensor actual, double[] expected) {
        ConvLSTM1DTest.assertClose(what + " (ConvLSTMChannelsFirstTest seed " + SEED + ")", actual, expected);
    }

    private static ConvLSTM<?> layer(int rank, int filters, int kernel) {
        return switch (rank) {
            case 1 -> new ConvLSTM1D(filters, kernel);
            case 2 -> new ConvLSTM2D(filters, kernel, kernel - 1);
            default -> new ConvLSTM3D(filters, kernel, kernel - 1, 2);
        };
    }

    @ParameterizedTest(name = "rank {0} {1} strides {2}, go_backwards {3}, masked {4}")
    @CsvSource({
        "1, same, 1, false, false",
        "1, valid, 2, true, true",
        "2, same, 2, false, true",
        "2, valid, 1, true, false",
        "3, same, 1, false, true",
        "3, valid, 1, true, false"
    })
    void channelsFirstIsTheChannelsLastComputationWithTheChannelsMoved(int rank, String padding, int stride,
            boolean backwards, boolean masked) {
        System.out.println("ConvLSTMChannelsFirstTest seed " + SEED);
        ConvLSTM<?> layer = layer(rank, 3, 3);
        int[] strides = new int[rank];
        java.util.Arrays.fill(strides, 1);
        strides[0] = stride;
        layer.dataFormat("CHANNELS_FIRST").padding(padding).strides(strides).goBackwards(backwards)
                .returnSequences(true).returnState(true);
        int[] spatial = rank == 1 ? new int[] {6} : rank == 2 ? new int[] {5, 4} : new int[] {4, 3, 3};
        int b = 3;
        int t = 4;
        ConvLstmGridReference ref = reference(layer, layer.kernelDims(), b, t, spatial, 2);
        Tensor mask = null;
        if (masked) {
            ref.mask = new float[] {1, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0};
            mask = Tensor.of(ref.mask, b, t);
        }
        ref.run();
        assertThat(layer.dataFormat()).isEqualTo("channels_first");
        int[] kernelShape = layer.kernelDims();
        kernelShape = java.util.Arrays.copyOf(kernelShape, rank + 2);
        kernelShape[rank] = 2;
        kernelShape[rank + 1] = 12;
        assertThat(layer.weights().get(0).shape()).as("kernel (size..., channels, 4·filters) in either layout")
                .isEqualTo(Shape.of(kernelShape));
        int[] out = ref.out();
        int[] state = new int[rank + 1];
        state[0] = 3;
        System.arraycopy(out, 0, state, 1, rank);
        assertThat(layer.stateShape()).isEqualTo(Shape.of(state));
        int[] seq = new int[rank + 2];
        seq[0] = t;
        System.arraycopy(state, 0, seq, 1, rank + 1);
        assertThat(layer.outputShape()).isEqualTo(Shape.of(seq));
        RnnOutput o = layer.run(input(ref), mask, null, CallContext.inference());
        String what = "rank " + rank + " " + padding + " stride " + stride + " backwards " + backwards + " masked "
                + masked;
        assertThat(o.output().shape().dims()).containsExactly(prepend(b, seq));
        assertClose(what + " sequence", o.output().value(), first(ref, ref.sequence, b * t));
        assertClose(what + " h", o.states().get(0).value(), first(ref, ref.h, b));
        assertClose(what + " c", o.states().get(1).value(), first(ref, ref.c, b));
    }

    private static int[] prepend(int b, int[] sample) {
        int[] d = new int[sample.length + 1];
        d[0] = b;
        System.arraycopy(sample, 0, d, 1, sample.length);
        return d;
    }

    @Test
    void initialStateAndTheLastOutputAreChannelsFirstToo() {
        ConvLSTM2D layer = new ConvLSTM2D(3, 2).named("k").padding("same").dataFormat("channels_first");
        ConvLstmGridReference ref = reference(layer, layer.kernelSize(), 2, 3, new int[] {4, 3}, 2);
        ref.h0 = uniform(r, -1, 1, 2, 4, 3, 3).toArray();
        ref.c0 = uniform(r, -1, 1, 2, 4, 3, 3).toArray();
        ref.run();
        float[] h0 = toFirst(ref.h0, 2, 12, 3);
        float[] c0 = toFirst(ref.c0, 2, 12, 3);
        Variable h = Variable.constant(Tensor.of(h0, 2, 3, 4, 3));
        Variable c = Variable.constant(Tensor.of(c0, 2, 3, 4, 3));
        RnnOutput o = layer.run(input(ref), null, List.of(h, c), CallContext.inference());
        assertClose("from initial_state: last output", o.output().value(), first(ref, ref.last(), 2));
        assertClose("from initial_state: c", o.states().get(1).value(), first(ref, ref.c, 2));
        assertThatThrownBy(() -> layer.run(input(ref), null, List.of(Variable.constant(Tensor.of(ref.h0, 2, 4, 3, 3)),
                c), CallContext.inference()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'k' (ConvLSTM2D): initial_state[0] must be (batch, filters, new_rows, "
                        + "new_cols) = (2, 3, 4, 3), got (2, 4, 3, 3)");
        // The functional API: None time steps, the states as inputs, return_state's outputs channels first.
        ConvLSTM2D f = new ConvLSTM2D(3, 2).padding("same").dataFormat("channels_first").returnState(true);
        Input x = Input.shape(Input.NONE, 2, 4, 3);
        Input hi = Input.shape(3, 4, 3);
        Input ci = Input.shape(3, 4, 3);
        List<SymbolicTensor> outs = f.applyAll(x, List.of(hi, ci));
        assertThat(outs).extracting(SymbolicTensor::shape).containsOnly(Shape.of(3, 4, 3));
        f.setWeights(layer.getWeights());
        List<Tensor> y = Model.of(List.of(x, hi, ci), outs).predict(List.of(input(ref).value(), h.value(),
                c.value()));
        assertClose("functional: output", y.get(0), first(ref, ref.last(), 2));
        assertClose("functional: h", y.get(1), first(ref, ref.h, 2));
        assertThatThrownBy(() -> new ConvLSTM2D(3, 2).padding("same").dataFormat("channels_first")
                .apply(Input.shape(Input.NONE, 2, 4, 3), List.of(Input.shape(4, 3, 3), Input.shape(4, 3, 3))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial_state[0] must be "
                        + "(batch, filters, new_rows, new_cols) = (None, 3, 4, 3), got (None, 4, 3, 3)");
    }

    @Test
    void noneTimeStepsAndAStatefulLayersStatesInTheLayout() {
        ConvLSTM1D layer = new ConvLSTM1D(2, 3).dataFormat("channels_first").stateful(true);
        layer.build(Shape.withUnknown(Input.NONE, 3, 5));
        assertThat(layer.outputShape()).isEqualTo(Shape.of(2, 3));
        Tensor a = uniform(r, -1, 1, 2, 4, 3, 5);
        Tensor y = layer.call(Variable.constant(a), null, CallContext.inference()).value();
        assertThat(layer.states()).hasSize(2);
        assertThat(layer.states().get(0).shape()).as("(batch, filters, new_steps)").isEqualTo(Shape.of(2, 2, 3));
        assertThat(layer.states().get(0).toArray()).as("the carried h is the last output").isEqualTo(y.toArray());
        Tensor shorter = uniform(r, -1, 1, 2, 2, 3, 5);
        assertThat(layer.call(Variable.constant(shorter), null, CallContext.inference()).shape())
                .isEqualTo(Shape.of(2, 2, 3));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        for (int rank = 1; rank <= 2; rank++) {
            ConvLSTM<?> layer = layer(rank, 2, 2).dataFormat("channels_first").padding("same").returnSequences(true);
            int[] spatial = rank == 1 ? new int[] {3} : new int[] {3, 2};
            ConvLstmGridReference ref = reference(layer, layer.kernelDims(), 2, 3, spatial, 2);
            Variable x = Variable.parameter(input(ref).value());
            Tensor mask = Tensor.of(new float[] {1, 1, 0, 0, 1, 1}, 2, 3);
            GradCheck.checkLayer("channels_first ConvLSTM rank " + rank, layer, x,
                    () -> layer.run(x, mask, null, CallContext.inference()).output());
        }
    }

    @Test
    void badInputIsNamedInTheLayout() {
        assertThatThrownBy(() -> new ConvLSTM2D(2, 3).named("k").dataFormat("channels_middle"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'k' (ConvLSTM2D): data_format must be 'channels_last' or "
                        + "'channels_first', got 'channels_middle'");
        assertThatThrownBy(() -> new ConvLSTM2D(2, 3).dataFormat("channels_first").build(Shape.of(3, 2, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(batch, time, channels, rows, cols)");
        assertThatThrownBy(() -> new ConvLSTM2D(2, 3).dataFormat("channels_first")
                .build(Shape.withUnknown(3, Input.NONE, 5, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a known size on axis 2").hasMessageContaining("to size its kernel");
        assertThatThrownBy(() -> new ConvLSTM2D(2, 3).dataFormat("channels_first")
                .build(Shape.withUnknown(3, 2, Input.NONE, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a known size on axis 3").hasMessageContaining("spatial axes");
        ConvLSTM2D built = new ConvLSTM2D(2, 3).named("k").dataFormat("channels_first");
        built.build(Shape.of(3, 2, 5, 5));
        assertThatThrownBy(() -> built.call(Variable.constant(uniform(r, -1, 1, 1, 3, 5, 5, 2)), null,
                CallContext.inference())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Input of layer 'k' (ConvLSTM2D) is incompatible with the layer: expected shape=(None, "
                        + "None, 2, 5, 5), found shape=(1, 3, 5, 5, 2)");
        assertThatThrownBy(() -> built.dataFormat("channels_last")).isInstanceOf(IllegalStateException.class);
    }
}
