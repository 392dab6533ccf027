package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.GetItem.Index;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Model;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * GetItem against Keras 3 (keras/src/ops/numpy.py GetItem, keras/src/layers/rnn/time_distributed.py)
 * and NumPy's basic indexing at the edges GetItemTest leaves out: TimeDistributed refusing it, the
 * empty key, Ellipsis spelled out (these failed before), NaN and infinities moved untouched, a
 * zero-size batch. Seed 23.
 */
class GetItemKerasEdgesTest {
    private final Random r = new Random(23);

    private static Tensor call(GetItem g, Tensor x) {
        return g.call(Variable.constant(x), null, CallContext.inference()).value();
    }

    /**
     * Keras: {@code TimeDistributed.__init__} raises "Please initialize `TimeDistributed` layer with a
     * `keras.layers.Layer` instance" for anything that is not a Layer
     * (keras/src/layers/rnn/time_distributed.py:47-52), and GetItem is an Operation
     * (keras/src/ops/numpy.py, class GetItem(Operation)). rnn4j accepts it, runs it, and saves a
     * TimeDistributed whose inner GetItem entry has no key (the key lives in an inbound node, which
     * an inner layer has not), a file that neither Keras nor rnn4j can load back.
     */
    @Test
    void timeDistributedRefusesGetItemAsKerasTimeDistributedTakesOnlyLayers() {
        GetItem g = new GetItem(":, -1");
        assertThatThrownBy(() -> new TimeDistributed(g)).as("Keras refuses TimeDistributed(GetItem) when made")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(g.name())
                .hasMessageContaining("GetItem");
    }

    /**
     * Keras: {@code x[()]} (an empty tuple) is a key compute_output_spec takes: the implicit
     * Ellipsis is appended and every axis kept (keras/src/ops/numpy.py, GetItem.compute_output_spec,
     * {@code remaining_key.append(Ellipsis)}); NumPy and TensorFlow return the whole tensor. rnn4j
     * refuses the empty key ("the key is empty").
     */
    @Test
    void anEmptyKeyIsPythonsEmptyTupleAndTakesEverything() {
        GetItem g = new GetItem(new Index[0]);
        g.build(Shape.of(3, 2));
        assertThat(g.outputShape()).isEqualTo(Shape.of(3, 2));
        Tensor x = uniform(r, -1, 1, 2, 3, 2);
        assertThat(call(g, x).toArray()).as("x[()] is x").isEqualTo(x.toArray());
    }

    /**
     * Python spells {@code ...} also {@code Ellipsis}: {@code x[Ellipsis, 0]} is {@code x[..., 0]}
     * (the one object NumPy and Keras's compute_output_spec compare with {@code subkey == Ellipsis}).
     * The key parser took None's other spellings (np.newaxis) but refused this one.
     */
    @Test
    void ellipsisSpelledOutIsTheEllipsis() {
        assertThat(new GetItem("Ellipsis, 0").key()).containsExactly(Index.ELLIPSIS, Index.at(0));
    }

    // ---- confirmed right ----

    /** Values are only moved, as TF's strided_slice moves them: NaN and infinities come out as they went in. */
    @Test
    void nanAndInfinitiesAreMovedUntouchedAndTheGradientSkipsTheRest() {
        float[] v = {Float.NaN, 1, Float.POSITIVE_INFINITY, 3, Float.NEGATIVE_INFINITY, 5, Float.MAX_VALUE};
        String[][] cases = {
            {":, ::-2", "[3.4028235E38, -Infinity, Infinity, NaN]", "[1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0]"},
            {":, 1::2", "[1.0, 3.0, 5.0]", "[0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]"},
            {":, 5:0:-3", "[5.0, Infinity]", "[0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0]"},
            {":, None, 3::3", "[3.0, 3.4028235E38]", "[0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0]"},
            {":, 0", "[NaN]", "[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]"}};
        for (String[] c : cases) {
            GetItem g = new GetItem(c[0]);
            g.build(Shape.of(7));
            Variable x = Variable.parameter(Tensor.of(v.clone(), 1, 7));
            Variable y = g.call(x, null, CallContext.inference());
            assertThat(Arrays.toString(y.value().toArray())).as("x[%s]", c[0]).isEqualTo(c[1]);
            Ops.sumAll(y).backward();
            assertThat(Arrays.toString(x.grad().toArray())).as("d sum(x[%s]) / dx", c[0]).isEqualTo(c[2]);
        }
    }

    /** NumPy: x[key] of a (0, 7, 2) array has a batch of 0 and the other axes as for any batch. */
    @Test
    void aZeroSizeBatchGivesAZeroSizeOutput() {
        String[][] cases = {{":, ::2", "(0, 4, 2)"}, {":, ::-3", "(0, 3, 2)"}, {":, -1", "(0, 2)"},
            {":, 1:3, None", "(0, 2, 1, 2)"}, {"..., ::-1", "(0, 7, 2)"}};
        for (String[] c : cases) {
            GetItem g = new GetItem(c[0]);
            g.build(Shape.of(7, 2));
            assertThat(call(g, Tensor.of(new float[0], 0, 7, 2)).shape()).as("x[%s]", c[0]).hasToString(c[1]);
        }
    }
}
