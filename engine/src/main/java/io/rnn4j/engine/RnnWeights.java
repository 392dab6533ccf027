package io.rnn4j.engine;

/**
 * The weights of a recurrent cell in Keras's layouts (see {@link RnnSpec} for shapes); also used for
 * their gradients. {@code bias} is null when the spec has no bias.
 */
public record RnnWeights(Tensor kernel, Tensor recurrentKernel, Tensor bias) {
}
