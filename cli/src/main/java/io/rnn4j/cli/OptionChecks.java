package io.rnn4j.cli;

/**
 * The checks commands make on option values after parsing; each refusal is a {@link CliException}
 * whose one line names the option, what it must be and what came.
 */
public final class OptionChecks {
    private OptionChecks() {
    }

    /** "--units must be at least 1, got 0". */
    public static void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new CliException(option + " must be at least " + min + ", got " + value);
        }
    }

    /** "--learning-rate must be > 0, got -1.0" (NaN is refused too). */
    public static void aboveZero(String option, double value) {
        if (!(value > 0)) {
            throw new CliException(option + " must be > 0, got " + value);
        }
    }
}
