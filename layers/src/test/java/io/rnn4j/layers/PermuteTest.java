package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Permute as Keras 3's {@code layers/reshaping/permute.py}: every permutation of rank 2 and 3
 * samples (and some of rank 4) against a plain-loop transpose, exactly (it only moves values);
 * gradients against float64 finite differences; None axes moving with the permutation; batch
 * sizes changing between calls (cached indices); the batch split in parts where the row indices
 * would pass float32's exact range (reached here through a small bound); the mask dropped; bad
 * dims and inputs refused. Seed 5.
 */
class PermuteTest {
    private final Random r = new Random(5);

    /** Every permutation of 1..n, 1-based. */
    private static List<int[]> permutations(int n) {
        List<int[]> out = new ArrayList<>();
        permute(new int[n], new boolean[n], 0, out);
        return out;
    }

    private static void permute(int[] p, boolean[] used, int i, List<int[]> out) {
        if (i == p.length) {
            out.add(p.clone());
            return;
        }
        for (int v = 0; v < p.length; v++) {
            if (!used[v]) {
                used[v] = true;
                p[i] = v + 1;
                permute(p, used, i + 1, out);
                used[v] = false;
            }
        }
    }

    /** out[b, j...] = x[b, i...] with i[dims[k] - 1] = j[k], by plain loops over the output. */
    private static float[] reference(float[] x, int[] shape, int[] dims) {
        int rank = shape.length; // with the batch axis
        int[] inStride = new int[rank];
        inStride[rank - 1] = 1;
        for (int a = rank - 2; a >= 0; a--) {
            inStride[a] = inStride[a + 1] * shape[a + 1];
        }
        int[] outShape = new int[rank];
        outShape[0] = shape[0];
        for (int k = 0; k < dims.length; k++) {
            outShape[k + 1] = shape[dims[k]];
        }
        float[] out = new float[x.length];
        int[] j = new int[rank];
        for (int o = 0; o < out.length; o++) {
            int src = j[0] * inStride[0];
            for (int k = 0; k < dims.length; k++) {
                src += j[k + 1] * inStride[dims[k]];
            }
            out[o] = x[src];
            for (int a = rank - 1; a >= 0 && ++j[a] == outShape[a]; a--) {
                j[a] = 0;
            }
        }
        return out;
    }

    private static int[] permuted(int[] shape, int[] dims) {
        int[] out = new int[shape.length];
        out[0] = shape[0];
        for (int k = 0; k < dims.length; k++) {
            out[k + 1] = shape[dims[k]];
        }
        return out;
    }

    private void checkForward(Permute p, int... shape) {
        Tensor x = uniform(r, -1, 1, shape);
        Tensor y = p.call(Variable.constant(x), null, CallContext.inference()).value();
        String what = "Permute" + Arrays.toString(p.dims()) + " of " + Arrays.toString(shape);
        assertThat(y.shape().dims()).as("%s: shape", what).containsExactly(permuted(shape, p.dims()));
        assertThat(y.toArray()).as("%s: values against plain loops", what)
                .containsExactly(reference(x.toArray(), shape, p.dims()));
    }

    @Test
    void everyPermutationOfRank2And3MatchesPlainLoops() {
        for (int[] sample : new int[][] {{3, 5}, {4, 3, 5}, {1, 6, 2}}) {
            for (int[] dims : permutations(sample.length)) {
                Permute p = new Permute(dims);
                p.build(Shape.of(sample));
                int[] shape = new int[sample.length + 1];
                shape[0] = 3;
                System.arraycopy(sample, 0, shape, 1, sample.length);
                checkForward(p, shape);
            }
        }
        for (int[] dims : new int[][] {{2, 1, 3, 4}, {1, 3, 2, 4}, {4, 3, 2, 1}, {2, 3, 4, 1}, {1, 2, 4, 3}}) {
            Permute p = new Permute(dims);
            p.build(Shape.of(2, 3, 4, 5));
            checkForward(p, 2, 2, 3, 4, 5);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        List<int[]> all = new ArrayList<>(permutations(2));
        all.addAll(permutations(3));
        for (int[] dims : all) {
            Permute p = new Permute(dims);
            int[] sample = dims.length == 2 ? new int[] {3, 2} : new int[] {2, 3, 4};
            p.build(Shape.of(sample));
            int[] shape = new int[sample.length + 1];
            shape[0] = 2;
            System.arraycopy(sample, 0, shape, 1, sample.length);
            Variable in = Variable.parameter(uniform(r, -1, 1, shape));
            GradCheck.checkParameters("Permute" + Arrays.toString(dims),
                    () -> p.call(in, null, CallContext.inference()), List.of(in));
        }
    }

    @Test
    void batchesSplitWhereRowIndicesWouldLeaveFloat32sExactRange() {
        // The last axis stays: 6 rows of 4 per sample; at most 14 rows at once: 7 samples go as 2 + 2 + 2 + 1.
        Permute p = Permute.withRowBound(14, 2, 1, 3);
        p.build(Shape.of(2, 3, 4));
        checkForward(p, 7, 2, 3, 4);
        checkForward(p, 2, 2, 3, 4);
        Variable in = Variable.parameter(uniform(r, -1, 1, 5, 2, 3, 4));
        GradCheck.checkParameters("Permute(2, 1, 3) in parts of 2 samples",
                () -> p.call(in, null, CallContext.inference()), List.of(in));
        Permute tooBig = Permute.withRowBound(5, 2, 1);
        tooBig.build(Shape.of(2, 3));
        assertThatThrownBy(() -> tooBig.call(Variable.constant(uniform(r, -1, 1, 1, 2, 3)), null,
                CallContext.inference())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer '" + tooBig.name() + "' (Permute): a sample of (None, 2, 3) has 6 rows to move, "
                        + "more than 5 (row indices are float32)");
    }

    @Test
    void batchSizesAndNoneAxesChangeBetweenCalls() {
        Permute p = new Permute(2, 1);
        Sequential m = Sequential.of(Input.shape(Input.NONE, 4), p);
        assertThat(m.outputShape()).as("None moves with the permutation").isEqualTo(Shape.withUnknown(4, Input.NONE));
        assertThat(p.computeOutputShapes(List.of(Shape.withUnknown(Input.NONE, 4))))
                .containsExactly(Shape.withUnknown(4, Input.NONE));
        assertThat(p.computeOutputShapes(List.of(Shape.of(7, 4)))).containsExactly(Shape.of(7, 4).with(0, 4)
                .with(1, 7));
        for (int[] shape : new int[][] {{3, 5, 4}, {2, 5, 4}, {6, 5, 4}, {2, 1, 4}, {3, 9, 4}}) {
            Tensor x = uniform(r, -1, 1, shape);
            assertThat(m.predict(x).toArray()).as("batch %d of %d steps", shape[0], shape[1])
                    .containsExactly(reference(x.toArray(), shape, new int[] {2, 1}));
        }
        Permute q = new Permute(3, 1, 2);
        q.build(Shape.withUnknown(Input.NONE, 3, Input.NONE));
        assertThat(q.outputShape()).isEqualTo(Shape.withUnknown(Input.NONE, Input.NONE, 3));
    }

    @Test
    void identityAndEmptyInputsAndTheMask() {
        Permute id = new Permute(1, 2, 3);
        id.build(Shape.of(2, 3, 4));
        Variable x = Variable.constant(uniform(r, -1, 1, 2, 2, 3, 4));
        assertThat(id.call(x, null, CallContext.inference())).as("the identity permutation").isSameAs(x);
        Permute p = new Permute(2, 1);
        p.build(Shape.withUnknown(Input.NONE, 3));
        Tensor empty = p.call(Variable.constant(Tensor.zeros(2, 0, 3)), null, CallContext.inference()).value();
        assertThat(empty.shape()).as("zero steps").isEqualTo(Shape.of(2, 3, 0));
        Tensor mask = Tensor.of(new float[] {1, 0, 1, 1}, 2, 2);
        assertThat(p.computeMask(Variable.constant(uniform(r, -1, 1, 2, 2, 3)), mask))
                .as("Keras's Permute does not support masking: the mask is dropped").isNull();
        assertThat(p.countParams()).isZero();
    }

    @Test
    void badDimsAndInputsAreRefused() {
        for (int[] bad : new int[][] {{1, 1}, {0, 1}, {1, 3}, {2, 3}, {-1, 1, 2}}) {
            assertThatThrownBy(() -> new Permute(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageMatching("Layer 'permute(_\\d+)?' \\(Permute\\): dims must be a permutation of the "
                            + "sample's axes 1\\.\\." + bad.length + " \\(1-based, no batch axis\\), got \\Q"
                            + Arrays.toString(bad) + "\\E");
        }
        Permute p = new Permute(2, 1);
        assertThatThrownBy(() -> p.build(Shape.of(2, 3, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer '" + p.name() + "' (Permute): dims [2, 1] permute inputs of rank 3 (batch and 2 "
                        + "axes), got (None, 2, 3, 4)");
        p.build(Shape.of(2, 3));
        assertThatThrownBy(() -> p.call(Variable.constant(uniform(r, -1, 1, 2, 6)), null, CallContext.inference()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + p.name()
                        + "' (Permute) is incompatible with the layer: expected shape=(None, None, None)");
    }
}
