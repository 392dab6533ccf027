/**
 * Keras's optimizers (Adam, SGD with momentum and Nesterov), each update written as Keras 3 writes
 * it, in float32 device ops, so that training follows Keras step for step. New optimizers extend
 * {@link io.rnn4j.layers.optimizers.Optimizer} with an update rule and a slot count.
 */
package io.rnn4j.layers.optimizers;
