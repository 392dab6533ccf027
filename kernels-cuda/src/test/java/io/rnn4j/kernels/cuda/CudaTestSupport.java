package io.rnn4j.kernels.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import io.rnn4j.engine.spi.BackendProvider.Availability;

/**
 * What the GPU tests share: the probe, asked once, and the one CUDA device of the test JVM. Where
 * there is no usable GPU, {@link #cuda()} skips the calling test with "skipped: no CUDA device:
 * <reason>" (a JUnit assumption), so CI without a GPU reports them as skipped, saying why.
 */
final class CudaTestSupport {
    private CudaTestSupport() {
    }

    private static final class Probe {
        static final Availability RESULT = new CudaProvider().probe();
    }

    /** The probe's answer on this machine. */
    static Availability probe() {
        return Probe.RESULT;
    }

    /** The CUDA device, or the test is skipped with the probe's reason. */
    static Device cuda() {
        Availability a = probe();
        assumeTrue(a.available(), () -> "skipped: no CUDA device: " + a.reason());
        return Devices.get("cuda");
    }

    static CudaBackend backend(Device cuda) {
        return (CudaBackend) cuda.backend();
    }

    /** The scalar reference device (the oracle). */
    static Device scalar() {
        return Devices.get("scalar");
    }
}
