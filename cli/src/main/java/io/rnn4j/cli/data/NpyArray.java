package io.rnn4j.cli.data;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import java.util.Arrays;

/**
 * An n-dimensional float32 array on the host, row-major (C order), as read from or written to a
 * {@code .npy} file.
 *
 * @param shape the dimensions; empty for a scalar
 * @param data  the elements, row-major; its length is the product of the dimensions
 */
public record NpyArray(int[] shape, float[] data) {

    public NpyArray {
        shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("npy: dimensions must be >= 0, got " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("npy: shape " + Arrays.toString(shape) + " needs " + n
                    + " values, got " + data.length);
        }
    }

    /** The array as a tensor on {@code device}. */
    public Tensor toTensor(Device device) {
        return device.tensor(data, shape);
    }

    /** A tensor's elements and shape, copied to the host. */
    public static NpyArray of(Tensor t) {
        return new NpyArray(t.shape().dims(), t.toArray());
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && Arrays.equals(shape, a.shape) && Arrays.equals(data, a.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NpyArray" + Arrays.toString(shape);
    }
}
