package io.rnn4j.layers.metrics;

/** Binary, categorical and sparse categorical accuracy, Keras's formulas. */
final class Accuracy extends MeanMetric {
    enum Kind { AUTO, BINARY, CATEGORICAL, SPARSE }

    private final Kind kind;

    Accuracy(String name, Kind kind) {
        super(name, Direction.UP);
        this.kind = kind;
    }

    @Override
    double perSample(float[] y, float[] p, int row, int last) {
        Kind k = kind;
        if (k == Kind.AUTO) {
            // Keras's get_metric("accuracy"): binary for one output column, sparse when labels are ids.
            k = last == 1 ? Kind.BINARY : y.length != p.length ? Kind.SPARSE : Kind.CATEGORICAL;
        }
        return switch (k) {
            case BINARY -> {
                double hits = 0;
                for (int j = 0; j < last; j++) {
                    float predicted = p[row * last + j] > 0.5f ? 1f : 0f;
                    hits += predicted == (float) Metrics.labelAt(y, p, row, last, j) ? 1 : 0;
                }
                yield hits / last;
            }
            case CATEGORICAL -> argmax(p, row * last, last) == argmax(y, row * last, last) ? 1 : 0;
            case SPARSE -> argmax(p, row * last, last) == (int) y[row] ? 1 : 0;
            case AUTO -> throw new AssertionError();
        };
    }

    /** The index of the first largest value, as TensorFlow's argmax. */
    private static int argmax(float[] v, int from, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (v[from + j] > v[from + best]) {
                best = j;
            }
        }
        return best;
    }
}
