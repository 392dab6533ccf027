package io.rnn4j.layers.ops;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Session;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.TimeDistributed;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad arguments and inputs are refused naming the operation, what it takes and what came: those
 * Keras refuses too (shapes that do not broadcast, an axis out of range, a squeeze of an axis that
 * is not 1, a newshape of another size, a transposition that is not a permutation), and those rnn4j
 * refuses because they would move, drop or mix the batch axis, which every rnn4j tensor keeps
 * first (axis=None reductions, axis 0, a reshape or transposition of the batch axis, matmul of
 * rank-2 operands, tensors of different ranks in arithmetic).
 */
class KerasOpsErrorsTest {
    private final Input x = Input.shape(3, 4);

    @BeforeEach
    void names() {
        Session.clear(); // each operation below is the first of its class: "add", "mean", ...
    }

    @Test
    void arithmeticShapes() {
        assertThatThrownBy(() -> KerasOps.add(x, Input.shape(4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Operation 'add' (Add): x1 (None, 3, 4) and x2 (None, 4) are of different ranks: their "
                        + "batch axes would not align under NumPy broadcasting; rnn4j takes tensors of one rank "
                        + "(expand_dims the smaller one)");
        assertThatThrownBy(() -> KerasOps.multiply(x, Input.shape(2, 4))).hasMessage("Operation 'multiply' (Multiply): "
                + "cannot broadcast x1 (None, 3, 4) and x2 (None, 2, 4): an axis of size 3 against one of 2");
        assertThatThrownBy(() -> new Arithmetic(Arithmetic.Kind.ADD, 1.0, 2.0)).hasMessageEndingWith(
                "(Add): x1 and x2 are both numbers (1.0, 2.0); one must be a tensor of the model");
    }

    @Test
    void reductionAxes() {
        assertThatThrownBy(() -> new Reduction(Reduction.Kind.MEAN, Axis.NONE, false).apply(x)).hasMessage(
                "Operation 'mean' (Mean): axis=None reduces every axis, the batch axis too; rnn4j keeps the batch "
                        + "axis: give the axes to reduce (1 and up)");
        assertThatThrownBy(() -> KerasOps.sum(x, 0)).hasMessage("Operation 'sum' (Sum): axis 0 reduces axis 0, the "
                + "batch axis; rnn4j keeps the batch axis");
        assertThatThrownBy(() -> KerasOps.max(x, new int[] {2, -3}, true)).hasMessage("Operation 'max' (Max): axis "
                + "[2, -3] reduces axis 0, the batch axis; rnn4j keeps the batch axis");
        assertThatThrownBy(() -> KerasOps.min(x, 3)).hasMessage("Operation 'min' (Min): axis 3 is out of bounds for "
                + "a tensor of rank 3 (axes -3 to 2, the batch axis 0)");
        assertThatThrownBy(() -> KerasOps.mean(x, new int[] {1, -2}, false)).hasMessageEndingWith(
                "(Mean): axis [1, -2] names axis 1 twice");
        assertThatThrownBy(() -> new Reduction(Reduction.Kind.SUM, Axis.of(1), false, 0.0)).hasMessageEndingWith(
                "(Sum): takes no initial (Keras's Sum has none), got 0.0");
        assertThatThrownBy(() -> KerasOps.softmax(x, 3)).hasMessage("Operation 'softmax' (Softmax): axis 3 is out "
                + "of bounds for a tensor of rank 3 (axes -3 to 2, the batch axis 0)");
    }

    @Test
    void shaping() {
        assertThatThrownBy(() -> KerasOps.expandDims(x, 0)).hasMessage("Operation 'expand_dims' (ExpandDims): axis 0 "
                + "puts a new axis before the batch axis; rnn4j keeps the batch axis first");
        assertThatThrownBy(() -> KerasOps.expandDims(x, new int[] {1, -4})).hasMessageEndingWith(
                "(ExpandDims): axis [1, -4] names output axis 1 twice");
        assertThatThrownBy(() -> KerasOps.squeeze(x, 1)).hasMessage("Operation 'squeeze' (Squeeze): cannot squeeze "
                + "axis 1 of (None, 3, 4), because the dimension is not 1");
        assertThatThrownBy(() -> KerasOps.squeeze(Input.shape(Input.NONE, 4), new int[] {1})).hasMessageEndingWith(
                "cannot squeeze axis 1 of (None, None, 4), because the dimension is not 1");
        assertThatThrownBy(() -> KerasOps.reshape(x, 12)).hasMessage("Operation 'reshape' (Reshape): newshape [12] "
                + "must start with -1, the batch axis, so that each sample keeps its values (rnn4j keeps the batch "
                + "axis)");
        assertThatThrownBy(() -> KerasOps.reshape(x, -1, -1)).hasMessageEndingWith("(Reshape): each dimension of "
                + "newshape [-1, -1] must be a non-negative int, or -1 for one unknown dimension");
        assertThatThrownBy(() -> KerasOps.reshape(x, -1, 5)).hasMessageEndingWith("(Reshape): cannot reshape "
                + "(None, 3, 4) (12 values per sample) to newshape [-1, 5] (5 per sample): the batch axis would "
                + "change");
        assertThatThrownBy(() -> new Shaping(Shaping.Kind.TRANSPOSE, Axis.NONE)).hasMessageEndingWith("(Transpose): "
                + "axes=None reverses every axis, the batch axis too; rnn4j keeps the batch axis first: give axes "
                + "starting with 0");
        assertThatThrownBy(() -> KerasOps.transpose(x, 1, 0, 2)).hasMessageEndingWith("(Transpose): axes [1, 0, 2] "
                + "moves the batch axis; rnn4j keeps it first (axes[0] must be 0)");
        assertThatThrownBy(() -> KerasOps.transpose(x, 0, 2)).hasMessageEndingWith("(Transpose): axes [0, 2] must "
                + "name every axis of (None, 3, 4), 3 of them");
        assertThatThrownBy(() -> KerasOps.transpose(x, 0, 2, -1)).hasMessageEndingWith("(Transpose): axes [0, 2, -1] "
                + "must be a permutation of the input's axes (no duplicates)");
    }

    @Test
    void concatenateAndMatmul() {
        assertThatThrownBy(() -> KerasOps.concatenate(List.of(x, x), 0)).hasMessage("Operation 'concatenate' "
                + "(Concatenate): axis 0 joins along the batch axis; rnn4j keeps the batch axis (give axis 1 and up, "
                + "or -1)");
        assertThatThrownBy(() -> KerasOps.concatenate(List.of(x, Input.shape(2, 5)), 1)).hasMessageEndingWith(
                "(Concatenate): every input must have the same shape except on axis 1, but input 1 (None, 2, 5) "
                        + "differs from the first (None, 3, 4)");
        assertThatThrownBy(() -> KerasOps.matmul(Input.shape(4), Input.shape(4))).hasMessage("Operation 'matmul' "
                + "(Matmul): x1 (None, 4) and x2 (None, 4): rnn4j multiplies tensors of one rank of at least 3 "
                + "(batch, ..., rows, columns), so that their batch axes align");
        assertThatThrownBy(() -> KerasOps.matmul(x, x)).hasMessageEndingWith("(Matmul): inner dimensions "
                + "(x1.shape[-1] and x2.shape[-2]) must be equal, but received x1.shape=(None, 3, 4) and "
                + "x2.shape=(None, 3, 4)");
    }

    @Test
    void sizesSeenOnlyAtRunTimeAreCheckedThen() {
        Input a = Input.shape(Input.NONE, 4);
        Input b = Input.shape(Input.NONE, 4);
        Model sum = Model.of(List.of(a, b), KerasOps.add(a, b));
        Random r = new Random(3);
        assertThatThrownBy(() -> sum.predict(List.of(uniform(r, -1, 1, 2, 3, 4), uniform(r, -1, 1, 2, 5, 4))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Operation 'add' (Add): cannot "
                        + "broadcast x1 (2, 3, 4) and x2 (2, 5, 4): an axis of size 3 against one of 5");
        Model flat = Model.of(a, KerasOps.reshape(a, -1, 8));
        Tensor ok = flat.predict(uniform(r, -1, 1, 3, 2, 4));
        org.assertj.core.api.Assertions.assertThat(ok.shape().dims()).containsExactly(3, 8);
        assertThatThrownBy(() -> flat.predict(uniform(r, -1, 1, 3, 3, 4))).hasMessageContaining("Operation 'reshape' "
                + "(Reshape): cannot reshape (3, 3, 4) (12 values per sample) to newshape [-1, 8] (8 per sample)");
    }

    @Test
    void sequentialAndTimeDistributedTakeLayersOnly() {
        SymbolicTensor t = KerasOps.relu(x);
        assertThatThrownBy(() -> Sequential.of(Input.shape(3, 4), t.layer())).isInstanceOf(
                IllegalArgumentException.class).hasMessageEndingWith("'relu' (Relu, an operation in Keras) cannot be "
                        + "in a Sequential model; apply it in a functional model (Model.of)");
        assertThatThrownBy(() -> new TimeDistributed(new Unary(Unary.Kind.TANH))).hasMessageEndingWith(
                "'tanh' (Tanh) is an operation in Keras, not a layer; TimeDistributed takes a layer");
    }
}
