package io.rnn4j.layers.ops;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.GradCheck;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Model;
import java.util.List;
import java.util.Random;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/**
 * Keras 3's comparisons, logical operations and Where: values bit for bit against plain Java loops
 * over awkward values (ties, NaN on either side, ±0, ±∞; IEEE's answers, TensorFlow's: NaN compares
 * false but for NotEqual, and is true for the logical ops and where), NumPy broadcasting, a number on
 * either side, None timesteps, no gradient through a comparison, Where's gradient to the side taken
 * by central differences, and refusals. Seed 37.
 */
class KerasOpsWhereTest {
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;
    /** (batch 2, 2, 4): ties, NaN, ±0 and ±∞ against each other. */
    private static final float[] A = {1, 2, NAN, 0f, -0f, INF, -INF, 3, 0.5f, 0.5f, NAN, 1, -1, 7, INF, 0,
        2, 2, 0.25f, -INF, NAN, 4, 5, -0f, 1, 0, 0, 0, 9, -9, 0.5f, 1e-30f};
    private static final float[] B = {1, 3, 1, -0f, 0f, INF, 5, 2, 0.5f, 0.75f, NAN, NAN, -2, 7, -INF, 1e-45f,
        1, 2, 0.25f, -INF, 0, 4, 6, 0, 1, 0, 0.5f, -0f, 9, -8, 0.4f, 0f};

    private final Random r = new Random(37);

    private static final List<Comparison.Kind> BINARY = List.of(Comparison.Kind.GREATER,
            Comparison.Kind.GREATER_EQUAL, Comparison.Kind.LESS, Comparison.Kind.LESS_EQUAL, Comparison.Kind.EQUAL,
            Comparison.Kind.NOT_EQUAL, Comparison.Kind.LOGICAL_AND, Comparison.Kind.LOGICAL_OR);

    /** The reference: Java's own comparisons on floats (IEEE's), a bool as non-zero. */
    private static BiPredicate<Float, Float> reference(Comparison.Kind k) {
        return switch (k) {
            case GREATER -> (a, b) -> a > b;
            case GREATER_EQUAL -> (a, b) -> a >= b;
            case LESS -> (a, b) -> a < b;
            case LESS_EQUAL -> (a, b) -> a <= b;
            case EQUAL -> (a, b) -> (float) a == (float) b;
            case NOT_EQUAL -> (a, b) -> (float) a != (float) b;
            case LOGICAL_AND -> (a, b) -> a != 0 && b != 0;
            case LOGICAL_OR -> (a, b) -> a != 0 || b != 0;
            case LOGICAL_NOT -> (a, b) -> a == 0;
        };
    }

    private static float[] predict(Comparison op, int[] aDims, float[] a, int[] bDims, float[] b) {
        Input ia = Input.shape(java.util.Arrays.copyOfRange(aDims, 1, aDims.length));
        if (b == null) {
            return Model.of(ia, op.apply(ia)).predict(Tensor.of(a, aDims)).toArray();
        }
        Input ib = Input.shape(java.util.Arrays.copyOfRange(bDims, 1, bDims.length));
        return Model.of(List.of(ia, ib), op.apply(ia, ib)).predict(List.of(Tensor.of(a, aDims), Tensor.of(b, bDims)))
                .get(0).toArray();
    }

    @Test
    void comparisonsAndLogicalOpsGiveOneOrZeroAsIeeeWithNanFalseButForNotEqual() {
        int[] dims = {2, 4, 4};
        for (Comparison.Kind k : BINARY) {
            float[] got = predict(new Comparison(k), dims, A, dims, B);
            for (int i = 0; i < A.length; i++) {
                float want = reference(k).test(A[i], B[i]) ? 1f : 0f;
                assertThat(got[i]).as("%s(%s, %s)", k.kerasClass(), A[i], B[i]).isEqualTo(want);
            }
            float[] number = predict(new Comparison(k, null, 0.5), dims, A, null, null);
            float[] numberFirst = predict(new Comparison(k, 0.5, null), dims, A, null, null);
            for (int i = 0; i < A.length; i++) {
                assertThat(number[i]).as("%s(%s, 0.5)", k.kerasClass(), A[i])
                        .isEqualTo(reference(k).test(A[i], 0.5f) ? 1f : 0f);
                assertThat(numberFirst[i]).as("%s(0.5, %s)", k.kerasClass(), A[i])
                        .isEqualTo(reference(k).test(0.5f, A[i]) ? 1f : 0f);
            }
        }
        float[] not = predict(new Comparison(Comparison.Kind.LOGICAL_NOT), dims, A, null, null);
        for (int i = 0; i < A.length; i++) {
            assertThat(not[i]).as("logical_not(%s): NaN is true, -0 false", A[i]).isEqualTo(A[i] == 0 ? 1f : 0f);
        }
    }

    @Test
    void comparisonsBroadcastNumpysWayAndTakeNoneTimesteps() {
        Input a = Input.shape(Input.NONE, 1);
        Input b = Input.shape(1, 3);
        Model m = Model.of(List.of(a, b), KerasOps.lessEqual(a, b));
        for (int steps : new int[] {1, 4}) {
            Tensor x = uniform(r, -1f, 1f, 2, steps, 1);
            Tensor y = uniform(r, -1f, 1f, 2, 1, 3);
            Tensor out = m.predict(List.of(x, y)).get(0);
            assertThat(out.shape().dims()).containsExactly(2, steps, 3);
            float[] xv = x.toArray();
            float[] yv = y.toArray();
            float[] got = out.toArray();
            for (int i = 0; i < got.length; i++) {
                int[] idx = Nd.index(i, out.shape().dims());
                float want = xv[idx[0] * steps + idx[1]] <= yv[idx[0] * 3 + idx[2]] ? 1f : 0f;
                assertThat(got[i]).as("steps %d, element %d", steps, i).isEqualTo(want);
            }
        }
    }

    @Test
    void whereTakesX1WhereTheConditionIsNonZeroNanIncludedAndBroadcasts() {
        int[] dims = {2, 4, 4};
        Input c = Input.shape(4, 4);
        Input x1 = Input.shape(4, 4);
        Input x2 = Input.shape(4, 1);
        Model three = Model.of(List.of(c, x1, x2), KerasOps.where(c, x1, x2));
        Model number = Model.of(List.of(c, x1), KerasOps.where(c, x1, -2.5));
        Model numberFirst = Model.of(List.of(c, x1), KerasOps.where(c, 1.5, x1));
        Tensor x2v = uniform(r, -1f, 1f, 2, 4, 1);
        float[] x2a = x2v.toArray();
        float[] got = three.predict(List.of(Tensor.of(A, dims), Tensor.of(B, dims), x2v)).get(0).toArray();
        float[] gotNumber = number.predict(List.of(Tensor.of(A, dims), Tensor.of(B, dims))).get(0).toArray();
        float[] gotFirst = numberFirst.predict(List.of(Tensor.of(A, dims), Tensor.of(B, dims))).get(0).toArray();
        for (int i = 0; i < A.length; i++) {
            boolean taken = A[i] != 0; // NaN is non-zero: true, as tf.cast(NaN, bool)
            assertThat(Float.valueOf(got[i])).as("where(%s, %s, x2)", A[i], B[i]).isEqualTo(Float.valueOf(taken ? B[i] : x2a[i / 4]));
            assertThat(Float.valueOf(gotNumber[i])).as("where(%s, %s, -2.5)", A[i], B[i]).isEqualTo(Float.valueOf(taken ? B[i] : -2.5f));
            assertThat(Float.valueOf(gotFirst[i])).as("where(%s, 1.5, %s)", A[i], B[i]).isEqualTo(Float.valueOf(taken ? 1.5f : B[i]));
        }
        // the usual pattern: where(greater(x, 0.5), x, 0.0), with None timesteps
        Input x = Input.shape(Input.NONE, 2);
        Model relu = Model.of(x, KerasOps.where(KerasOps.greater(x, 0.5), x, 0.0));
        Tensor v = uniform(r, -1f, 1f, 3, 5, 2);
        float[] in = v.toArray();
        float[] out = relu.predict(v).toArray();
        for (int i = 0; i < in.length; i++) {
            assertThat(out[i]).as("thresholded %s", in[i]).isEqualTo(in[i] > 0.5f ? in[i] : 0f);
        }
    }

    @Test
    void whereSendsTheGradientToTheSideTakenAndNoneToTheCondition() {
        Tensor cond = Tensor.of(new float[] {1, 0, 0, 1, NAN, 0, 1, 1, 0, 0, 1, 0}, 2, 3, 2);
        Where op = new Where();
        op.build(List.of(Shape.of(3, 2), Shape.of(3, 2), Shape.of(3, 1)), Devices.defaultDevice(), null);
        GradCheck.check("where(c, x1, x2), x2 broadcast", v -> op.callAll(List.of(v), null, CallContext.inference())
                .get(0), new boolean[] {true}, cond, uniform(r, -1f, 1f, 2, 3, 2), uniform(r, -1f, 1f, 2, 3, 1));
        Where number = new Where(0.0, null);
        number.build(List.of(Shape.of(3, 2), Shape.of(3, 2)), Devices.defaultDevice(), null);
        GradCheck.check("where(c, 0.0, x2)", v -> number.callAll(List.of(v), null, CallContext.inference()).get(0),
                new boolean[] {true}, cond, uniform(r, -1f, 1f, 2, 3, 2));

        Variable c = Variable.parameter(uniform(r, -1f, 1f, 2, 3, 2));
        Variable x = Variable.parameter(uniform(r, -1f, 1f, 2, 3, 2));
        Variable out = op.callAll(List.of(c, x, Variable.parameter(uniform(r, -1f, 1f, 2, 3, 1))), null,
                CallContext.inference()).get(0);
        Ops.sumAll(out).backward();
        assertThat(c.grad()).as("no gradient to a where's condition (tf.where)").satisfiesAnyOf(
                g -> assertThat(g).isNull(), g -> assertThat(g.toArray()).containsOnly(0f));
        Comparison greater = new Comparison(Comparison.Kind.GREATER, null, 0.0);
        greater.build(List.of(Shape.of(3, 2)), Devices.defaultDevice(), null);
        Variable g = greater.callAll(List.of(x), null, CallContext.inference()).get(0);
        assertThat(g.requiresGrad()).as("a comparison is a constant: no gradient flows through it").isFalse();
    }

    @Test
    void badOperandsAreRefusedNamingTheOperation() {
        Input x = Input.shape(3, 4);
        assertThatThrownBy(() -> KerasOps.greater(x, Input.shape(4))).hasMessageEndingWith("(Greater): x1 "
                + "(None, 3, 4) and x2 (None, 4) are of different ranks: their batch axes would not align under NumPy "
                + "broadcasting; rnn4j takes tensors of one rank (expand_dims the smaller one)");
        assertThatThrownBy(() -> KerasOps.logicalAnd(x, Input.shape(2, 4))).hasMessageEndingWith("(LogicalAnd): "
                + "cannot broadcast x1 (None, 3, 4) and x2 (None, 2, 4): an axis of size 3 against one of 2");
        assertThatThrownBy(() -> KerasOps.where(x, Input.shape(3, 4), Input.shape(3, 2))).hasMessageEndingWith(
                "(Where): cannot broadcast condition (None, 3, 4) and x2 (None, 3, 2): an axis of size 4 against "
                        + "one of 2");
        assertThatThrownBy(() -> KerasOps.where(x, Input.shape(4), 0.0)).hasMessageEndingWith("(Where): condition "
                + "(None, 3, 4) and x1 (None, 4) are of different ranks: their batch axes would not align under NumPy "
                + "broadcasting; rnn4j takes tensors of one rank (expand_dims the smaller one)");
        assertThatThrownBy(() -> new Comparison(Comparison.Kind.EQUAL, 1.0, 2.0)).hasMessageEndingWith("(Equal): x1 "
                + "and x2 are both numbers (1.0, 2.0); one must be a tensor of the model");
        assertThatThrownBy(() -> new Comparison(Comparison.Kind.LOGICAL_NOT, null, 1.0)).hasMessageEndingWith(
                "(LogicalNot): logical_not takes one tensor, not a number");
        Input a = Input.shape(Input.NONE, 4);
        Input b = Input.shape(Input.NONE, 4);
        Model m = Model.of(List.of(a, b), KerasOps.notEqual(a, b));
        assertThatThrownBy(() -> m.predict(List.of(Tensor.of(new float[24], 2, 3, 4), Tensor.of(new float[16], 2, 2,
                4)))).hasMessageContaining("(NotEqual): cannot broadcast x1 (2, 3, 4) and x2 (2, 2, 4): an axis of "
                        + "size 3 against one of 2");
    }
}
