package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Normalization and Rescaling at the edges of Keras 3's behaviour (keras/src/layers/preprocessing/
 * normalization.py and rescaling.py at keras-team/keras 3422977a), each test naming Keras's source:
 * the mean's rank checked against the axis whatever the order they are given in, int64 count in
 * the summary's sizes, the docstring's rank-1 example, NaN/inf in adapt data, adapting twice or on
 * other lengths, Rescaling's mask, predict from several threads. Seed 53, fixed.
 *
 * <p>adapt sums in float64 and rounds once: Keras's numbers on a float64 NumPy array. On a float32
 * array NumPy sums in float32 row by row, which differs by some ulps on thousands of rows (and
 * overflows where float64 does not); that is not reproduced.
 */
class NormalizationKerasEdgesTest {
    private static final long SEED = 53;

    private static float[] run(Layer l, Tensor x) {
        if (!l.isBuilt()) {
            l.build(x.shape().tail());
        }
        return l.call(Variable.constant(x), null, CallContext.inference()).value().toArray();
    }

    /**
     * Keras checks the mean's rank against the axis it is given with
     * (normalization.py:147-152, ValueError "The rank of `mean` must be less than or equal to the
     * number of axes"); here build checks it against the axis set by then, so axis None chosen
     * after the mean is refused too.
     */
    @Test
    void aMeanOfMoreAxesThanAxisNoneIsRefusedByRankWhateverTheOrder() {
        Normalization n = new Normalization()
                .meanAndVariance(Tensor.of(new float[] {1, 2, 3}, 3), Tensor.of(new float[] {1, 1, 1}, 3))
                .axisNone();
        assertThatThrownBy(() -> n.build(Shape.of(4, 3))).as("Keras: ValueError naming the rank of mean and the "
                + "number of axes (normalization.py:147)").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more axes");
    }

    /**
     * Keras takes axis and mean together ({@code Normalization(axis=(1, 2),
     * mean=m, variance=v)} with m of shape (1, 3) is valid, normalization.py:147); the order in
     * which the two are set here does not matter.
     */
    @Test
    void aTwoAxisMeanGivenBeforeItsTwoAxesIsAccepted() {
        Tensor m = Tensor.of(new float[] {1, 2, 3}, 1, 3);
        Tensor v = Tensor.of(new float[] {4, 1, 0.25f}, 1, 3);
        assertThatCode(() -> new Normalization().meanAndVariance(m, v).axis(1, 2).build(Shape.of(4, 3)))
                .as("the configuration Keras's Normalization(axis=(1, 2), mean=m, variance=v) builds")
                .doesNotThrowAnyException();
    }

    /**
     * Keras 3's summary sizes each variable by its dtype (summary_utils.py:26-46,
     * dtype_utils.py:4-10): count is int64, 8 bytes, so mean (3) + variance (3) + count is
     * 12 + 12 + 8 = 32 bytes.
     */
    @Test
    void summarySizesCountAsKerasInt64() {
        Sequential m = Sequential.of(Input.shape(5, 3),
                new Normalization().adapt(uniform(new Random(SEED), 0, 1, 4, 5, 3)));
        assertThat(m.summary()).as("Keras 3: 'Total params: 7 (32.00 B)' (count is an int64 variable)")
                .contains("Total params: 7 (32.00 B)").contains("Non-trainable params: 7 (32.00 B)");
    }

    /** Keras's docstring example as written: rank-1 data, axis=None, called on a rank-1 input. */
    @Test
    void docstringRankOneAxisNoneExampleAsWritten() {
        Normalization n = new Normalization().axisNone().adapt(Tensor.of(new float[] {1, 2, 3, 4, 5}, 5));
        assertThat(run(n, Tensor.of(new float[] {1, 2, 3}, 3))).as("normalization.py:70-75")
                .containsExactly(-1.4142135f, -0.70710677f, 0f);
    }

    /** NaN and inf in adapt data give what np.mean/np.var give: NaN mean and variance, inf mean and NaN variance. */
    @Test
    void adaptOfNanAndInfGivesNumpysStatistics() {
        Normalization n = new Normalization()
                .adapt(Tensor.of(new float[] {1, 2, Float.NaN, Float.POSITIVE_INFINITY, 3, 5}, 3, 2));
        assertThat(n.mean().toArray()).containsExactly(Float.NaN, Float.POSITIVE_INFINITY);
        assertThat(n.variance().toArray()).containsExactly(Float.NaN, Float.NaN);
    }

    /** Keras 3's adapt assigns (normalization.py:411-412): a second adapt replaces the first, it does not merge. */
    @Test
    void aSecondAdaptReplacesTheFirst() {
        Normalization n = new Normalization().adapt(Tensor.of(new float[] {0, 0, 10, 10}, 2, 2));
        n.adapt(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        assertThat(n.mean().toArray()).containsExactly(2f, 3f);
        assertThat(n.variance().toArray()).containsExactly(1f, 1f);
    }

    /**
     * Keras compares only the kept axes with the built shape (normalization.py:330-337): a layer
     * in a model of None steps adapts on data of any steps.
     */
    @Test
    void aLayerBuiltForNoneStepsAdaptsOnAnySteps() {
        Normalization n = new Normalization();
        Sequential.of(Input.shape(Input.NONE, 2), n);
        n.adapt(Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 3, 2));
        assertThat(n.mean().toArray()).containsExactly(6f, 7f);
    }

    /** Rescaling sets supports_masking (rescaling.py:39): the mask passes on; any number of steps goes. */
    @Test
    void rescalingPassesTheMaskAndTakesAnySteps() {
        Rescaling r = new Rescaling(new float[] {2, 3}, new float[] {1});
        r.build(Shape.withUnknown(Shape.UNKNOWN, 2));
        Tensor mask = Tensor.of(new float[] {1, 0, 1}, 1, 3);
        Variable x = Variable.constant(Tensor.of(new float[] {1, 1, 2, 2, 3, 3}, 1, 3, 2));
        assertThat(r.computeMask(x, mask)).isSameAs(mask);
        assertThat(r.call(x, mask, CallContext.inference()).value().toArray()).containsExactly(3, 4, 5, 7, 7, 10);
    }

    /** DESIGN.md: predict is safe from many threads; a model with both layers gives the one-thread numbers. */
    @Test
    void predictFromManyThreadsGivesTheOneThreadNumbers() throws Exception {
        Seeds.set(SEED);
        Random r = new Random(SEED);
        Sequential m = Sequential.of(Input.shape(6, 4), new Rescaling(0.5, 1),
                new Normalization().adapt(uniform(r, -3, 7, 8, 6, 4)),
                new Normalization().axisNone().invert(true).meanAndVariance(0.5, 3), new LSTM(3));
        List<Tensor> inputs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            inputs.add(uniform(r, -3, 7, 2, 6, 4));
        }
        ConcurrentPredict.assertSameBitsAsAlone("Rescaling, Normalization, LSTM", m, inputs, 4, 4);
    }
}
