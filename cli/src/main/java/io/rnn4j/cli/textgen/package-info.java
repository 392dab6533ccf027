/**
 * {@code rnn4j textgen}: a character-level LSTM language model trained on Moby-Dick, scored in
 * bits per character on held-out text, sampling new text at a chosen temperature, checkpointing
 * each epoch and resuming from the last checkpoint.
 */
package io.rnn4j.cli.textgen;
