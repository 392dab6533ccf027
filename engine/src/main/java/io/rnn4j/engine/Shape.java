package io.rnn4j.engine;

import java.util.Arrays;

/**
 * The dimensions of a row-major tensor. Immutable; dimensions are non-negative.
 *
 * <p>Axes may be given negative, counting from the end, as in NumPy and Keras.
 */
public final class Shape {
    private final int[] dims;
    private final long size;

    private Shape(int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("shape: dimensions must be >= 0, got " + Arrays.toString(dims));
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape: " + Arrays.toString(dims)
                        + " has more elements than a long can count");
            }
        }
        this.dims = dims;
        this.size = n;
    }

    /** A shape with the given dimensions (a copy is kept). */
    public static Shape of(int... dims) {
        if (dims == null) {
            throw new IllegalArgumentException("shape: dims must not be null");
        }
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    /** The dimension at {@code axis}; negative axes count from the end. */
    public int dim(int axis) {
        return dims[axis(axis)];
    }

    /** The dimensions, as a fresh array. */
    public int[] dims() {
        return dims.clone();
    }

    /** The number of elements. */
    public long size() {
        return size;
    }

    /** Resolves a possibly negative axis to {@code 0..rank-1}, or throws naming the rank. */
    public int axis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for shape " + this);
        }
        return a;
    }

    /** The product of the dimensions before {@code axis}. */
    public long outer(int axis) {
        long n = 1;
        for (int i = 0; i < axis(axis); i++) {
            n *= dims[i];
        }
        return n;
    }

    /** The product of the dimensions after {@code axis}. */
    public long inner(int axis) {
        long n = 1;
        for (int i = axis(axis) + 1; i < dims.length; i++) {
            n *= dims[i];
        }
        return n;
    }

    /** This shape with {@code axis} replaced by {@code dim}. */
    public Shape with(int axis, int dim) {
        int[] d = dims.clone();
        d[axis(axis)] = dim;
        return new Shape(d);
    }

    /** This shape without {@code axis}. */
    public Shape without(int axis) {
        int a = axis(axis);
        int[] d = new int[dims.length - 1];
        System.arraycopy(dims, 0, d, 0, a);
        System.arraycopy(dims, a + 1, d, a, dims.length - a - 1);
        return new Shape(d);
    }

    /** This shape without its first axis (one row of a batch). */
    public Shape tail() {
        return without(0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** As Keras prints shapes: {@code (2, 3, 4)}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(dims[i]);
        }
        return b.append(dims.length == 1 ? ",)" : ")").toString();
    }
}
