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
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ConvLSTM1D at the edges of Keras 3's behaviour (keras/src/layers/rnn/rnn.py, conv_lstm.py,
 * keras/src/backend/tensorflow/rnn.py, keras/src/layers/core/masking.py), each test naming
 * Keras's source: gradients through zero_output_for_mask with go_backwards and a step masked for
 * every sample; NaN and ±inf at masked steps kept out of the outputs and states (Keras's
 * tf.where); empty batches; predict from several threads; a stateful layer refusing a batch of
 * another size even with initial_state; and Masking refusing a (batch, time, steps, channels)
 * input, whose Keras mask is per spatial position (batch, time, steps), which no layer here takes
 * (ConvLSTM1D takes (batch, time) masks). Seed 37.
 */
class ConvLSTM1DKerasEdgesTest {
    private static final long SEED = 37;
    private final Random r = new Random(SEED);

    private ConvLSTM1D built(ConvLSTM1D layer, int t, int s, int c) {
        System.out.println("ConvLSTM1DKerasEdgesTest seed " + SEED);
        layer.build(Shape.of(t, s, c));
        for (Weight w : layer.weights()) {
            w.set(uniform(r, -0.5f, 0.5f, w.shape().dims()));
        }
        return layer;
    }

    /**
     * Keras's rnn loop with zero_output_for_mask (keras/src/backend/tensorflow/rnn.py): masked
     * steps output zeros and pass no gradient to the step; states pass through. d/d input, weights
     * and both initial states against float64 finite differences, with go_backwards, a first
     * processed step masked for one sample and a step masked for both.
     */
    @Test
    void gradientsThroughZeroOutputForMaskGoBackwardsAndInitialStatesMatchFiniteDifferences() {
        ConvLSTM1D layer = built(new ConvLSTM1D(2, 2).padding("same").goBackwards(true).zeroOutputForMask(true)
                .returnSequences(true), 4, 3, 2);
        Variable in = Variable.parameter(uniform(r, -1, 1, 2, 4, 3, 2));
        Variable h0 = Variable.parameter(uniform(r, -1, 1, 2, 3, 2));
        Variable c0 = Variable.parameter(uniform(r, -1, 1, 2, 3, 2));
        // Processed backwards: sample 1's first processed step (time 3) is masked; time 1 is masked for both.
        Tensor mask = Tensor.of(new float[] {1, 0, 1, 1, 1, 0, 1, 0}, 2, 4);
        List<Variable> params = new ArrayList<>(List.of(in, h0, c0));
        for (Weight w : layer.weights()) {
            params.add(w.variable());
        }
        GradCheck.checkParameters("ConvLSTM1D zero_output_for_mask, go_backwards, masked, initial_state", () -> {
            RnnOutput o = layer.run(in, mask, List.of(h0, c0), CallContext.inference());
            Variable seq = Ops.reshape(o.output(), 2, 4 * 3 * 2);
            return Ops.concat(1, seq, Ops.reshape(o.states().get(0), 2, 6), Ops.reshape(o.states().get(1), 2, 6));
        }, params);
    }

    /**
     * tf.where(mask, new, old) (keras/src/backend/tensorflow/rnn.py, compute_masked_output) picks
     * the old states at a masked step, so NaN or ±inf in a masked sample's input there reach
     * neither its output nor its states.
     */
    @Test
    void nanAndInfinityAtMaskedStepsReachNeitherOutputsNorStates() {
        ConvLSTM1D layer = built(new ConvLSTM1D(2, 3).padding("same").returnSequences(true).returnState(true),
                3, 4, 2);
        Tensor clean = uniform(r, -1, 1, 2, 3, 4, 2);
        float[] dirty = clean.toArray();
        // Sample 1, time 1 (masked): NaN, +inf and -inf.
        int at = (1 * 3 + 1) * 4 * 2;
        for (int i = 0; i < 8; i++) {
            dirty[at + i] = i % 3 == 0 ? Float.NaN : i % 3 == 1 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
        }
        Tensor mask = Tensor.of(new float[] {1, 1, 1, 1, 0, 1}, 2, 3);
        List<Variable> a = layer.callAll(List.of(Variable.constant(clean)), Arrays.asList(mask),
                CallContext.inference());
        List<Variable> b = layer.callAll(List.of(Variable.constant(Tensor.of(dirty, 2, 3, 4, 2))),
                Arrays.asList(mask), CallContext.inference());
        for (int i = 0; i < 3; i++) {
            assertThat(b.get(i).value().toArray()).as("output %d with NaN/inf at a masked step", i)
                    .isEqualTo(a.get(i).value().toArray());
        }
    }

    /** An empty batch gives empty outputs of Keras's shapes (TensorFlow's conv and while_loop run on it). */
    @Test
    void emptyBatchesGiveEmptyOutputs() {
        ConvLSTM1D valid = built(new ConvLSTM1D(2, 3).returnSequences(true), 3, 5, 2);
        assertThat(valid.call(Variable.constant(Tensor.zeros(0, 3, 5, 2)), null, CallContext.inference()).shape())
                .isEqualTo(Shape.of(0, 3, 3, 2));
        ConvLSTM1D strided = built(new ConvLSTM1D(2, 3).strides(2).padding("same").returnState(true), 3, 5, 2);
        List<Variable> out = strided.callAll(List.of(Variable.constant(Tensor.zeros(0, 3, 5, 2))),
                Arrays.asList(Tensor.zeros(0, 3)), CallContext.inference());
        assertThat(out).extracting(Variable::shape).containsExactly(Shape.of(0, 3, 2), Shape.of(0, 3, 2),
                Shape.of(0, 3, 2));
    }

    /** DESIGN.md: predict on a built model is safe from many threads; a strided, "same" layer, several sizes. */
    @Test
    void predictFromEightThreadsGivesTheSerialBits() throws Exception {
        Sequential m = Sequential.of(Input.shape(Input.NONE, 9, 2),
                new ConvLSTM1D(3, 3).strides(2).padding("same").returnSequences(true));
        List<Tensor> xs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            xs.add(uniform(r, -1, 1, 1 + i % 3, 2 + i % 4, 9, 2));
        }
        ConcurrentPredict.assertSameBitsAsAlone("ConvLSTM1D seed " + SEED, m, xs, 8, 20);
    }

    /**
     * Keras 3's RNN.call checks a stateful layer's batch after initial_state is resolved: "If an RNN
     * is stateful, the batch size of the input sequences must be the same as the batch size of the
     * initial state" (expected 2, received 3), whether or not initial_state is given.
     */
    @Test
    void aStatefulLayerRefusesAnotherBatchSizeEvenWithInitialState() {
        ConvLSTM1D layer = new ConvLSTM1D(2, 3).stateful(true).named("s");
        layer.build(Shape.of(4, 5, 2));
        layer.call(Variable.constant(uniform(r, -1, 1, 2, 4, 5, 2)), null, CallContext.inference());
        Variable state = Variable.constant(Tensor.zeros(3, 3, 2));
        assertThatThrownBy(() -> layer.run(Variable.constant(uniform(r, -1, 1, 3, 4, 5, 2)), null,
                List.of(state, state), CallContext.inference())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Layer 's' (ConvLSTM1D)").hasMessageContaining("2").hasMessageContaining("3");
        assertThat(layer.fixedBatchSize()).as("the states' batch is kept").isEqualTo(2);
    }

    /** Keras reduces over the last axis only; rnn4j refuses the input instead of reducing over more. */
    @Test
    void maskingOfAFourDimensionalInputIsRefusedNotReducedOverEveryAxis() {
        assertThatThrownBy(() -> Sequential.of(Input.shape(4, 4, 3), new Masking(), new ConvLSTM1D(2, 3)))
                .hasMessageContaining("expected an input (batch, timesteps, features), got (None, 4, 4, 3)")
                .hasMessageContaining("per-position mask of a rank-4 input is not reproduced");
    }
}
