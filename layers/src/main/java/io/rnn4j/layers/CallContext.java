package io.rnn4j.layers;

import java.util.random.RandomGenerator;

/**
 * What one forward pass passes to every layer: whether it is training (dropout active) and the
 * random stream dropout draws from. One context per call, so concurrent predictions share nothing.
 */
public record CallContext(boolean training, RandomGenerator random) {

    /** Inference: no dropout, no randomness needed. */
    public static CallContext inference() {
        return new CallContext(false, null);
    }

    /** Training with dropout drawn from {@code random}. */
    public static CallContext training(RandomGenerator random) {
        return new CallContext(true, random);
    }
}
