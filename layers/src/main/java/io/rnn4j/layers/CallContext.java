package io.rnn4j.layers;

import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What one forward pass passes to every layer: whether it is training (dropout active), the
 * random stream dropout draws from, and the losses layers add during the pass (Keras's
 * {@code add_loss}, e.g. ActivityRegularization's), which fit and evaluate add to the compiled
 * loss. One context per call, so concurrent predictions share nothing.
 *
 * @param addedLosses the scalar losses added so far in this pass, in call order; layers append
 *                    through {@link #addLoss}
 */
public record CallContext(boolean training, RandomGenerator random, List<Variable> addedLosses) {

    /** A context with no loss added yet. */
    public CallContext(boolean training, RandomGenerator random) {
        this(training, random, new ArrayList<>());
    }

    /** Inference: no dropout, no randomness needed. */
    public static CallContext inference() {
        return new CallContext(false, null);
    }

    /** Training with dropout drawn from {@code random}. */
    public static CallContext training(RandomGenerator random) {
        return new CallContext(true, random);
    }

    /** Keras's {@code Layer.add_loss}: a scalar added to this pass's loss by fit and evaluate. */
    public void addLoss(Variable loss) {
        addedLosses.add(loss);
    }
}
