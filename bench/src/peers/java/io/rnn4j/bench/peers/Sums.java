package io.rnn4j.bench.peers;

/** Checksums in float64, as rnn-cases.md defines them. */
final class Sums {
    private Sums() {
    }

    static double of(float[] v) {
        double s = 0;
        for (float f : v) {
            s += f;
        }
        return s;
    }

    /** {sum of all, sum of the last step} of a time-major (T, B, H) output. */
    static double[] timeMajor(float[] out, int steps, int batch, int units) {
        double last = 0;
        int lastStart = (steps - 1) * batch * units;
        for (int i = lastStart; i < out.length; i++) {
            last += out[i];
        }
        return new double[] {of(out), last};
    }

    /** {@code a} followed by {@code b}. */
    static double[] concat(double[] a, double... b) {
        double[] r = new double[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
