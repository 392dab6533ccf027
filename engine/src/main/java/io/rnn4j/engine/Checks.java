package io.rnn4j.engine;

/** Argument checks shared by the ops of {@link Device}; each message names the op, the argument, expected and actual. */
final class Checks {
    private Checks() {
    }

    static void on(Device device, String arg, Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException(arg + ": expected a tensor on " + device.name() + ", got null");
        }
        if (t.device() != device) {
            throw new IllegalArgumentException(arg + ": expected a tensor on " + device.name() + ", got one on "
                    + t.device().name() + " (move it with tensor.to(device))");
        }
    }

    static void rank(String op, String arg, Tensor t, int rank) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(op + ": " + arg + " must have rank " + rank + ", got shape "
                    + t.shape());
        }
    }

    static void shape(String op, String arg, Tensor t, Shape expected) {
        if (!t.shape().equals(expected)) {
            throw new IllegalArgumentException(op + ": " + arg + " must have shape " + expected + ", got "
                    + t.shape());
        }
    }

    static void sameSize(String op, String arg, Tensor t, Tensor like) {
        if (t.size() != like.size()) {
            throw new IllegalArgumentException(op + ": " + arg + " must have " + like.size() + " elements (like "
                    + like.shape() + "), got " + t.shape());
        }
    }

    static void sameExceptAxis(String op, String arg, Tensor t, Shape whole, int axis) {
        if (t.rank() != whole.rank() || !t.shape().with(axis, 1).equals(whole.with(axis, 1))) {
            throw new IllegalArgumentException(op + ": " + arg + " must match " + whole + " on every axis but "
                    + axis + ", got " + t.shape());
        }
    }

    /** A rows×cols matrix with row stride {@code ld} must fit inside {@code t}. */
    static void matrix(String op, String arg, Tensor t, int rows, int cols, int ld) {
        if (rows < 0 || cols < 0 || ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(op + ": " + arg + " is " + rows + "x" + cols
                    + ", which needs a leading dimension >= " + Math.max(1, cols) + ", got " + ld);
        }
        long needed = rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
        if (needed > t.size()) {
            throw new IllegalArgumentException(op + ": " + arg + " as a " + rows + "x" + cols + " matrix with leading "
                    + "dimension " + ld + " needs " + needed + " elements, got " + t.shape() + " (" + t.size() + ")");
        }
    }

    /** The output must not share storage with an input (the backends read inputs while writing). */
    static void distinct(String op, Tensor out, Tensor... inputs) {
        for (Tensor in : inputs) {
            if (in != null && out != null && in.storage() == out.storage() && overlaps(in, out)) {
                throw new IllegalArgumentException(op + ": the output " + out.shape()
                        + " overlaps an input; pass a separate tensor");
            }
        }
    }

    private static boolean overlaps(Tensor a, Tensor b) {
        return a.offset() < b.offset() + b.size() && b.offset() < a.offset() + a.size();
    }

    /** A view of {@code t} with leading 1s so that it has {@code rank} axes. */
    static Tensor padRank(Tensor t, int rank) {
        if (t.rank() == rank) {
            return t;
        }
        int[] d = new int[rank];
        java.util.Arrays.fill(d, 1);
        int[] own = t.shape().dims();
        System.arraycopy(own, 0, d, rank - own.length, own.length);
        return t.reshape(d);
    }

    /** Indices must be integral values in {@code [0, rows)}; reads them (they are small). */
    static void indices(String op, Tensor indices, int rows) {
        float[] v = indices.toArray();
        for (int i = 0; i < v.length; i++) {
            float f = v[i];
            if (f != Math.rint(f) || f < 0 || f >= rows) {
                throw new IllegalArgumentException(op + ": indices must be integers in [0, " + rows + "), got " + f
                        + " at flat position " + i + " of " + indices.shape());
            }
        }
    }
}
