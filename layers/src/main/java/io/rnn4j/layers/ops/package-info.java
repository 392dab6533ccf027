/**
 * Keras 3's operations between the layers of a functional model: what {@code x + y},
 * {@code x * 0.5} or a {@code keras.ops} function ({@code keras.ops.mean(x, axis=1)},
 * {@code keras.ops.expand_dims(x, -1)}, ...) records, written from Java with
 * {@link io.rnn4j.layers.ops.KerasOps} and read from and saved to Keras 3 files as Keras writes them
 * (module {@code keras.src.ops.numpy}, {@code keras.src.ops.nn}, or {@code keras.src.ops.core} for Cast).
 *
 * <p>Each is an {@link io.rnn4j.layers.Operation}, a layer of the graph without weights whose output
 * carries no mask, grouped here by family ({@link io.rnn4j.layers.ops.Arithmetic},
 * {@link io.rnn4j.layers.ops.Unary}, {@link io.rnn4j.layers.ops.Reduction},
 * {@link io.rnn4j.layers.ops.Shaping}, {@link io.rnn4j.layers.ops.Concatenation},
 * {@link io.rnn4j.layers.ops.Stack}, {@link io.rnn4j.layers.ops.Matmul}, {@link io.rnn4j.layers.ops.Clip},
 * {@link io.rnn4j.layers.ops.Rounding}, {@link io.rnn4j.layers.ops.Cast},
 * {@link io.rnn4j.layers.ops.Comparison} (comparisons and logical operations, true as 1 and false as 0),
 * {@link io.rnn4j.layers.ops.Where}), whose {@code className()} is Keras's class name. They
 * compute through the autograd ops, with the TensorFlow backend's numbers and gradient conventions,
 * and keep the batch axis first and whole, as every tensor of an rnn4j model has it.
 */
package io.rnn4j.layers.ops;
