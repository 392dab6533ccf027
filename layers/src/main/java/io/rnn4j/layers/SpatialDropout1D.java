package io.rnn4j.layers;

/**
 * Keras's SpatialDropout1D: on {@code (batch, timesteps, features)} inputs, in training, each
 * feature channel of each sample is dropped whole — zeroed at every time step — with probability
 * {@code rate}, the kept ones scaled by {@code 1 / (1 - rate)} (Keras's noise shape
 * {@code (batch, 1, features)}); at inference the identity. Passes the mask on, as Keras's
 * Dropout, which it extends there (see {@link SpatialDropout}).
 */
public final class SpatialDropout1D extends SpatialDropout {

    /**
     * @param rate the fraction of feature channels to drop, in {@code [0, 1]} (1 drops all in training)
     * @throws IllegalArgumentException for a rate outside {@code [0, 1]}
     */
    public SpatialDropout1D(double rate) {
        super("spatial_dropout1d", 1, rate);
    }

    @Override
    String axes() {
        return "(batch, timesteps, features)";
    }
}
