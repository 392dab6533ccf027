package io.rnn4j.layers;

/**
 * Keras's MaxPooling3D (keras/src/layers/pooling/max_pooling3d.py): the largest value of each
 * window, per channel, over {@code (batch, depth, rows, cols, channels)} ("channels_last", the
 * default) or channels first (see {@link PoolingBase} for the windows, options and cost). "same"
 * padding never wins a window: a tap in the padding reads a -inf row, as TensorFlow pads. In
 * training the gradient of each output goes whole to every position holding the window's max,
 * ties included, as TensorFlow's CPU MaxPool3DGrad sends it (its 2D kernel, MaxPooling2D's, sends
 * it to the first max only; Keras on JAX sends it to one max in both).
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

    /** TensorFlow's CPU MaxPool3DGrad sends the gradient to every tied max, unlike its 2D kernel. */
    @Override
    boolean everyTie() {
        return true;
    }

    @Override
    String axes() {
        return "(batch, depth, rows, cols, channels)";
    }
}
