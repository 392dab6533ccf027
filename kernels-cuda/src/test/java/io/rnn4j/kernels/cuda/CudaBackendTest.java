package io.rnn4j.kernels.cuda;

import io.rnn4j.engine.spi.AbstractBackendTest;
import io.rnn4j.engine.spi.Backend;
import org.junit.jupiter.api.extension.ExtendWith;

/** The engine's contract for the generic ops, on the GPU. */
@ExtendWith(CudaAvailable.class)
class CudaBackendTest extends AbstractBackendTest {
    @Override
    protected Backend newBackend() {
        return new CudaProvider().create(0);
    }
}
