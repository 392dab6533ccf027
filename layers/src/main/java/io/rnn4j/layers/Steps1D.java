package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * What Keras's ZeroPadding1D, Cropping1D and UpSampling1D share: no weights, inputs
 * {@code (batch, steps, features)} of any sizes (Keras's {@code InputSpec(ndim=3)}), an output
 * that differs only in its steps, None steps giving None. None of them supports masking in
 * Keras 3: a masked input is computed as it is, the mask is dropped, and Keras's warning that it
 * was destroyed is logged (once per layer).
 */
abstract sealed class Steps1D extends Layer permits ZeroPadding1D, Cropping1D, UpSampling1D {
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    Steps1D(String kerasPrefix) {
        super(kerasPrefix);
    }

    /** The sample axis of the steps (0; 1 for ZeroPadding1D's channels_first). */
    int stepsAxis() {
        return 0;
    }

    /** The output steps for {@code steps} known input steps, refusing what the layer cannot take. */
    abstract int outputSteps(int steps, Shape input);

    /** The computation on a checked (batch, ...) input. */
    abstract Variable resample(Variable x);

    @Override
    protected final Shape build(Shape in, RandomGenerator random) {
        requireRank(in, 2, stepsAxis() == 0 ? "(batch, steps, features)" : "(batch, features, steps)");
        return outputShapeFor(in);
    }

    /** Any steps and features (Keras binds only the rank). */
    @Override
    protected final Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    @Override
    protected final Shape outputShapeFor(Shape in) {
        int steps = in.dim(stepsAxis());
        return in.with(stepsAxis(), steps == Shape.UNKNOWN ? Shape.UNKNOWN : outputSteps(steps, in));
    }

    @Override
    protected final Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        outputSteps(x.dim(stepsAxis() + 1), x.shape().tail());
        return resample(x);
    }

    /** {@code value} if >= 0, else a refusal naming the layer and option (Keras's standardize_tuple). */
    final int nonNegative(String option, int value, String given) {
        if (value < 0) {
            throw new IllegalArgumentException(where() + ": " + option + " must be >= 0, got " + given);
        }
        return value;
    }
}
