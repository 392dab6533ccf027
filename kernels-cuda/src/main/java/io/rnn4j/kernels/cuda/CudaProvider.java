package io.rnn4j.kernels.cuda;

import io.rnn4j.engine.spi.Backend;
import io.rnn4j.engine.spi.BackendProvider;

/**
 * Registers the CUDA backend ("cuda", priority 300). The probe never throws: without JCuda's
 * natives, the driver ({@code libcuda.so.1}) or a device it answers "no" with one line saying why,
 * and the engine falls back to the next backend.
 *
 * <p>This class references no JCuda type, so it loads even where JCuda cannot; the JCuda work is
 * in {@link CudaProbe}, reached only inside the probe's try.
 */
public final class CudaProvider implements BackendProvider {

    @Override
    public String kind() {
        return "cuda";
    }

    @Override
    public int priority() {
        return 300;
    }

    @Override
    public Availability probe() {
        String reason;
        try {
            reason = CudaProbe.unavailableReason();
        } catch (LinkageError | RuntimeException e) {
            reason = "CUDA unavailable: " + oneLine(String.valueOf(e));
        }
        return reason == null ? Availability.yes() : Availability.no(reason);
    }

    @Override
    public Backend create(int index) {
        return new CudaBackend(index);
    }

    /** The first line of a message, at most 300 characters (probe reasons are one line). */
    static String oneLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        String line = message.strip();
        int nl = line.indexOf('\n');
        if (nl >= 0) {
            line = line.substring(0, nl).strip();
        }
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
