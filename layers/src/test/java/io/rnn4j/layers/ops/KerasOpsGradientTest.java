package io.rnn4j.layers.ops;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.GradCheck;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every operation's gradients against float64 central differences ({@link GradCheck}), through
 * broadcasting, numbers on either side, several axes and every reshaping; and, where differences
 * cannot tell, the TensorFlow backend's conventions Keras 3 trains with: relu's gradient is 0 at 0,
 * a maximum's (or minimum's) gradient is split equally among the elements that tie for it over all
 * the reduced axes together (TF's _MinOrMaxGrad), and {@code maximum(max, initial)} sends a tie to
 * the reduced value (TF's _MaximumMinimumGrad). Seed 17.
 */
class KerasOpsGradientTest {
    private final Random r = new Random(17);

    /** The operation built for the inputs' sample shapes, called on variables. */
    private static Variable call(Layer op, Variable... xs) {
        if (!op.isBuilt()) {
            List<Shape> shapes = new ArrayList<>();
            for (Variable x : xs) {
                shapes.add(x.shape().without(0));
            }
            op.build(shapes, Devices.defaultDevice(), null);
        }
        return op.callAll(List.of(xs), null, CallContext.inference()).get(0);
    }

    private static void check(String what, Layer op, Tensor... xs) {
        GradCheck.check(what, v -> call(op, v), xs);
    }

    /** Values in ±[0.2, 1.5): away from relu's kink and from 0 as a divisor. */
    private Tensor awayFromZero(int... dims) {
        Tensor t = uniform(r, 0.2f, 1.5f, dims);
        float[] v = t.toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextBoolean() ? v[i] : -v[i];
        }
        return Tensor.of(v, dims);
    }

    /** Distinct values 0.1 apart in random order, so that no two tie within a difference step. */
    private Tensor distinct(int... dims) {
        int n = Nd.size(dims);
        List<Float> v = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            v.add(0.1f * i - 0.05f * n);
        }
        java.util.Collections.shuffle(v, r);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = v.get(i);
        }
        return Tensor.of(a, dims);
    }

    @Test
    void arithmeticGradientsSumOverBroadcastAxesAndSkipNumbers() {
        Tensor x = awayFromZero(2, 3, 4); // each is a divisor once
        Tensor y = awayFromZero(2, 1, 4);
        for (Arithmetic.Kind k : Arithmetic.Kind.values()) {
            if (k == Arithmetic.Kind.POWER) {
                continue; // a number on one side only, a positive base: KerasOpsPowerRoundingTest
            }
            check(k + " x, y (y broadcast)", new Arithmetic(k), x, y);
            check(k + " y, x (y broadcast)", new Arithmetic(k), y, x);
            check(k + " x, 0.7", new Arithmetic(k, null, 0.7), x);
            check(k + " -1.3, y", new Arithmetic(k, -1.3, null), y);
        }
    }

    @Test
    void unaryGradients() {
        // magnitudes 0.05 or more from every kink (0, ±0.5, ±1, ±3, 6), random signs; log and sqrt on |x|
        float[] clear = {0.2f, 0.3f, 0.4f, 0.6f, 0.7f, 0.8f, 0.9f, 1.1f, 1.2f, 1.3f, 1.4f, 2.0f};
        float[] v = new float[24];
        float[] positive = new float[24];
        for (int i = 0; i < v.length; i++) {
            positive[i] = clear[r.nextInt(clear.length)];
            v[i] = r.nextBoolean() ? positive[i] : -positive[i];
        }
        Tensor x = Tensor.of(v, 2, 3, 4);
        for (Unary.Kind k : Unary.Kind.values()) {
            boolean positiveOnly = k == Unary.Kind.LOG || k == Unary.Kind.SQRT;
            check(k.toString(), new Unary(k), positiveOnly ? Tensor.of(positive, 2, 3, 4) : x);
        }
        check("softmax axis 1", Unary.softmax(1), x);
        check("log_softmax axis 1", Unary.logSoftmax(1), x);
    }

    @Test
    void reductionGradients() {
        Tensor x = distinct(2, 3, 2, 4);
        for (Reduction.Kind k : Reduction.Kind.values()) {
            if (k == Reduction.Kind.ANY || k == Reduction.Kind.ALL) {
                continue; // a bool output, a constant: no gradient in Keras either
            }
            check(k + " axis 1", new Reduction(k, Axis.of(1), false), x);
            check(k + " axis [1, 2] keepdims", new Reduction(k, Axis.list(1, 2), true), x);
            check(k + " axis [1, 3]", new Reduction(k, Axis.list(-1, 1), false), x);
        }
        check("max with initial above some rows' maxima", new Reduction(Reduction.Kind.MAX, Axis.of(3), false, 0.33),
                x);
        check("min with initial", new Reduction(Reduction.Kind.MIN, Axis.of(2), true, -0.41), x);
    }

    @Test
    void shapingConcatenateAndMatmulGradients() {
        Tensor x = uniform(r, -1, 1, 2, 3, 1, 4);
        check("expand_dims [1, -1]", new Shaping(Shaping.Kind.EXPAND_DIMS, Axis.list(1, -1)), x);
        check("squeeze", new Shaping(Shaping.Kind.SQUEEZE, Axis.NONE), x);
        check("reshape (-1, 4, 3)", new Shaping(Shaping.Kind.RESHAPE, Axis.list(-1, 4, 3)), x);
        check("transpose (0, 3, 1, 2)", new Shaping(Shaping.Kind.TRANSPOSE, Axis.list(0, 3, 1, 2)), x);
        check("concatenate axis 1", new Concatenation(2, 1), x, uniform(r, -1, 1, 2, 2, 1, 4));
        check("matmul rank 3", new Matmul(), uniform(r, -1, 1, 2, 3, 4), uniform(r, -1, 1, 2, 4, 5));
        check("matmul rank 4, broadcast", new Matmul(), uniform(r, -1, 1, 2, 1, 3, 4), uniform(r, -1, 1, 2, 3, 4, 2));
    }

    /** The input gradient of sum(op(x)) (an upstream gradient of ones). */
    private static float[] gradOfSum(Layer op, float[] values, int... dims) {
        Variable x = Variable.parameter(Tensor.of(values, dims));
        Ops.sumAll(call(op, x)).backward();
        return x.grad().toArray();
    }

    @Test
    void tiesAndKinksFollowTheTensorFlowBackend() {
        // One sample (1, 2, 2): the maximum 3 three times over axes [1, 2] together, so each gets 1/3.
        float[] v = {3, 1, 3, 3};
        assertThat(gradOfSum(new Reduction(Reduction.Kind.MAX, Axis.list(1, 2), false), v, 1, 2, 2))
                .as("max over [1, 2]: 1/3 to each of the three tied elements")
                .containsExactly(1 / 3f, 0, 1 / 3f, 1 / 3f);
        assertThat(gradOfSum(new Reduction(Reduction.Kind.MAX, Axis.of(2), false), v, 1, 2, 2))
                .as("max over axis 2: row 1 ties, 1/2 each").containsExactly(1, 0, 0.5f, 0.5f);
        float[] w = {1, 1, 2, 1};
        assertThat(gradOfSum(new Reduction(Reduction.Kind.MIN, Axis.list(1, 2), true), w, 1, 2, 2))
                .as("min over [1, 2]: 1/3 to each of the three tied elements").containsExactly(1 / 3f, 1 / 3f, 0,
                        1 / 3f);
        // Axes 1 and 3 of (1, 2, 1, 2) are not adjacent: still one group of ties.
        assertThat(gradOfSum(new Reduction(Reduction.Kind.MAX, Axis.list(1, 3), false), v, 1, 2, 1, 2))
                .as("max over [1, 3]").containsExactly(1 / 3f, 0, 1 / 3f, 1 / 3f);
        assertThat(gradOfSum(new Reduction(Reduction.Kind.MAX, Axis.of(2), false, 3.0), v, 1, 2, 2))
                .as("maximum(max, initial) with max == initial: the tie goes to max").containsExactly(1, 0, 0.5f, 0.5f);
        assertThat(gradOfSum(new Reduction(Reduction.Kind.MAX, Axis.of(2), false, 5.0), v, 1, 2, 2))
                .as("initial above every max: no gradient to x").containsExactly(0, 0, 0, 0);
        assertThat(gradOfSum(new Unary(Unary.Kind.RELU), new float[] {-1, 0, 2}, 1, 3))
                .as("relu: 0 at 0, as tf.nn.relu's gradient").containsExactly(0, 0, 1);
        float[] mean = gradOfSum(new Reduction(Reduction.Kind.MEAN, Axis.list(1, 2), false), new float[6], 1, 2, 3);
        float[] sixth = new float[6];
        Arrays.fill(sixth, 1 / 6f);
        assertThat(mean).as("mean over 6: 1/6 each (TF divides the gradient by the count)").containsExactly(sixth);
    }
}
