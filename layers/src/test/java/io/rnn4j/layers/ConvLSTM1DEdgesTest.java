package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * ConvLSTM1D's gradients against float64 finite differences ({@link GradCheck}) for the input,
 * kernel, recurrent kernel, bias and initial states, through "valid", "same" with strides 2 (the
 * im2col path), dilation, masks, go_backwards and dropout in training; its shapes (Keras's
 * conv_lstm1d_test.py::test_basics shapes, None time steps, return_state) and parameter counts
 * ({@code 4·filters·(k·channels + k·filters + 1)}); and every refusal, naming the layer, what was
 * expected and what came. Seed 29.
 */
class ConvLSTM1DEdgesTest {
    private static final long SEED = 29;
    private final Random r = new Random(SEED);

    private ConvLSTM1D built(ConvLSTM1D layer, int t, int s, int c) {
        layer.build(Shape.of(t, s, c));
        for (Weight w : layer.weights()) {
            w.set(uniform(r, -0.5f, 0.5f, w.shape().dims()));
        }
        return layer;
    }

    /** Checks d/d input and d/d every weight of {@code layer}'s output, plus {@code extra} parameters. */
    private void check(String what, ConvLSTM1D layer, Variable in, Supplier<Variable> out, Variable... extra) {
        List<Variable> params = new ArrayList<>(List.of(in));
        params.addAll(List.of(extra));
        for (Weight w : layer.weights()) {
            params.add(w.variable());
        }
        System.out.println("ConvLSTM1DEdgesTest seed " + SEED + ": " + what);
        GradCheck.checkParameters("ConvLSTM1D " + what, out, params);
    }

    @Test
    void gradientsOfValidSequencesMatchFiniteDifferences() {
        ConvLSTM1D layer = built(new ConvLSTM1D(2, 3).returnSequences(true), 3, 5, 2);
        Variable in = Variable.parameter(uniform(r, -1, 1, 2, 3, 5, 2));
        check("valid, return_sequences", layer, in, () -> layer.call(in, null, CallContext.inference()));
    }

    @Test
    void gradientsThroughStridesAndGoBackwardsMatchFiniteDifferences() {
        ConvLSTM1D layer = built(new ConvLSTM1D(2, 3).strides(2).padding("same").goBackwards(true), 3, 6, 2);
        Variable in = Variable.parameter(uniform(r, -1, 1, 2, 3, 6, 2));
        check("same, strides 2 (im2col), go_backwards, last output", layer, in,
                () -> layer.call(in, null, CallContext.inference()));
    }

    @Test
    void gradientsThroughDilationAndMasksMatchFiniteDifferences() {
        ConvLSTM1D layer = built(new ConvLSTM1D(2, 2).dilationRate(2).returnSequences(true), 4, 5, 2);
        Variable in = Variable.parameter(uniform(r, -1, 1, 2, 4, 5, 2));
        // Step 1 masked for both samples; sample 1 also loses its first and last.
        Tensor mask = Tensor.of(new float[] {1, 0, 1, 1, 0, 0, 1, 0}, 2, 4);
        check("dilation 2, masked", layer, in, () -> layer.call(in, mask, CallContext.inference()));
    }

    @Test
    void gradientsReachTheInitialStates() {
        ConvLSTM1D layer = built(new ConvLSTM1D(2, 3).padding("same"), 2, 4, 2);
        Variable in = Variable.parameter(uniform(r, -1, 1, 2, 2, 4, 2));
        Variable h0 = Variable.parameter(uniform(r, -1, 1, 2, 4, 2));
        Variable c0 = Variable.parameter(uniform(r, -1, 1, 2, 4, 2));
        check("initial_state, final h and c", layer, in, () -> {
            RnnOutput o = layer.run(in, null, List.of(h0, c0), CallContext.inference());
            return Ops.concat(2, o.states().get(0), o.states().get(1));
        }, h0, c0);
    }

    @Test
    void gradientsWithDropoutInTrainingMatchFiniteDifferences() {
        ConvLSTM1D layer = built(new ConvLSTM1D(2, 3).dropout(0.3f).recurrentDropout(0.4f).returnSequences(true),
                3, 5, 2);
        Variable in = Variable.parameter(uniform(r, -1, 1, 2, 3, 5, 2));
        // The same stream on every call: the same masks for the analytic and the numeric passes.
        check("dropout and recurrent_dropout in training", layer, in,
                () -> layer.call(in, null, CallContext.training(Seeds.of(7))));
    }

    /** keras/src/layers/rnn/conv_lstm1d_test.py::test_basics: input and output shapes, 3 trainable weights. */
    @Test
    void kerasBasicsShapes() {
        ConvLSTM1D same = new ConvLSTM1D(5, 3).padding("same");
        assertThat(same.apply(Input.shape(2, 4, 3)).shape()).isEqualTo(Shape.of(4, 5));
        assertThat(same.weights()).extracting(Weight::name).containsExactly("kernel", "recurrent_kernel", "bias");
        assertThat(same.weights()).extracting(Weight::shape).containsExactly(Shape.of(3, 3, 20), Shape.of(3, 5, 20),
                Shape.of(20));
        ConvLSTM1D valid = new ConvLSTM1D(5, 3).recurrentDropout(0.5f);
        assertThat(valid.apply(Input.shape(2, 8, 3)).shape()).isEqualTo(Shape.of(6, 5));
        Tensor y = valid.call(Variable.constant(uniform(r, -1, 1, 3, 2, 8, 3)), null,
                CallContext.training(Seeds.of(1))).value();
        assertThat(y.shape()).isEqualTo(Shape.of(3, 6, 5));
        ConvLSTM1D seq = new ConvLSTM1D(5, 3).returnSequences(true);
        assertThat(seq.apply(Input.shape(2, 8, 3)).shape()).isEqualTo(Shape.of(2, 6, 5));
    }

    @Test
    void noneTimeStepsAndReturnStateShapes() {
        ConvLSTM1D layer = new ConvLSTM1D(4, 3).strides(2).padding("same").returnSequences(true).returnState(true);
        List<SymbolicTensor> out = layer.applyAll(Input.shape(Input.NONE, 9, 2));
        assertThat(out).extracting(SymbolicTensor::shape).containsExactly(Shape.withUnknown(Input.NONE, 5, 4),
                Shape.of(5, 4), Shape.of(5, 4));
        assertThat(layer.computeOutputShapes(List.of(Shape.of(7, 9, 2)))).as("a known length comes out")
                .containsExactly(Shape.of(7, 5, 4), Shape.of(5, 4), Shape.of(5, 4));
        assertThat(layer.stateShape()).isEqualTo(Shape.of(5, 4));
        for (int t : new int[] {1, 6}) {
            List<Variable> y = layer.callAll(List.of(Variable.constant(uniform(r, -1, 1, 2, t, 9, 2))), null,
                    CallContext.inference());
            assertThat(y.get(0).shape()).as("%d time steps", t).isEqualTo(Shape.of(2, t, 5, 4));
        }
    }

    @Test
    void summaryCountsKerasParameters() {
        Sequential m = Sequential.of(Input.shape(Input.NONE, 8, 3), new ConvLSTM1D(5, 3).named("clstm"));
        // 4·filters·(k·channels + k·filters + 1) = 4·5·(9 + 15 + 1)
        assertThat(m.countParams()).isEqualTo(500);
        assertThat(m.summary()).contains("clstm (ConvLSTM1D)").contains("(None, 6, 5)").contains("500");
        ConvLSTM1D noBias = new ConvLSTM1D(5, 3).useBias(false);
        noBias.build(Shape.of(4, 8, 3));
        assertThat(noBias.countParams()).isEqualTo(4 * 5 * (9 + 15));
        assertThat(noBias.weights()).hasSize(2);
        ConvLSTM1D plainBias = new ConvLSTM1D(2, 3).unitForgetBias(false);
        plainBias.build(Shape.of(4, 8, 3));
        assertThat(plainBias.weights().get(2).value().toArray()).as("zeros without unit_forget_bias").containsOnly(0f);
    }

    @Test
    void badInputsAreRefusedNamingTheLayer() {
        assertThatThrownBy(() -> new ConvLSTM1D(2, 3).named("c").build(Shape.of(10, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'c' (ConvLSTM1D): expected an input (batch, time, steps, channels), got "
                        + "(None, 10, 3)");
        assertThatThrownBy(() -> new ConvLSTM1D(2, 3).named("c").apply(Input.shape(5, Input.NONE, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'c' (ConvLSTM1D) needs a known size on axis 2 of its input (None, 5, None, 3) "
                        + "(its spatial steps: Keras's ConvLSTM layers only support static input shapes for the "
                        + "spatial dimension); None (any size) was given");
        assertThatThrownBy(() -> new ConvLSTM1D(2, 3).named("c").apply(Input.shape(5, 4, Input.NONE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a known size on axis 3 of its input (None, 5, 4, None) to size its "
                        + "kernel");
        assertThatThrownBy(() -> new ConvLSTM1D(2, 3).named("c").build(Shape.of(5, 2, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Layer 'c' (ConvLSTM1D): an input of 2 steps gives no output step with "
                        + "padding 'valid'");
        ConvLSTM1D built = new ConvLSTM1D(2, 3).named("c");
        built.build(Shape.withUnknown(Input.NONE, 5, 2));
        assertThatThrownBy(() -> built.call(Variable.constant(Tensor.zeros(1, 3, 6, 2)), null,
                CallContext.inference())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Input of layer 'c' (ConvLSTM1D) is incompatible with the layer: expected shape=(None, "
                        + "None, 5, 2), found shape=(1, 3, 6, 2)");
        assertThatThrownBy(() -> built.call(Variable.constant(Tensor.zeros(1, 3, 5, 2)), Tensor.zeros(1, 4),
                CallContext.inference())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'c' (ConvLSTM1D): mask must be (batch, time) = (1, 3), got (1, 4)");
    }

    @Test
    void wrongStatesAreRefusedNamingTheLayer() {
        ConvLSTM1D layer = new ConvLSTM1D(2, 3).named("c");
        Input x = Input.shape(4, 5, 2);
        assertThatThrownBy(() -> layer.apply(x, List.of(Input.shape(3, 2), Input.shape(5, 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'c' (ConvLSTM1D): initial_state[1] must be (batch, new_steps, filters) = "
                        + "(None, 3, 2), got (None, 5, 2)");
        assertThatThrownBy(() -> layer.apply(x, List.of(Input.shape(3, 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'c' (ConvLSTM1D): initial_state must hold 2 states (h and c), got 1");
        assertThat(layer.isBuilt()).as("a refused first application leaves the layer unbuilt").isFalse();
        layer.build(Shape.of(4, 5, 2));
        Variable in = Variable.constant(Tensor.zeros(2, 4, 5, 2));
        Variable good = Variable.constant(Tensor.zeros(2, 3, 2));
        assertThatThrownBy(() -> layer.run(in, null, List.of(good, Variable.constant(Tensor.zeros(2, 6))),
                CallContext.inference())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'c' (ConvLSTM1D): initial_state[1] must be (batch, new_steps, filters) = "
                        + "(2, 3, 2), got (2, 6)");
        assertThatThrownBy(() -> layer.run(in, null, List.of(good), CallContext.inference()))
                .hasMessage("Layer 'c' (ConvLSTM1D): initial_state must hold 2 states (h and c), got 1");
        ConvLSTM1D stateful = new ConvLSTM1D(2, 3).stateful(true).named("s");
        stateful.build(Shape.of(4, 5, 2));
        stateful.call(in, null, CallContext.inference());
        assertThatThrownBy(() -> stateful.call(Variable.constant(Tensor.zeros(3, 4, 5, 2)), null,
                CallContext.inference())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Layer 's' (ConvLSTM1D): stateful layer holds states for batch size 2, got "
                        + "a batch of 3");
        assertThatThrownBy(() -> new ConvLSTM1D(2, 3).resetStates()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("resetStates() needs a stateful layer");
    }

    @Test
    void badOptionsAreRefusedAsKerasRefusesThem() {
        assertThatThrownBy(() -> new ConvLSTM1D(2, 3).named("c").padding("causal"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'c' (ConvLSTM1D): padding must be 'valid' or 'same', got 'causal'");
        assertThatThrownBy(() -> new ConvLSTM1D(2, 3).named("c").strides(2).dilationRate(2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'c' (ConvLSTM1D): strides > 1 is not supported together with dilation_rate > 1 "
                        + "(as in Keras), got strides=2 and dilation_rate=2");
        assertThatThrownBy(() -> new ConvLSTM1D(0, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("(ConvLSTM1D): filters must be >= 1, got 0");
        assertThatThrownBy(() -> new ConvLSTM1D(2, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("(ConvLSTM1D): kernel_size must be >= 1, got 0");
        assertThatThrownBy(() -> new ConvLSTM1D(2, 3).named("c").strides(0))
                .hasMessage("Layer 'c' (ConvLSTM1D): strides must be >= 1, got 0");
        assertThatThrownBy(() -> new ConvLSTM1D(2, 3).named("c").dropout(Float.NaN))
                .hasMessage("Layer 'c' (ConvLSTM1D): dropout must be a number in [0, 1], got NaN");
        ConvLSTM1D built = new ConvLSTM1D(2, 3).named("c");
        built.build(Shape.of(4, 5, 2));
        assertThatThrownBy(() -> built.padding("same")).isInstanceOf(IllegalStateException.class)
                .hasMessage("c: padding cannot change after the layer is built");
        assertThatThrownBy(() -> built.activation("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope");
    }
}
