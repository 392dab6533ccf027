package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MaxPooling1D and AveragePooling1D against plain float64 pooling written here, for "valid" and
 * "same", strides below, equal to and above the pool size, odd and even lengths and lengths shorter
 * than the pool with "same" (to 1e-6): "same" never lets the padding win a max and leaves it out
 * of an average's count (hand-worked windows too); the max's gradient goes to the first max of
 * each window, as TensorFlow's, checked exactly on ties; gradients against float64 finite
 * differences; None steps, the dropped mask and every refusal. Seed 12.
 */
class Pooling1DTest {
    private static final long SEED = 12;
    private final Random r = new Random(SEED);

    /** Windows as Keras and TF place them, worked out here: {start, end} of each output's real steps. */
    private static int[][] windows(int steps, int pool, int stride, String padding) {
        int out;
        int left;
        if (padding.equals("valid")) {
            out = (int) Math.floor((steps - pool) / (double) stride) + 1;
            left = 0;
        } else {
            out = (int) Math.ceil(steps / (double) stride);
            left = Math.max((out - 1) * stride + pool - steps, 0) / 2;
        }
        int[][] w = new int[out][];
        for (int t = 0; t < out; t++) {
            int start = t * stride - left;
            w[t] = new int[] {Math.max(start, 0), Math.min(start + pool, steps)};
        }
        return w;
    }

    /** Max or mean of each window's real steps, per channel; the mean divides by their count. */
    private static double[][][] reference(float[] x, int batch, int steps, int channels, int[][] w, boolean max) {
        double[][][] y = new double[batch][w.length][channels];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < w.length; t++) {
                for (int c = 0; c < channels; c++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    for (int s = w[t][0]; s < w[t][1]; s++) {
                        double v = x[(b * steps + s) * channels + c];
                        acc = max ? Math.max(acc, v) : acc + v;
                    }
                    y[b][t][c] = max ? acc : acc / (w[t][1] - w[t][0]);
                }
            }
        }
        return y;
    }

    @ParameterizedTest(name = "{0} pool={1} strides={2} steps={3}")
    @CsvSource({
        "valid, 2, 2, 8", "valid, 2, 2, 7", "valid, 3, 1, 6", "valid, 3, 2, 9", "valid, 2, 3, 8", "valid, 4, 4, 4",
        "same, 2, 2, 8", "same, 2, 2, 7", "same, 3, 1, 6", "same, 3, 2, 9", "same, 2, 3, 8", "same, 4, 1, 5",
        "same, 5, 2, 3", "same, 4, 4, 1", "same, 3, 5, 11"})
    void forwardMatchesFloat64Reference(String padding, int pool, int strides, int steps) {
        int batch = 2;
        int channels = 3;
        Tensor x = uniform(r, -1, 1, batch, steps, channels);
        int[][] w = windows(steps, pool, strides, padding);
        for (Pooling1D<?> layer : List.of(new MaxPooling1D(pool, strides).padding(padding),
                new AveragePooling1D(pool, strides).padding(padding))) {
            layer.build(Shape.of(steps, channels));
            boolean max = layer instanceof MaxPooling1D;
            Tensor y = layer.call(Variable.constant(x), null, CallContext.inference()).value();
            Conv1DTest.assertClose(layer.className() + " " + padding + " pool=" + pool + " s=" + strides + " steps="
                    + steps, y, reference(x.toArray(), batch, steps, channels, w, max));
            assertThat(layer.outputShape()).isEqualTo(Shape.of(w.length, channels));
        }
    }

    @Test
    void samePaddingNeverWinsAMaxAndIsLeftOutOfTheCount() {
        // All negative: a zero of padding would win a max; TF pads 1 on the left and 1 on the right here.
        Tensor x = Tensor.of(new float[] {-1, -2, -3, -4}, 1, 4, 1);
        assertThat(run(new MaxPooling1D(3, 1).padding("same"), x)).containsExactly(-1, -1, -2, -3);
        assertThat(run(new AveragePooling1D(3, 1).padding("same"), x)).containsExactly(-1.5f, -2, -3, -3.5f);
        // 5 steps in windows of 2: the last holds one real step, on the left of 1 step of padding.
        Tensor five = Tensor.of(new float[] {1, 2, 3, 4, 5}, 1, 5, 1);
        assertThat(run(new AveragePooling1D(2).padding("same"), five)).containsExactly(1.5f, 3.5f, 5);
        assertThat(run(new MaxPooling1D().padding("same"), five)).containsExactly(2, 4, 5);
        assertThat(run(new MaxPooling1D(), five)).containsExactly(2, 4);
    }

    private static float[] run(Layer l, Tensor x) {
        l.build(Shape.withUnknown(Input.NONE, x.dim(2)));
        return l.call(Variable.constant(x), null, CallContext.inference()).value().toArray();
    }

    @Test
    void theMaxGradientGoesToTheFirstMaxOfEachWindow() {
        // Windows of 3 every 2 steps over 5 steps, "same": TF pads 1 on each side, so (-1..1), (1..3), (3..5).
        // Channel 0 is 4 4 2 6 6: maxima at steps 0 (its padding copy comes first but is step 0), 3, 3.
        // Channel 1 is 3 1 1 1 2: maxima at steps 0, 1 (the first of three ones), 4.
        float[] v = {4, 3, 4, 1, 2, 1, 6, 1, 6, 2};
        Variable x = Variable.parameter(Tensor.of(v, 1, 5, 2));
        MaxPooling1D pool = new MaxPooling1D(3, 2).padding("same");
        pool.build(Shape.of(5, 2));
        Variable y = pool.call(x, null, CallContext.inference());
        assertThat(y.value().toArray()).containsExactly(4, 3, 6, 1, 6, 2);
        float[] g = {1, 1000, 10, 10000, 100, 100000};
        Ops.sumAll(Ops.mul(y, Variable.constant(Tensor.of(g, 1, 3, 2)))).backward();
        assertThat(x.grad().toArray()).containsExactly(1, 1000, 0, 10000, 0, 0, 110, 0, 0, 100000);
        // A tie inside a window: the first of the tied steps takes it all.
        Variable tie = Variable.parameter(Tensor.of(new float[] {4, 4, 4, 1}, 1, 4, 1));
        MaxPooling1D p2 = new MaxPooling1D(3, 1);
        p2.build(Shape.of(4, 1));
        Ops.sumAll(p2.call(tie, null, CallContext.inference())).backward();
        assertThat(tie.grad().toArray()).containsExactly(1, 1, 0, 0);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        // Distinct values 0.05 apart: no window holds two within the differencing step.
        check("MaxPooling1D valid", new MaxPooling1D(2), Shape.of(7, 3));
        check("MaxPooling1D same overlapping", new MaxPooling1D(3, 2).padding("same"), Shape.of(8, 2));
        check("MaxPooling1D same shorter than the pool", new MaxPooling1D(4, 1).padding("same"), Shape.of(3, 2));
        check("AveragePooling1D valid", new AveragePooling1D(3, 2), Shape.of(7, 2));
        check("AveragePooling1D same", new AveragePooling1D(3, 1).padding("same"), Shape.of(6, 2));
    }

    private void check(String what, Layer layer, Shape sample) {
        layer.build(sample);
        int n = 2 * sample.dim(0) * sample.dim(1);
        List<Float> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(-1 + 0.05f * i);
        }
        Collections.shuffle(values, r);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = values.get(i);
        }
        Variable in = Variable.parameter(Tensor.of(v, 2, sample.dim(0), sample.dim(1)));
        GradCheck.checkParameters(what, () -> layer.call(in, null, CallContext.inference()), List.of(in));
    }

    @Test
    void noneStepsMaskAndShapes() {
        Sequential m = Sequential.of(Input.shape(Input.NONE, 3), new MaxPooling1D(), new AveragePooling1D(2, 1));
        assertThat(m.outputShape()).isEqualTo(Shape.withUnknown(Shape.UNKNOWN, 3));
        assertThat(m.predict(uniform(r, -1, 1, 2, 9, 3)).shape()).isEqualTo(Shape.of(2, 3, 3));
        assertThat(m.layers().get(0).computeOutputShapes(List.of(Shape.of(11, 5)))).containsExactly(Shape.of(5, 5));
        Tensor mask = Tensor.of(new float[] {1, 1, 0, 0}, 1, 4);
        Variable x = Variable.constant(Tensor.zeros(1, 4, 3));
        assertThat(m.layers().get(0).computeMask(x, mask)).isNull();
        assertThat(m.layers().get(1).computeMask(x, mask)).isNull();
        assertThat(m.layers().get(0).countParams()).isZero();
    }

    @Test
    void badOptionsAndInputsAreRefusedByName() {
        assertThatThrownBy(() -> new MaxPooling1D(0)).hasMessageContaining("pool_size must be >= 1, got 0");
        assertThatThrownBy(() -> new AveragePooling1D(2, 0)).hasMessageContaining("strides must be >= 1, got 0");
        assertThatThrownBy(() -> new MaxPooling1D().named("p").padding("causal"))
                .hasMessage("Layer 'p' (MaxPooling1D): padding must be 'valid' or 'same', got 'causal'");
        assertThatThrownBy(() -> new AveragePooling1D(3).named("a").build(Shape.of(2, 4)))
                .hasMessageStartingWith("Layer 'a' (AveragePooling1D): an input of 2 steps gives no output step with "
                        + "padding 'valid': a window spans 3 steps (size 3)");
        assertThatThrownBy(() -> new MaxPooling1D().named("p").build(Shape.of(2, 4, 1)))
                .hasMessage("Layer 'p' (MaxPooling1D): expected an input (batch, steps, channels), got "
                        + "(None, 2, 4, 1)");
        MaxPooling1D any = new MaxPooling1D(3).named("p");
        any.build(Shape.withUnknown(Shape.UNKNOWN, Shape.UNKNOWN));
        Variable shortInput = Variable.constant(Tensor.zeros(2, 2, 2));
        assertThatThrownBy(() -> any.call(shortInput, null, CallContext.inference()))
                .hasMessageStartingWith("Layer 'p' (MaxPooling1D): an input of 2 steps gives no output step");
    }
}
