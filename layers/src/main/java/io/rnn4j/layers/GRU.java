package io.rnn4j.layers;

import io.rnn4j.engine.RnnCell;

/**
 * Keras's GRU: gate blocks z, r, h; kernel (D, 3H), recurrent_kernel (H, 3H); with reset_after
 * (the default, Keras 2.3+ and 3) the bias is (2, 3H) — input row, recurrent row — and the reset
 * gate multiplies {@code h·U_h + b_h}; without it the bias is (3H) and the reset gate multiplies
 * h before its product (Keras ≤ 2.2). See {@link Recurrent} for the other options.
 */
public final class GRU extends Recurrent<GRU> {
    private boolean resetAfter = true;

    /**
     * Keras's {@code GRU(units)} with Keras's defaults for every other option.
     *
     * @param units Keras's units: the size of the state and the output
     * @throws IllegalArgumentException for units below 1
     */
    public GRU(int units) {
        super("gru", null, RnnCell.GRU, units);
    }

    private GRU(int units, String name) {
        super("gru", name, RnnCell.GRU, units);
    }

    /** Keras's recurrent_activation: the gates' activation (σr in DESIGN.md), default sigmoid. */
    public GRU recurrentActivation(Activation a) {
        return setRecurrentActivation(a);
    }

    /** @throws IllegalArgumentException for an unknown name, naming this layer */
    public GRU recurrentActivation(String kerasName) {
        return setRecurrentActivation(Activations.named(kerasName, name()));
    }

    /** Keras's reset_after: apply the reset gate after the recurrent product (default true, cuDNN's). */
    public GRU resetAfter(boolean on) {
        requireNotBuilt("reset_after");
        this.resetAfter = on;
        return this;
    }

    @Override
    public boolean resetAfter() {
        return resetAfter;
    }

    @Override
    protected GRU newOfSameKind(String name) {
        return new GRU(units(), name);
    }

    @Override
    protected void copyOwnOptions(GRU target) {
        target.resetAfter = resetAfter;
    }
}
