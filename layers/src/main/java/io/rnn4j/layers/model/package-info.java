/**
 * Keras's model API: {@link io.rnn4j.layers.model.Sequential} and the functional
 * {@link io.rnn4j.layers.model.Model} (several inputs and outputs, built by applying layers to
 * symbolic tensors), both with compile, fit (options in
 * {@link io.rnn4j.layers.model.Fit}, logs in {@link io.rnn4j.layers.model.History}, Keras's progress
 * bar, sample and class weights, callbacks), evaluate, predict, summary, and Keras 3's
 * {@code .weights.h5} with saveWeights and loadWeights;
 * {@link io.rnn4j.layers.model.TrainableModel}, what callbacks see of either; and
 * {@link io.rnn4j.layers.model.StepRunner}, the one-step-at-a-time path for latency-sensitive
 * callers.
 *
 * <p>Both model kinds train through one loop (the package-private {@code Training}), which sees a
 * model as inputs, outputs (each with its Keras mask, which leaves padded timesteps out of the
 * loss and metrics) and a compiled loss per output. Both are layers too, as in Keras: a model may
 * be applied in another model's graph or added to a Sequential.
 */
package io.rnn4j.layers.model;
