package io.rnn4j.engine.testing;

/** Row-major multi-index arithmetic for the references. */
public final class Nd {
    private Nd() {
    }

    public static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** The multi-index of element {@code flat}. */
    public static int[] index(int[] shape, int flat) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }

    /** The flat position of {@code index}. */
    public static int flat(int[] shape, int[] index) {
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            flat = flat * shape[d] + index[d];
        }
        return flat;
    }

    /** Advances a row-major multi-index by one in place (an odometer); false after the last element. */
    public static boolean next(int[] index, int[] shape) {
        for (int d = shape.length - 1; d >= 0; d--) {
            if (++index[d] < shape[d]) {
                return true;
            }
            index[d] = 0;
        }
        return false;
    }

    /** {@code shape} without {@code axis}. */
    public static int[] without(int[] shape, int axis) {
        int[] out = new int[shape.length - 1];
        for (int d = 0, j = 0; d < shape.length; d++) {
            if (d != axis) {
                out[j++] = shape[d];
            }
        }
        return out;
    }

    /** {@code shape} with {@code axis} set to {@code dim}. */
    public static int[] with(int[] shape, int axis, int dim) {
        int[] out = shape.clone();
        out[axis] = dim;
        return out;
    }
}
