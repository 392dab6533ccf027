package io.rnn4j.layers;

import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.Shape;
import io.rnn4j.layers.initializers.Initializer;
import java.util.random.RandomGenerator;

/**
 * Keras's LSTM: gate blocks i, f, c, o; kernel (D, 4H), recurrent_kernel (H, 4H), bias (4H);
 * activation tanh, recurrent_activation sigmoid, and unit_forget_bias on (the forget block of the
 * bias starts at 1). States h and c. See {@link Recurrent} for the other options.
 */
public final class LSTM extends Recurrent<LSTM> {
    private boolean unitForgetBias = true;

    /**
     * Keras's {@code LSTM(units)} with Keras's defaults for every other option.
     *
     * @param units Keras's units: the size of the state and the output
     * @throws IllegalArgumentException for units below 1
     */
    public LSTM(int units) {
        super("lstm", null, RnnCell.LSTM, units);
    }

    private LSTM(int units, String name) {
        super("lstm", name, RnnCell.LSTM, units);
    }

    /** Keras's recurrent_activation: the gates' activation (σr in DESIGN.md), default sigmoid. */
    public LSTM recurrentActivation(Activation a) {
        return setRecurrentActivation(a);
    }

    /** @throws IllegalArgumentException for an unknown name, naming this layer */
    public LSTM recurrentActivation(String kerasName) {
        return setRecurrentActivation(Activations.named(kerasName, name()));
    }

    /** Keras's unit_forget_bias: the forget gate's bias block starts at 1 (default true). */
    public LSTM unitForgetBias(boolean on) {
        requireNotBuilt("unit_forget_bias");
        this.unitForgetBias = on;
        return this;
    }

    /** Keras's unit_forget_bias (default true). */
    public boolean unitForgetBias() {
        return unitForgetBias;
    }

    @Override
    protected Initializer effectiveBiasInitializer(Initializer configured) {
        return unitForgetBias ? unitForgetBias(configured, units()) : configured;
    }

    /** Keras's unit_forget_bias: {@code concat(configured(H), ones(H), configured(2H))}, shared with {@link LSTMCell}. */
    static Initializer unitForgetBias(Initializer configured, int h) {
        return new Initializer() {
            @Override
            public float[] sample(Shape shape, RandomGenerator random) {
                float[] out = new float[4 * h];
                float[] i = configured.sample(Shape.of(h), random);
                float[] rest = configured.sample(Shape.of(2 * h), random);
                System.arraycopy(i, 0, out, 0, h);
                java.util.Arrays.fill(out, h, 2 * h, 1f);
                System.arraycopy(rest, 0, out, 2 * h, 2 * h);
                return out;
            }

            @Override
            public String kerasName() {
                return configured.kerasName();
            }
        };
    }

    @Override
    protected LSTM newOfSameKind(String name) {
        return new LSTM(units(), name);
    }

    @Override
    protected void copyOwnOptions(LSTM target) {
        target.unitForgetBias = unitForgetBias;
    }
}
