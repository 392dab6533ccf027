/** Keras's weight regularizers (L1, L2): penalties added to the training loss, differentiable through autograd. */
package io.rnn4j.layers.regularizers;
