package io.rnn4j.engine;

import java.util.Arrays;

/**
 * Argument checks shared by the ops of {@link Device}; each message names the op, the argument, what
 * was expected and what came. They only read, so a refused call has written nothing.
 */
final class Checks {
    /** Up to this many indices are checked in a per-thread scratch array rather than a new one. */
    private static final int SCRATCH_FLOATS = 1024;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[SCRATCH_FLOATS]);

    private Checks() {
    }

    /** {@code t} is a tensor on {@code device}; the message names the argument (for callers without an op name). */
    static void on(Device device, String arg, Tensor t) {
        on(device, null, arg, t);
    }

    /** {@code t} is a tensor on {@code device}. */
    static void on(Device device, String op, String arg, Tensor t) {
        if (t == null) {
            String who = op == null ? arg : op + ": " + arg;  // built only for the message: a check runs per op
            throw new IllegalArgumentException(who + ": expected a tensor on " + device.name() + ", got null");
        }
        if (t.device() != device) {
            String who = op == null ? arg : op + ": " + arg;
            String where = t.device().name().equals(device.name())
                    ? "another device also named " + device.name()
                    : t.device().name();
            throw new IllegalArgumentException(who + ": expected a tensor on " + device.name() + ", got one on "
                    + where + " (move it with tensor.to(device))");
        }
    }

    /** A non-tensor argument (an op, an array) is present. */
    static void notNull(String op, String arg, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(op + ": " + arg + " must not be null");
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

    /** {@code axis} of {@code t}, resolved to {@code 0..rank-1} (negative counts from the end). */
    static int axis(String op, String arg, Tensor t, int axis) {
        int r = t.rank();
        if (axis < -r || axis >= r) {
            throw new IllegalArgumentException(op + ": axis must be in " + (r == 0 ? "(none: rank 0)" : -r + ".."
                    + (r - 1)) + " for " + arg + " of shape " + t.shape() + ", got " + axis);
        }
        return axis < 0 ? axis + r : axis;
    }

    /** A rows×cols matrix with row stride {@code ld} must fit inside {@code t}. */
    static void matrix(String op, String arg, Tensor t, int rows, int cols, int ld) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(op + ": " + arg + " must be at least 0x0, got " + rows + "x" + cols);
        }
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(op + ": " + arg + " is " + rows + "x" + cols
                    + ", which needs a leading dimension >= " + Math.max(1, cols) + ", got " + ld);
        }
        long needed = rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
        if (needed > t.size()) {
            throw new IllegalArgumentException(op + ": " + arg + " as a " + rows + "x" + cols + " matrix with leading "
                    + "dimension " + ld + " needs " + needed + " elements, got " + t.shape() + " with " + t.size());
        }
    }

    /** The output must not share memory with an input (the backends read inputs while writing). */
    static void distinct(String op, Tensor out, Tensor... inputs) {
        for (Tensor in : inputs) {
            if (in != null && out != null && overlaps(in, out)) {
                throw new IllegalArgumentException(op + ": the output " + out.shape()
                        + " overlaps an input " + in.shape() + "; pass a separate tensor");
            }
        }
    }

    /** {@code out} must not share memory with {@code in}. */
    static void disjoint(String op, String outArg, Tensor out, String inArg, Tensor in) {
        if (overlaps(in, out)) {
            throw new IllegalArgumentException(op + ": " + outArg + " " + out.shape() + " must not overlap " + inArg
                    + " " + in.shape() + ", got views sharing memory; pass a separate tensor");
        }
    }

    /**
     * {@code out} is {@code in} itself (same memory, in place) or shares no memory with it; a partial
     * overlap would make the result depend on the order a backend visits the elements.
     */
    static void inPlaceOrDisjoint(String op, String outArg, Tensor out, String inArg, Tensor in) {
        boolean same = in.storage() == out.storage() && in.offset() == out.offset() && in.size() == out.size();
        if (!same && overlaps(in, out)) {
            throw new IllegalArgumentException(op + ": " + outArg + " " + out.shape() + " must be " + inArg
                    + " itself (in place) or not overlap it, got a view that partly overlaps " + inArg + " "
                    + in.shape());
        }
    }

    static boolean overlaps(Tensor a, Tensor b) {
        return a.storage() == b.storage() && a.size() > 0 && b.size() > 0
                && a.offset() < b.offset() + b.size() && b.offset() < a.offset() + a.size();
    }

    /** A view of {@code t} with leading 1s so that it has {@code rank} axes. */
    static Tensor padRank(Tensor t, int rank) {
        if (t.rank() == rank) {
            return t;
        }
        int[] d = new int[rank];
        Arrays.fill(d, 1);
        int[] own = t.shape().dims();
        System.arraycopy(own, 0, d, rank - own.length, own.length);
        return t.reshape(d);
    }

    /** Indices must be integral values in {@code [0, rows)}; reads them (they are small). */
    static void indices(String op, Tensor indices, int rows) {
        int n = Math.toIntExact(indices.size());
        // A few indices (a streaming step's one id) are read into this thread's scratch, so that the
        // check makes no garbage per call; many are read at once, as one transfer from the device.
        float[] v = n <= SCRATCH_FLOATS ? SCRATCH.get() : new float[n];
        indices.device().backend().read(indices.storage(), indices.offset(), v, 0, n);
        for (int i = 0; i < n; i++) {
            float f = v[i];
            if (f != Math.rint(f) || f < 0 || f >= rows) {
                throw new IllegalArgumentException(op + ": indices must be integers in [0, " + rows + "), got " + f
                        + " at flat position " + i + " of " + indices.shape());
            }
        }
    }
}
