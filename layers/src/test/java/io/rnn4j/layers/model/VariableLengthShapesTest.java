package io.rnn4j.layers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Add;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.Flatten;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.LSTMCell;
import io.rnn4j.layers.Masking;
import io.rnn4j.layers.RNN;
import io.rnn4j.layers.Reshape;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SimpleRNN;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.optimizers.Optimizers;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * None timesteps where shapes meet: layers applied again to other sizes, zero timesteps, merges,
 * validation data and sample weights. Each test states what Keras 3 does, the bar it checks.
 */
class VariableLengthShapesTest {
    /** Values uniform in [-1, 1): the models compared see the same arbitrary data. */
    private static Tensor random(Random r, int... dims) {
        return io.rnn4j.layers.GradCheck.uniform(r, -1, 1, dims);
    }

    /** Keras: a Dense built on (None, None, 3) applied to Input((5, 3)) gives (None, 5, 2); Flatten then gives 10. */
    @Test
    void aLayerBuiltForNoneTimestepsAppliedToAFixedLengthGivesThatLength() {
        Seeds.set(1);
        Dense shared = new Dense(2);
        shared.apply(Input.shape(Input.NONE, 3));
        var fixed = Input.shape(5, 3);
        SymbolicTensor h = shared.apply(fixed);
        assertThat(h.shape()).isEqualTo(Shape.of(5, 2));
        Model m = Model.of(fixed, new Dense(1).apply(new Flatten().apply(h))); // refused: Dense needs a known size
        assertThat(m.predict(Tensor.zeros(2, 5, 3)).shape()).isEqualTo(Shape.of(2, 1));
    }

    /** Keras: a functional sub-model of Input((None, 3)) called on (None, 5, 3) gives (None, 5, 4). */
    @Test
    void aNoneTimestepsSubModelOnAFixedLengthInputKeepsTheLength() {
        Seeds.set(2);
        var any = Input.shape(Input.NONE, 3);
        Model encoder = Model.of(any, new LSTM(4).returnSequences(true).apply(any));
        Sequential s = Sequential.of(Input.shape(5, 3), encoder, new Flatten(), new Dense(1)); // refused
        assertThat(s.predict(Tensor.zeros(2, 5, 3)).shape()).isEqualTo(Shape.of(2, 1));
    }

    /**
     * Keras 3: RNN sets no input_spec on the time axis, and Dense's only names the last axis, so a
     * layer built on 6 steps and applied to Input((None, 3)) gives (None, None, 4) and runs on any length.
     */
    @Test
    void aLayerBuiltForFixedTimestepsAppliedToNoneTakesAnyLength() {
        Seeds.set(3);
        LSTM lstm = new LSTM(4).returnSequences(true);
        var six = Input.shape(6, 3);
        Model.of(six, lstm.apply(six));
        var any = Input.shape(Input.NONE, 3);
        SymbolicTensor h = lstm.apply(any); // accepted...
        assertThat(h.shape()).hasToString("(None, 4)"); // ...but declared (6, 4)
        Model m = Model.of(any, h);
        assertThat(m.predict(random(new Random(3), 2, 2, 3)).shape()).isEqualTo(Shape.of(2, 2, 4));
        // IllegalArgumentException: Input of layer 'lstm..' is incompatible: expected shape=(None, 6, 3), found (2, 2, 3)
    }

    /** Keras: Masking on (2, 0, 3) gives (2, 0, 3) and a (2, 0) mask. */
    @Test
    void maskingTakesZeroTimesteps() {
        Sequential m = Sequential.of(Input.shape(Input.NONE, 3), new Masking(0f));
        assertThat(m.predict(Tensor.zeros(2, 0, 3)).shape()).isEqualTo(Shape.of(2, 0, 3));
        // ArithmeticException: / by zero at Masks.anyNotEqual(Masks.java:36)
    }

    /** The fused LSTM gives its initial state (zeros) for 0 steps; RNN(LSTMCell) crashes in autograd naming no layer. */
    @Test
    void anRnnOverACellTakesZeroTimestepsAsTheFusedLayerDoes() {
        Seeds.set(4);
        Sequential fused = Sequential.of(Input.shape(Input.NONE, 3), new LSTM(2));
        Sequential cell = Sequential.of(Input.shape(Input.NONE, 3), new RNN(new LSTMCell(2)));
        assertThat(fused.predict(Tensor.zeros(2, 0, 3)).toArray()).containsOnly(0f);
        assertThat(cell.predict(Tensor.zeros(2, 0, 3)).toArray()).containsOnly(0f);
        // IllegalArgumentException: MultiFunction: outputs must be >= 1, got 0 (Ops.split at RNN.java:205)
    }

    /** Keras 3 wraps the backend error as "Exception encountered when calling Reshape.call()". */
    @Test
    void aFixedReshapeOfNoneTimestepsNamesTheLayerWhenTheLengthDoesNotFit() {
        Sequential m = Sequential.of(Input.shape(Input.NONE, 8), new Reshape(2, 8).named("pairs"));
        assertThat(m.outputShape()).isEqualTo(Shape.of(2, 8));
        assertThatThrownBy(() -> m.predict(Tensor.zeros(1, 3, 8))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pairs");
        // got: "reshape: cannot view shape (1, 3, 8) (24 elements) as [1, 2, 8]" from Tensor.reshape
    }

    @Test
    void aStepRunnerRefusesNoneFeaturesNamingThem() {
        Sequential m = Sequential.of(Input.shape(Input.NONE, Input.NONE), new Dropout(0.1f));
        assertThatThrownBy(m::stepRunner).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("None");
        // got: "shape: dimensions must be >= 0, got [1, -1]" from Shape.of via Device.zeros (StepRunner.java:54)
    }

    /** Keras 3 Merge._compute_elemwise_op_output_shape: None against any size is None. */
    @Test
    void anAddOfNoneAndFiveTimestepsIsNoneAsInKeras() {
        var a = Input.shape(Input.NONE, 4);
        var b = Input.shape(5, 4);
        assertThat(new Add().apply(a, b).shape()).hasToString("(None, 4)");
    }

    /** Fixed-length validation labels of another shape are refused before training; None ones after an epoch. */
    @Test
    void validationLabelsOfAnotherLengthAreRefusedBeforeAnyUpdate() {
        Seeds.set(5);
        Sequential m = Sequential.of(Input.shape(Input.NONE, 2), new SimpleRNN(3).returnSequences(true), new Dense(1));
        m.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        Random r = new Random(5);
        List<Tensor> before = m.getWeights();
        assertThatThrownBy(() -> m.fit(random(r, 8, 5, 2), random(r, 8, 5, 1), Fit.defaults().batchSize(4).epochs(1).verbose(0)
                .validationData(random(r, 3, 7, 2), random(r, 3, 6, 1)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(3, 6, 1)");
        assertThat(m.getWeights().get(0).toArray()).as("no update before the refusal")
                .isEqualTo(before.get(0).toArray());
    }

    /** The fixed-shape check names the model and op ("sequential.fit: ..."); the per-batch one does not. */
    @Test
    void perTimestepSampleWeightsOfAnotherLengthNameTheModelAndOp() {
        Seeds.set(6);
        Sequential m = Sequential.of(Input.shape(Input.NONE, 2), new SimpleRNN(3).returnSequences(true), new Dense(1));
        m.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        Random r = new Random(6);
        assertThatThrownBy(() -> m.fit(random(r, 8, 5, 2), random(r, 8, 5, 1), Fit.defaults().batchSize(4).epochs(1).verbose(0)
                .sampleWeight(Tensor.zeros(8, 6)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(m.name() + ".fit").hasMessageContaining("(8, 6)");
        // got: "mean_squared_error: sample weights must have shape (4,) or the per-sample loss's shape (4, 5), got (4, 6)"
    }
}
