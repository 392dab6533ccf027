/**
 * The public face of the engine: {@link io.rnn4j.engine.Tensor} and {@link io.rnn4j.engine.Shape},
 * {@link io.rnn4j.engine.Device} (a validating facade over one backend) and
 * {@link io.rnn4j.engine.Devices} (discovery and selection), and the descriptions of what ops compute
 * ({@link io.rnn4j.engine.UnaryOp}, {@link io.rnn4j.engine.RnnSpec}, …).
 *
 * <p>Shaped after PyTorch's dispatch and Lucene's {@code VectorUtil}: arguments are validated here,
 * once, and the backends below never re-check; one op name means the same thing on every device.
 */
package io.rnn4j.engine;
