package io.rnn4j.layers.initializers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.KerasConfig;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Keras's Orthogonal: the weight viewed as (rows = product of all but the last dimension, cols =
 * the last) is the Q of a QR factorisation of a standard normal matrix, with Q's columns signed by
 * R's diagonal so that the distribution is uniform; transposed when rows &lt; cols; times gain.
 */
final class Orthogonal implements Initializer {
    private final double gain;

    Orthogonal(double gain) {
        this.gain = gain;
    }

    @Override
    public float[] sample(Shape shape, RandomGenerator random) {
        if (shape.rank() < 2) {
            throw new IllegalArgumentException("orthogonal: expected a weight of rank >= 2, got shape " + shape);
        }
        int cols = shape.dim(-1);
        int rows = Math.toIntExact(shape.size() / Math.max(1, cols));
        int m = Math.max(rows, cols);
        int n = Math.min(rows, cols);
        double[][] a = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = random.nextGaussian();
            }
        }
        double[][] q = orthonormalColumns(a, m, n);
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = rows >= cols ? q[r][c] : q[c][r];
                out[r * cols + c] = (float) (gain * v);
            }
        }
        return out;
    }

    /**
     * The Q of a = QR (m ≥ n) by modified Gram–Schmidt in double, each column's sign chosen so that
     * R's diagonal is positive (the same Q as numpy's qr times sign(diag(R))).
     */
    private static double[][] orthonormalColumns(double[][] a, int m, int n) {
        double[][] q = new double[m][n];
        for (int j = 0; j < n; j++) {
            double[] v = new double[m];
            for (int i = 0; i < m; i++) {
                v[i] = a[i][j];
            }
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < m; i++) {
                    dot += q[i][k] * v[i];
                }
                for (int i = 0; i < m; i++) {
                    v[i] -= dot * q[i][k];
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < m; i++) {
                q[i][j] = v[i] / norm;
            }
        }
        return q;
    }

    @Override
    public String kerasName() {
        return "orthogonal";
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        return Optional.of(KerasConfig.of("Orthogonal", "gain", gain));
    }
}
