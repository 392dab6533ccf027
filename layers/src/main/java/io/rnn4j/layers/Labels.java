package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import java.util.Arrays;

/** Class labels for training: Keras's {@code keras.utils.to_categorical}. */
public final class Labels {
    private Labels() {
    }

    /**
     * Keras's {@code keras.utils.to_categorical}: class ids as one-hot rows {@code (labels, numClasses)}.
     *
     * @param numClasses the number of classes, or 0 for the largest label + 1 (Keras's None)
     * @throws IllegalArgumentException for a negative label or one not below numClasses
     */
    public static Tensor toCategorical(int[] labels, int numClasses) {
        int classes = numClasses > 0 ? numClasses : Arrays.stream(labels).max().orElse(-1) + 1;
        float[] out = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("to_categorical: expected labels in [0, " + classes + "), got "
                        + labels[i] + " at index " + i);
            }
            out[i * classes + labels[i]] = 1f;
        }
        return Tensor.of(out, labels.length, classes);
    }

    /**
     * {@link #toCategorical(int[], int)} for labels held as a float tensor (read from .npy or CSV):
     * any shape, its values whole numbers; a trailing axis of 1 is dropped, as Keras drops it.
     *
     * @throws IllegalArgumentException for a label that is not a whole number, negative, or not below numClasses
     */
    public static Tensor toCategorical(Tensor labels, int numClasses) {
        float[] v = labels.toArray();
        int[] ids = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i]) || Math.abs(v[i]) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("to_categorical: expected whole-number labels, got " + v[i]
                        + " at index " + i);
            }
            ids[i] = (int) v[i];
        }
        Tensor flat = toCategorical(ids, numClasses);
        int[] dims = labels.shape().dims();
        int rank = dims.length > 1 && dims[dims.length - 1] == 1 ? dims.length - 1 : dims.length;
        int[] out = Arrays.copyOf(dims, rank + 1);
        out[rank] = flat.shape().dim(1);
        return flat.reshape(out);
    }
}
