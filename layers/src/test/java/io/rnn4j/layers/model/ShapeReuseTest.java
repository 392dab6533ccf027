package io.rnn4j.layers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Flatten;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.LSTMCell;
import io.rnn4j.layers.RNN;
import io.rnn4j.layers.RepeatVector;
import io.rnn4j.layers.Reshape;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.TimeDistributed;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Layers applied again to other sizes than they were built for, as Keras's input_spec and
 * compute_output_shape allow; each test states what Keras 3 gives. Also: what predict hands out
 * is never a stateful layer's carried state.
 */
class ShapeReuseTest {
    /** Values uniform in [-1, 1): the models compared see the same arbitrary data. */
    private static Tensor random(Random r, int... dims) {
        return io.rnn4j.layers.GradCheck.uniform(r, -1, 1, dims);
    }

    @Test
    void statefulPredictResultIsNotTheLayersState() {
        Seeds.set(11);
        Sequential a = Sequential.of(Input.batchShape(2, 3, 2), new LSTM(3).stateful(true));
        Sequential b = Sequential.of(Input.batchShape(2, 3, 2), new LSTM(3).stateful(true));
        b.setWeights(a.getWeights());
        Tensor x = random(new Random(1), 2, 3, 2);
        Tensor ya = a.predict(x);
        b.predict(x);
        a.device().fill(ya, 100f); // the caller reuses its result buffer
        assertThat(a.predict(x).toArray()).containsExactly(b.predict(x).toArray());
    }

    @Test
    void statefulRnnCellPredictResultIsNotTheLayersState() {
        Seeds.set(12);
        Sequential a = Sequential.of(Input.batchShape(2, 3, 2), new RNN(new LSTMCell(3)).stateful(true));
        Sequential b = Sequential.of(Input.batchShape(2, 3, 2), new RNN(new LSTMCell(3)).stateful(true));
        b.setWeights(a.getWeights());
        Tensor x = random(new Random(1), 2, 3, 2);
        Tensor ya = a.predict(x);
        b.predict(x);
        a.device().fill(ya, 100f);
        assertThat(a.predict(x).toArray()).containsExactly(b.predict(x).toArray());
    }

    /** Keras 3 Flatten: input_spec min_ndim=1; compute_output_shape of (None, None, 4) is (None, None). */
    @Test
    void flattenBuiltForSixStepsAppliedToNoneDeclaresNone() {
        Flatten f = new Flatten();
        f.apply(Input.shape(6, 4));
        SymbolicTensor h = f.apply(Input.shape(Input.NONE, 4));
        assertThat(h.shape()).hasToString("(None,)");
    }

    /** Keras 3: a Flatten built on (6, 4) applied to (5, 4) gives (None, 20). */
    @Test
    void flattenReusedAtFiveSteps() {
        Flatten f = new Flatten();
        f.apply(Input.shape(6, 4));
        assertThat(f.apply(Input.shape(5, 4)).shape()).isEqualTo(Shape.of(20));
    }

    /** Keras 3 Reshape has no input_spec: Reshape((-1, 8)) of (None, None, 4) is (None, None, 8). */
    @Test
    void reshapeBuiltForSixStepsAppliedToNoneDeclaresNone() {
        Reshape r = new Reshape(-1, 8);
        r.apply(Input.shape(6, 4));
        assertThat(r.apply(Input.shape(Input.NONE, 4)).shape()).hasToString("(None, 8)");
    }

    /** Keras 3 RepeatVector: input_spec ndim=2 only. */
    @Test
    void repeatVectorReusedOnOtherFeatures() {
        RepeatVector r = new RepeatVector(3);
        r.apply(Input.shape(4));
        assertThat(r.apply(Input.shape(5)).shape()).isEqualTo(Shape.of(3, 5));
    }

    /** Keras 3: TimeDistributed.compute_output_shape = inner.compute_output_shape(child shape). */
    @Test
    void timeDistributedGivesTheInnerLayersPerCallShape() {
        TimeDistributed td = new TimeDistributed(new Dense(2));
        td.apply(Input.shape(Input.NONE, Input.NONE, 4));
        assertThat(td.apply(Input.shape(5, 3, 4)).shape()).isEqualTo(Shape.of(5, 3, 2));
    }

    /** Keras 3 TimeDistributed sets no input_spec; its LSTM takes any number of inner steps. */
    @Test
    void timeDistributedLstmTakesOtherInnerLengths() {
        TimeDistributed td = new TimeDistributed(new LSTM(2));
        td.apply(Input.shape(5, 6, 4));
        assertThat(td.apply(Input.shape(5, 3, 4)).shape()).isEqualTo(Shape.of(5, 2));
    }

    @Test
    void sequentialSummaryShowsThePerModelShapeOfAPrebuiltLayer() {
        Seeds.set(13);
        LSTM lstm = new LSTM(4).returnSequences(true);
        Sequential.of(Input.shape(6, 3), lstm);
        Sequential any = Sequential.of(Input.shape(Input.NONE, 3), lstm);
        assertThat(any.outputShape()).hasToString("(None, 4)");
        assertThat(any.summary()).contains("(None, None, 4)").doesNotContain("(None, 6, 4)");
    }

    @Test
    void zeroSamplesKeepTheInputsLength() {
        Sequential s = Sequential.of(Input.shape(Input.NONE, 3), new LSTM(2).returnSequences(true));
        Sequential fixed = Sequential.of(Input.shape(4, 3), new LSTM(2).returnSequences(true));
        assertThat(fixed.predict(Tensor.zeros(0, 4, 3)).shape()).isEqualTo(Shape.of(0, 4, 2));
        assertThat(s.predict(Tensor.zeros(0, 4, 3)).shape()).isEqualTo(Shape.of(0, 4, 2));
    }
}
