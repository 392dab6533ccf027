package io.rnn4j.kernels.simd;

import io.rnn4j.engine.spi.AbstractRnnBackendTest;
import io.rnn4j.engine.spi.Backend;

/** The SIMD backend's fused recurrent kernels against the engine's contract (float64, finite differences, scalar). */
class SimdRnnBackendTest extends AbstractRnnBackendTest {
    @Override
    protected Backend newBackend() {
        return new SimdBackend();
    }
}
