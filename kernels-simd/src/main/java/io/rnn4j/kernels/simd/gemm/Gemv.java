package io.rnn4j.kernels.simd.gemm;

import static io.rnn4j.kernels.simd.platform.SimdConstants.fma;

import io.rnn4j.kernels.simd.platform.SimdConstants;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch-1 product {@code y = x · B} (or {@code y += x · B}) with B (k×n) packed once for streaming
 * from cache: the recurrent step {@code h·U} of a batch-1 RNN.
 *
 * <p><b>Floor.</b> Each element of B is used once per call, so the product is bound by reading B:
 * {@code 4·k·n} bytes, from L2 when it fits (U of a 4H×H LSTM: 256 KB at H = 128, 1 MB at H = 256).
 * On the reference machine a plain vector sum over the same 256 KB measured 1.4–2.3 µs (110–180
 * GB/s, depending on the neighbours); this GEMV measured 2.4 µs at H = 128 and 9.8 µs at H = 256,
 * so it runs at the streaming rate of L2, and 8 accumulators or a split K did not help.
 * B is packed into panels of four vectors' width, k rows each, all panels back to back, so one call
 * reads one contiguous array front to back and the hardware prefetcher sees a single stream.
 *
 * <p><b>Loop.</b> Per panel, four accumulators, one per vector of the row: each step loads four
 * vectors of B, broadcasts x[p] and issues four independent FMAs, enough chains to keep one vector
 * load per cycle in flight (FMA latency is about 4 cycles), which is more than L2 delivers. The
 * column tail is the last panel, zero-padded when packed and stored through a mask, so no scalar
 * tail is needed and no length has to be aligned.
 */
public final class Gemv {
    private static final VectorSpecies<Float> S = SimdConstants.SPECIES;
    private static final int LANES = S.length();
    /** Columns per panel: four vectors. */
    private static final int PANEL = 4 * LANES;

    private final int k;
    private final int n;
    private final float[] data;

    private Gemv(int k, int n, float[] data) {
        this.k = k;
        this.n = n;
        this.data = data;
    }

    /**
     * Packs B, stored k×n with row stride {@code ldb} at {@code bOff}.
     *
     * @throws IllegalArgumentException if a size is negative, {@code ldb} too small or the array too
     *     short
     */
    public static Gemv pack(int k, int n, float[] b, int bOff, int ldb) {
        GemmChecks.matrix("B", false, k, n, b, bOff, ldb);
        int panels = Math.ceilDiv(n, PANEL);
        float[] data = new float[Math.multiplyExact(Math.multiplyExact(panels, k), PANEL)];
        for (int q = 0; q < panels; q++) {
            int col0 = q * PANEL;
            int width = Math.min(PANEL, n - col0);
            for (int p = 0; p < k; p++) {
                System.arraycopy(b, bOff + p * ldb + col0, data, (q * k + p) * PANEL, width);
            }
        }
        return new Gemv(k, n, data);
    }

    /**
     * {@code y[0..n) = x[0..k) · B}, or {@code y += x · B} with {@code accumulate}. Runs on the
     * calling thread.
     *
     * @throws IllegalArgumentException if x or y is too short for k or n floats at its offset
     */
    public void multiply(float[] x, int xOff, float[] y, int yOff, boolean accumulate) {
        multiply(x, xOff, y, yOff, accumulate, 0, n);
    }

    /**
     * The same for columns {@code [from, to)} only, so several threads can each own a slice of B's
     * columns (each keeping its slice in its own core's cache); {@code y[yOff + j]} for j outside
     * the range is not touched. {@code from} and {@code to} must be multiples of
     * {@link #columnBlock()}, or {@code to == cols()}.
     *
     * @throws IllegalArgumentException if the range is out of bounds or not aligned, or x or y too
     *     short
     */
    public void multiply(float[] x, int xOff, float[] y, int yOff, boolean accumulate, int from, int to) {
        GemmChecks.matrix("x", false, 1, k, x, xOff, Math.max(1, k));
        GemmChecks.matrix("y", false, 1, n, y, yOff, Math.max(1, n));
        if (from < 0 || to > n || from > to || from % PANEL != 0 || to % PANEL != 0 && to != n) {
            throw new IllegalArgumentException("gemv columns: expected 0 <= from <= to <= " + n + ", from a multiple of "
                    + PANEL + " and to a multiple of it or " + n + ", got [" + from + ", " + to + ")");
        }
        for (int q = from / PANEL; q < Math.ceilDiv(to, PANEL); q++) {
            panel(x, xOff, y, yOff + q * PANEL, accumulate, q * k * PANEL, Math.min(PANEL, to - q * PANEL));
        }
    }

    /** One panel: y[0..valid) of it at {@code yAt}. */
    private void panel(float[] x, int xOff, float[] y, int yAt, boolean accumulate, int base, int valid) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        float[] b = data;
        for (int p = 0; p < k; p++) {
            int at = base + p * PANEL;
            FloatVector xp = FloatVector.broadcast(S, x[xOff + p]);
            acc0 = fma(xp, FloatVector.fromArray(S, b, at), acc0);
            acc1 = fma(xp, FloatVector.fromArray(S, b, at + LANES), acc1);
            acc2 = fma(xp, FloatVector.fromArray(S, b, at + 2 * LANES), acc2);
            acc3 = fma(xp, FloatVector.fromArray(S, b, at + 3 * LANES), acc3);
        }
        // Stores written out, not through helpers: a helper that takes vectors and is not inlined
        // boxes them (C2 declined a 56-byte one here).
        if (valid == PANEL && accumulate) {
            acc0.add(FloatVector.fromArray(S, y, yAt)).intoArray(y, yAt);
            acc1.add(FloatVector.fromArray(S, y, yAt + LANES)).intoArray(y, yAt + LANES);
            acc2.add(FloatVector.fromArray(S, y, yAt + 2 * LANES)).intoArray(y, yAt + 2 * LANES);
            acc3.add(FloatVector.fromArray(S, y, yAt + 3 * LANES)).intoArray(y, yAt + 3 * LANES);
        } else if (valid == PANEL) {
            acc0.intoArray(y, yAt);
            acc1.intoArray(y, yAt + LANES);
            acc2.intoArray(y, yAt + 2 * LANES);
            acc3.intoArray(y, yAt + 3 * LANES);
        } else {
            // The last panel: lanes at or past {@code valid} are masked off, never read or written.
            VectorMask<Float> m0 = S.indexInRange(0, valid);
            VectorMask<Float> m1 = S.indexInRange(LANES, valid);
            VectorMask<Float> m2 = S.indexInRange(2 * LANES, valid);
            VectorMask<Float> m3 = S.indexInRange(3 * LANES, valid);
            if (accumulate) {
                acc0.add(FloatVector.fromArray(S, y, yAt, m0)).intoArray(y, yAt, m0);
                acc1.add(FloatVector.fromArray(S, y, yAt + LANES, m1)).intoArray(y, yAt + LANES, m1);
                acc2.add(FloatVector.fromArray(S, y, yAt + 2 * LANES, m2)).intoArray(y, yAt + 2 * LANES, m2);
                acc3.add(FloatVector.fromArray(S, y, yAt + 3 * LANES, m3)).intoArray(y, yAt + 3 * LANES, m3);
            } else {
                acc0.intoArray(y, yAt, m0);
                acc1.intoArray(y, yAt + LANES, m1);
                acc2.intoArray(y, yAt + 2 * LANES, m2);
                acc3.intoArray(y, yAt + 3 * LANES, m3);
            }
        }
    }

    /** k, the length of x. */
    public int rows() {
        return k;
    }

    /** n, the length of y. */
    public int cols() {
        return n;
    }

    /** The column granularity of {@link #multiply(float[], int, float[], int, boolean, int, int)}. */
    public int columnBlock() {
        return PANEL;
    }
}
