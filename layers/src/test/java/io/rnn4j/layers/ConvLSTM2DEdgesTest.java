package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.model.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * ConvLSTM2D's (and ConvLSTM3D's) gradients against float64 finite differences ({@link GradCheck})
 * for the input, kernel, recurrent kernel, bias and initial states, through "valid" with strides,
 * "same" with dilation, masks, go_backwards and dropout in training; Keras's own numbers
 * (conv_lstm2d_test.py / conv_lstm3d_test.py::test_correctness) and shapes (test_basics); parameter
 * counts ({@code 4·filters·(taps·channels + taps·filters + 1)}); and every refusal, naming the
 * layer, what was expected and what came. Seed 43.
 */
class ConvLSTM2DEdgesTest {
    private static final long SEED = 43;
    private final Random r = new Random(SEED);

    private <L extends ConvLSTM<L>> L built(L layer, int... sample) {
        layer.build(Shape.of(sample));
        for (Weight w : layer.weights()) {
            w.set(uniform(r, -0.5f, 0.5f, w.shape().dims()));
        }
        return layer;
    }

    /** Checks d/d input and d/d every weight of {@code layer}'s output, plus {@code extra} parameters. */
    private void check(String what, ConvLSTM<?> layer, Variable in, Supplier<Variable> out, Variable... extra) {
        List<Variable> params = new ArrayList<>(List.of(in));
        params.addAll(List.of(extra));
        for (Weight w : layer.weights()) {
            params.add(w.variable());
        }
        System.out.println("ConvLSTM2DEdgesTest seed " + SEED + ": " + what);
        GradCheck.checkParameters(layer.className() + " " + what, out, params);
    }

    @Test
    void gradientsThroughValidStridesMatchFiniteDifferences() {
        ConvLSTM2D layer = built(new ConvLSTM2D(2, 2, 3).strides(2, 1).returnSequences(true), 3, 5, 4, 2);
        Variable in = Variable.parameter(uniform(r, -1, 1, 2, 3, 5, 4, 2));
        check("valid, strides (2, 1), return_sequences", layer, in, () -> layer.call(in, null,
                CallContext.inference()));
    }

    @Test
    void gradientsThroughSameDilationMasksAndGoBackwardsMatchFiniteDifferences() {
        ConvLSTM2D layer = built(new ConvLSTM2D(2, 2).padding("same").dilationRate(1, 2).goBackwards(true)
                .returnSequences(true), 4, 3, 4, 2);
        Variable in = Variable.parameter(uniform(r, -1, 1, 2, 4, 3, 4, 2));
        // Step 1 masked for both samples; sample 1 also loses its first and last.
        Tensor mask = Tensor.of(new float[] {1, 0, 1, 1, 0, 0, 1, 0}, 2, 4);
        check("same, dilation (1, 2), go_backwards, masked", layer, in, () -> layer.call(in, mask,
                CallContext.inference()));
    }

    @Test
    void gradientsReachTheInitialStates() {
        ConvLSTM2D layer = built(new ConvLSTM2D(2, 3, 2).padding("same"), 2, 3, 3, 2);
        Variable in = Variable.parameter(uniform(r, -1, 1, 2, 2, 3, 3, 2));
        Variable h0 = Variable.parameter(uniform(r, -1, 1, 2, 3, 3, 2));
        Variable c0 = Variable.parameter(uniform(r, -1, 1, 2, 3, 3, 2));
        check("initial_state, final h and c", layer, in, () -> {
            RnnOutput o = layer.run(in, null, List.of(h0, c0), CallContext.inference());
            return Ops.concat(3, o.states().get(0), o.states().get(1));
        }, h0, c0);
    }

    @Test
    void gradientsWithDropoutInTrainingMatchFiniteDifferences() {
        ConvLSTM2D layer = built(new ConvLSTM2D(2, 2).dropout(0.3f).recurrentDropout(0.4f).returnSequences(true),
                3, 3, 4, 2);
        Variable in = Variable.parameter(uniform(r, -1, 1, 2, 3, 3, 4, 2));
        // The same stream on every call: the same masks for the analytic and the numeric passes.
        check("dropout and recurrent_dropout in training", layer, in,
                () -> layer.call(in, null, CallContext.training(Seeds.of(7))));
    }

    @Test
    void convLstm3dGradientsMatchFiniteDifferences() {
        ConvLSTM3D layer = built(new ConvLSTM3D(2, 2, 1, 2).padding("same").strides(1, 1, 2), 2, 3, 2, 3, 1);
        Variable in = Variable.parameter(uniform(r, -1, 1, 2, 2, 3, 2, 3, 1));
        check("same, strides (1, 1, 2)", layer, in, () -> layer.call(in, null, CallContext.inference()));
    }

    private static void assertKeras(String what, Tensor y, double[] expected) {
        float[] a = y.toArray();
        assertThat(a).hasSize(expected.length);
        for (int i = 0; i < a.length; i++) {
            assertThat((double) a[i]).as("%s element %d, Keras's value to 2e-6", what, i)
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(2e-6));
        }
    }

    /** keras/src/layers/rnn/conv_lstm2d_test.py and conv_lstm3d_test.py::test_correctness: Keras's numbers. */
    @Test
    void kerasOwnTestCorrectnessNumbers() {
        float[] seq = new float[480];
        for (int i = 0; i < seq.length; i++) {
            seq[i] = (float) i / 100;  // np.arange(480) / 100 in float32
        }
        ConvLSTM2D two = new ConvLSTM2D(2, 3).kernelInitializer(Initializers.constant(0.01f))
                .recurrentInitializer(Initializers.constant(0.02f)).biasInitializer(Initializers.constant(0.03f));
        two.build(Shape.of(3, 4, 4, 5));
        assertKeras("ConvLSTM2D", two.call(Variable.constant(Tensor.of(seq, 2, 3, 4, 4, 5)), null,
                CallContext.inference()).value(), new double[] {0.48694518, 0.48694518, 0.50237733, 0.50237733,
                    0.5461202, 0.5461202, 0.5598283, 0.5598283, 0.8661607, 0.8661607, 0.86909103, 0.86909103,
                    0.8774414, 0.8774414, 0.8800861, 0.8800861});
        float[] seq3 = new float[1920];
        for (int i = 0; i < seq3.length; i++) {
            seq3[i] = (float) i / 100;
        }
        ConvLSTM3D three = new ConvLSTM3D(2, 3).kernelInitializer(Initializers.constant(0.01f))
                .recurrentInitializer(Initializers.constant(0.02f)).biasInitializer(Initializers.constant(0.03f));
        three.build(Shape.of(3, 4, 4, 4, 5));
        double[] expected3 = {0.99149036, 0.99149036, 0.99180907, 0.99180907, 0.99258363, 0.99258363, 0.9927925,
            0.9927925, 0.99413764, 0.99413764, 0.99420583, 0.99420583, 0.9943788, 0.9943788, 0.9944278, 0.9944278,
            0.9950547, 0.9950547, 0.9950547, 0.9950547, 0.9950547, 0.9950547, 0.9950547, 0.9950547, 0.9950547,
            0.9950547, 0.9950547, 0.9950547, 0.9950547, 0.9950547, 0.9950547, 0.9950547};
        assertKeras("ConvLSTM3D", three.call(Variable.constant(Tensor.of(seq3, 2, 3, 4, 4, 4, 5)), null,
                CallContext.inference()).value(), expected3);
    }

    /** keras/src/layers/rnn/conv_lstm2d_test.py::test_basics: input and output shapes, 3 trainable weights. */
    @Test
    void kerasBasicsShapes() {
        ConvLSTM2D same = new ConvLSTM2D(5, 3).padding("same");
        assertThat(same.apply(Input.shape(2, 4, 4, 3)).shape()).isEqualTo(Shape.of(4, 4, 5));
        assertThat(same.weights()).extracting(Weight::name).containsExactly("kernel", "recurrent_kernel", "bias");
        assertThat(same.weights()).extracting(Weight::shape).containsExactly(Shape.of(3, 3, 3, 20),
                Shape.of(3, 3, 5, 20), Shape.of(20));
        ConvLSTM2D valid = new ConvLSTM2D(5, 3).recurrentDropout(0.5f);
        assertThat(valid.apply(Input.shape(2, 8, 8, 3)).shape()).isEqualTo(Shape.of(6, 6, 5));
        Tensor y = valid.call(Variable.constant(uniform(r, -1, 1, 3, 2, 8, 8, 3)), null,
                CallContext.training(Seeds.of(1))).value();
        assertThat(y.shape()).isEqualTo(Shape.of(3, 6, 6, 5));
        ConvLSTM2D seq = new ConvLSTM2D(5, 3).returnSequences(true).returnState(true);
        assertThat(seq.applyAll(Input.shape(Input.NONE, 8, 8, 3))).extracting(SymbolicTensor::shape)
                .containsExactly(Shape.withUnknown(Input.NONE, 6, 6, 5), Shape.of(6, 6, 5), Shape.of(6, 6, 5));
        assertThat(seq.stateShape()).isEqualTo(Shape.of(6, 6, 5));
        assertThat(seq.rank()).isEqualTo(2);
    }

    @Test
    void summaryCountsKerasParameters() {
        Sequential m = Sequential.of(Input.shape(Input.NONE, 8, 7, 3), new ConvLSTM2D(5, 3, 2).named("clstm"));
        // 4·filters·(taps·channels + taps·filters + 1) = 4·5·(6·3 + 6·5 + 1)
        assertThat(m.countParams()).isEqualTo(980);
        assertThat(m.summary()).contains("clstm (ConvLSTM2D)").contains("(None, 6, 6, 5)").contains("980");
        ConvLSTM2D noBias = new ConvLSTM2D(5, 3).useBias(false);
        noBias.build(Shape.of(4, 8, 8, 3));
        assertThat(noBias.countParams()).isEqualTo(4 * 5 * (27 + 45));
        ConvLSTM2D plainBias = new ConvLSTM2D(2, 3).unitForgetBias(false);
        plainBias.build(Shape.of(4, 8, 8, 3));
        assertThat(plainBias.weights().get(2).value().toArray()).as("zeros without unit_forget_bias").containsOnly(0f);
        ConvLSTM2D forget = new ConvLSTM2D(2, 3);
        forget.build(Shape.of(4, 8, 8, 3));
        assertThat(forget.weights().get(2).value().toArray()).as("unit_forget_bias: the f block at 1")
                .containsExactly(0f, 0f, 1f, 1f, 0f, 0f, 0f, 0f);
    }

    /** An empty batch gives empty outputs of the right shape, as Keras's ops do. */
    @Test
    void anEmptyBatchGivesEmptyOutputs() {
        ConvLSTM2D layer = new ConvLSTM2D(2, 3).padding("same").strides(2).returnSequences(true).returnState(true);
        layer.build(Shape.withUnknown(Input.NONE, 5, 4, 2));
        List<Variable> y = layer.callAll(List.of(Variable.constant(Tensor.zeros(0, 3, 5, 4, 2))), null,
                CallContext.inference());
        assertThat(y).extracting(Variable::shape).containsExactly(Shape.of(0, 3, 3, 2, 2), Shape.of(0, 3, 2, 2),
                Shape.of(0, 3, 2, 2));
    }

    @Test
    void badInputsAreRefusedNamingTheLayer() {
        assertThatThrownBy(() -> new ConvLSTM2D(2, 3).named("c").build(Shape.of(4, 5, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'c' (ConvLSTM2D): expected an input (batch, time, rows, cols, channels), got "
                        + "(None, 4, 5, 3)");
        assertThatThrownBy(() -> new ConvLSTM3D(2, 3).named("c").build(Shape.of(4, 5, 5, 3)))
                .hasMessage("Layer 'c' (ConvLSTM3D): expected an input (batch, time, dim1, dim2, dim3, channels), "
                        + "got (None, 4, 5, 5, 3)");
        assertThatThrownBy(() -> new ConvLSTM2D(2, 3).named("c").apply(Input.shape(5, 6, Input.NONE, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'c' (ConvLSTM2D) needs a known size on axis 3 of its input (None, 5, 6, None, 3) "
                        + "(its spatial axes: Keras's ConvLSTM layers only support static input shapes for the "
                        + "spatial dimension); None (any size) was given");
        assertThatThrownBy(() -> new ConvLSTM2D(2, 3).named("c").build(Shape.of(5, 6, 2, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'c' (ConvLSTM2D): a spatial input of (6, 2) gives no output on axis 2 with "
                        + "padding 'valid': a window spans (3, 3) (kernel_size (3, 3), dilation_rate (1, 1)); Keras "
                        + "refuses it too (\"Computed output size would be zero or negative\")");
        assertThatThrownBy(() -> new ConvLSTM2D(2, 3).dilationRate(3, 1).named("c").build(Shape.of(5, 6, 4, 3)))
                .hasMessageStartingWith("Layer 'c' (ConvLSTM2D): a spatial input of (6, 4) gives no output on axis 1 "
                        + "with padding 'valid': a window spans (7, 3)");
        ConvLSTM2D built = new ConvLSTM2D(2, 3).named("c");
        built.build(Shape.withUnknown(Input.NONE, 5, 4, 2));
        assertThatThrownBy(() -> built.call(Variable.constant(Tensor.zeros(1, 3, 5, 4, 3)), null,
                CallContext.inference())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Input of layer 'c' (ConvLSTM2D) is incompatible with the layer: expected shape=(None, "
                        + "None, 5, 4, 2), found shape=(1, 3, 5, 4, 3)");
        assertThatThrownBy(() -> built.call(Variable.constant(Tensor.zeros(1, 3, 4, 5, 2)), null,
                CallContext.inference())).hasMessageContaining("expected shape=(None, None, 5, 4, 2)");
        assertThatThrownBy(() -> built.call(Variable.constant(Tensor.zeros(1, 3, 5, 4, 2)), Tensor.zeros(1, 4),
                CallContext.inference())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'c' (ConvLSTM2D): mask must be (batch, time) = (1, 3), got (1, 4)");
    }

    @Test
    void wrongStatesAreRefusedNamingTheLayer() {
        ConvLSTM2D layer = new ConvLSTM2D(2, 3).named("c");
        Input x = Input.shape(4, 5, 4, 2);
        assertThatThrownBy(() -> layer.apply(x, List.of(Input.shape(3, 2, 2), Input.shape(5, 4, 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'c' (ConvLSTM2D): initial_state[1] must be (batch, new_rows, new_cols, filters) = "
                        + "(None, 3, 2, 2), got (None, 5, 4, 2)");
        assertThat(layer.isBuilt()).as("a refused first application leaves the layer unbuilt").isFalse();
        layer.build(Shape.of(4, 5, 4, 2));
        Variable in = Variable.constant(Tensor.zeros(2, 4, 5, 4, 2));
        Variable good = Variable.constant(Tensor.zeros(2, 3, 2, 2));
        assertThatThrownBy(() -> layer.run(in, null, List.of(good), CallContext.inference()))
                .hasMessage("Layer 'c' (ConvLSTM2D): initial_state must hold 2 states (h and c), got 1");
        ConvLSTM2D stateful = new ConvLSTM2D(2, 3).stateful(true).named("s");
        stateful.build(Shape.of(4, 5, 4, 2));
        stateful.call(in, null, CallContext.inference());
        assertThatThrownBy(() -> stateful.call(Variable.constant(Tensor.zeros(3, 4, 5, 4, 2)), null,
                CallContext.inference())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Layer 's' (ConvLSTM2D): stateful layer holds states for batch size 2, got "
                        + "a batch of 3");
        assertThatThrownBy(() -> new ConvLSTM2D(2, 3).resetStates()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("resetStates() needs a stateful layer");
    }

    @Test
    void badOptionsAreRefusedAsKerasRefusesThem() {
        assertThatThrownBy(() -> new ConvLSTM2D(2, 3).named("c").padding("causal"))
                .hasMessage("Layer 'c' (ConvLSTM2D): padding must be 'valid' or 'same', got 'causal'");
        // conv_lstm2d_test.py::test_symbolic_invalid_strides_dilation_rate
        assertThatThrownBy(() -> new ConvLSTM2D(1, 1).named("c").strides(2).padding("same").dilationRate(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'c' (ConvLSTM2D): strides > 1 is not supported together with dilation_rate > 1 "
                        + "(as in Keras), got strides=(2, 2) and dilation_rate=(3, 3)");
        assertThatThrownBy(() -> new ConvLSTM3D(1, 1).named("c").dilationRate(1, 2, 2).strides(2))
                .hasMessageContaining("got strides=(2, 2, 2) and dilation_rate=(1, 2, 2)");
        assertThatThrownBy(() -> new ConvLSTM2D(2, 3, 3, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("(ConvLSTM2D): kernel_size must hold 1 or 2 integers, got [3, 3, 3]");
        assertThatThrownBy(() -> new ConvLSTM2D(2, 3, 0)).hasMessageEndingWith("kernel_size must be >= 1, got 0");
        assertThatThrownBy(() -> new ConvLSTM2D(0, 3)).hasMessageEndingWith("filters must be >= 1, got 0");
        assertThatThrownBy(() -> new ConvLSTM2D(2, 3).named("c").strides(1, 0))
                .hasMessage("Layer 'c' (ConvLSTM2D): strides must be >= 1, got 0");
        assertThatThrownBy(() -> new ConvLSTM3D(2, 3).named("c").dilationRate(1, 2))
                .hasMessage("Layer 'c' (ConvLSTM3D): dilation_rate must hold 1 or 3 integers, got [1, 2]");
        ConvLSTM2D built = new ConvLSTM2D(2, 3).named("c");
        built.build(Shape.of(4, 5, 5, 2));
        assertThatThrownBy(() -> built.strides(2)).isInstanceOf(IllegalStateException.class)
                .hasMessage("c: strides cannot change after the layer is built");
    }
}
