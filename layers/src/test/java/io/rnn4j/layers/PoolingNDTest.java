package io.rnn4j.layers;

import static io.rnn4j.layers.ConvNDTest.assertClose;
import static io.rnn4j.layers.ConvNDTest.prod;
import static io.rnn4j.layers.ConvNDTest.unravel;
import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MaxPooling2D/3D, AveragePooling2D/3D and the global 2D/3D poolings against plain float64
 * pooling written here (TensorFlow's windows: "same" gives {@code ceil(size / stride)} outputs,
 * half the padding before, the odd one after; a max over the real taps only, an average divided by
 * their count), to {@code 1e-5 + 1e-5·|y|}, over "valid" and "same", strides below, equal to and
 * above the pool, odd and even sizes, channels_first; the max's gradient goes to the first max of
 * a window in row-major order (checked exactly on a tie); gradients against float64 finite
 * differences on inputs whose values are 0.05 apart (no ties within a difference step); None
 * spatial axes; keepdims; the dropped mask; refusals naming the layer. Seed 31.
 */
class PoolingNDTest {
    private static final long SEED = 31;
    private final Random r = new Random(SEED);

    /** Max or mean over each window's real taps, per channel: {@code (n, out..., c)} flat. */
    private static double[] reference(float[] x, int n, int[] in, int c, int[] pool, int[] stride, boolean same,
            boolean max) {
        int rank = in.length;
        int[] out = new int[rank];
        int[] left = new int[rank];
        for (int a = 0; a < rank; a++) {
            if (same) {
                out[a] = (in[a] + stride[a] - 1) / stride[a];
                left[a] = Math.max((out[a] - 1) * stride[a] + pool[a] - in[a], 0) / 2;
            } else {
                out[a] = (in[a] - pool[a]) / stride[a] + 1;
            }
        }
        int outs = prod(out);
        double[] y = new double[n * outs * c];
        int[] o = new int[rank];
        int[] t = new int[rank];
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < outs; p++) {
                unravel(p, out, o);
                for (int ch = 0; ch < c; ch++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int count = 0;
                    for (int tap = 0; tap < prod(pool); tap++) {
                        unravel(tap, pool, t);
                        int pos = 0;
                        boolean inside = true;
                        for (int a = 0; a < rank; a++) {
                            int i = o[a] * stride[a] - left[a] + t[a];
                            inside &= i >= 0 && i < in[a];
                            pos = pos * in[a] + i;
                        }
                        if (inside) {
                            double v = x[(b * prod(in) + pos) * c + ch];
                            acc = max ? Math.max(acc, v) : acc + v;
                            count++;
                        }
                    }
                    y[(b * outs + p) * c + ch] = max ? acc : acc / count;
                }
            }
        }
        return y;
    }

    private static int[] ints(String s) {
        return Arrays.stream(s.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
    }

    private static PoolingBase<?> pooling(boolean max, int[] pool, int[] strides) {
        if (pool.length == 2) {
            return max ? new MaxPooling2D(pool, strides) : new AveragePooling2D(pool, strides);
        }
        return max ? new MaxPooling3D(pool, strides) : new AveragePooling3D(pool, strides);
    }

    /** Distinct values 0.05 apart, shuffled: no two within a finite-difference step. */
    private Tensor distinct(int... dims) {
        int size = prod(dims);
        List<Float> v = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            v.add(0.05f * (i - size / 2));
        }
        Collections.shuffle(v, r);
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = v.get(i);
        }
        return Devices.defaultDevice().tensor(a, dims);
    }

    @ParameterizedTest(name = "{0} in ({1}) pool ({2}) strides ({3}) {4}")
    @CsvSource({
            "max, 6 5, 2 2, 2 2, valid",
            "max, 7 5, 3 2, 2 1, same",
            "max, 5 6, 2 3, 3 3, same",
            "max, 4 4, 3 3, 1 1, same",
            "max, 2 3, 3 3, 2 2, same",
            "avg, 6 5, 2 2, 2 2, valid",
            "avg, 7 5, 3 2, 2 1, same",
            "avg, 5 6, 2 3, 3 3, same",
            "avg, 4 4, 3 3, 1 1, same",
            "avg, 9 7, 3 2, 4 3, valid",
            "max, 4 5 3, 2 2 1, 2 2 1, same",
            "max, 5 4 4, 2 2 2, 1 2 3, valid",
            "avg, 4 5 3, 2 2 2, 2 2 2, same",
            "avg, 5 4 4, 3 2 2, 2 1 2, valid",
    })
    void forwardMatchesFloat64Pooling(String kind, String in, String pool, String strides, String padding) {
        boolean max = kind.equals("max");
        int[] spatial = ints(in);
        int rank = spatial.length;
        PoolingBase<?> layer = pooling(max, ints(pool), ints(strides)).padding(padding);
        int c = 3;
        int[] sample = Arrays.copyOf(spatial, rank + 1);
        sample[rank] = c;
        layer.build(Shape.of(sample));
        int[] batch = new int[rank + 2];
        batch[0] = 2;
        System.arraycopy(sample, 0, batch, 1, rank + 1);
        Tensor x = uniform(r, -1, 1, batch);
        Tensor y = layer.call(Variable.constant(x), null, CallContext.inference()).value();
        assertClose(layer.className() + " " + padding, y.toArray(), reference(x.toArray(), 2, spatial, c, ints(pool),
                ints(strides), padding.equals("same"), max));
        assertThat(y.shape().without(0)).as("Keras's compute_output_shape").isEqualTo(layer.outputShape());
    }

    @Test
    void sameNeverLetsThePaddingWinOrCount() {
        // All negative: a zero from the padding would win a max; an average of 2 real taps of 4 halves nothing.
        MaxPooling2D max = new MaxPooling2D(2).padding("same");
        AveragePooling2D avg = new AveragePooling2D(2).padding("same");
        max.build(Shape.of(3, 3, 1));
        avg.build(Shape.of(3, 3, 1));
        Tensor x = Devices.defaultDevice().tensor(new float[] {-1, -2, -3, -4, -5, -6, -7, -8, -9}, 1, 3, 3,
                1);
        assertThat(max.call(Variable.constant(x), null, CallContext.inference()).value().toArray())
                .containsExactly(-1, -3, -7, -9);
        assertThat(avg.call(Variable.constant(x), null, CallContext.inference()).value().toArray())
                .containsExactly(-3, -4.5f, -7.5f, -9);
    }

    @Test
    void theMaxGradientGoesToTheFirstMaxOfAWindowInRowMajorOrder() {
        MaxPooling2D max = new MaxPooling2D(2);
        max.build(Shape.of(2, 2, 1));
        Variable x = Variable.parameter(Devices.defaultDevice().tensor(new float[] {0, 3, 3, 3}, 1, 2, 2,
                1));
        Ops.sumAll(max.call(x, null, CallContext.training(new Random(1)))).backward();
        assertThat(x.grad().toArray()).as("TensorFlow's CPU MaxPoolGrad: the first of tied maxima")
                .containsExactly(0, 1, 0, 0);
    }

    @Test
    void theMax3DGradientGoesToTheFirstTiedMaxAsInKerasFit() {
        // tf.nn.max_pool3d's gradient of [3,1,3,2,0,3,1,3] in a tf.function (what Keras's fit traces;
        // TensorFlow 2.21, CPU, oneDNN on): [1,0,0,0,0,0,0,0]; eagerly it is [1,0,1,0,0,1,0,1].
        MaxPooling3D max = new MaxPooling3D(2);
        max.build(Shape.of(2, 2, 2, 1));
        Variable x = Variable.parameter(Devices.defaultDevice().tensor(new float[] {0, 3, 3, 3, 3, 3, 3, 3}, 1, 2,
                2, 2, 1));
        Ops.sumAll(max.call(x, null, CallContext.training(new Random(1)))).backward();
        assertThat(x.grad().toArray()).containsExactly(0, 1, 0, 0, 0, 0, 0, 0);
        // "same" padding reads the nearest real position: the value's gradient is counted once.
        MaxPooling3D same = new MaxPooling3D(2).padding("same");
        same.build(Shape.of(1, 1, 1, 1));
        Variable one = Variable.parameter(Devices.defaultDevice().tensor(new float[] {-2}, 1, 1, 1, 1, 1));
        Variable y = same.call(one, null, CallContext.training(new Random(1)));
        assertThat(y.value().toArray()).containsExactly(-2);
        Ops.sumAll(y).backward();
        assertThat(one.grad().toArray()).containsExactly(1);
    }

    private void gradients(String what, Layer layer, Tensor x) {
        Variable in = Variable.parameter(x);
        System.out.println("PoolingNDTest seed " + SEED + ": " + what);
        GradCheck.checkLayer(layer.className() + " " + what, layer, in, () -> layer.call(in, null,
                CallContext.inference()));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        PoolingBase<?> max = new MaxPooling2D(new int[] {3, 2}, new int[] {2, 1}).padding("same");
        max.build(Shape.of(5, 4, 2));
        gradients("max same (3, 2) / (2, 1)", max, distinct(2, 5, 4, 2));
        PoolingBase<?> avg = new AveragePooling2D(new int[] {3, 3}, new int[] {2, 2}).padding("same")
                .dataFormat("channels_first");
        avg.build(Shape.of(2, 5, 4));
        gradients("average same 3 / 2, channels_first", avg, uniform(r, -1, 1, 2, 2, 5, 4));
        PoolingBase<?> max3 = new MaxPooling3D(2).padding("same").dataFormat("channels_first");
        max3.build(Shape.of(2, 3, 3, 2));
        gradients("max 3D same, channels_first", max3, distinct(2, 2, 3, 3, 2));
        PoolingBase<?> avg3 = new AveragePooling3D(2, 1, 2);
        avg3.build(Shape.of(3, 2, 4, 2));
        gradients("average 3D valid", avg3, uniform(r, -1, 1, 2, 3, 2, 4, 2));
        GlobalPoolingBase gmax = new GlobalMaxPooling3D("channels_first", true);
        gmax.build(Shape.of(2, 3, 2, 2));
        gradients("global max 3D, channels_first, keepdims", gmax, distinct(2, 2, 3, 2, 2));
        GlobalPoolingBase gavg = new GlobalAveragePooling2D();
        gavg.build(Shape.of(3, 4, 2));
        gradients("global average 2D", gavg, uniform(r, -1, 1, 2, 3, 4, 2));
    }

    @Test
    void channelsFirstPoolsTheSameNumbers() {
        MaxPooling3D last = new MaxPooling3D(new int[] {2, 2, 1}, new int[] {1, 2, 1}).padding("same");
        MaxPooling3D first = new MaxPooling3D(new int[] {2, 2, 1}, new int[] {1, 2, 1}).padding("same")
                .dataFormat("channels_first");
        last.build(Shape.of(3, 5, 2, 4));
        first.build(Shape.of(4, 3, 5, 2));
        assertThat(first.outputShape()).isEqualTo(Shape.of(4, 3, 3, 2));
        Tensor x = uniform(r, -1, 1, 2, 3, 5, 2, 4);
        // (n, d, h, w, c) -> (n, c, d, h, w) with a layer of its own, then back.
        Permute toFirst = new Permute(4, 1, 2, 3);
        toFirst.build(Shape.of(3, 5, 2, 4));
        Permute toLast = new Permute(2, 3, 4, 1);
        toLast.build(Shape.of(4, 3, 3, 2));
        Tensor moved = toFirst.call(Variable.constant(x), null, CallContext.inference()).value();
        Tensor got = first.call(Variable.constant(moved), null, CallContext.inference()).value();
        Tensor back = toLast.call(Variable.constant(got), null, CallContext.inference()).value();
        assertThat(back.toArray()).isEqualTo(last.call(Variable.constant(x), null, CallContext.inference()).value()
                .toArray());
    }

    @Test
    void globalPoolingsReduceEverySpatialAxis() {
        Tensor x = uniform(r, -1, 1, 2, 3, 4, 5, 2); // (n, d, h, w, c)
        float[] v = x.toArray();
        double[] mean = new double[4];
        double[] max = new double[4];
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int b = 0; b < 2; b++) {
            for (int p = 0; p < 60; p++) {
                for (int c = 0; c < 2; c++) {
                    double e = v[(b * 60 + p) * 2 + c];
                    mean[b * 2 + c] += e / 60;
                    max[b * 2 + c] = Math.max(max[b * 2 + c], e);
                }
            }
        }
        GlobalAveragePooling3D avg = new GlobalAveragePooling3D();
        GlobalMaxPooling3D gmax = new GlobalMaxPooling3D(null, true);
        avg.build(Shape.of(3, 4, 5, 2));
        gmax.build(Shape.of(3, 4, 5, 2));
        assertClose("GlobalAveragePooling3D", avg.call(Variable.constant(x), null, CallContext.inference()).value()
                .toArray(), mean);
        Tensor y = gmax.call(Variable.constant(x), null, CallContext.inference()).value();
        assertClose("GlobalMaxPooling3D", y.toArray(), max);
        assertThat(y.shape()).as("keepdims").isEqualTo(Shape.of(2, 1, 1, 1, 2));
        assertThat(avg.outputShape()).isEqualTo(Shape.of(2));
        GlobalMaxPooling2D first = new GlobalMaxPooling2D("channels_first", false);
        first.build(Shape.withUnknown(3, Shape.UNKNOWN, Shape.UNKNOWN));
        assertThat(first.outputShape()).isEqualTo(Shape.of(3));
        Tensor f = uniform(r, -1, 1, 1, 3, 2, 2);
        float[] fv = f.toArray();
        float[] got = first.call(Variable.constant(f), null, CallContext.inference()).value().toArray();
        for (int c = 0; c < 3; c++) {
            float m = Math.max(Math.max(fv[c * 4], fv[c * 4 + 1]), Math.max(fv[c * 4 + 2], fv[c * 4 + 3]));
            assertThat(got[c]).as("channel %d", c).isEqualTo(m);
        }
    }

    @Test
    void noneSpatialAxesTakeAnySize() {
        Sequential m = Sequential.of(Input.shape(Input.NONE, Input.NONE, 2), new AveragePooling2D(2).padding("same"),
                new MaxPooling2D(), new GlobalAveragePooling2D());
        for (int[] hw : new int[][] {{8, 8}, {5, 7}, {4, 4}}) {
            assertThat(m.predict(uniform(r, -1, 1, 3, hw[0], hw[1], 2)).shape()).isEqualTo(Shape.of(3, 2));
        }
        assertThat(m.layers().get(0).outputShape()).isEqualTo(Shape.withUnknown(Shape.UNKNOWN, Shape.UNKNOWN, 2));
    }

    @Test
    void anIncomingMaskIsDroppedAsKerasDoes() {
        MaxPooling2D p = new MaxPooling2D();
        p.build(Shape.of(4, 4, 1));
        Variable x = Variable.constant(uniform(r, -1, 1, 1, 4, 4, 1));
        Tensor mask = x.device().tensor(new float[] {1, 0, 1, 1}, 1, 4);
        assertThat(p.call(x, mask, CallContext.inference()).value().toArray())
                .isEqualTo(p.call(x, null, CallContext.inference()).value().toArray());
        assertThat(p.computeMask(x, mask)).isNull();
    }

    @Test
    void badOptionsAndInputsAreRefusedNamingTheLayer() {
        assertThatThrownBy(() -> new MaxPooling2D(0)).hasMessageContaining("(MaxPooling2D): pool_size must be >= 1");
        assertThatThrownBy(() -> new AveragePooling3D(2, 2))
                .hasMessageContaining("(AveragePooling3D): pool_size must hold 1 or 3 integers, got [2, 2]");
        assertThatThrownBy(() -> new AveragePooling2D()).hasMessageContaining("pool_size must hold 1 or 2 integers");
        assertThatThrownBy(() -> new MaxPooling2D(new int[] {2}, new int[] {0}))
                .hasMessageContaining("(MaxPooling2D): strides must be >= 1, got 0");
        assertThatThrownBy(() -> new MaxPooling2D().padding("full"))
                .hasMessageContaining("(MaxPooling2D): padding must be 'valid' or 'same', got 'full'");
        assertThatThrownBy(() -> new MaxPooling3D().named("p").build(Shape.of(4, 4, 2)))
                .hasMessage("Layer 'p' (MaxPooling3D): expected an input (batch, depth, rows, cols, channels), got "
                        + "(None, 4, 4, 2)");
        assertThatThrownBy(() -> new MaxPooling2D(3).named("p").build(Shape.of(4, 2, 2)))
                .hasMessage("Layer 'p' (MaxPooling2D): a spatial input of (4, 2) gives no output on axis 2 with "
                        + "padding 'valid': a window spans (3, 3) (pool_size (3, 3)); Keras refuses it too (\"Computed "
                        + "output size would be zero or negative\")");
        assertThatThrownBy(() -> new GlobalMaxPooling2D("channels_middle", false))
                .hasMessageContaining("(GlobalMaxPooling2D): data_format must be");
        assertThatThrownBy(() -> new GlobalAveragePooling3D().named("g").build(Shape.of(4, 4, 2)))
                .hasMessage("Layer 'g' (GlobalAveragePooling3D): expected an input (batch, depth, rows, cols, "
                        + "channels), got (None, 4, 4, 2)");
        GlobalAveragePooling2D g = new GlobalAveragePooling2D();
        g.named("g").build(Shape.withUnknown(Shape.UNKNOWN, 3, 2));
        assertThatThrownBy(() -> g.call(Variable.constant(Devices.defaultDevice().zeros(1, 0, 3, 2)), null,
                CallContext.inference())).hasMessageStartingWith("Layer 'g' (GlobalAveragePooling2D) cannot pool an "
                + "input with an empty spatial axis");
    }
}
