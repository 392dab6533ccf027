package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import java.util.Random;

/**
 * Test inputs for ops with kinks (max, maximum, minimum): values in [-1, 1) at least 1/n apart
 * (a shuffled grid of n points with jitter), so a finite difference of {@link GradCheck}'s step
 * never crosses a tie, where the derivative jumps.
 */
public final class Distinct {
    private Distinct() {
    }

    /** A tensor of {@code dims} whose n elements are pairwise at least 1/n apart. */
    public static Tensor values(Random r, int... dims) {
        int n = Math.toIntExact(Shape.of(dims).size());
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = -1f + 2f * (i + 0.25f + 0.5f * r.nextFloat()) / n;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Tensor.of(v, dims);
    }
}
