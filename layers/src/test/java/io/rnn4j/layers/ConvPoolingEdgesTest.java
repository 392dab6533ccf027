package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.model.Sequential;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Conv1D, MaxPooling1D and AveragePooling1D against Keras 3 on TensorFlow at the edges their own
 * tests leave out: "same" padding of zero steps, empty batches, ties at infinity, huge values,
 * strides past the window, masks before them. The first two failed before their fixes. Seed 77.
 *
 * <p>Not matched, on purpose: TensorFlow's CPU max pool starts each window at the lowest float and
 * never takes a NaN (pooling_ops_common.h), so a window of -inf gives -3.4e38 and NaN inputs are
 * skipped; rnn4j's max is NumPy's and JAX's (Keras 3 on JAX gives -inf and NaN there).
 */
class ConvPoolingEdgesTest {
    private static final long SEED = 77;
    private final Random r = new Random(SEED);

    private static Variable pool(Layer l, Variable x) {
        l.build(Shape.withUnknown(Input.NONE, x.dim(2)));
        return l.call(x, null, CallContext.inference());
    }

    // ---- found wrong in review (failed before their fixes) ----

    /**
     * With "same" padding a sequence of 0 steps gives 0 output steps in Keras: its
     * compute_conv_output_shape / compute_pooling_output_shape (keras/src/ops/operation_utils.py)
     * compute {@code floor((0 - 1) / strides) + 1 = 0} for "same" and raise "Computed output size
     * would be zero or negative" only for "valid"; the TF backend's conv
     * (keras/src/backend/tensorflow/nn.py, {@code _conv}) raises on an empty output only when the
     * input is not empty, and tf.nn.max_pool / avg_pool with SAME give an empty output. rnn4j
     * refuses it, saying Keras refuses it too.
     */
    @Test
    void samePaddingOfZeroStepsGivesZeroStepsAsKeras() {
        Tensor empty = Tensor.zeros(2, 0, 3);
        for (Layer l : List.<Layer>of(new Conv1D(4, 3).padding("same"), new MaxPooling1D(2).padding("same"),
                new AveragePooling1D(2).padding("same"))) {
            Sequential m = Sequential.of(Input.shape(Input.NONE, 3), l);
            int channels = l instanceof Conv1D ? 4 : 3;
            assertThat(m.predict(empty).shape()).as("%s 'same' on (2, 0, 3): Keras/TF give (2, 0, %d)",
                    l.className(), channels).isEqualTo(Shape.of(2, 0, channels));
        }
    }

    /**
     * A batch of 0 samples goes through Keras's layers (TF's conv and pooling kernels
     * return an empty batch); rnn4j's Conv1D and MaxPooling1D reshape with a -1 that 0 elements
     * cannot infer and throw "reshape: cannot view shape (0, 3, 2) (0 elements) as [0, -1]".
     * (Sequential.predict never calls a layer on an empty batch; a direct call or a custom loop does.)
     */
    @Test
    void anEmptyBatchGivesAnEmptyBatch() {
        for (Layer l : List.<Layer>of(new Conv1D(2, 3).padding("same"), new MaxPooling1D(2), new AveragePooling1D(2))) {
            l.build(Shape.of(6, 2));
            Variable y = l.call(Variable.constant(Tensor.zeros(0, 6, 2)), null, CallContext.inference());
            assertThat(y.shape()).as(l.className()).isEqualTo(Shape.of(0, l instanceof Conv1D ? 6 : 3, 2));
        }
    }

    // ---- confirmed right ----

    /** +inf ties: TF's arg-max moves only on a strictly greater value, so the first +inf takes the gradient. */
    @Test
    void infinityTiesSendTheGradientToTheFirstInfinity() {
        float inf = Float.POSITIVE_INFINITY;
        Variable x = Variable.parameter(Tensor.of(new float[] {1, inf, inf, -inf, -inf, 2}, 1, 6, 1));
        Variable y = pool(new MaxPooling1D(3), x);
        assertThat(y.value().toArray()).containsExactly(inf, 2);
        Ops.sumAll(y).backward();
        assertThat(x.grad().toArray()).containsExactly(0, 1, 0, 0, 0, 1);
    }

    /** Huge finite values: the max is exact and the average overflows to inf as TF's sum-then-divide does. */
    @Test
    void hugeValuesPoolAsTensorFlow() {
        float big = Float.MAX_VALUE;
        Variable x = Variable.constant(Tensor.of(new float[] {-big, big, big, big}, 1, 4, 1));
        assertThat(pool(new MaxPooling1D(2), x).value().toArray()).containsExactly(big, big);
        // TF's SpatialAvgPool sums the window (inf) then divides by the count.
        assertThat(pool(new AveragePooling1D(2), x).value().toArray()).containsExactly(0, Float.POSITIVE_INFINITY);
    }

    /**
     * Strides above the window skip steps: those steps get no gradient; forward against the float64
     * reference of Conv1DTest; input, kernel and bias gradients against finite differences.
     */
    @Test
    void stridesAboveTheWindowSkipStepsInValueAndGradient() {
        Conv1D conv = new Conv1D(3, 2).strides(3).biasInitializer(Initializers.randomUniform(-1, 1));
        conv.build(Shape.of(8, 2));
        Tensor x = uniform(r, -1, 1, 2, 8, 2);
        Tensor y = conv.call(Variable.constant(x), null, CallContext.inference()).value();
        Conv1DTest.assertClose("Conv1D k=2 strides=3", y, Conv1DTest.reference(x.toArray(), 2, 8, 2,
                conv.weights().get(0).value().toArray(), conv.weights().get(1).value().toArray(), 3, 2, 3, 1,
                "valid", 1));
        Variable in = Variable.parameter(x);
        GradCheck.checkParameters("Conv1D k=2 strides=3", () -> conv.call(in, null, CallContext.inference()),
                List.of(in, conv.weights().get(0).variable(), conv.weights().get(1).variable()));
        // Windows of 2 every 3 steps over 7 steps: steps 0-1 and 3-4; steps 2, 5 and 6 are in none.
        Variable x2 = Variable.parameter(Tensor.of(new float[] {5, 1, 9, 2, 7, 8, 3}, 1, 7, 1));
        Ops.sumAll(pool(new MaxPooling1D(2, 3), x2)).backward();
        assertThat(x2.grad().toArray()).containsExactly(1, 0, 0, 0, 1, 0, 0);
    }

    /**
     * Keras 3 drops the mask at Conv1D and the pooling layers (no compute_mask, so
     * supports_masking is False: keras/src/layers/layer.py): a Masking before them changes nothing
     * downstream. Checked through a whole model, an LSTM after them.
     */
    @Test
    void aMaskBeforeConvOrPoolingDoesNotReachTheLstmAfter() {
        Tensor x = uniform(r, -1, 1, 2, 6, 2);
        float[] xv = x.toArray();
        for (int i = 8; i < 12; i++) {
            xv[i] = 0; // steps 4 and 5 of sample 0 are all zeros: Masking(0) would mask them
        }
        x = Tensor.of(xv, 2, 6, 2);
        for (java.util.function.Supplier<Layer> mid : List.<java.util.function.Supplier<Layer>>of(
                () -> new Conv1D(3, 2).kernelInitializer(Initializers.constant(0.3f)),
                () -> new MaxPooling1D(2), () -> new AveragePooling1D(2, 1))) {
            Sequential masked = Sequential.of(Input.shape(6, 2), new Masking(0f), mid.get(),
                    new LSTM(2).kernelInitializer(Initializers.constant(0.2f))
                            .recurrentInitializer(Initializers.constant(0.1f)));
            Sequential plain = Sequential.of(Input.shape(6, 2), mid.get(),
                    new LSTM(2).kernelInitializer(Initializers.constant(0.2f))
                            .recurrentInitializer(Initializers.constant(0.1f)));
            assertThat(masked.predict(x).toArray()).as(masked.layers().get(1).className())
                    .isEqualTo(plain.predict(x).toArray());
        }
    }
}
