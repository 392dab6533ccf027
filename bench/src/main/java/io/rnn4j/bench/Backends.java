package io.rnn4j.bench;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Which of the benchmarked devices can run here, and the device for a {@code @Param} value. */
public final class Backends {
    /** Every device kind a benchmark may name, in the order results are reported. */
    public static final List<String> KINDS = List.of("scalar", "simd", "cuda");

    private Backends() {
    }

    /**
     * The device for a benchmark's {@code device} parameter; an {@link IllegalStateException} whose
     * message says why when it cannot run here (so a run started without {@link BenchMain} still
     * fails that one benchmark with a reason, not a stack of guesses).
     */
    public static Device device(String name) {
        try {
            return Devices.get(name);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalStateException("benchmark device '" + name + "' is unavailable: " + e.getMessage(), e);
        }
    }

    /** Why {@code kind} cannot run here, or null when it can. */
    public static String unavailableReason(String kind) {
        String k = kind.trim().toLowerCase(Locale.ROOT);
        int colon = k.indexOf(':');
        String base = colon >= 0 ? k.substring(0, colon) : k;
        for (Devices.Probe p : Devices.probes()) {
            if (p.kind().equals(base)) {
                return p.available() ? null : p.reason();
            }
        }
        return "no " + base + " backend on the class path (its module is not built or not packaged)";
    }

    /** Those of {@code wanted} that can run here, in the given order. */
    public static List<String> available(List<String> wanted) {
        List<String> out = new ArrayList<>();
        for (String w : wanted) {
            if (unavailableReason(w) == null) {
                out.add(w);
            }
        }
        return out;
    }

    /** Whether the Vector API module was added to this JVM ({@code --add-modules jdk.incubator.vector}). */
    public static boolean vectorApiPresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }
}
