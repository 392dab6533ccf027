package io.rnn4j.engine;

import io.rnn4j.engine.spi.BackendProvider;
import io.rnn4j.engine.spi.BackendProvider.Availability;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the backends ({@link ServiceLoader} over {@link BackendProvider}) and hands out one
 * {@link Device} per name.
 *
 * <p>The default device is chosen once: {@code -Drnn4j.device=scalar|simd|cuda[:N]}, else the
 * environment variable {@code RNN4J_DEVICE}, else the available backend of highest priority
 * (cuda &gt; simd &gt; scalar). One log line names the choice and, for each backend skipped, why and
 * how to enable it. The scalar backend always runs.
 */
public final class Devices {
    private static final System.Logger LOG = System.getLogger("io.rnn4j.engine");
    private static final Map<String, Device> OPEN = new ConcurrentHashMap<>();

    private Devices() {
    }

    /** What a provider said when probed. */
    public record Probe(String kind, int priority, boolean available, String reason) {
    }

    // The providers and their probes, found once (the Holder idiom: no locking on the hot path).
    private static final class Providers {
        static final List<BackendProvider> ALL = load();
        static final Map<String, Availability> PROBES = probeAll();

        private static List<BackendProvider> load() {
            List<BackendProvider> list = new ArrayList<>();
            ServiceLoader.load(BackendProvider.class, Devices.class.getClassLoader()).forEach(list::add);
            list.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
            return List.copyOf(list);
        }

        private static Map<String, Availability> probeAll() {
            Map<String, Availability> m = new LinkedHashMap<>();
            for (BackendProvider p : ALL) {
                Availability a;
                try {
                    a = p.probe();
                } catch (RuntimeException | LinkageError e) {
                    a = Availability.no("probe failed: " + e);
                }
                m.put(p.kind(), a);
            }
            return m;
        }
    }

    private static final class Default {
        static final Device DEVICE = choose();

        private static Device choose() {
            String requested = System.getProperty("rnn4j.device");
            String source = "-Drnn4j.device";
            if (requested == null || requested.isBlank()) {
                requested = System.getenv("RNN4J_DEVICE");
                source = "RNN4J_DEVICE";
            }
            StringBuilder skipped = new StringBuilder();
            for (Probe p : probes()) {
                if (!p.available()) {
                    skipped.append("; ").append(p.kind()).append(" unavailable: ").append(p.reason());
                }
            }
            Device d;
            if (requested != null && !requested.isBlank()) {
                d = get(requested.trim());
                LOG.log(Level.INFO, "rnn4j device: " + d.name() + " (requested by " + source + ")" + skipped);
            } else {
                BackendProvider best = Providers.ALL.stream()
                        .filter(p -> Providers.PROBES.get(p.kind()).available())
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("no rnn4j backend can run here" + skipped));
                d = get(best.kind());
                LOG.log(skipped.isEmpty() ? Level.INFO : Level.WARNING, "rnn4j device: " + d.name()
                        + " (highest priority available)" + skipped);
            }
            return d;
        }
    }

    /** The default device (chosen once, see the class comment). */
    public static Device defaultDevice() {
        return Default.DEVICE;
    }

    /**
     * The device named {@code name}: "scalar", "simd", "cuda" or "cuda:N". The same name always
     * gives the same device.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     * @throws IllegalStateException    when that backend cannot run here, saying why
     */
    public static Device get(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        String kind = key;
        int index = 0;
        int colon = key.indexOf(':');
        if (colon >= 0) {
            kind = key.substring(0, colon);
            try {
                index = Integer.parseInt(key.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device: expected kind or kind:index such as cuda:0, got '" + name
                        + "'");
            }
            if (index < 0) {
                throw new IllegalArgumentException("device: index must be >= 0, got '" + name + "'");
            }
        }
        BackendProvider provider = null;
        for (BackendProvider p : Providers.ALL) {
            if (p.kind().equals(kind)) {
                provider = p;
            }
        }
        if (provider == null) {
            throw new IllegalArgumentException("device: unknown device '" + name + "'; known: "
                    + String.join(", ", Providers.PROBES.keySet()));
        }
        Availability a = Providers.PROBES.get(kind);
        if (!a.available()) {
            throw new IllegalStateException("device '" + name + "' cannot run here: " + a.reason());
        }
        final BackendProvider chosen = provider;
        final int i = index;
        String canonical = colon >= 0 || kind.equals("cuda") ? kind + ":" + index : kind;
        return OPEN.computeIfAbsent(canonical, k -> new Device(chosen.create(i)));
    }

    /** Every backend found, with whether it can run here and why not; highest priority first. */
    public static List<Probe> probes() {
        List<Probe> out = new ArrayList<>();
        for (BackendProvider p : Providers.ALL) {
            Availability a = Providers.PROBES.get(p.kind());
            out.add(new Probe(p.kind(), p.priority(), a.available(), a.reason()));
        }
        return out;
    }
}
