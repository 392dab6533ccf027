package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * DepthwiseConv2D and SeparableConv2D at stride 1 and depth_multiplier 1, the cases computed by
 * shifted views of the padded input ({@code Ops.depthwiseConv2d}) rather than a window gather:
 * forward against {@link Conv2DVariantsTest#depthwiseReference} (float64 loops, bar 1e-5 + 1e-5·|y|)
 * and every gradient (input, kernels, bias) against finite differences, over shapes that reach the
 * asymmetric "same" split (even kernels), dilation, a 1x1 kernel, a kernel as large as the input,
 * awkward channel counts and batches above 1 (where a shifted view crosses from one image into the
 * next, which must not leak).
 */
class ShiftedDepthwise2DTest {
    private static final long SEED = 53;

    /** Columns: in (rows cols), kernel, dilation, padding, channels, batch, filters (0: DepthwiseConv2D). */
    @ParameterizedTest(name = "in {0}, kernel {1}, dilation {2}, {3}, channels {4}, batch {5}, filters {6}")
    @CsvSource({
            "5 6, 3 3, 1 1, same, 3, 2, 0",
            "5 6, 2 3, 1 1, same, 5, 3, 0",
            "6 5, 2 2, 2 1, same, 1, 2, 0",
            "4 7, 3 2, 1 3, valid, 17, 2, 0",
            "3 3, 3 3, 1 1, valid, 2, 3, 0",
            "4 3, 1 1, 1 1, same, 3, 2, 0",
            "1 4, 1 3, 1 1, same, 2, 2, 0",
            "5 4, 3 2, 1 1, same, 3, 2, 4",
            "6 6, 2 2, 2 2, valid, 2, 2, 3"})
    void matchesTheReferenceAndFiniteDifferences(String inS, String kS, String dS, String padding, int c, int n,
            int filters) {
        Random r = new Random(SEED);
        int[] in = ints(inS);
        int[] k = ints(kS);
        int[] d = ints(dS);
        DepthwiseConv2DBase<?> layer = filters == 0 ? new DepthwiseConv2D(k) : new SeparableConv2D(filters, k);
        layer.dilationRate(d).padding(padding);
        layer.build(Shape.of(in[0], in[1], c));
        for (Weight w : layer.weights()) {
            w.set(uniform(r, -0.5f, 0.5f, w.shape().dims()));
        }
        Tensor x = uniform(r, -1, 1, n, in[0], in[1], c);
        float[] got = layer.call(Variable.constant(x), null, CallContext.inference()).value().toArray();
        var w = layer.weights();
        double[] want = Conv2DVariantsTest.depthwiseReference(x.toArray(), n, in, c, w.get(0).value().toArray(), k,
                1, filters == 0 ? null : w.get(1).value().toArray(), filters, w.get(w.size() - 1).value().toArray(),
                new int[] {1, 1}, d, padding.equals("same"));
        String what = layer.className() + " in " + inS + ", kernel " + kS + ", dilation " + dS + ", " + padding;
        assertThat(got).as("%s: size", what).hasSize(want.length);
        for (int i = 0; i < got.length; i++) {
            assertThat(Math.abs(got[i] - want[i]))
                    .as("%s element %d: rnn4j %s, float64 reference %s (bar 1e-5 + 1e-5·|y|, seed %d)", what, i,
                            got[i], want[i], SEED)
                    .isLessThanOrEqualTo(1e-5 + 1e-5 * Math.abs(want[i]));
        }
        Variable p = Variable.parameter(x);
        System.out.println("ShiftedDepthwise2DTest seed " + SEED + ": " + what);
        GradCheck.checkLayer(what, layer, p, () -> layer.call(p, null, CallContext.inference()));
    }

    private static int[] ints(String s) {
        return Arrays.stream(s.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
    }
}
