package io.rnn4j.engine;

import java.util.Arrays;

/**
 * The dimensions of a row-major tensor. Immutable; dimensions are non-negative.
 *
 * <p>A model's graph also describes samples whose size along some axis is known only when data
 * comes (Keras's {@code None}, as in {@code Input(shape=(None, 8))}): such a shape, made with
 * {@link #withUnknown}, holds {@link #UNKNOWN} there, prints it as {@code None}, and has no
 * {@link #size()}; no tensor has one.
 *
 * <p>Axes may be given negative, counting from the end, as in NumPy and Keras.
 */
public final class Shape {
    /** A dimension known only at call time (Keras's {@code None}); see {@link #withUnknown}. */
    public static final int UNKNOWN = -1;

    private final int[] dims;
    private final long size; // -1 where a dimension is unknown

    /** @param lowest the smallest dimension allowed: 0, or {@link #UNKNOWN} in a graph's shape */
    private Shape(int[] dims, int lowest) {
        long n = 1;
        boolean known = true;
        for (int d : dims) {
            if (d < lowest) {
                throw new IllegalArgumentException("shape: dimensions must be >= 0" + (lowest < 0 ? " or UNKNOWN (-1)"
                        : "") + ", got " + Arrays.toString(dims));
            }
            if (d == UNKNOWN) {
                known = false;
                continue;
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape: " + Arrays.toString(dims)
                        + " has more elements than a long can count");
            }
        }
        this.dims = dims;
        this.size = known ? n : -1;
    }

    /** A shape with the given dimensions (a copy is kept), each {@code >= 0}. */
    public static Shape of(int... dims) {
        if (dims == null) {
            throw new IllegalArgumentException("shape: dims must not be null");
        }
        return new Shape(dims.clone(), 0);
    }

    /**
     * A shape in which some dimensions may be {@link #UNKNOWN}, for a model's graph (a sample of
     * {@code (UNKNOWN, 8)} is any number of timesteps of 8 features); the others are {@code >= 0}.
     */
    public static Shape withUnknown(int... dims) {
        if (dims == null) {
            throw new IllegalArgumentException("shape: dims must not be null");
        }
        return new Shape(dims.clone(), UNKNOWN);
    }

    /** Whether two dimensions may be the same size: equal, or either {@link #UNKNOWN}. */
    public static boolean compatible(int a, int b) {
        return a == b || a == UNKNOWN || b == UNKNOWN;
    }

    /** Whether every dimension is known (no {@link #UNKNOWN}); only such a shape has a size. */
    public boolean isKnown() {
        return size >= 0;
    }

    /**
     * Whether {@code other} may describe the same data: the same rank, and each dimension equal or
     * unknown in either.
     */
    public boolean isCompatible(Shape other) {
        if (other == null || other.dims.length != dims.length) {
            return false;
        }
        for (int i = 0; i < dims.length; i++) {
            if (!compatible(dims[i], other.dims[i])) {
                return false;
            }
        }
        return true;
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

    /**
     * The number of elements.
     *
     * @throws IllegalStateException if a dimension is {@link #UNKNOWN}
     */
    public long size() {
        requireKnown("size");
        return size;
    }

    private void requireKnown(String what) {
        if (size < 0) {
            throw new IllegalStateException("shape " + this + " has an unknown dimension (None), so its " + what
                    + " is known only when data comes");
        }
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
        requireKnown("outer size");
        long n = 1;
        for (int i = 0; i < axis(axis); i++) {
            n *= dims[i];
        }
        return n;
    }

    /** The product of the dimensions after {@code axis}. */
    public long inner(int axis) {
        requireKnown("inner size");
        long n = 1;
        for (int i = axis(axis) + 1; i < dims.length; i++) {
            n *= dims[i];
        }
        return n;
    }

    /** This shape with {@code axis} replaced by {@code dim} ({@code >= 0}, or {@link #UNKNOWN} in a graph's shape). */
    public Shape with(int axis, int dim) {
        if (dim < UNKNOWN) {
            throw new IllegalArgumentException("shape: dimensions must be >= 0, got " + dim + " for axis " + axis
                    + " of " + this);
        }
        int[] d = dims.clone();
        d[axis(axis)] = dim;
        return new Shape(d, UNKNOWN);
    }

    /** This shape without {@code axis}. */
    public Shape without(int axis) {
        int a = axis(axis);
        int[] d = new int[dims.length - 1];
        System.arraycopy(dims, 0, d, 0, a);
        System.arraycopy(dims, a + 1, d, a, dims.length - a - 1);
        return new Shape(d, UNKNOWN);
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

    /** As Keras prints shapes: {@code (2, 3, 4)}, an unknown dimension as {@code None}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(dims[i] == UNKNOWN ? "None" : String.valueOf(dims[i]));
        }
        return b.append(dims.length == 1 ? ",)" : ")").toString();
    }
}
