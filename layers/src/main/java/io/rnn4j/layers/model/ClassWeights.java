package io.rnn4j.layers.model;

import io.rnn4j.engine.Tensor;
import java.util.Map;

/**
 * Keras's {@code class_weight_to_sample_weights}: each sample weighs its class's weight (1 for a
 * class not in the map). The class is the label rounded half to even for class-id labels
 * {@code (n,)} or {@code (n, 1)}, and the argmax of one-hot (or soft) label rows {@code (n, C)}.
 */
final class ClassWeights {
    private ClassWeights() {
    }

    /** The sample weights {@code (n,)} for labels {@code y}, on y's device. */
    static Tensor toSampleWeights(String where, Tensor y, Map<Integer, Double> classWeight) {
        int n = y.dim(0);
        int rowSize = n == 0 ? 0 : Math.toIntExact(y.size() / n);
        if (y.rank() > 2) {
            throw new IllegalArgumentException(where + ": class_weight needs one label per sample (shape (n,), (n, 1) "
                    + "or one-hot (n, classes)), got labels of shape " + y.shape() + "; give per-timestep sample "
                    + "weights instead");
        }
        float[] labels = y.toArray();
        float[] weights = new float[n];
        for (int i = 0; i < n; i++) {
            int cls;
            if (rowSize > 1) {
                cls = 0;
                for (int j = 1; j < rowSize; j++) {
                    if (labels[i * rowSize + j] > labels[i * rowSize + cls]) {
                        cls = j;
                    }
                }
            } else {
                cls = (int) Math.rint(labels[i]);
            }
            weights[i] = (float) (double) classWeight.getOrDefault(cls, 1.0);
        }
        return y.device().tensor(weights, n);
    }
}
