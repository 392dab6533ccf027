package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Review of Conv1DTranspose, DepthwiseConv1D and SeparableConv1D against Keras 3 (TensorFlow
 * backend): each sequence of a batch is computed on its own, as tf.nn.conv_transpose /
 * tf.nn.depthwise_conv2d / tf.nn.separable_conv2d compute every batch element independently, so
 * a sequence's output (and its share of a weight's gradient) must not depend on which other
 * sequences share its batch; and predict may run from many threads at once (DESIGN.md). Seed 61.
 */
class ConvVariantsReviewTest {
    private static final long SEED = 61;

    private static float[] run(Layer l, Tensor x) {
        return l.call(Variable.constant(x), null, CallContext.inference()).value().toArray();
    }

    /**
     * FAILS on the current code. ConvTranspose1D multiplies the zero rows it pads each sequence
     * with (all but the last sequence's) by the kernel and adds them into the output buffer, where
     * they land on that sequence's own tail and the next sequence's head. 0·W is 0 only for a
     * finite W: with an infinite (or NaN) kernel entry, 0·inf = NaN is added to steps no real
     * input step reaches with that tap, and only when another sequence follows in the batch.
     * Keras 3's TF backend (keras/src/backend/tensorflow/nn.py conv_transpose →
     * tf.nn.conv_transpose) computes each batch element on its own: a sequence gives the same
     * output alone and in a batch.
     */
    @Test
    void conv1dTransposeGivesASequenceTheSameOutputAloneAndInABatchWithAnInfiniteKernelTap() {
        Conv1DTranspose c = new Conv1DTranspose(1, 3).useBias(false);
        c.build(Shape.withUnknown(Input.NONE, 1));
        c.setWeights(List.of(Tensor.of(new float[] {Float.POSITIVE_INFINITY, 1, 1}, 3, 1, 1)));
        float[] first = run(c, Tensor.of(new float[] {1, 2}, 1, 2, 1));
        float[] second = run(c, Tensor.of(new float[] {3, 4}, 1, 2, 1));
        float[] both = run(c, Tensor.of(new float[] {1, 2, 3, 4}, 2, 2, 1));
        float[] alone = new float[both.length];
        System.arraycopy(first, 0, alone, 0, first.length);
        System.arraycopy(second, 0, alone, first.length, second.length);
        assertThat(both).as("Conv1DTranspose, kernel taps [inf, 1, 1], sequences [1, 2] and [3, 4]: each sequence's "
                + "output in a batch of two must equal its output alone (%s and %s), as TensorFlow computes each "
                + "batch element on its own (keras/src/backend/tensorflow/nn.py conv_transpose)",
                Arrays.toString(first), Arrays.toString(second)).isEqualTo(alone);
    }

    /**
     * FAILS on the current code, for the same reason in backward: {@code dW_k = Y_kᵀ·Xp} sums over
     * the padding rows too, reading the next sequence's output gradient through them (0·inf =
     * NaN). With "valid" padding TensorFlow's filter gradient is the sum over real pairs only:
     * {@code dW[k] = Σ_b Σ_t dy[b, t + k]·x[b, t]} (TensorFlow's gradient of Conv2DBackpropInput,
     * nn_grad._Conv2DBackpropInputGrad: conv2d_backprop_filter(dy, ..., x), "VALID": no padding
     * rows at all), so an infinite upstream gradient at step 0 of the
     * second sequence reaches dW[0] only; dW[1] = dW[2] = 1 + 2 + 3 + 4 = 10.
     */
    @Test
    void conv1dTransposeKernelGradientSumsOnlyRealPairsWithAnInfiniteUpstreamGradient() {
        Conv1DTranspose c = new Conv1DTranspose(1, 3).useBias(false);
        c.build(Shape.withUnknown(Input.NONE, 1));
        c.setWeights(List.of(Tensor.of(new float[] {1, 1, 1}, 3, 1, 1)));
        Variable kernel = c.weights().get(0).variable();
        kernel.zeroGrad();
        Variable y = c.call(Variable.constant(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2, 1)), null,
                CallContext.inference());
        // dL/dy: 1 everywhere but +inf at step 0 of the second sequence; y is (2, 4, 1).
        float[] dy = new float[8];
        Arrays.fill(dy, 1f);
        dy[4] = Float.POSITIVE_INFINITY;
        Ops.sumAll(Ops.mul(y, Variable.constant(Tensor.of(dy, 2, 4, 1)))).backward();
        float[] dw = kernel.grad().toArray();
        assertThat(new float[] {dw[1], dw[2]}).as("Conv1DTranspose kernel gradient of taps 1 and 2 (all of dW: %s): "
                + "Σ over real (t, k) pairs only, as TensorFlow's conv_transpose gradient", Arrays.toString(dw))
                .containsExactly(10f, 10f);
        assertThat(dw[0]).as("tap 0 meets the infinite gradient through x[1, 0] = 3").isEqualTo(Float.POSITIVE_INFINITY);
    }

    /** Passes: with finite weights a NaN in one sequence's input stays in that sequence, for all three layers. */
    @Test
    void aNanInOneSequenceStaysInThatSequence() {
        Random r = new Random(SEED);
        List<Layer> layers = List.of(new Conv1DTranspose(2, 3).padding("same").strides(2),
                new Conv1DTranspose(2, 4).strides(3).outputPadding(2), new Conv1DTranspose(2, 3).dilationRate(2),
                new DepthwiseConv1D(3).padding("same").depthMultiplier(2),
                new SeparableConv1D(2, 3).padding("same").strides(2).dilationRate(2));
        for (Layer l : layers) {
            l.build(Shape.withUnknown(Input.NONE, 2));
            float[] x = new float[3 * 5 * 2];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextDouble() * 2 - 1);
            }
            x[5 * 2 + 2 * 2] = Float.NaN; // sequence 1, step 2, channel 0
            float[] y = run(l, Tensor.of(x, 3, 5, 2));
            int per = y.length / 3;
            for (int b : new int[] {0, 2}) {
                for (int i = b * per; i < (b + 1) * per; i++) {
                    assertThat(Float.isNaN(y[i])).as("%s: sequence %d, element %d (seed %d)", l.className(), b,
                            i - b * per, SEED).isFalse();
                }
            }
        }
    }

    /** Passes: predict from 8 threads at once gives every thread the single-threaded result, for all three. */
    @Test
    void predictFromManyThreadsGivesTheSameNumbers() throws Exception {
        Sequential m = Sequential.of(Input.shape(Input.NONE, 3),
                new SeparableConv1D(4, 3, "relu").padding("same").strides(2).depthMultiplier(2),
                new DepthwiseConv1D(2).padding("same"), new Conv1DTranspose(2, 3).padding("same").strides(2));
        Random r = new Random(SEED + 1);
        List<Tensor> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int steps = 3 + i;
            float[] x = new float[(1 + i % 3) * steps * 3];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) r.nextGaussian();
            }
            Tensor t = Tensor.of(x, 1 + i % 3, steps, 3);
            inputs.add(t);
            expected.add(m.predict(t).toArray());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<float[]>> got = new ArrayList<>();
            for (int rep = 0; rep < 4; rep++) {
                for (Tensor t : inputs) {
                    got.add(pool.submit(() -> m.predict(t).toArray()));
                }
            }
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).get()).as("concurrent predict %d (seed %d)", i, SEED + 1)
                        .isEqualTo(expected.get(i % inputs.size()));
            }
        } finally {
            pool.shutdown();
        }
    }
}
