package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * AdaptiveAverage/MaxPooling2D/3D against float64 pooling written here over the product of each axis's windows
 * {@code [floor(iL/O), ceil((i+1)L/O))} (to 1e-6), shrinking and growing each axis; the 2D layers on a
 * {@code (L, 1)} grid give the 1D layers' numbers (to 1e-6); channels_first against channels_last; gradients
 * against finite differences; None spatial axes; the dropped mask; bad sizes refused naming the layer. Seed 43.
 */
class AdaptivePoolingNDTest {
    private static final long SEED = 43;
    private final Random r = new Random(SEED);

    private static float[] run(Layer l, Tensor x) {
        l.build(x.shape().tail());
        return l.call(Variable.constant(x), null, CallContext.inference()).value().toArray();
    }

    private static int[] ints(String s) {
        String[] p = s.trim().split(" ");
        int[] v = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            v[i] = Integer.parseInt(p[i]);
        }
        return v;
    }

    private static AdaptiveGridPooling<?> layer(int rank, boolean max, int[] out) {
        return rank == 2 ? (max ? new AdaptiveMaxPooling2D(out) : new AdaptiveAveragePooling2D(out))
                : (max ? new AdaptiveMaxPooling3D(out) : new AdaptiveAveragePooling3D(out));
    }

    @ParameterizedTest(name = "in {0} out {1} max={2}")
    @CsvSource({"5 7, 3 2, false", "5 7, 3 3, true", "5 7, 4 9, false", "5 7, 2 9, true", "4 4, 4 4, false",
        "6 1, 4 3, true", "3 4 5, 2 3 2, false", "3 4 5, 3 2 4, true", "2 3 2, 5 1 3, false"})
    void matchesFloat64PoolingOverTheProductOfEachAxissWindows(String inS, String outS, boolean max) {
        int[] in = ints(inS);
        int[] out = ints(outS);
        int rank = in.length;
        int batch = 2;
        int channels = 3;
        int[] dims = new int[rank + 2];
        dims[0] = batch;
        System.arraycopy(in, 0, dims, 1, rank);
        dims[rank + 1] = channels;
        Tensor x = uniform(r, -2, 2, dims);
        float[] xv = x.toArray();
        float[] y = run(layer(rank, max, out), x);
        int ins = 1;
        int outs = 1;
        for (int a = 0; a < rank; a++) {
            ins *= in[a];
            outs *= out[a];
        }
        assertThat(y).hasSize(batch * outs * channels);
        int[] o = new int[rank];
        int[] p = new int[rank];
        for (int b = 0; b < batch; b++) {
            for (int q = 0; q < outs; q++) {
                for (int a = rank - 1, rest = q; a >= 0; a--) {
                    o[a] = rest % out[a];
                    rest /= out[a];
                }
                for (int c = 0; c < channels; c++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int count = 0;
                    for (int s = 0; s < ins; s++) {
                        boolean inside = true;
                        for (int a = rank - 1, rest = s; a >= 0; a--) {
                            p[a] = rest % in[a];
                            rest /= in[a];
                            int start = (int) Math.floor((double) o[a] * in[a] / out[a]);
                            int end = (int) Math.ceil((double) (o[a] + 1) * in[a] / out[a]);
                            inside &= p[a] >= start && p[a] < end;
                        }
                        if (inside) {
                            double v = xv[(b * ins + s) * channels + c];
                            acc = max ? Math.max(acc, v) : acc + v;
                            count++;
                        }
                    }
                    double want = max ? acc : acc / count;
                    assertThat((double) y[(b * outs + q) * channels + c])
                            .as("sample %d output %d channel %d (bar 1e-6, seed %d)", b, q, c, SEED)
                            .isCloseTo(want, within(1e-6));
                }
            }
        }
    }

    @ParameterizedTest(name = "L={0} O={1} max={2}")
    @CsvSource({"10, 4, false", "10, 4, true", "5, 8, true", "5, 7, false", "9, 1, true"})
    void twoDOnAnLBy1GridIsTheOneDLayer(int steps, int out, boolean max) {
        Tensor x = uniform(r, -2, 2, 2, steps, 3);
        float[] one = run(max ? new AdaptiveMaxPooling1D(out) : new AdaptiveAveragePooling1D(out), x);
        float[] two = run(layer(2, max, new int[] {out, 1}), x.reshape(2, steps, 1, 3));
        assertThat(two).hasSize(one.length);
        for (int i = 0; i < one.length; i++) {
            assertThat((double) two[i]).as("output %d (bar 1e-6)", i).isCloseTo(one[i], within(1e-6));
        }
    }

    @Test
    void channelsFirstIsChannelsLastOnTheMovedAxes() {
        Tensor x = uniform(r, -2, 2, 2, 5, 7, 3);
        float[] last = run(new AdaptiveAveragePooling2D(3, 4), x);
        float[] xv = x.toArray();
        float[] moved = new float[xv.length];
        for (int b = 0; b < 2; b++) {
            for (int h = 0; h < 5; h++) {
                for (int w = 0; w < 7; w++) {
                    for (int c = 0; c < 3; c++) {
                        moved[((b * 3 + c) * 5 + h) * 7 + w] = xv[((b * 5 + h) * 7 + w) * 3 + c];
                    }
                }
            }
        }
        AdaptiveAveragePooling2D first = new AdaptiveAveragePooling2D(3, 4).dataFormat("channels_first");
        float[] got = run(first, x.device().tensor(moved, 2, 3, 5, 7));
        assertThat(first.outputShape()).isEqualTo(Shape.of(3, 3, 4));
        for (int b = 0; b < 2; b++) {
            for (int c = 0; c < 3; c++) {
                for (int h = 0; h < 3; h++) {
                    for (int w = 0; w < 4; w++) {
                        assertThat(got[((b * 3 + c) * 3 + h) * 4 + w]).isEqualTo(last[((b * 3 + h) * 4 + w) * 3 + c]);
                    }
                }
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        for (boolean max : new boolean[] {false, true}) {
            Layer two = layer(2, max, new int[] {3, 4});
            two.build(Shape.of(5, 3, 2));
            Variable in = Variable.parameter(uniform(r, -1, 1, 2, 5, 3, 2));
            System.out.println("AdaptivePoolingNDTest seed " + SEED + ": " + two.className());
            GradCheck.checkLayer(two.className(), two, in, () -> two.call(in, null, CallContext.inference()));
            Layer three = layer(3, max, new int[] {2, 3, 1}).dataFormat("channels_first");
            three.build(Shape.of(2, 3, 2, 3));
            Variable in3 = Variable.parameter(uniform(r, -1, 1, 2, 2, 3, 2, 3));
            GradCheck.checkLayer(three.className(), three, in3, () -> three.call(in3, null, CallContext.inference()));
        }
    }

    @Test
    void noneSpatialAxesPoolAnySize() {
        AdaptiveMaxPooling2D p = new AdaptiveMaxPooling2D(2, 3);
        Sequential m = Sequential.of(Input.shape(Input.NONE, Input.NONE, 2), p);
        assertThat(p.outputShape()).isEqualTo(Shape.of(2, 3, 2));
        for (int[] hw : new int[][] {{4, 6}, {1, 2}, {7, 3}}) {
            assertThat(m.predict(uniform(r, -1, 1, 1, hw[0], hw[1], 2)).shape()).isEqualTo(Shape.of(1, 2, 3, 2));
        }
    }

    @Test
    void anIncomingMaskIsDroppedAndBadSizesAreRefused() {
        AdaptiveAveragePooling2D p = new AdaptiveAveragePooling2D(2);
        p.build(Shape.of(3, 3, 1));
        Variable x = Variable.constant(uniform(r, -1, 1, 2, 3, 3, 1));
        Tensor mask = x.device().tensor(new float[] {1, 0, 1, 1, 1, 0}, 2, 3);
        assertThat(p.call(x, mask, CallContext.inference()).value().toArray())
                .isEqualTo(p.call(x, null, CallContext.inference()).value().toArray());
        assertThat(p.computeMask(x, mask)).isNull();
        assertThatThrownBy(() -> new AdaptiveMaxPooling2D(0))
                .hasMessageContaining("(AdaptiveMaxPooling2D): output_size must be >= 1, got 0");
        assertThatThrownBy(() -> new AdaptiveAveragePooling3D(2, 2))
                .hasMessageContaining("(AdaptiveAveragePooling3D): output_size must hold 1 or 3 integers, got [2, 2]");
        assertThatThrownBy(() -> new AdaptiveMaxPooling3D(2).named("r").build(Shape.of(4, 4, 2)))
                .hasMessage("Layer 'r' (AdaptiveMaxPooling3D): expected an input (batch, depth, rows, cols, channels), "
                        + "got (None, 4, 4, 2)");
        AdaptiveMaxPooling2D e = new AdaptiveMaxPooling2D(2).named("e");
        e.build(Shape.withUnknown(Shape.UNKNOWN, 3, 1));
        assertThatThrownBy(() -> e.call(Variable.constant(uniform(r, -1, 1, 1, 0, 3, 1)), null,
                CallContext.inference())).hasMessageStartingWith("Layer 'e' (AdaptiveMaxPooling2D): cannot pool an "
                        + "empty spatial axis 1");
    }
}
