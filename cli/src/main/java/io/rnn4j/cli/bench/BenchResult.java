package io.rnn4j.cli.bench;

import io.rnn4j.engine.RnnCase;

/**
 * The outcome of one case on one device.
 *
 * @param gradientSums for a training case, the sums of dL/dW, dL/dU, dL/db and dL/dx; else null
 */
public record BenchResult(RnnCase rnnCase, String device, double medianMs, double minMs, int runs, double sum,
        double lastH, double[] gradientSums) {

    /**
     * How far the checksums may stray from rnn-cases.md's (relative) before they are reported as
     * wrong: the file's values are float64 results given to 6 digits, and a float32 implementation
     * agrees to about 1e-4; beyond 1e-3 something is computed differently.
     */
    public static final double TOLERANCE = 1e-3;

    /** The checksums (and gradient sums) that differ from rnn-cases.md's, one description each. */
    public java.util.List<String> mismatches() {
        java.util.List<String> out = new java.util.ArrayList<>();
        check(out, "sum", sum, rnnCase.expectedSum);
        check(out, "lastH", lastH, rnnCase.expectedLastH);
        double[] expected = rnnCase.expectedGradientSums();
        if (gradientSums != null && expected != null) {
            String[] names = {"sum dL/dW", "sum dL/dU", "sum dL/db", "sum dL/dx"};
            for (int i = 0; i < expected.length; i++) {
                check(out, names[i], gradientSums[i], expected[i]);
            }
        }
        return out;
    }

    private void check(java.util.List<String> out, String what, double actual, double expected) {
        if (!(Math.abs(actual - expected) <= TOLERANCE * Math.abs(expected))) {
            out.add(rnnCase + " on " + device + ": " + what + " is " + BenchTable.num(actual) + ", rnn-cases.md says "
                    + BenchTable.num(expected));
        }
    }
}
