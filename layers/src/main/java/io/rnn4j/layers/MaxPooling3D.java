package io.rnn4j.layers;

/**
 * Keras's MaxPooling3D (keras/src/layers/pooling/max_pooling3d.py): the largest value of each
 * window, per channel, over {@code (batch, depth, rows, cols, channels)} ("channels_last", the
 * default) or channels first (see {@link PoolingBase} for the windows, options and cost). "same"
 * padding never wins a window (its taps read the nearest real position). In training the gradient
 * of each output goes to the window's first max, as in Keras's fit on TensorFlow (a traced graph,
 * where oneDNN's or XLA's MaxPool3DGrad sends it to one max; TensorFlow 2.21 eager on the CPU
 * without oneDNN gives every tied max the whole gradient) and on JAX, and as MaxPooling2D does.
 */
public final class MaxPooling3D extends PoolingBase<MaxPooling3D> {
    /** Keras's defaults: windows of 2 on every axis, strides = pool_size, "valid". */
    public MaxPooling3D() {
        this(2);
    }

    /**
     * Windows of {@code poolSize} (one size for every axis, or one per axis), every {@code poolSize}.
     *
     * @throws IllegalArgumentException for a size below 1 or another count of sizes, naming the layer
     */
    public MaxPooling3D(int... poolSize) {
        super("max_pooling3d", 3, poolSize, null);
    }

    /**
     * Windows of {@code poolSize} every {@code strides} (each one size for every axis, or one per axis).
     *
     * @throws IllegalArgumentException for a size below 1 or another count of sizes, naming the layer
     */
    public MaxPooling3D(int[] poolSize, int[] strides) {
        super("max_pooling3d", 3, poolSize, strides);
    }

    @Override
    boolean max() {
        return true;
    }

    @Override
    String axes() {
        return "(batch, depth, rows, cols, channels)";
    }
}
