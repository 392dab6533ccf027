package io.rnn4j.layers.metrics;

import io.rnn4j.layers.KerasConfig;
import java.util.Optional;

/**
 * Keras's top-k categorical accuracies: 1 for a sample whose true class is among the k highest
 * predictions, as TensorFlow's {@code in_top_k} decides it — the class is in when fewer than k
 * predictions are strictly greater than its own (so ties at the boundary count as in), and never
 * when its prediction is not finite or the class id is out of range. The true class is the label
 * row's argmax (one-hot labels) or the label itself (sparse).
 */
final class TopK extends MeanMetric {
    private final int k;
    private final boolean sparse;

    TopK(String name, int k, boolean sparse) {
        super(name, Direction.UP);
        if (k < 1) {
            throw new IllegalArgumentException(name + ": k must be >= 1, got " + k);
        }
        this.k = k;
        this.sparse = sparse;
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        return k == 5 ? Optional.empty() : Optional.of(KerasConfig.of(sparse ? "SparseTopKCategoricalAccuracy"
                : "TopKCategoricalAccuracy", "name", name(), "dtype", "float32", "k", k));
    }

    @Override
    double perSample(float[] y, float[] p, int row, int last) {
        int cls;
        if (sparse) {
            float id = y[row];
            if (id != Math.rint(id) || id < 0 || id >= last) {
                return 0;
            }
            cls = (int) id;
        } else {
            cls = argmax(y, row * last, last);
        }
        float target = p[row * last + cls];
        if (!Float.isFinite(target)) {
            return 0;
        }
        int greater = 0;
        for (int j = 0; j < last; j++) {
            if (p[row * last + j] > target) {
                greater++;
            }
        }
        return greater < k ? 1 : 0;
    }

    private static int argmax(float[] v, int from, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (v[from + j] > v[from + best]) {
                best = j;
            }
        }
        return best;
    }
}
