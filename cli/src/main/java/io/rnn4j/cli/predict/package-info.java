/**
 * {@code rnn4j predict}'s data handling: a batch of samples read from {@code .npy} or CSV, and the
 * model's outputs written as {@code .npy} or printed as CSV.
 */
package io.rnn4j.cli.predict;
