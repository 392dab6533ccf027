package io.rnn4j.kernels.cuda;

import io.rnn4j.engine.spi.AbstractRnnBackendTest;
import io.rnn4j.engine.spi.Backend;
import org.junit.jupiter.api.extension.ExtendWith;

/** The engine's contract for the fused recurrent kernels, on the GPU (default kernel choice). */
@ExtendWith(CudaAvailable.class)
class CudaRnnBackendTest extends AbstractRnnBackendTest {
    @Override
    protected Backend newBackend() {
        return new CudaProvider().create(0);
    }
}
