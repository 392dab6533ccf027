package io.rnn4j.cli;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import io.rnn4j.engine.RnnCase;
import io.rnn4j.engine.RnnSpec;
import org.junit.jupiter.api.Assumptions;

/** Test guard: the demos and bench need the engine's fused recurrent kernels on the default device. */
public final class Kernels {
    private Kernels() {
    }

    /** Aborts (skips) the calling test, saying why, when the default device has no fused RNN kernels yet. */
    public static void assumeFusedKernels() {
        assume(Devices.defaultDevice());
    }

    static void assume(Device d) {
        RnnSpec spec = RnnCase.G1.spec();
        try (var x = d.zeros(1, 1, spec.inputSize()); var out = d.zeros(1, 1, spec.units())) {
            d.rnnForward(spec, x, null, null, RnnCase.G1.weights(d), null, out, null, null);
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("the " + d.name() + " backend's fused RNN kernels are not in this build yet: "
                    + e.getMessage());
        }
    }
}
