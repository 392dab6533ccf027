package io.rnn4j.layers.optimizers;

/**
 * The checks of the optimizers' own options, one message shape for all: the optimizer's Keras
 * name, the option under Keras's name, what is allowed, and what came.
 */
final class OptionChecks {
    private OptionChecks() {
    }

    /** A decay rate such as beta_1: in [0, 1). */
    static double unitInterval(String optimizer, String option, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(optimizer + ": " + option + " must be in [0, 1), got " + v);
        }
        return v;
    }

    /** A rate that may reach 1 (rho, Lion's beta_2): in [0, 1]. */
    static double closedUnitInterval(String optimizer, String option, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(optimizer + ": " + option + " must be in [0, 1], got " + v);
        }
        return v;
    }

    /** An epsilon or a regularization strength: >= 0 and finite. */
    static double nonNegative(String optimizer, String option, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(optimizer + ": " + option + " must be >= 0 and finite, got " + v);
        }
        return v;
    }

    /** A threshold that divides (Adafactor's clip_threshold): > 0 and finite. */
    static double positive(String optimizer, String option, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(optimizer + ": " + option + " must be > 0 and finite, got " + v);
        }
        return v;
    }

    /** An exponent that must keep a decay in [0, 1) (Adafactor's beta_2_decay): <= 0 and finite. */
    static double nonPositive(String optimizer, String option, double v) {
        if (!(v <= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(optimizer + ": " + option + " must be <= 0 and finite, got " + v);
        }
        return v;
    }
}
