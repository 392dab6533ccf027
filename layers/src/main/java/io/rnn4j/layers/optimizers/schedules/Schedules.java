package io.rnn4j.layers.optimizers.schedules;

/** Argument checks shared by the schedules. */
final class Schedules {
    private Schedules() {
    }

    static void checkRate(String schedule, String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(schedule + ": " + name + " must be >= 0 and finite, got " + v);
        }
    }
}
