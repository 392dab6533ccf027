package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static io.rnn4j.layers.MergeLayersTest.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * EinsumDense against a float64 einsum written here as a loop over every assignment of the
 * equation's letters (the ellipsis spelled out by hand), to 1e-5: Keras's three equation forms,
 * kernel axes in any order, a batch-like letter, a summed input letter, several contracted
 * letters, bias_axes (Keras's bias shapes, 1s included), an activation; kernel and bias shapes
 * as Keras 3.15.1 makes them; input and weight gradients against float64 central differences
 * ({@link GradCheck}); None timesteps; the dropped mask; Keras's fans for glorot_uniform;
 * refusals naming the layer. Seed 61.
 */
class EinsumDenseTest {
    private static final double TOL = 1e-5;
    private static final int N = Shape.UNKNOWN;
    private final Random r = new Random(61);

    /** A case: the layer's equation, the same fully named (the reference's), its sample shape and Keras's shapes. */
    private record Case(String equation, String named, int[] outputShape, String biasAxes, int[] sample,
            int[] kernel, int[] bias, int[] out) {
    }

    // Kernel, bias and output shapes as Keras 3.15.1 builds them (see make_einsum.py for the files).
    private static final List<Case> CASES = List.of(
            new Case("ab,bc->ac", "ab,bc->ac", new int[] {3}, "c", new int[] {4}, new int[] {4, 3}, new int[] {3},
                    new int[] {3}),
            new Case("abc,cd->abd", "abc,cd->abd", new int[] {N, 3}, "d", new int[] {5, 4}, new int[] {4, 3},
                    new int[] {3}, new int[] {N, 3}),
            new Case("abc,cde->abde", "abc,cde->abde", new int[] {N, 2, 3}, "de", new int[] {5, 4},
                    new int[] {4, 2, 3}, new int[] {2, 3}, new int[] {N, 2, 3}),
            new Case("...b,bc->...c", "xyzb,bc->xyzc", new int[] {5}, null, new int[] {3, 4, 2}, new int[] {2, 5},
                    null, new int[] {3, 4, 5}),
            new Case("...ab,bc->...ac", "xyab,bc->xyac", new int[] {4, 5}, "c", new int[] {3, 4, 2},
                    new int[] {2, 5}, new int[] {5}, new int[] {3, 4, 5}),
            new Case("abc...,cd->abd...", "abcxy,cd->abdxy", new int[] {3, 5}, "d", new int[] {3, 4, 2, 2},
                    new int[] {4, 5}, new int[] {5, 1, 1}, new int[] {3, 5, 2, 2}),
            new Case("abc,dc->abd", "abc,dc->abd", new int[] {5, 3}, "bd", new int[] {5, 4}, new int[] {3, 4},
                    new int[] {5, 3}, new int[] {5, 3}),
            new Case("abc,bcd->abd", "abc,bcd->abd", new int[] {5, 3}, null, new int[] {5, 4}, new int[] {5, 4, 3},
                    null, new int[] {5, 3}),
            new Case("abc,cd->ad", "abc,cd->ad", new int[] {3}, "d", new int[] {5, 4}, new int[] {4, 3},
                    new int[] {3}, new int[] {3}),
            new Case("bquh,uhm->bqm", "bquh,uhm->bqm", new int[] {N, 4}, "m", new int[] {5, 2, 3},
                    new int[] {2, 3, 4}, new int[] {4}, new int[] {N, 4}),
            new Case("abc,cd->adb", "abc,cd->adb", new int[] {3, 5}, "b", new int[] {5, 4}, new int[] {4, 3},
                    new int[] {5}, new int[] {3, 5}));

    /** einsum(named, x, w) in float64: every assignment of the letters, products summed into the output. */
    static double[] einsum(String named, Tensor x, Tensor w) {
        String[] io = named.split("->");
        String[] ops = io[0].split(",");
        String xs = ops[0];
        String ws = ops[1];
        String os = io[1];
        Map<Character, Integer> dim = new HashMap<>();
        for (int a = 0; a < xs.length(); a++) {
            dim.put(xs.charAt(a), x.dim(a));
        }
        for (int a = 0; a < ws.length(); a++) {
            dim.put(ws.charAt(a), w.dim(a));
        }
        Set<Character> letters = new LinkedHashSet<>(dim.keySet());
        char[] ls = new char[letters.size()];
        int i = 0;
        for (char c : letters) {
            ls[i++] = c;
        }
        int outSize = 1;
        for (char c : os.toCharArray()) {
            outSize *= dim.get(c);
        }
        double[] out = new double[outSize];
        float[] xv = x.toArray();
        float[] wv = w.toArray();
        int[] at = new int[ls.length];
        Map<Character, Integer> pos = new HashMap<>();
        while (true) {
            for (int k = 0; k < ls.length; k++) {
                pos.put(ls[k], at[k]);
            }
            out[flat(os, pos, dim)] += (double) xv[flat(xs, pos, dim)] * wv[flat(ws, pos, dim)];
            int k = ls.length - 1;
            while (k >= 0 && ++at[k] == dim.get(ls[k])) {
                at[k--] = 0;
            }
            if (k < 0) {
                return out;
            }
        }
    }

    private static int flat(String spec, Map<Character, Integer> pos, Map<Character, Integer> dim) {
        int f = 0;
        for (char c : spec.toCharArray()) {
            f = f * dim.get(c) + pos.get(c);
        }
        return f;
    }

    private EinsumDense built(Case c, int... sample) {
        EinsumDense d = new EinsumDense(c.equation, c.outputShape).biasAxes(c.biasAxes)
                .biasInitializer(io.rnn4j.layers.initializers.Initializers.randomUniform(-1, 1));
        d.build(Shape.withUnknown(sample), Devices.defaultDevice(), Seeds.of(7));
        return d;
    }

    @Test
    void everyKerasFormMatchesAFloat64EinsumWithKerasShapes() {
        System.out.println("EinsumDenseTest seed 61");
        for (Case c : CASES) {
            EinsumDense d = built(c, c.sample);
            assertThat(d.weights().get(0).shape()).as("%s kernel", c.equation).isEqualTo(Shape.of(c.kernel));
            assertThat(d.weights().get(0).name()).isEqualTo("kernel");
            if (c.bias != null) {
                assertThat(d.weights().get(1).shape()).as("%s bias", c.equation).isEqualTo(Shape.of(c.bias));
                assertThat(d.weights().get(1).name()).isEqualTo("bias");
            } else {
                assertThat(d.weights()).hasSize(1);
            }
            assertThat(d.outputShape()).as("%s output", c.equation).isEqualTo(Shape.withUnknown(c.out));
            int[] dims = new int[c.sample.length + 1];
            dims[0] = 2;
            System.arraycopy(c.sample, 0, dims, 1, c.sample.length);
            Tensor x = uniform(r, -1, 1, dims);
            Variable y = d.call(Variable.constant(x), null, CallContext.inference());
            double[] expected = einsum(c.named, x, d.weights().get(0).value());
            if (c.bias != null) {
                broadcastAdd(expected, y.shape(), d.weights().get(1).value());
            }
            close(c.equation, y.value().toArray(), expected, TOL);
        }
    }

    /** y (of shape out) += bias, NumPy-broadcast against out's trailing axes. */
    static void broadcastAdd(double[] y, Shape out, Tensor bias) {
        float[] b = bias.toArray();
        int rank = out.rank();
        int pad = rank - bias.rank();
        int[] idx = new int[rank];
        for (int e = 0; e < y.length; e++) {
            int rest = e;
            for (int a = rank - 1; a >= 0; a--) {
                idx[a] = rest % out.dim(a);
                rest /= out.dim(a);
            }
            int f = 0;
            for (int a = 0; a < bias.rank(); a++) {
                int bd = bias.dim(a);
                f = f * bd + (bd == 1 ? 0 : idx[a + pad]);
            }
            y[e] += b[f];
        }
    }

    @Test
    void inputAndWeightGradientsMatchFiniteDifferences() {
        for (Case c : CASES) {
            EinsumDense d = built(c, c.sample);
            int[] dims = new int[c.sample.length + 1];
            dims[0] = 2;
            System.arraycopy(c.sample, 0, dims, 1, c.sample.length);
            Variable x = Variable.parameter(uniform(r, -1, 1, dims));
            GradCheck.checkLayer(c.equation, d, x, () -> d.call(x, null, CallContext.inference()));
        }
    }

    @Test
    void activationIsAppliedAfterTheBias() {
        Case c = CASES.get(2);
        EinsumDense d = new EinsumDense(c.equation, c.outputShape).biasAxes("de").activation("tanh")
                .biasInitializer(io.rnn4j.layers.initializers.Initializers.randomUniform(-1, 1));
        d.build(Shape.of(c.sample), Devices.defaultDevice(), Seeds.of(3));
        Tensor x = uniform(r, -1, 1, 3, 5, 4);
        double[] expected = einsum(c.named, x, d.weights().get(0).value());
        Variable y = d.call(Variable.constant(x), null, CallContext.inference());
        broadcastAdd(expected, y.shape(), d.weights().get(1).value());
        for (int i = 0; i < expected.length; i++) {
            expected[i] = Math.tanh(expected[i]);
        }
        close("tanh", y.value().toArray(), expected, TOL);
        assertThat(d.countParams()).isEqualTo(4 * 2 * 3 + 2 * 3);
    }

    @Test
    void noneTimestepsTakeAnyLengthAndTheKernelAxesAreBound() {
        EinsumDense d = new EinsumDense("abc,cd->abd", N, 3).biasAxes("d");
        d.build(Shape.withUnknown(N, 4), Devices.defaultDevice(), Seeds.of(5));
        assertThat(d.outputShape()).isEqualTo(Shape.withUnknown(N, 3));
        for (int t : new int[] {1, 6}) {
            Tensor x = uniform(r, -1, 1, 2, t, 4);
            Variable y = d.call(Variable.constant(x), null, CallContext.inference());
            assertThat(y.shape()).isEqualTo(Shape.of(2, t, 3));
            double[] expected = einsum("abc,cd->abd", x, d.weights().get(0).value());
            broadcastAdd(expected, y.shape(), d.weights().get(1).value());
            close("T=" + t, y.value().toArray(), expected, TOL);
        }
        assertThatThrownBy(() -> d.call(Variable.constant(uniform(r, -1, 1, 2, 3, 5)), null, CallContext.inference()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("einsum_dense")
                .hasMessageContaining("(None, None, 4)");
    }

    @Test
    void anIncomingMaskIsDroppedAsKerasDoes() {
        EinsumDense d = built(CASES.get(1), 5, 4);
        Tensor mask = Tensor.of(new float[] {1, 1, 0, 0, 0, 1, 1, 1, 1, 0}, 2, 5);
        Variable x = Variable.constant(uniform(r, -1, 1, 2, 5, 4));
        assertThat(d.computeMask(x, mask)).isNull();
        assertThat(d.call(x, mask, CallContext.inference()).shape()).isEqualTo(Shape.of(2, 5, 3));
    }

    @Test
    void glorotUniformUsesKerasFansFromTheKernelsInputAndOutputAxes() {
        // Kernel (20, 4, 5): Keras's fans are 20 in and 4*5 out, so the limit is sqrt(6/40) = 0.387;
        // conv-style fans (80, 100) would give 0.183.
        EinsumDense d = new EinsumDense("abc,cde->abde", N, 4, 5);
        d.build(Shape.withUnknown(N, 20), Devices.defaultDevice(), Seeds.of(11));
        float[] w = d.weights().get(0).value().toArray();
        double max = 0;
        for (float v : w) {
            max = Math.max(max, Math.abs(v));
        }
        assertThat(max).isLessThanOrEqualTo(Math.sqrt(6.0 / 40)).isGreaterThan(0.3);
    }

    @Test
    void badEquationsAndShapesAreRefusedNamingTheLayer() {
        assertThatThrownBy(() -> new EinsumDense("ab,bc", 3)).hasMessageContaining("EinsumDense")
                .hasMessageContaining("invalid einsum equation 'ab,bc'");
        assertThatThrownBy(() -> new EinsumDense("a...b,bc->ac", 3)).hasMessageContaining("invalid einsum equation");
        assertThatThrownBy(() -> new EinsumDense("ab,bc->ad", 3)).hasMessageContaining("dimension 'd' was specified");
        assertThatThrownBy(() -> new EinsumDense("ab,bx->a", 3)).hasMessageContaining("weight dimension 'x'");
        assertThatThrownBy(() -> new EinsumDense("aab,bc->ac", 3)).hasMessageContaining("repeats a letter");
        assertThatThrownBy(() -> new EinsumDense("ab,bc->ac", 3).biasAxes("b"))
                .hasMessageContaining("bias dimension 'b'");
        assertThatThrownBy(() -> new EinsumDense("ab,bc->ac", 3, 4).build(Shape.of(4)))
                .hasMessageContaining("output_shape (3, 4) must give 1 size");
        assertThatThrownBy(() -> new EinsumDense("ab,bc->ac", 3).build(Shape.of(4, 2)))
                .hasMessageContaining("names 2 axes").hasMessageContaining("(None, 4, 2)");
        assertThatThrownBy(() -> new EinsumDense("abc,cd->abd", 4, 3).build(Shape.of(5, 2)))
                .hasMessageContaining("do not match at shared dimension 'b'");
        assertThatThrownBy(() -> new EinsumDense("abc,cd->abd", 5, N).build(Shape.of(5, 2)))
                .hasMessageContaining("kernel's axis 'd'");
        assertThatThrownBy(() -> new EinsumDense("abc,cd->abd", 5, 3).build(Shape.withUnknown(5, N)))
                .hasMessageContaining("kernel's axis 'c'");
    }
}
