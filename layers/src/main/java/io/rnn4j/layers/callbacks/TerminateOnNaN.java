package io.rnn4j.layers.callbacks;

import java.util.Map;

/**
 * Keras 3's TerminateOnNaN: when a batch ends with a NaN or infinite loss, stops training after
 * that batch (printing "Batch N: Invalid loss, terminating training"), or with
 * {@code raiseError} throws. ({@code fit} itself refuses inputs and labels holding NaN or
 * infinity with an IllegalArgumentException naming the sample, before any update; this callback
 * catches losses that diverge from finite data.)
 */
public final class TerminateOnNaN extends Callback {
    private final boolean raiseError;

    /** Stops training quietly (Keras's default, raise_error=False). */
    public TerminateOnNaN() {
        this(false);
    }

    /** @param raiseError throw an {@link IllegalStateException} instead of stopping */
    public TerminateOnNaN(boolean raiseError) {
        this.raiseError = raiseError;
    }

    @Override
    public void onBatchEnd(int batch, Map<String, Double> logs) {
        Double loss = logs.get("loss");
        if (loss != null && (loss.isNaN() || loss.isInfinite())) {
            if (raiseError) {
                throw new IllegalStateException("NaN or Inf loss encountered at batch " + batch + ". Loss value: "
                        + PyFormat.repr(loss) + ". Terminating training immediately.");
            }
            out().println("Batch " + batch + ": Invalid loss, terminating training");
            model().setStopTraining(true);
        }
    }
}
