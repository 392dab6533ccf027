package io.rnn4j.bench.peers;

/**
 * Conversions from Keras's layouts (kernel D×G·H with gate blocks as columns, batch-major inputs)
 * to the peers' (gate-major rows, other gate orders, time-major inputs). Gate orders name, for
 * each of the peer's gate blocks, the Keras block it takes: ONNX LSTM is i,o,f,c → {0, 3, 1, 2};
 * PyTorch GRU is r,z,n → {1, 0, 2}.
 */
final class Layouts {
    private Layouts() {
    }

    /** The transpose of a row-major {@code rows × cols} matrix. */
    static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }

    /**
     * A {@code rows × gates·units} matrix with its column blocks permuted: output block k is input
     * block {@code order[k]}.
     */
    static float[] permuteGateColumns(float[] a, int rows, int units, int[] order) {
        int width = order.length * units;
        float[] out = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < order.length; k++) {
                System.arraycopy(a, r * width + order[k] * units, out, r * width + k * units, units);
            }
        }
        return out;
    }

    /** A Keras kernel (rows × G·H) as gate-major rows (G·H × rows) in the peer's gate order. */
    static float[] gateMajor(float[] kernel, int rows, int units, int[] order) {
        return transpose(permuteGateColumns(kernel, rows, units, order), rows, order.length * units);
    }

    /** Row {@code row} of a row-major matrix with {@code cols} columns. */
    static float[] row(float[] a, int row, int cols) {
        float[] r = new float[cols];
        System.arraycopy(a, row * cols, r, 0, cols);
        return r;
    }

    /** A batch-major (B, T, D) array as time-major (T, B, D). */
    static float[] timeMajor(float[] x, int batch, int steps, int features) {
        float[] out = new float[x.length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                System.arraycopy(x, (b * steps + t) * features, out, (t * batch + b) * features, features);
            }
        }
        return out;
    }
}
