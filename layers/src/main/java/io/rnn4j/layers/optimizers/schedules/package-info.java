/**
 * Keras's learning-rate schedules (exponential decay with staircase, cosine decay with warmup,
 * piecewise constant), usable wherever an optimizer takes a learning rate. They are pure
 * functions of the optimizer's step, computed in float32 as Keras computes them, so that a
 * resumed run (the step restored from an {@link io.rnn4j.layers.optimizers.OptimizerState})
 * continues the same schedule.
 */
package io.rnn4j.layers.optimizers.schedules;
