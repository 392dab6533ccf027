package io.rnn4j.layers.model;

import io.rnn4j.engine.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Finds NaN or infinity in training data and names the sample: fit looks through all its data
 * once before the first update; trainOnBatch looks only after its loss came out non-finite.
 */
final class NonFinite {
    /** Floats read from a tensor at a time. */
    private static final int BLOCK_FLOATS = 1 << 20;

    private NonFinite() {
    }

    /**
     * @param sampleOf maps a row to the sample's index in the data given to fit
     * @param outcome what the caller did not do, for the message
     * @throws IllegalArgumentException naming the tensor, the sample and the position in it
     */
    static void check(String where, List<Tensor> x, List<Tensor> y, Tensor sampleWeight, IntUnaryOperator sampleOf,
            String outcome) {
        for (int i = 0; i < x.size(); i++) {
            check(where, x.size() > 1 ? "inputs (input " + i + ")" : "inputs", x.get(i), sampleOf, outcome);
        }
        for (int i = 0; y != null && i < y.size(); i++) {  // null: no targets
            check(where, y.size() > 1 ? "labels (output " + i + ")" : "labels", y.get(i), sampleOf, outcome);
        }
        if (sampleWeight != null) {
            check(where, "sample weights", sampleWeight, sampleOf, outcome);
        }
    }

    private static void check(String where, String what, Tensor t, IntUnaryOperator sampleOf, String outcome) {
        int rows = t.dim(0);
        if (rows == 0 || t.size() == 0) {
            return;
        }
        int rowSize = Math.toIntExact(t.size() / rows);
        // Blocks of rows of about a million floats: a whole data set is never copied at once.
        int block = Math.max(1, BLOCK_FLOATS / rowSize);
        for (int r0 = 0; r0 < rows; r0 += block) {
            float[] v = t.narrow(r0, Math.min(block, rows - r0)).toArray();
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    int row = r0 + i / rowSize;
                    int[] pos = new int[t.rank() - 1];
                    int rest = i % rowSize;
                    for (int a = t.rank() - 1; a >= 1; a--) {
                        pos[a - 1] = rest % t.dim(a);
                        rest /= t.dim(a);
                    }
                    throw new IllegalArgumentException(where + ": the " + what + " hold " + v[i] + " (expected "
                            + "finite numbers) in sample " + sampleOf.applyAsInt(row)
                            + (pos.length > 0 ? " at position " + Arrays.toString(pos) : "") + "; " + outcome);
                }
            }
        }
    }
}
