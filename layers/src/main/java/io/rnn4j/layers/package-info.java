/**
 * Keras's layers: {@link io.rnn4j.layers.Dense}, {@link io.rnn4j.layers.SimpleRNN},
 * {@link io.rnn4j.layers.LSTM}, {@link io.rnn4j.layers.GRU}, {@link io.rnn4j.layers.Bidirectional},
 * {@link io.rnn4j.layers.Embedding}, {@link io.rnn4j.layers.Masking} and the shape layers, with
 * Keras's options, defaults, weight layouts and mask semantics.
 *
 * <p>A layer is configured by constructor and fluent setters, built once for an input shape, and
 * called on {@link io.rnn4j.layers.autograd.Variable}s. Weights are listed in Keras's
 * {@code get_weights()} order so Keras weights load as they are. The recurrent layers run a whole
 * sequence as one autograd node on the device's fused kernels ({@link io.rnn4j.layers.Recurrent}).
 */
package io.rnn4j.layers;
