/**
 * The backend SPI: {@link io.rnn4j.engine.spi.Backend} (the ops), {@link io.rnn4j.engine.spi.BackendProvider}
 * (probe and create, found by {@link java.util.ServiceLoader}) and {@link io.rnn4j.engine.spi.Storage}.
 *
 * <p>For backend implementers only; applications use {@link io.rnn4j.engine.Device}. The interface
 * is small on purpose (tinygrad's op table, Lucene's {@code VectorUtilSupport}): a new backend
 * implements every method, and the scalar backend's tests tell it whether it got them right.
 */
package io.rnn4j.engine.spi;
