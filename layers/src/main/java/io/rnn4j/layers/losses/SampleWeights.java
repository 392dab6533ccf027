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
 * in, then the sum divided by the number of per-sample values.
 */
public final class SampleWeights {
    private SampleWeights() {
    }

    /** The reduced loss of {@code values} (per-sample losses) with optional {@code weights}. */
    static Variable reduce(String loss, Variable values, Tensor weights) {
        if (weights == null) {
            return Ops.meanAll(values);
        }
        Tensor w = fit(loss, values.shape(), weights);
        return Ops.meanAll(Ops.mul(values, Variable.constant(w)));
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
        throw new IllegalArgumentException(loss + ": sample weights must have shape (" + (perSample.rank() > 0
                ? perSample.dim(0) : 1) + ",) or the per-sample loss's shape " + perSample + ", got " + s);
    }
}
