package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Dot as Keras 3's {@code layers/merging/dot.py} and its {@code batch_dot}: every axes combination
 * of rank 2 and 3 inputs (int and pair forms, negative axes) and the first/last axes of rank 4
 * inputs, against a float64 plain-loop contraction (to 1e-5); normalize as Keras's
 * {@code ops.normalize} (a zero vector included); gradients against float64 finite differences;
 * output shapes as Keras's compute_output_shape (rank 2 giving (batch, 1), None); masks dropped;
 * bad axes, counts and shapes refused by name. Seed 11.
 */
class DotTest {
    private static final long SEED = 11;
    private final Random r = new Random(SEED);

    /** The flat index in a row-major sample of {@code dims} of the {@code other}-th position off {@code axis}, at k on it. */
    private static int index(int[] dims, int axis, int other, int k) {
        int flat = 0;
        int stride = 1;
        for (int a = dims.length - 1; a >= 0; a--) {
            int i;
            if (a == axis) {
                i = k;
            } else {
                i = other % dims[a];
                other /= dims[a];
            }
            flat += i * stride;
            stride *= dims[a];
        }
        return flat;
    }

    /**
     * Keras's batch_dot by plain loops in float64: out[b, i, j] = Σ_k x[b, ...i with k at a...] ·
     * y[b, ...j with k at c...], i over x's other sample positions and j over y's, both row-major;
     * with {@code normalize} each vector along its dot axis is first divided by
     * {@code sqrt(max(Σ v², 1e-14))}.
     */
    static double[] reference(Tensor x, Tensor y, int a, int c, boolean normalize) {
        int[] xs = x.shape().tail().dims();
        int[] ys = y.shape().tail().dims();
        int batch = x.dim(0);
        int k = xs[a - 1];
        int m = Math.toIntExact(x.shape().tail().size() / k);
        int n = Math.toIntExact(y.shape().tail().size() / k);
        float[] xv = x.toArray();
        float[] yv = y.toArray();
        int xSample = m * k;
        int ySample = n * k;
        double[] out = new double[batch * m * n];
        for (int b = 0; b < batch; b++) {
            double[] xNorm = norms(xv, b * xSample, xs, a - 1, m, k, normalize);
            double[] yNorm = norms(yv, b * ySample, ys, c - 1, n, k, normalize);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int t = 0; t < k; t++) {
                        s += xv[b * xSample + index(xs, a - 1, i, t)] / xNorm[i]
                                * yv[b * ySample + index(ys, c - 1, j, t)] / yNorm[j];
                    }
                    out[(b * m + i) * n + j] = s;
                }
            }
        }
        return out;
    }

    private static double[] norms(float[] v, int offset, int[] dims, int axis, int count, int k, boolean normalize) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            double s = 0;
            for (int t = 0; t < k; t++) {
                double e = v[offset + index(dims, axis, i, t)];
                s += e * e;
            }
            out[i] = normalize ? Math.sqrt(Math.max(s, 1e-14)) : 1;
        }
        return out;
    }

    private static Dot dot(int[] axes) {
        return axes.length == 1 ? new Dot(axes[0]) : new Dot(axes[0], axes[1]);
    }

    private static Tensor run(Layer layer, Tensor x, Tensor y) {
        return layer.callAll(List.of(Variable.constant(x), Variable.constant(y)), null, CallContext.inference()).get(0)
                .value();
    }

    /** Builds Dot(axes) for x and y, checks the output shape against Keras's formula and the values against plain loops. */
    private void check(int[] axes, boolean normalize, Tensor x, Tensor y, int a, int c, int... expectedSample) {
        Dot d = dot(axes).normalize(normalize);
        MergeLayersTest.built(d, x, y);
        String what = "Dot(axes=" + Arrays.toString(axes) + (normalize ? ", normalize" : "") + ") of " + x.shape()
                + " and " + y.shape();
        assertThat(d.outputShape()).as("%s: output shape", what).isEqualTo(Shape.of(expectedSample));
        Tensor out = run(d, x, y);
        int[] full = new int[expectedSample.length + 1];
        full[0] = x.dim(0);
        System.arraycopy(expectedSample, 0, full, 1, expectedSample.length);
        assertThat(out.shape()).as("%s: batch shape", what).isEqualTo(Shape.of(full));
        MergeLayersTest.close(what + " against float64 loops", out.toArray(), reference(x, y, a, c, normalize), 1e-5);
    }

    @Test
    void everyAxesOfRank2And3InputsMatchesPlainLoops() {
        for (boolean normalize : new boolean[] {false, true}) {
            Tensor v = uniform(r, -1, 1, 3, 4);
            Tensor w = uniform(r, -1, 1, 3, 4);
            check(new int[] {1}, normalize, v, w, 1, 1, 1);
            check(new int[] {-1}, normalize, v, w, 1, 1, 1);
            Tensor s = uniform(r, -1, 1, 3, 5, 4); // (batch, steps, features)
            Tensor t = uniform(r, -1, 1, 3, 6, 4);
            Tensor u = uniform(r, -1, 1, 3, 5, 2);
            check(new int[] {2}, normalize, s, t, 2, 2, 5, 6); // Luong's scores
            check(new int[] {-1}, normalize, s, t, 2, 2, 5, 6);
            check(new int[] {2, -1}, normalize, s, t, 2, 2, 5, 6);
            check(new int[] {1}, normalize, s, u, 1, 1, 4, 2);
            check(new int[] {1, -2}, normalize, s, u, 1, 1, 4, 2);
            Tensor scores = uniform(r, 0, 1, 3, 6, 5);
            check(new int[] {2, 1}, normalize, scores, s, 2, 1, 6, 4); // Luong's context
            Tensor q = uniform(r, -1, 1, 3, 4, 5);
            check(new int[] {1, 2}, normalize, s, q, 1, 2, 4, 4);
            check(new int[] {-2, -1}, normalize, s, q, 1, 2, 4, 4);
            // Rank 2 with rank 3 either way round.
            check(new int[] {1, 2}, normalize, v, s, 1, 2, 5);
            check(new int[] {-1, -1}, normalize, v, s, 1, 2, 5);
            check(new int[] {1, 1}, normalize, uniform(r, -1, 1, 3, 5), s, 1, 1, 4);
            check(new int[] {2, 1}, normalize, s, v, 2, 1, 5);
            check(new int[] {1, 1}, normalize, s, uniform(r, -1, 1, 3, 5), 1, 1, 4);
        }
    }

    @Test
    void firstAndLastAxesOfRank4InputsMatchPlainLoops() {
        Tensor x = uniform(r, -1, 1, 2, 3, 4, 5);
        Tensor y = uniform(r, -1, 1, 2, 5, 2, 3);
        check(new int[] {3, 1}, false, x, y, 3, 1, 3, 4, 2, 3);
        check(new int[] {1, -1}, true, x, y, 1, 3, 4, 5, 5, 2);
        check(new int[] {-1, 1}, false, x, uniform(r, -1, 1, 2, 5), 3, 1, 3, 4);
        check(new int[] {1, 2}, false, x, uniform(r, -1, 1, 2, 6, 3), 1, 2, 4, 5, 6);
    }

    @Test
    void normalizeClampsSmallNormsAtEpsilonAsKeras() {
        Tensor x = Tensor.of(new float[] {0, 0, 0, 3, 4, 0}, 2, 3);
        Tensor y = Tensor.of(new float[] {1, 2, 2, 6, 8, 0}, 2, 3);
        Dot d = (Dot) MergeLayersTest.built(new Dot(-1).normalize(true), x, y);
        float[] out = run(d, x, y).toArray();
        assertThat((double) out[0]).as("a zero vector: 0 · rsqrt(max(0, 1e-14)) = 0, not NaN").isEqualTo(0.0);
        assertThat((double) out[1]).as("cosine of parallel vectors").isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-6));
        Tensor a = Tensor.of(new float[] {0, 0, 2e-9f}, 1, 3);
        Tensor b = Tensor.of(new float[] {0, 0, 1e-9f}, 1, 3);
        assertThat((double) run(d, a, b).toArray()[0]).as("norms below epsilon 1e-7 count as 1e-7: "
                + "(2e-9 / 1e-7) · (1e-9 / 1e-7), not the cosine 1").isCloseTo(2e-4,
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Object[][] cases = {
            {new int[] {2, 2}, new int[] {2, 3, 4}, new int[] {2, 5, 4}},
            {new int[] {2, 1}, new int[] {2, 3, 5}, new int[] {2, 5, 4}},
            {new int[] {1, 2}, new int[] {2, 3, 4}, new int[] {2, 2, 3}},
            {new int[] {1}, new int[] {2, 3, 4}, new int[] {2, 3, 2}},
            {new int[] {1}, new int[] {3, 4}, new int[] {3, 4}},
            {new int[] {1, 2}, new int[] {2, 4}, new int[] {2, 3, 4}},
            {new int[] {3, 1}, new int[] {2, 2, 3, 4}, new int[] {2, 4, 3}},
        };
        for (boolean normalize : new boolean[] {false, true}) {
            for (Object[] c : cases) {
                Tensor x = uniform(r, -1, 1, (int[]) c[1]);
                Tensor y = uniform(r, -1, 1, (int[]) c[2]);
                Dot d = (Dot) MergeLayersTest.built(dot((int[]) c[0]).normalize(normalize), x, y);
                MergeLayersTest.gradients("Dot(" + Arrays.toString((int[]) c[0]) + (normalize ? ", normalize" : "")
                        + ") of " + x.shape() + " and " + y.shape(), d, null, x, y);
            }
        }
    }

    @Test
    void outputShapesAreKerasComputeOutputShapeNoneIncluded() {
        int none = Input.NONE;
        Dot scores = new Dot(2, 2);
        scores.build(List.of(Shape.withUnknown(none, 8), Shape.withUnknown(none, 8)), Devices.defaultDevice(),
                Seeds.of(1));
        assertThat(scores.outputShape()).isEqualTo(Shape.withUnknown(none, none));
        assertThat(scores.computeOutputShapes(List.of(Shape.of(3, 8), Shape.withUnknown(none, 8))))
                .containsExactly(Shape.withUnknown(3, none));
        Dot context = new Dot(2, 1);
        context.build(List.of(Shape.withUnknown(4, none), Shape.withUnknown(none, 8)), Devices.defaultDevice(),
                Seeds.of(1));
        assertThat(context.outputShape()).isEqualTo(Shape.of(4, 8));
        Dot vectors = new Dot(-1);
        vectors.build(List.of(Shape.of(5), Shape.of(5)), Devices.defaultDevice(), Seeds.of(1));
        assertThat(vectors.outputShape()).as("rank 2 inputs give (batch, 1)").isEqualTo(Shape.of(1));
        assertThat(vectors.computeOutputShapes(List.of(Shape.of(5), Shape.of(3, 5))))
                .as("a later call of other ranks").containsExactly(Shape.of(3));
        assertThat(vectors.countParams()).isZero();
        // Batch sizes may change between calls; the sizes of the dot axes are checked on each.
        Tensor out = run(vectors, uniform(r, -1, 1, 7, 5), uniform(r, -1, 1, 7, 5));
        assertThat(out.shape()).isEqualTo(Shape.of(7, 1));
    }

    @Test
    void masksAreDroppedAsKeras3DotDoes() {
        Tensor x = uniform(r, -1, 1, 2, 3, 4);
        Tensor y = uniform(r, -1, 1, 2, 5, 4);
        Dot d = (Dot) MergeLayersTest.built(new Dot(2), x, y);
        Tensor mx = Tensor.of(new float[] {1, 1, 0, 1, 0, 0}, 2, 3);
        Tensor my = Tensor.of(new float[] {1, 1, 1, 0, 0, 1, 1, 1, 1, 1}, 2, 5);
        List<Variable> in = List.of(Variable.constant(x), Variable.constant(y));
        Outputs out = d.callWithMasks(in, List.of(mx, my), CallContext.inference());
        assertThat(out.masks()).as("Dot.compute_mask returns None").containsExactly((Tensor) null);
        assertThat(out.values().get(0).value().toArray()).as("masked steps are computed like the others")
                .isEqualTo(run(d, x, y).toArray());
    }

    @Test
    void badAxesCountsAndShapesAreRefused() {
        assertThatThrownBy(() -> new Dot(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("Layer 'dot(_\\d+)?' \\(Dot\\): axes 0 include the batch axis 0; the dot product "
                        + "is taken within each sample \\(axes >= 1, or negative from the end\\)");
        assertThatThrownBy(() -> new Dot(2, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("axes (2, 0) include the batch axis 0");
        Tensor s = uniform(r, -1, 1, 2, 3, 4);
        Tensor t = uniform(r, -1, 1, 2, 5, 4);
        Dot one = new Dot(2);
        assertThatThrownBy(() -> MergeLayersTest.built(one, s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer '" + one.name() + "' (Dot) takes 2 inputs, got 1");
        assertThatThrownBy(() -> MergeLayersTest.built(new Dot(2), s, t, t)).hasMessageContaining("takes 2 inputs, got 3");
        Dot far = new Dot(3);
        assertThatThrownBy(() -> MergeLayersTest.built(far, s, t)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer '" + far.name() + "' (Dot): axis 3 is out of range for the first input, of rank 3 "
                        + "(batch axis included): expected 1..2 or -2..-1");
        assertThatThrownBy(() -> MergeLayersTest.built(new Dot(-3), s, t))
                .hasMessageContaining("axis -3 is out of range for the first input, of rank 3");
        Dot sizes = new Dot(1);
        assertThatThrownBy(() -> MergeLayersTest.built(sizes, s, t)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer '" + sizes.name() + "' (Dot): incompatible input shapes: axis 1 of (None, 3, 4) "
                        + "has size 3, axis 1 of (None, 5, 4) has size 5 (axes 1)");
        Dot none = new Dot(1);
        assertThatThrownBy(() -> none.build(List.of(Shape.withUnknown(Input.NONE, 4), Shape.of(5, 4)),
                Devices.defaultDevice(), Seeds.of(1))).as("Keras's Dot.build compares with !=: None meets only None")
                .hasMessageContaining("axis 1 of (None, None, 4) has size None, axis 1 of (None, 5, 4) has size 5");
        Dot middle = new Dot(2, 1);
        assertThatThrownBy(() -> MergeLayersTest.built(middle, uniform(r, -1, 1, 2, 3, 4, 5), t))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer '" + middle.name() + "' (Dot): axes (2, 1) take axis 2 of the first input (rank 4), "
                        + "a middle axis; rnn4j computes Dot as a batched matrix product and supports only the first "
                        + "(1) or the last sample axis of each input");
        assertThatThrownBy(() -> MergeLayersTest.built(new Dot(2, 2), s, uniform(r, -1, 1, 2, 5, 4, 3)))
                .hasMessageContaining("take axis 2 of the second input (rank 4), a middle axis");
        Dot built = (Dot) MergeLayersTest.built(new Dot(2), s, t);
        assertThatThrownBy(() -> run(built, s, uniform(r, -1, 1, 3, 5, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer '" + built.name() + "' (Dot): cannot take the dot product of axis 2 of (2, 3, 4) "
                        + "and axis 2 of (3, 5, 4) (axes 2): the batch sizes and the dot axes' sizes must match");
        assertThatThrownBy(() -> run(built, s, uniform(r, -1, 1, 2, 5, 3))).hasMessageContaining("cannot take the dot");
        assertThatThrownBy(() -> run(built, uniform(r, -1, 1, 2), t)).hasMessage("Layer '" + built.name()
                + "' (Dot) takes inputs of rank >= 2 (batch and at least one axis), got ranks 1 and 3");
        assertThatThrownBy(() -> built.normalize(true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("normalize cannot change after the layer is built");
    }
}
