/**
 * Keras's losses (mean squared/absolute error, binary, categorical and sparse categorical
 * crossentropy) as autograd expressions with Keras's clipping, epsilon and reduction, so that the
 * loss and its gradient match Keras's.
 */
package io.rnn4j.layers.losses;
