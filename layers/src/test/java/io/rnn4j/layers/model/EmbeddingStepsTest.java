package io.rnn4j.layers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Add;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SimpleRNN;
import io.rnn4j.layers.Softmax;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.TimeDistributed;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Stepping a model whose first layer is an Embedding, one id per step: every step's output is bit
 * for bit what predict gives at that step of the whole sequence (return_sequences) or for the
 * sequence so far (a last-output model), with mask_zero's id 0 a masked step as Keras makes it
 * (states kept, the previous output repeated, zeros before the first real id); ids are checked as
 * the Embedding checks them; layers that cannot step are named. Scalar backend; cli's
 * StepRunnerOnSimdTest does the same on simd. Seed 73.
 */
class EmbeddingStepsTest {
    private static final long SEED = 73;
    private final Random r = new Random(SEED);

    private int[] ids(int n, int vocabulary) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = r.nextInt(vocabulary);
        }
        return ids;
    }

    private static Tensor batchOf(int[] ids) {
        float[] v = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            v[i] = ids[i];
        }
        return Tensor.of(v, 1, ids.length);
    }

    /** Steps {@code ids} through a fresh runner; row t is the output for step t. */
    private static float[][] stepAll(StepRunner s, int[] ids) {
        s.reset();
        float[][] out = new float[ids.length][s.outputSize()];
        for (int t = 0; t < ids.length; t++) {
            s.step(ids[t], out[t]);
        }
        return out;
    }

    private static void assertEachStepIs(float[][] stepped, float[] whole, String what) {
        int n = stepped[0].length;
        for (int t = 0; t < stepped.length; t++) {
            assertThat(stepped[t]).as("%s: step %d bit for bit against predict", what, t)
                    .isEqualTo(Arrays.copyOfRange(whole, t * n, (t + 1) * n));
        }
    }

    @Test
    void everyStepIsBitForBitTheSequencePredictionAtThatStep() {
        Seeds.set(SEED);
        Sequential m = Sequential.of(Input.shape(Input.NONE), new Embedding(11, 5), new LSTM(6).returnSequences(true),
                new Dropout(0.3f), new GRU(4).returnSequences(true), new TimeDistributed(new Dense(5, "tanh")),
                new Dense(3, "softmax"));
        int[] ids = ids(13, 11);
        StepRunner s = m.stepRunner();
        assertThat(s.inputSize()).isEqualTo(1);
        assertThat(s.outputSize()).isEqualTo(3);
        float[] whole = m.predict(batchOf(ids)).toArray();
        assertEachStepIs(stepAll(s, ids), whole, "first pass");
        assertEachStepIs(stepAll(s, ids), whole, "after reset");
    }

    @Test
    void aLastOutputModelStepsToThePredictionOfEveryPrefix() {
        Seeds.set(SEED + 1);
        Sequential m = Sequential.of(Input.shape(Input.NONE), new Embedding(9, 4),
                new SimpleRNN(5).returnSequences(true), new GRU(3), new Dense(2));
        int[] ids = ids(8, 9);
        float[][] stepped = stepAll(m.stepRunner(), ids);
        for (int t = 0; t < ids.length; t++) {
            assertThat(stepped[t]).as("step %d against predict on the first %d ids", t, t + 1)
                    .isEqualTo(m.predict(batchOf(Arrays.copyOf(ids, t + 1))).toArray());
        }
    }

    @Test
    void aFixedLengthModelStepsAsItsWholeSequence() {
        Seeds.set(SEED + 2);
        Sequential seqs = Sequential.of(Input.shape(6), new Embedding(7, 3), new LSTM(4).returnSequences(true));
        Sequential last = Sequential.of(Input.shape(6), new Embedding(7, 3), new LSTM(4));
        last.setWeights(seqs.getWeights());
        int[] ids = ids(6, 7);
        assertEachStepIs(stepAll(seqs.stepRunner(), ids), seqs.predict(batchOf(ids)).toArray(), "return_sequences");
        float[][] stepped = stepAll(last.stepRunner(), ids);
        assertThat(stepped[5]).as("the last step against return_sequences=False")
                .isEqualTo(last.predict(batchOf(ids)).toArray());
    }

    @Test
    void maskZeroStepsAsPredictWithItsMask() {
        Seeds.set(SEED + 3);
        Sequential seqs = Sequential.of(Input.shape(Input.NONE), new Embedding(10, 4).maskZero(true),
                new LSTM(5).returnSequences(true), new GRU(3).returnSequences(true), new Dense(2, "tanh"));
        Sequential last = Sequential.of(Input.shape(Input.NONE), new Embedding(10, 4).maskZero(true),
                new LSTM(5).returnSequences(true), new GRU(3), new Dense(2, "tanh"));
        last.setWeights(seqs.getWeights());
        // leading, single, repeated and trailing zeros
        int[] ids = {0, 0, 4, 0, 7, 0, 0, 3, 9, 0};
        float[][] stepped = stepAll(seqs.stepRunner(), ids);
        assertEachStepIs(stepped, seqs.predict(batchOf(ids)).toArray(), "return_sequences with id 0 masked");
        float[][] lastStepped = stepAll(last.stepRunner(), ids);
        for (int t = 0; t < ids.length; t++) {
            assertThat(lastStepped[t]).as("step %d against the last output of the first %d ids", t, t + 1)
                    .isEqualTo(last.predict(batchOf(Arrays.copyOf(ids, t + 1))).toArray());
        }
    }

    @Test
    void aMaskedIdKeepsTheStatesAndRepeatsTheOutputAsKerasDoes() {
        Seeds.set(SEED + 4);
        Sequential m = Sequential.of(Input.shape(Input.NONE), new Embedding(10, 4).maskZero(true),
                new LSTM(5).returnSequences(true), new SimpleRNN(3).returnSequences(true), new Dense(2));
        int[] ids = {0, 4, 0, 0, 7, 3, 0};
        float[][] stepped = stepAll(m.stepRunner(), ids);
        // Before the first real id the recurrent output is zeros, so Dense gives its bias (zeros at init).
        assertThat(stepped[0]).containsExactly(0f, 0f);
        assertThat(stepped[2]).as("a masked step repeats the output before it").isEqualTo(stepped[1]);
        assertThat(stepped[3]).isEqualTo(stepped[1]);
        assertThat(stepped[6]).isEqualTo(stepped[5]);
        // States kept: the real ids alone, one after the other, give the same outputs.
        float[][] real = stepAll(m.stepRunner(), new int[] {4, 7, 3});
        assertThat(stepped[1]).isEqualTo(real[0]);
        assertThat(stepped[4]).isEqualTo(real[1]);
        assertThat(stepped[5]).isEqualTo(real[2]);
    }

    @Test
    void withoutMaskZeroIdZeroIsAnOrdinaryId() {
        Seeds.set(SEED + 5);
        Sequential m = Sequential.of(Input.shape(Input.NONE), new Embedding(5, 3), new GRU(4).returnSequences(true));
        int[] ids = {0, 2, 0, 0};
        float[][] stepped = stepAll(m.stepRunner(), ids);
        assertThat(stepped[2]).as("the GRU ran at id 0").isNotEqualTo(stepped[1]);
        assertEachStepIs(stepped, m.predict(batchOf(ids)).toArray(), "ids with 0, no mask");
    }

    @Test
    void stepOfAnIdAndOfAFloatArrayAgree() {
        Seeds.set(SEED + 6);
        Sequential m = Sequential.of(Input.shape(Input.NONE), new Embedding(6, 3).maskZero(true), new LSTM(2));
        StepRunner a = m.stepRunner();
        StepRunner b = m.stepRunner();
        for (int id : new int[] {3, 0, 5, 1}) {
            assertThat(a.step(new float[] {id})).isEqualTo(b.step(id));
        }
    }

    @Test
    void idsAreCheckedAsTheEmbeddingChecksThemAndARefusedOneChangesNothing() {
        Seeds.set(SEED + 7);
        Sequential m = Sequential.of(Input.shape(Input.NONE), new Embedding(10, 3).named("emb"), new LSTM(2));
        StepRunner s = m.stepRunner();
        float[] out = new float[2];
        s.step(4, out);
        for (float bad : new float[] {3.5f, -1f, 10f, Float.NaN}) {
            assertThatThrownBy(() -> s.step(new float[] {bad}, out)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("layer 'emb' (Embedding) takes ids that are integers in [0, 10), got "
                            + bad);
        }
        for (int bad : new int[] {-1, 10}) {
            assertThatThrownBy(() -> s.step(bad, out)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("integers in [0, 10), got " + bad);
        }
        assertThatThrownBy(() -> s.step(new float[] {1, 2}, out)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 1 id and room for 2 outputs, got 2 and 2");
        assertThatThrownBy(() -> s.step(1, new float[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("room for 2 outputs, got 3");
        s.step(6, out);
        assertThat(out).as("the refused ids changed no state")
                .isEqualTo(m.predict(batchOf(new int[] {4, 6})).toArray());
    }

    @Test
    void aModelOfFeaturesIsNotSteppedByIds() {
        StepRunner s = Sequential.of(Input.shape(3, 2), new LSTM(2)).stepRunner();
        assertThatThrownBy(() -> s.step(1, new float[2])).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not an Embedding").hasMessageContaining("2 features");
    }

    @Test
    void whatCannotStepIsRefusedNamingTheLayerAndWhatSteppingTakes() {
        assertThatThrownBy(() -> Sequential.of(Input.shape(4, 2), new Embedding(5, 3).named("emb")).stepRunner())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'emb' (Embedding) reads ids of shape (None, 4, 2)")
                .hasMessageContaining("(timesteps,) ids, one id per step");
        assertThatThrownBy(() -> Sequential.of(Input.shape(4, 1), new Dense(2), new Embedding(5, 3).named("late"))
                .stepRunner()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'late' (Embedding) is not the model's first layer");
        // (None, None): what an Embedding model's input looked like to the runner before it took ids
        assertThatThrownBy(() -> Sequential.of(Input.shape(Input.NONE), new Dropout(0.1f).named("d")).stepRunner())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got inputs of shape (None, None) into layer 'd' (Dropout)")
                .hasMessageContaining("or on (timesteps,) ids into an Embedding first");
        assertThatThrownBy(() -> Sequential.of(Input.shape(4), new Embedding(5, 3).maskZero(true),
                new LSTM(3).returnSequences(true), new Softmax().named("sm")).stepRunner())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'sm' (Softmax) receives the Embedding's mask_zero mask");
        assertThatThrownBy(() -> Sequential.of(Input.shape(4), new Embedding(5, 3),
                new LSTM(3).goBackwards(true).named("rev")).stepRunner()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'rev' goes backwards (LSTM with go_backwards=True)")
                .hasMessageContaining("stepping takes recurrent layers that run forward");
        // The mask stops at a last-output recurrent layer (Keras's compute_mask), so a Softmax after it steps.
        Seeds.set(SEED + 8);
        Sequential ok = Sequential.of(Input.shape(4), new Embedding(5, 3).maskZero(true), new LSTM(3), new Softmax());
        assertThat(stepAll(ok.stepRunner(), new int[] {1, 0, 2, 3})[3])
                .isEqualTo(ok.predict(batchOf(new int[] {1, 0, 2, 3})).toArray());
    }

    @Test
    void aFunctionalChainStepsAndABranchingGraphIsRefused() {
        Seeds.set(SEED + 9);
        Input in = Input.shape(Input.NONE);
        SymbolicTensor e = new Embedding(8, 4).maskZero(true).apply(in);
        SymbolicTensor h = new LSTM(5).returnSequences(true).apply(e);
        Model chain = Model.of(in, new Dense(3).apply(h));
        int[] ids = {2, 0, 7, 1, 0};
        assertEachStepIs(stepAll(chain.stepRunner(), ids), chain.predict(batchOf(ids)).toArray(), "functional chain");

        Input in2 = Input.shape(Input.NONE);
        SymbolicTensor e2 = new Embedding(8, 4).apply(in2);
        SymbolicTensor sum = new Add().named("add").apply(new Dense(4).apply(e2), new Dense(4).apply(e2));
        assertThatThrownBy(() -> Model.of(in2, sum).stepRunner()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'add' (Add) is applied to 2 tensors and gives 1")
                .hasMessageContaining("not a plain chain");
        Input in3 = Input.shape(Input.NONE);
        List<SymbolicTensor> states = new GRU(3).returnState(true).named("g").applyAll(new Embedding(8, 4).apply(in3));
        assertThatThrownBy(() -> Model.of(in3, states.get(0)).stepRunner())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'g' (GRU) is applied to 1 tensors and gives 2");
    }
}
