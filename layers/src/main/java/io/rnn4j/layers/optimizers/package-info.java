/**
 * Keras 3's optimizers — SGD (momentum, Nesterov), Adam (AMSGrad), AdamW, RMSprop (momentum,
 * centered), Adagrad, Adamax, Nadam, Adadelta, Lion, Ftrl, Lamb, Adafactor — each update written as Keras
 * writes it, in float32 device ops, so that training follows Keras step for step; with Keras's gradient
 * clipping (clipnorm, clipvalue, global_clipnorm), decoupled weight decay, learning-rate schedules
 * ({@link io.rnn4j.layers.optimizers.schedules}) and a state that can be saved and restored
 * ({@link io.rnn4j.layers.optimizers.OptimizerState}). New optimizers extend
 * {@link io.rnn4j.layers.optimizers.Optimizer} with an update rule and their slot names.
 */
package io.rnn4j.layers.optimizers;
