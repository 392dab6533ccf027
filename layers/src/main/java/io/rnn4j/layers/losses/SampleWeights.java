package io.rnn4j.layers.losses;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;

/**
 * Keras's {@code reduce_weighted_values} with reduction "sum_over_batch_size": weights brought to
 * the per-sample losses' rank (a trailing axis of 1 squeezed, as
 * {@code squeeze_or_expand_to_same_rank}; a (batch,) vector broadcast over later axes), multiplied
 * in, then the sum divided by the number of per-sample values; a Keras mask leaves values out
 * and divides by the number left ({@link #reduce(String, Variable, Tensor, Tensor)}).
 */
public final class SampleWeights {
    private SampleWeights() {
    }

    /** The reduced loss of {@code values} (per-sample losses) with optional {@code weights}. */
    static Variable reduce(String loss, Variable values, Tensor weights) {
        return reduce(loss, values, weights, null);
    }

    /**
     * The reduced loss of {@code values} with optional {@code weights} and Keras {@code mask}, as
     * Keras 3's {@code apply_mask}: the mask (one 0/1 per value) is scaled by
     * {@code total / valid} (its size over its count of ones; 0 when none is one), multiplied into
     * the weights, and the weighted values' mean taken as without a mask — which makes it the sum
     * over unmasked values divided by their number. Per-sample weights {@code (batch,)} broadcast
     * over the time axis as without a mask.
     */
    static Variable reduce(String loss, Variable values, Tensor weights, Tensor mask) {
        if (mask == null) {
            if (weights == null) {
                return Ops.meanAll(values);
            }
            Tensor w = fit(loss, values.shape(), weights);
            return Ops.meanAll(Ops.mul(values, Variable.constant(w)));
        }
        Shape shape = values.shape();
        if (!mask.shape().equals(shape)) {
            throw new IllegalArgumentException(loss + ": the predictions' mask " + mask.shape() + " does not fit the "
                    + "per-sample loss " + shape + " (a mask is (batch, timesteps), for outputs (batch, timesteps, "
                    + "features))");
        }
        float[] m = mask.toArray();
        float valid = 0f;
        for (float v : m) {
            valid += v != 0f ? 1f : 0f;
        }
        // Keras: mask *= divide_no_nan(total, valid), in float32.
        float scale = valid == 0f ? 0f : (float) m.length / valid;
        float[] combined = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            combined[i] = (m[i] != 0f ? 1f : 0f) * scale;
        }
        if (weights != null) {
            float[] w = expand(fit(loss, shape, weights), shape);
            for (int i = 0; i < combined.length; i++) {
                combined[i] = w[i] * combined[i];
            }
        }
        Tensor c = values.value().device().tensor(combined, shape.dims());
        return Ops.meanAll(Ops.mul(values, Variable.constant(c)));
    }

    /** Weights viewed to broadcast against {@code shape}, written out in full (host order). */
    private static float[] expand(Tensor w, Shape shape) {
        float[] v = w.toArray();
        long n = shape.size();
        if (v.length == n) {
            return v;
        }
        // A (batch, 1, ...) view: one weight per leading row.
        int per = Math.toIntExact(n / v.length);
        float[] out = new float[Math.toIntExact(n)];
        for (int i = 0; i < out.length; i++) {
            out[i] = v[i / per];
        }
        return out;
    }

    /**
     * Checks, before data runs, that weights of shape {@code weights} can fit per-sample losses of
     * {@code perSample}, whose None sizes take any ({@link #fit} checks again on each batch).
     *
     * @throws IllegalArgumentException naming the accepted shapes and the one given
     */
    public static void check(String loss, Shape perSample, Shape weights) {
        Shape s = weights;
        boolean ok = perSample.isCompatible(s)
                || s.rank() == perSample.rank() + 1 && s.dim(-1) == 1 && perSample.isCompatible(s.without(s.rank() - 1))
                || perSample.rank() >= 1 && s.rank() == 1 && s.dim(0) == perSample.dim(0)
                || perSample.rank() >= 1 && s.rank() == 2 && s.dim(1) == 1 && s.dim(0) == perSample.dim(0);
        if (!ok) {
            throw refused(loss, perSample, s);
        }
    }

    /**
     * Checks that {@code weights} fit per-sample losses of shape {@code perSample} and returns them
     * as a view that broadcasts against it.
     *
     * @throws IllegalArgumentException naming the accepted shapes and the one given
     */
    public static Tensor fit(String loss, Shape perSample, Tensor weights) {
        Shape s = weights.shape();
        if (s.equals(perSample)) {
            return weights;
        }
        if (s.rank() == perSample.rank() + 1 && s.dim(-1) == 1 && s.without(s.rank() - 1).equals(perSample)) {
            return weights.reshape(perSample.dims());
        }
        if (perSample.rank() >= 1 && s.rank() == 1 && s.dim(0) == perSample.dim(0)) {
            int[] dims = new int[perSample.rank()];
            Arrays.fill(dims, 1);
            dims[0] = perSample.dim(0);
            return weights.reshape(dims);
        }
        if (perSample.rank() >= 1 && s.rank() == 2 && s.dim(1) == 1 && s.dim(0) == perSample.dim(0)) {
            int[] dims = new int[perSample.rank()];
            Arrays.fill(dims, 1);
            dims[0] = perSample.dim(0);
            return weights.reshape(dims);
        }
        throw refused(loss, perSample, s);
    }

    private static IllegalArgumentException refused(String loss, Shape perSample, Shape s) {
        return new IllegalArgumentException(loss + ": sample weights must have shape (" + (perSample.rank() > 0
                ? perSample.dim(0) : 1) + ",) or the per-sample loss's shape " + perSample + ", got " + s);
    }
}
