/**
 * Keras's losses (mean squared/absolute/percentage error, mean squared logarithmic error, Huber,
 * log_cosh, KL divergence, Poisson, cosine similarity, the hinges, binary, categorical and sparse
 * categorical crossentropy) as autograd expressions with Keras's clipping, epsilon and reduction
 * (sum_over_batch_size, with optional sample weights and the predictions' Keras mask, as Keras 3's
 * {@code reduce_weighted_values}), so that the loss and its gradient match Keras's.
 */
package io.rnn4j.layers.losses;
