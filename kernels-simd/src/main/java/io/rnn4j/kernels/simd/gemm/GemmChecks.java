package io.rnn4j.kernels.simd.gemm;

/** Argument checks for the public GEMM/GEMV entry points: cheap, once per call, before any write. */
final class GemmChecks {
    private GemmChecks() {
    }

    /**
     * Checks that {@code array} holds an op(X) of {@code rows}×{@code cols} at {@code off} with row
     * stride {@code ld}; with {@code trans} X is stored cols×rows.
     */
    static void matrix(String name, boolean trans, int rows, int cols, float[] array, int off, int ld) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(name + ": expected non-negative sizes, got " + rows + "x" + cols);
        }
        int storedRows = trans ? cols : rows;
        int storedCols = trans ? rows : cols;
        if (ld < Math.max(1, storedCols)) {
            throw new IllegalArgumentException(name + ": expected a row stride (ld) of at least "
                    + Math.max(1, storedCols) + " for " + storedRows + "x" + storedCols + " stored"
                    + (trans ? " (transposed)" : "") + ", got " + ld);
        }
        if (array == null) {
            throw new IllegalArgumentException(name + ": expected an array, got null");
        }
        if (off < 0) {
            throw new IllegalArgumentException(name + ": expected a non-negative offset, got " + off);
        }
        if (storedRows > 0 && storedCols > 0) {
            long last = (long) off + (long) (storedRows - 1) * ld + storedCols;
            if (last > array.length) {
                throw new IllegalArgumentException(name + ": expected an array of at least " + last + " floats for "
                        + storedRows + "x" + storedCols + " stored at offset " + off + " with stride " + ld + ", got "
                        + array.length);
            }
        }
    }

    static void sameDepth(String what, int expected, int actual) {
        if (expected != actual) {
            throw new IllegalArgumentException(what + ": expected " + expected + ", got " + actual);
        }
    }
}
