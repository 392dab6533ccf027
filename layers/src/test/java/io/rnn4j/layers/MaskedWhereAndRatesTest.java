package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * GlobalAveragePooling1D, GlobalMaxPooling1D, Maximum, Minimum and SpatialDropout1D against Keras
 * 3's source (TensorFlow backend) at the edges the layers' own tests leave out: Keras's where for
 * masked values (NaN and ±∞ left out), TensorFlow's dropout scale and rate 1, infinities in the
 * max gradients, empty inputs. Each test names the Keras source it follows; the first group failed
 * before Ops.where and the rate changes. Inputs are written out; SpatialDropout1D draws with seed 3.
 */
class MaskedWhereAndRatesTest {
    private static final float INF = Float.POSITIVE_INFINITY;

    private static Variable call(Layer l, Variable x, Tensor mask) {
        if (!l.isBuilt()) {
            l.build(x.shape().tail());
        }
        return l.call(x, mask, CallContext.inference());
    }

    private static float[] merged(Layer l, List<Tensor> xs, List<Tensor> masks) {
        MergeLayersTest.built(l, xs.toArray(Tensor[]::new));
        return l.callAll(xs.stream().map(Variable::constant).toList(), masks, CallContext.inference()).get(0)
                .value().toArray();
    }

    // ---- Keras's where, TensorFlow's dropout ----

    /**
     * Keras 3's GlobalAveragePooling1D.call (keras/src/layers/pooling/global_average_pooling1d.py)
     * replaces masked steps with {@code ops.where(mask, inputs, 0)} before summing, so whatever a
     * masked step holds (inf, NaN) is left out. Multiplying by the mask makes inf·0 = NaN.
     */
    @Test
    void averagePoolingLeavesANonFiniteMaskedStepOutAsKerasWhere() {
        // Steps (1, 2), (inf, 4), (5, 6); the middle one masked: Keras gives ((1+5)/2, (2+6)/2).
        Tensor x = Tensor.of(new float[] {1, 2, INF, 4, 5, 6}, 1, 3, 2);
        Tensor mask = Tensor.of(new float[] {1, 0, 1}, 1, 3);
        float[] y = call(new GlobalAveragePooling1D(), Variable.constant(x), mask).value().toArray();
        assertThat(y).as("Keras 3: sum(where(mask, x, 0)) / sum(mask), the masked inf left out "
                + "(global_average_pooling1d.py call)").containsExactly(3f, 4f);
    }

    /**
     * The same where: in Keras 3 the gradient reaching a masked step is where(mask, g, 0) = 0, also
     * for a row whose steps are all masked (its output is 0/0 = NaN, and the gradient of the sum,
     * g/0 = inf, is then selected away). Multiplying by the mask gives inf·0 = NaN there.
     */
    @Test
    void averagePoolingGradientIsZeroForAFullyMaskedRowAsKerasWhere() {
        Variable x = Variable.parameter(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2, 1));
        Tensor mask = Tensor.of(new float[] {1, 1, 0, 0}, 2, 2); // sample 1: every step masked
        Ops.sumAll(call(new GlobalAveragePooling1D(), x, mask)).backward();
        assertThat(x.grad().toArray()).as("d sum(out) / dx: 1/2 per unmasked step of sample 0, and 0 at the "
                + "masked steps as TensorFlow's where gradient gives (global_average_pooling1d.py call)")
                .containsExactly(0.5f, 0.5f, 0f, 0f);
    }

    /**
     * Keras 3's {@code Merge._apply_merge_op_and_or_mask} (keras/src/layers/merging/base_merge.py)
     * swaps masked positions with {@code ops.where}: a masked position of a later input takes the
     * running result's value, whatever the masked value is. {@code a·keep + b·(1 − keep)} turns an
     * infinite masked value into inf·0 = NaN.
     */
    @Test
    void maximumIgnoresAnInfiniteMaskedValueOfALaterInputAsKerasWhere() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2);
        Tensor b = Tensor.of(new float[] {INF, 0, 5, 5}, 1, 2, 2);
        // b masked at step 0: where(mask_b, b, a) gives a's (1, 2) there, and max(a, a) = (1, 2).
        assertThat(merged(new Maximum(), List.of(a, b), List.of(Tensor.of(new float[] {1, 1}, 1, 2),
                Tensor.of(new float[] {0, 1}, 1, 2))))
                .as("Maximum, the second input's masked step holding inf (base_merge.py)")
                .containsExactly(1f, 2f, 5f, 5f);
    }

    /** As above for the running result: a masked position of it takes the new input's value (where(mask, out, x)). */
    @Test
    void minimumIgnoresAnInfiniteMaskedValueOfTheFirstInputAsKerasWhere() {
        Tensor c = Tensor.of(new float[] {-INF, 2, 3, 4}, 1, 2, 2);
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2);
        // c masked at step 0: where(mask_c, c, a) gives a's (1, 2) there, and min(a, a) = (1, 2).
        assertThat(merged(new Minimum(), List.of(c, a), List.of(Tensor.of(new float[] {0, 1}, 1, 2),
                Tensor.of(new float[] {1, 1}, 1, 2))))
                .as("Minimum, the first input's masked step holding -inf (base_merge.py)")
                .containsExactly(1f, 2f, 3f, 4f);
    }

    /**
     * Keras 3's dropout on TensorFlow ({@code tf.nn.experimental.stateless_dropout}, reached from
     * keras/src/backend/tensorflow/random.py dropout) scales kept values by
     * {@code scale = 1 / (1 - rate)} computed in Python floats from the rate as written, then cast to
     * float32: 1 / 0.85 gives 1.1764706f. {@code 1f / (1f - 0.15f)} in float32 gives 1.1764705f, one
     * ulp off (about 40 of the 99 rates 0.01..0.99 differ so). GaussianDropout and AlphaDropout
     * already start from the rate as written (KerasConfig.decimal).
     */
    @Test
    void spatialDropout1dScalesKeptChannelsByKerasFloat32Scale() {
        SpatialDropout1D l = new SpatialDropout1D(0.15f);
        l.build(Shape.of(3, 50));
        float[] ones = new float[150];
        Arrays.fill(ones, 1f);
        float[] out = l.call(Variable.constant(Tensor.of(ones, 1, 3, 50)), null, CallContext.training(Seeds.of(3)))
                .value().toArray();
        TreeSet<Float> values = new TreeSet<>();
        for (float v : out) {
            values.add(v);
        }
        assertThat(values).as("SpatialDropout1D(0.15) of ones, seed 3: 0 or float32(1 / (1 - 0.15))")
                .containsExactly(0f, (float) (1 / (1 - 0.15)));
    }

    /**
     * Keras 3's SpatialDropout1D takes a rate of 1 (Dropout.__init__ checks {@code 0 <= rate <= 1},
     * keras/src/layers/regularization/dropout.py) and in training returns zeros
     * ({@code if rate == 1.0: return tf.zeros_like(inputs)}, keras/src/backend/tensorflow/random.py
     * dropout); at inference it is the identity. Here the constructor refuses it.
     */
    @Test
    void spatialDropout1dOfRateOneDropsEverythingAsKeras3() {
        SpatialDropout1D l = new SpatialDropout1D(1f);
        l.build(Shape.of(2, 2));
        Tensor x = Tensor.of(new float[] {1, -2, 3, 4}, 1, 2, 2);
        assertThat(l.call(Variable.constant(x), null, CallContext.training(Seeds.of(3))).value().toArray())
                .as("rate 1 in training: zeros").containsExactly(0f, 0f, 0f, 0f);
        assertThat(l.call(Variable.constant(x), null, CallContext.inference()).value().toArray())
                .as("rate 1 at inference: the identity").containsExactly(x.toArray());
    }

    // ---- Infinities and empty inputs ----

    /**
     * TensorFlow's reduce_max gradient (_MinOrMaxGrad) marks {@code equal(max, x)}: infinities equal
     * themselves, so a row of -inf shares the gradient equally and +inf takes it all; a gap that
     * overflows (3e38 vs -3e38) or is subnormal (MIN_VALUE vs 0) still separates the maximum.
     */
    @Test
    void maxPoolingGradientWithInfinitiesAndExtremeGapsIsTensorFlows() {
        Variable x = Variable.parameter(Tensor.of(new float[] {-INF, -INF, 1, -INF, INF, -INF}, 1, 3, 2));
        Ops.sumAll(call(new GlobalMaxPooling1D(), x, null)).backward();
        assertThat(x.grad().toArray()).as("feature 0: +inf takes it; feature 1: three -inf share it")
                .containsExactly(0f, 1f / 3, 0f, 1f / 3, 1f, 1f / 3);
        Variable y = Variable.parameter(Tensor.of(new float[] {3e38f, Float.MIN_VALUE, -3e38f, 0f}, 1, 2, 2));
        Ops.sumAll(call(new GlobalMaxPooling1D(), y, null)).backward();
        assertThat(y.grad().toArray()).containsExactly(1f, 1f, 0f, 0f);
    }

    /** TensorFlow's maximum/minimum gradient (greater_equal / less_equal): a tie of infinities goes to the first. */
    @Test
    void extremaOfTiedInfinitiesSendTheGradientToTheFirstInput() {
        Tensor inf = Tensor.of(new float[] {INF, -INF}, 1, 2);
        for (Layer l : new Layer[] {new Maximum(), new Minimum()}) {
            MergeLayersTest.built(l, inf, inf);
            List<Variable> in = List.of(Variable.parameter(inf), Variable.parameter(inf));
            Ops.sumAll(l.callAll(in, null, CallContext.inference()).get(0)).backward();
            assertThat(in.get(0).grad().toArray()).as("%s: first", l).containsExactly(1f, 1f);
            assertThat(in.get(1).grad().toArray()).as("%s: second", l).containsExactly(0f, 0f);
        }
    }

    /**
     * Empty batches pool to {@code (0, features)}; an average over zero steps is NaN, as
     * {@code tf.reduce_mean} of nothing (0/0), masked or not.
     */
    @Test
    void emptyBatchesAndZeroStepsPoolAsTensorFlow() {
        GlobalAveragePooling1D avg = new GlobalAveragePooling1D();
        avg.build(Shape.withUnknown(Input.NONE, 2));
        GlobalMaxPooling1D max = new GlobalMaxPooling1D();
        max.build(Shape.withUnknown(Input.NONE, 2));
        Variable noBatch = Variable.constant(Tensor.zeros(0, 3, 2));
        assertThat(call(avg, noBatch, null).shape()).isEqualTo(Shape.of(0, 2));
        assertThat(call(avg, noBatch, Tensor.zeros(0, 3)).shape()).isEqualTo(Shape.of(0, 2));
        assertThat(call(max, noBatch, null).shape()).isEqualTo(Shape.of(0, 2));
        Variable noSteps = Variable.constant(Tensor.zeros(2, 0, 2));
        assertThat(call(avg, noSteps, null).value().toArray()).containsOnly(Float.NaN);
        assertThat(call(avg, noSteps, Tensor.zeros(2, 0)).value().toArray()).containsOnly(Float.NaN);
    }
}
