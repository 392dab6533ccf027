/** Keras's weight initializers (glorot, he, lecun, orthogonal, random, constant) with Keras's fans and defaults. */
package io.rnn4j.layers.initializers;
