/** Keras's weight constraints (max_norm, non_neg, unit_norm), applied in place on the device after each update. */
package io.rnn4j.layers.constraints;
