package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ConvLSTM1D at the edges where a review against Keras 3.15.1's source found it apart from Keras
 * (TensorFlow backend): masks of the rank Keras's Masking gives a (batch, time, steps, channels)
 * input, and an input Keras computes that the strided path refuses. Values against
 * {@link ConvLstmReference} (float64 loops), bar {@code 1e-5 + 1e-5·|reference|}. Seed 31.
 */
class ConvLSTM1DKerasEdgesTest {
    private static final long SEED = 31;
    private final Random r = new Random(SEED);

    /**
     * Keras's Masking (keras/src/layers/core/masking.py, compute_mask and call) reduces over the
     * last axis only: on (batch, time, steps, channels) its mask is (batch, time, steps), and a
     * spatial step whose channels all equal mask_value is set to 0 even when its neighbours are
     * not. rnn4j's Masking reduces over every axis after time (Masks.anyNotEqual): a (batch, time)
     * mask, and the step's values left as they are.
     */
    @Test
    void maskingOfAFourDimensionalInputMasksEachSpatialStepAsKeras() {
        Masking m = new Masking(-1f);
        m.build(Shape.of(2, 3, 2));
        // (1, 2, 3, 2): time 0 has spatial step 1 all -1; time 1 is all -1.
        float[] v = {0.5f, 2f, -1f, -1f, 3f, -1f, -1f, -1f, -1f, -1f, -1f, -1f};
        Variable x = Variable.constant(Tensor.of(v, 1, 2, 3, 2));
        Tensor mask = m.computeMask(x, null);
        assertThat(mask.shape()).as("Keras's Masking.compute_mask: any(x != mask_value, axis=-1) is (batch, time, "
                + "steps) on a 4-D input (keras/src/layers/core/masking.py)").isEqualTo(Shape.of(1, 2, 3));
        assertThat(mask.toArray()).containsExactly(1f, 0f, 1f, 0f, 0f, 0f);
        assertThat(m.call(x, null, CallContext.inference()).value().toArray())
                .as("Keras's Masking.call: where(any(x != mask_value, axis=-1, keepdims=True), x, 0), per spatial step")
                .containsExactly(0.5f, 2f, 0f, 0f, 3f, -1f, 0f, 0f, 0f, 0f, 0f, 0f);
    }

    /** A (batch, time, steps) mask: rows mask some spatial steps at some times, one step whole. */
    private static final float[] POSITION_MASK = {
        1, 1, 1, 1, /**/ 1, 0, 0, 1, /**/ 0, 0, 0, 0, /**/ 1, 1, 0, 1,
        0, 1, 1, 1, /**/ 1, 1, 1, 1, /**/ 1, 0, 1, 1, /**/ 0, 0, 1, 1};

    /**
     * Keras 3's TensorFlow rnn loop (keras/src/backend/tensorflow/rnn.py, _expand_mask and
     * compute_masked_output in the while_loop path) does not reduce a mask of rank 3: it tiles
     * mask_t (batch, steps) over the filters and selects with tf.where per spatial position, so a
     * ConvLSTM1D with padding "same" (new_steps = steps) keeps h and c, and repeats the previous
     * output (zeros with zero_output_for_mask), only at the masked positions. rnn4j refuses any
     * mask but (batch, time).
     */
    @Test
    void aMaskPerSpatialStepIsAppliedPerPositionAsTensorFlowsRnnLoop() {
        for (boolean zeroOutput : new boolean[] {false, true}) {
            ConvLSTM1D layer = new ConvLSTM1D(2, 3).padding("same").returnSequences(true).returnState(true)
                    .zeroOutputForMask(zeroOutput);
            ConvLstmReference ref = reference(layer, 2, 4, 4, 3);
            ref.positionMask = POSITION_MASK;
            ref.run();
            String what = "per-position mask, zero_output_for_mask " + zeroOutput;
            RnnOutput o = layer.run(input(ref), Tensor.of(POSITION_MASK, 2, 4, 4), null, CallContext.inference());
            assertClose(what + ": sequence", o.output().value(), ref.sequence);
            assertClose(what + ": h", o.states().get(0).value(), ref.h);
            assertClose(what + ": c", o.states().get(1).value(), ref.c);
        }
    }

    /**
     * The two together, as a Keras user writes them: Masking → ConvLSTM1D("same"). In Keras a
     * spatial step that is all zeros at some time is frozen there (its h and c kept) while the
     * other steps of that time run; here the whole time step runs, since some of it is not zero.
     */
    @Test
    void maskingThenConvLstmFreezesOnlyTheMaskedSpatialSteps() {
        ConvLSTM1D layer = new ConvLSTM1D(2, 3).padding("same").returnSequences(true);
        ConvLstmReference ref = reference(layer, 2, 4, 4, 3);
        // Zero the (time, step) positions the mask above masks, so that Masking(0) finds them.
        for (int i = 0; i < POSITION_MASK.length; i++) {
            if (POSITION_MASK[i] == 0) {
                java.util.Arrays.fill(ref.x, i * 3, i * 3 + 3, 0f);
            }
        }
        ref.positionMask = POSITION_MASK;
        ref.run();
        Sequential m = Sequential.of(Input.shape(4, 4, 3), new Masking(), layer);
        assertClose("Masking → ConvLSTM1D(same), Keras's per-position mask",
                m.predict(input(ref).value()), ref.sequence);
    }

    /**
     * Keras computes a strided ConvLSTM1D whatever batch·time·steps is (one tf.nn.convolution per
     * step); rnn4j's im2col path for strides > 1 refuses batch·time·steps ≥ 2^24, naming
     * batch·time as "batch" and telling the user to predict in smaller batches — impossible here,
     * with a batch of 1. The same input at strides 1 is computed.
     */
    @Test
    void aStridedLayerComputesWhatKerasComputesWithABatchOfOne() {
        int steps = 1 << 23;
        ConvLSTM1D layer = new ConvLSTM1D(1, 1).strides(2);
        layer.build(Shape.of(2, steps, 1));
        Variable y = layer.call(Variable.constant(Tensor.zeros(1, 2, steps, 1)), null, CallContext.inference());
        assertThat(y.shape()).as("Keras: (1, ceil(2^23 / 2), 1) computed, for a batch of 1 and 2 time steps")
                .isEqualTo(Shape.of(1, steps / 2, 1));
    }

    /**
     * Keras 3's RNN.call (keras/src/layers/rnn/rnn.py, the stateful check after initial_state is
     * resolved) refuses a stateful layer's batch of another size than its states' whether or not
     * initial_state is given. rnn4j checks only when it reads its own states: given initial_state
     * of batch 3 after states of batch 2, it runs and silently holds states of batch 3 from then on.
     * (LSTM/GRU/SimpleRNN and RNN share this: Recurrent.forwardRun, RNN.)
     */
    @Test
    void aStatefulLayerRefusesAnotherBatchSizeEvenWithInitialState() {
        ConvLSTM1D layer = new ConvLSTM1D(2, 3).stateful(true).named("s");
        layer.build(Shape.of(4, 5, 2));
        layer.call(Variable.constant(uniform(r, -1, 1, 2, 4, 5, 2)), null, CallContext.inference());
        Variable state = Variable.constant(Tensor.zeros(3, 3, 2));
        Throwable thrown = null;
        try {
            layer.run(Variable.constant(uniform(r, -1, 1, 3, 4, 5, 2)), null, List.of(state, state),
                    CallContext.inference());
        } catch (IllegalArgumentException e) {
            thrown = e;
        }
        assertThat(thrown).as("Keras 3: 'If an RNN is stateful, the batch size of the input sequences must be the "
                + "same as the batch size of the initial state' (expected 2, received 3); rnn4j ran it and now "
                + "holds batch %d", layer.fixedBatchSize()).isNotNull();
        assertThat(thrown.getMessage()).contains("Layer 's' (ConvLSTM1D)").contains("2").contains("3");
    }

    /**
     * Passes: the reference's per-position mask, uniform over the spatial steps, is the (batch,
     * time) mask rnn4j applies (tested against the reference's own time mask in ConvLSTM1DTest),
     * so the tests above compare against the same loop.
     */
    @Test
    void theReferencePositionMaskUniformOverStepsIsTheTimeMask() {
        float[] time = {1, 0, 1, 1, 0, 1, 1, 0};
        float[] position = new float[2 * 4 * 4];
        for (int i = 0; i < position.length; i++) {
            position[i] = time[i / 4];
        }
        ConvLSTM1D layer = new ConvLSTM1D(2, 3).padding("same").returnSequences(true).returnState(true);
        ConvLstmReference ref = reference(layer, 2, 4, 4, 3);
        ref.positionMask = position;
        ref.run();
        RnnOutput o = layer.run(input(ref), Tensor.of(time, 2, 4), null, CallContext.inference());
        assertClose("uniform position mask: sequence", o.output().value(), ref.sequence);
        assertClose("uniform position mask: h", o.states().get(0).value(), ref.h);
        assertClose("uniform position mask: c", o.states().get(1).value(), ref.c);
    }

    private static void assertClose(String what, Tensor actual, double[] expected) {
        float[] a = actual.toArray();
        assertThat(a).as("%s: size", what).hasSize(expected.length);
        for (int i = 0; i < a.length; i++) {
            assertThat((double) a[i]).as("%s %s element %d (seed %d, bar 1e-5 + 1e-5|reference|)", what,
                    actual.shape(), i, SEED).isCloseTo(expected[i],
                    org.assertj.core.data.Offset.offset(1e-5 + 1e-5 * Math.abs(expected[i])));
        }
    }

    private ConvLstmReference reference(ConvLSTM1D layer, int b, int t, int s, int c) {
        System.out.println("ConvLSTM1DKerasEdgesTest seed " + SEED);
        layer.build(Shape.of(t, s, c));
        for (Weight w : layer.weights()) {
            w.set(uniform(r, -0.5f, 0.5f, w.shape().dims()));
        }
        ConvLstmReference ref = new ConvLstmReference(b, t, s, c, layer.filters(), layer.kernelSize());
        ref.padding = layer.padding();
        ref.zeroOutputForMask = layer.zeroOutputForMask();
        ref.kernel = layer.weights().get(0).value().toArray();
        ref.recurrent = layer.weights().get(1).value().toArray();
        ref.bias = layer.weights().get(2).value().toArray();
        ref.x = uniform(r, -1, 1, b, t, s, c).toArray();
        return ref;
    }

    private static Variable input(ConvLstmReference ref) {
        return Variable.constant(Tensor.of(ref.x, ref.batch, ref.time, ref.steps, ref.channels));
    }
}
