/**
 * Keras model files: {@link io.rnn4j.layers.keras.Models} loads Keras 2 / tf.keras {@code .h5}
 * models and weights and Keras 3 {@code .keras} archives into the layers module's classes, one
 * Keras layer and option to one rnn4j layer and option — Sequential models as
 * {@link io.rnn4j.layers.model.Sequential}, functional ones as
 * {@link io.rnn4j.layers.model.Model}, both trainable, shared layers and nested models included —
 * and saves either as {@code .keras}.
 *
 * <p>It is shaped around one rule: a loaded model gives Keras's numbers or is refused. Every
 * option of every config is read ({@code Options}); one that would change the outputs and has no
 * counterpart here is an error naming the layer and the option. All weights are read and checked
 * before any is set. HDF5 is read and written with jhdf (pure Java, no native HDF5).
 *
 * <p>A file's custom layer classes (Keras's {@code custom_objects}) are made by the user's Java
 * layers through {@link io.rnn4j.layers.keras.CustomLayers}; a Java layer implementing
 * {@link io.rnn4j.layers.keras.KerasSerializable} is saved as Keras saves a custom class.
 */
package io.rnn4j.layers.keras;
