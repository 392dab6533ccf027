/**
 * rnn4j's engine: tensors, devices and the backend SPI, and the scalar reference backend.
 *
 * <p>Backends are found with {@link java.util.ServiceLoader}; the scalar backend is exported only
 * to the modules that test or measure other backends against it.
 */
module io.rnn4j.engine {
    exports io.rnn4j.engine;
    exports io.rnn4j.engine.spi;
    exports io.rnn4j.engine.scalar to io.rnn4j.kernels.simd, io.rnn4j.kernels.cuda, io.rnn4j.bench;

    uses io.rnn4j.engine.spi.BackendProvider;

    provides io.rnn4j.engine.spi.BackendProvider with io.rnn4j.engine.scalar.ScalarProvider;
}
