package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * The moves of the zero-padding, cropping and up-sampling layers along one axis of a batch
 * tensor, shared by the 1D ({@link Steps1D}) and 2D/3D ({@link GridReshaping}) ones: composed of
 * the engine's concat, slice, reshape and broadcast, so every device computes them and their
 * gradients (zeros get none, cropped values get zero, a repeated value gets the sum of its copies').
 */
final class Resampling {
    private Resampling() {
    }

    /** {@code before} zeros, {@code x}, then {@code after} zeros along {@code axis} (Keras's ops.pad with zeros). */
    static Variable pad(Variable x, int axis, int before, int after) {
        List<Variable> parts = new ArrayList<>(3);
        if (before > 0) {
            parts.add(Variable.constant(x.device().zeros(x.shape().with(axis, before))));
        }
        parts.add(x);
        if (after > 0) {
            parts.add(Variable.constant(x.device().zeros(x.shape().with(axis, after))));
        }
        return parts.size() == 1 ? x : Ops.concat(axis, parts.toArray(new Variable[0]));
    }

    /** {@code x} without its first {@code start} and last {@code end} indices of {@code axis}. */
    static Variable crop(Variable x, int axis, int start, int end) {
        return start == 0 && end == 0 ? x : Ops.slice(x, axis, start, x.dim(axis) - start - end);
    }

    /**
     * Each index of {@code axis} repeated {@code times} times in place (Keras's {@code ops.repeat}):
     * index {@code i} of the output is index {@code i / times} of the input.
     */
    static Variable repeat(Variable x, int axis, int times) {
        if (times == 1) {
            return x;
        }
        int[] dims = x.shape().dims();
        int before = 1;
        int after = 1;
        for (int a = 0; a < dims.length; a++) {
            if (a < axis) {
                before *= dims[a];
            } else if (a > axis) {
                after *= dims[a];
            }
        }
        int n = dims[axis];
        // (before, n, 1, after) broadcast to (before, n, times, after) puts each index's copies side by side.
        Variable copies = Ops.broadcastTo(Ops.reshape(x, before, n, 1, after), Shape.of(before, n, times, after));
        dims[axis] = n * times;
        return Ops.reshape(copies, dims);
    }
}
