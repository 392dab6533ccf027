/**
 * Keras's training callbacks: the {@link io.rnn4j.layers.callbacks.Callback} hooks that
 * {@code fit} calls (train, epoch and batch begin/end, with the logs of the moment), and Keras 3's
 * EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, LearningRateScheduler, TerminateOnNaN and
 * CSVLogger with Keras's options, defaults, decisions and messages.
 *
 * <p>Callbacks see the model through {@link io.rnn4j.layers.model.TrainableModel} (weights,
 * optimizer, metrics, stop_training), so that every kind of model {@code fit} trains can use
 * them. They run on the training thread between steps; none is thread-safe.
 */
package io.rnn4j.layers.callbacks;
