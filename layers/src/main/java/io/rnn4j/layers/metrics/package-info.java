/**
 * Keras's metrics (MAE, MSE, accuracy in its binary, categorical and sparse forms): stateful
 * accumulators updated per batch and read per epoch, computed on the host in double.
 */
package io.rnn4j.layers.metrics;
