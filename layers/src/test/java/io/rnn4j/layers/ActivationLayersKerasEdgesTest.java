package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The activation layers against Keras 3 on TensorFlow at their edges: Softmax over several axes as
 * Keras computes it ({@code exp(x − logsumexp(x))}, keras/src/layers/activations/softmax.py, with
 * TensorFlow's reduce_logsumexp, which shifts by the max only where it is finite and adds it back
 * after the log), non-finite inputs of the piecewise layers, and zero-size batches. No randomness.
 */
class ActivationLayersKerasEdgesTest {
    private static float[] run(Layer l, Tensor x) {
        if (!l.isBuilt()) {
            l.build(x.shape().tail());
        }
        return l.call(Variable.constant(x), null, CallContext.inference()).value().toArray();
    }

    /**
     * Keras 3's Softmax(axis=[1, 2]) in float32 as TensorFlow computes it: lse = log(sum(exp(x − m)))
     * + m (m the max, or 0 where it is not finite), then exp(x − lse), each step rounded to float32.
     */
    private static float[] kerasSeveralAxes(float[] x) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
        }
        float m = Float.isFinite(max) ? max : 0f;
        float sum = 0f;
        for (float v : x) {
            sum += (float) Math.exp(v - m);
        }
        float lse = (float) Math.log(sum) + m;
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) Math.exp(x[i] - lse);
        }
        return out;
    }

    /**
     * FAILS on the current code. With large logits Keras's {@code exp(x − logsumexp(x))} rounds
     * logsumexp to float32 next to the max (ulp 0.0078 at 1e5) and so its outputs sum to 0.9975 here;
     * rnn4j's {@code exp(log_softmax(x))} subtracts the max first and gives the exact softmax, 0.25%
     * away from Keras's numbers. keras/src/layers/activations/softmax.py (call, len(axis) > 1);
     * keras/src/backend/tensorflow/math.py logsumexp -> tf.math.reduce_logsumexp.
     */
    @Test
    void softmaxOverSeveralAxesRoundsLargeLogitsAsKerasLogsumexp() {
        float[] x = {100000f, 100000.5f};
        float[] want = kerasSeveralAxes(x);
        float[] got = run(new Softmax(1, 2), Tensor.of(x, 1, 1, 2));
        for (int i = 0; i < x.length; i++) {
            assertThat((double) got[i]).as("Softmax(axis=[1, 2]) at %s: Keras's exp(x - logsumexp(x)) in float32 "
                    + "(the exact softmax would be %s)", x[i], i == 0 ? 0.3775407 : 0.6224593)
                    .isCloseTo(want[i], within(2e-6));
        }
    }

    /**
     * FAILS on the current code. TensorFlow's reduce_logsumexp shifts by 0 when the max is +inf, so
     * logsumexp is +inf and Keras's exp(x − inf) is 0 at every finite x and NaN only at the +inf
     * (inf − inf); rnn4j's log_softmax subtracts the +inf max from everything and gives NaN everywhere.
     */
    @Test
    void softmaxOverSeveralAxesWithPlusInfinityIsNaNOnlyThereAsKerasLogsumexp() {
        float[] x = {1f, Float.POSITIVE_INFINITY, 2f, 3f};
        float[] want = kerasSeveralAxes(x);
        assertThat(want).containsExactly(0f, Float.NaN, 0f, 0f);
        assertThat(run(new Softmax(1, 2), Tensor.of(x, 1, 2, 2)))
                .as("Softmax(axis=[1, 2]) of [1, inf, 2, 3]: Keras gives [0, NaN, 0, 0]").containsExactly(want);
    }

    /** Passes: a row all -inf is NaN in Keras too (logsumexp -inf, -inf - -inf), over one axis or several. */
    @Test
    void softmaxOfAllMinusInfinityIsNaNAsTensorFlow() {
        float ninf = Float.NEGATIVE_INFINITY;
        assertThat(run(new Softmax(1, 2), Tensor.of(new float[] {ninf, ninf, ninf, ninf}, 1, 2, 2)))
                .containsOnly(Float.NaN);
        assertThat(run(new Softmax(), Tensor.of(new float[] {ninf, ninf}, 1, 2))).containsOnly(Float.NaN);
    }

    /**
     * Passes: the option paths with a slope at ±inf and NaN as TensorFlow's ops give them: relu6 −
     * 0.2·relu(−x) is −inf at −inf; threshold with a slope: −inf at −inf, NaN at NaN (relu keeps NaN);
     * PReLU with alpha 0 is NaN at −inf (−0·inf, keras/src/layers/activations/prelu.py call); ELU with
     * alpha 0 is −0 at −inf (0·elu(x), keras/src/backend/tensorflow/nn.py elu).
     */
    @Test
    void nonFiniteInputsOfTheOptionPathsAsTensorFlow() {
        float inf = Float.POSITIVE_INFINITY;
        Tensor x = Tensor.of(new float[] {Float.NaN, -inf, inf, 7f}, 1, 4);
        assertThat(run(new ReLU(6.0, 0.2f, 0f), x)).containsExactly(Float.NaN, -inf, 6f, 6f);
        assertThat(run(new ReLU(null, 0.5f, 1f), x)).containsExactly(Float.NaN, -inf, inf, 7f);
        assertThat(run(new PReLU().alphaInitializer(Initializers.zeros()), x)).containsExactly(Float.NaN, Float.NaN, inf, 7f);
        assertThat(run(new ELU(0f), x)).containsExactly(Float.NaN, -0f, inf, 7f);
    }

    /** Passes: a batch of 0 gives an empty output of the same shape, for every layer and option path. */
    @Test
    void zeroSizeBatchesGiveEmptyOutputs() {
        List<Layer> layers = List.of(new ReLU(), new ReLU(6.0, 0.1f, 0f), new ReLU(3.0, 0.1f, 1f), new LeakyReLU(),
                new ELU(0.5f), new PReLU(), new Softmax(), new Softmax(1, 2), new Softmax(0));
        for (Layer l : layers) {
            l.build(Tensor.zeros(0, 2, 3).shape().tail());
            Variable y = l.call(Variable.constant(Tensor.zeros(0, 2, 3)), null, CallContext.inference());
            assertThat(y.shape().dims()).as("%s on a (0, 2, 3) batch", l.name()).containsExactly(0, 2, 3);
        }
    }

    /** Passes: Softmax(axis=0) normalises over the batch, as Keras's (axes count the batch axis). */
    @Test
    void softmaxOverTheBatchAxis() {
        float[] y = run(new Softmax(0), Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        double a = 1 / (1 + Math.exp(2));
        assertThat((double) y[0]).isCloseTo(a, within(1e-7));
        assertThat((double) y[2]).isCloseTo(1 - a, within(1e-7));
        assertThat((double) y[1]).isCloseTo(a, within(1e-7));
    }
}
