package io.rnn4j.layers;

/**
 * What a layer can be {@link Layer#apply applied} to in the functional API: an {@link Input} or
 * the output of another layer ({@link SymbolicTensor}, Keras's KerasTensor).
 */
public sealed interface Symbolic permits Input, SymbolicTensor {

    /** The symbolic tensor this stands for. */
    SymbolicTensor symbolic();
}
