package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * {@code times·n} samples along {@code axis} interpolated linearly between its {@code n}, as
     * TensorFlow's CPU ResizeBilinear computes one axis with half-pixel centers: output {@code i}
     * reads {@code in = (i + 0.5)·scale - 0.5} with {@code scale = n / (times·n)}, all in float32,
     * between {@code lower = max(floor(in), 0)} and {@code upper = min(ceil(in), n - 1)} with weight
     * {@code lerp = in - floor(in)}, as {@code a + (b - a)·lerp}. Two gathers and three pointwise
     * ops; the gradient is their scatter-add.
     *
     * @param layer "Layer 'name' (Class)", for the message
     * @throws IllegalArgumentException if the gather table would have more rows than float32 indices address
     */
    static Variable linear(String layer, Variable x, int axis, int times) {
        int[] dims = x.shape().dims();
        int n = dims[axis];
        int m = n * times;
        long before = 1;
        int after = 1;
        for (int a = 0; a < dims.length; a++) {
            if (a < axis) {
                before *= dims[a];
            } else if (a > axis) {
                after *= dims[a];
            }
        }
        if (before * n > Ops.MAX_GATHER_ROWS) {
            throw new IllegalArgumentException(layer + ": an input of " + x.shape() + " is too large to interpolate "
                    + "(" + before * n + " rows to gather, at most " + Ops.MAX_GATHER_ROWS + ")");
        }
        float scale = (float) n / (float) m;
        int[] lower = new int[m];
        int[] upper = new int[m];
        float[] lerp = new float[m];
        for (int i = 0; i < m; i++) {
            float in = ((float) i + 0.5f) * scale - 0.5f;
            float floor = (float) Math.floor(in);
            lower[i] = Math.max((int) floor, 0);
            upper[i] = Math.min((int) Math.ceil(in), n - 1);
            lerp[i] = in - floor;
        }
        float[] lo = new float[Math.toIntExact(before * m)];
        float[] hi = new float[lo.length];
        for (int p = 0; p < before; p++) {
            for (int i = 0; i < m; i++) {
                lo[p * m + i] = p * n + lower[i];
                hi[p * m + i] = p * n + upper[i];
            }
        }
        Variable table = Ops.reshape(x, Math.toIntExact(before * n), after);
        int[] out = dims.clone();
        out[axis] = m;
        Variable a = Ops.reshape(Ops.gather(table, x.device().tensor(lo, lo.length)), out);
        Variable b = Ops.reshape(Ops.gather(table, x.device().tensor(hi, hi.length)), out);
        int[] weightDims = new int[dims.length];
        Arrays.fill(weightDims, 1);
        weightDims[axis] = m;
        Tensor w = x.device().tensor(lerp, weightDims);
        return Ops.add(a, Ops.mul(Ops.sub(b, a), Variable.constant(w)));
    }
}
