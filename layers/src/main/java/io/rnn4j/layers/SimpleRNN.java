package io.rnn4j.layers;

import io.rnn4j.engine.RnnCell;

/**
 * Keras's SimpleRNN: {@code h' = activation(x·W + h·U + b)}, tanh by default. Weights kernel (D, H),
 * recurrent_kernel (H, H), bias (H). See {@link Recurrent} for the options.
 */
public final class SimpleRNN extends Recurrent<SimpleRNN> {

    /**
     * Keras's {@code SimpleRNN(units)} with Keras's defaults for every other option.
     *
     * @param units Keras's units: the size of the state and the output
     * @throws IllegalArgumentException for units below 1
     */
    public SimpleRNN(int units) {
        super("simple_rnn", null, RnnCell.SIMPLE, units);
    }

    private SimpleRNN(int units, String name) {
        super("simple_rnn", name, RnnCell.SIMPLE, units);
    }

    @Override
    protected SimpleRNN newOfSameKind(String name) {
        return new SimpleRNN(units(), name);
    }
}
