/**
 * Keras's model API: {@link io.rnn4j.layers.model.Sequential} with compile, fit (options in
 * {@link io.rnn4j.layers.model.Fit}, logs in {@link io.rnn4j.layers.model.History}, Keras's progress
 * bar), evaluate, predict and summary; and {@link io.rnn4j.layers.model.StepRunner}, the
 * one-step-at-a-time path for latency-sensitive callers.
 */
package io.rnn4j.layers.model;
