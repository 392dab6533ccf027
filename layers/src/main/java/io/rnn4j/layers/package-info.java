/**
 * Keras's layers: {@link io.rnn4j.layers.Dense}, {@link io.rnn4j.layers.SimpleRNN},
 * {@link io.rnn4j.layers.LSTM}, {@link io.rnn4j.layers.GRU}, {@link io.rnn4j.layers.Bidirectional},
 * {@link io.rnn4j.layers.Embedding}, {@link io.rnn4j.layers.Masking}, {@link io.rnn4j.layers.Conv1D}
 * and the 1D pooling layers ({@link io.rnn4j.layers.MaxPooling1D},
 * {@link io.rnn4j.layers.GlobalAveragePooling1D}, ...), the dropout and noise layers, the shape
 * layers, the merge layers ({@link io.rnn4j.layers.Concatenate}, {@link io.rnn4j.layers.Add}, ...),
 * {@link io.rnn4j.layers.Attention}, {@link io.rnn4j.layers.AdditiveAttention},
 * {@link io.rnn4j.layers.LayerNormalization}, the convolutional LSTMs
 * ({@link io.rnn4j.layers.ConvLSTM1D}, {@link io.rnn4j.layers.ConvLSTM2D},
 * {@link io.rnn4j.layers.ConvLSTM3D}), {@link io.rnn4j.layers.Lambda} with a Java function, and
 * {@link io.rnn4j.layers.RNN} over a
 * {@link io.rnn4j.layers.Cell} (Keras's cells or user-written ones; Bidirectional wraps either kind
 * of {@link io.rnn4j.layers.RecurrentLayer}), with Keras's options, defaults, weight layouts and
 * mask semantics.
 *
 * <p>A layer is configured by constructor and fluent setters, built once for an input shape, and
 * called on {@link io.rnn4j.layers.autograd.Variable}s. Weights are listed in Keras's
 * {@code get_weights()} order so Keras weights load as they are. The recurrent layers run a whole
 * sequence as one autograd node on the device's fused kernels ({@link io.rnn4j.layers.Recurrent});
 * RNN(cell) runs a cell step by step on generic ops.
 *
 * <p>For the functional API a layer is {@link io.rnn4j.layers.Layer#apply applied} to
 * {@link io.rnn4j.layers.Symbolic} values (an {@link io.rnn4j.layers.Input} or a
 * {@link io.rnn4j.layers.SymbolicTensor}); each application is a {@link io.rnn4j.layers.Node}, and
 * {@code io.rnn4j.layers.model.Model} runs the resulting graph.
 *
 * <p>{@link io.rnn4j.layers.TextVectorization} and {@link io.rnn4j.layers.StringLookup} are not
 * layers: they turn strings into the float32 ids or vectors a model takes, once, in front of it (rnn4j's
 * tensors hold numbers only), with Keras's vocabularies and TensorFlow's string rules.
 */
package io.rnn4j.layers;
