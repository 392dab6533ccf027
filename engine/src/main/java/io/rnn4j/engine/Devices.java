package io.rnn4j.engine;

import io.rnn4j.engine.spi.Backend;
import io.rnn4j.engine.spi.BackendProvider;
import io.rnn4j.engine.spi.BackendProvider.Availability;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
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
 * how to enable it. The scalar backend always runs. A requested device that is unknown or cannot
 * run is an error, not a silent fallback: whoever asked for it by name expects it.
 */
public final class Devices {
    private static final System.Logger LOG = System.getLogger("io.rnn4j.engine");

    private Devices() {
    }

    /**
     * This project's backends by kind and the module that provides each: one missing from the class
     * path is named in the selection line, so a user on the scalar backend by omission learns why.
     */
    private static final Map<String, String> PROJECT_BACKENDS = Map.of("simd", "rnn4j-kernels-simd",
            "cuda", "rnn4j-kernels-cuda");

    /** What a provider said when probed. */
    public record Probe(String kind, int priority, boolean available, String reason) {
    }

    // The providers found by ServiceLoader, probed once (the holder idiom: no locking on the hot path).
    private static final class Installed {
        static final Registry REGISTRY = new Registry(load(), PROJECT_BACKENDS);

        private static List<BackendProvider> load() {
            List<BackendProvider> list = new ArrayList<>();
            ServiceLoader.load(BackendProvider.class, Devices.class.getClassLoader()).forEach(list::add);
            return list;
        }
    }

    // The default device, chosen and logged once. A failed choice is kept and reported on every call
    // (rather than escaping the class initializer, which would leave NoClassDefFoundError behind).
    private static final class Default {
        static final Selection SELECTION = choose();

        private static Selection choose() {
            Selection s = Installed.REGISTRY.chooseDefault(System.getProperty("rnn4j.device"),
                    System.getenv("RNN4J_DEVICE"));
            if (s.device() != null) {
                LOG.log(s.level(), s.line());
            }
            return s;
        }
    }

    /**
     * The default device (chosen once, see the class comment).
     *
     * @throws IllegalStateException when the requested device is unknown or cannot run here, saying why
     */
    public static Device defaultDevice() {
        Selection s = Default.SELECTION;
        if (s.device() == null) {
            throw new IllegalStateException(s.line());
        }
        return s.device();
    }

    /**
     * The device named {@code name}: "scalar", "simd", "cuda" or "cuda:N" (case and surrounding
     * blanks ignored; "cuda" is "cuda:0", "scalar" is "scalar:0"). The same name always gives the
     * same device.
     *
     * @throws IllegalArgumentException for a malformed or unknown name, listing the known kinds
     * @throws IllegalStateException    when that backend cannot run here, saying why
     */
    public static Device get(String name) {
        return Installed.REGISTRY.get(name);
    }

    /** Every backend found, with whether it can run here and why not; highest priority first. */
    public static List<Probe> probes() {
        return Installed.REGISTRY.probes();
    }

    /**
     * A device over a backend the caller built (tests that compare backends, benchmarks, a custom
     * backend). It is not registered: {@link #get} never returns it and it is never the default. The
     * caller owns it and closes it.
     */
    public static Device wrap(Backend backend) {
        if (backend == null) {
            throw new IllegalArgumentException("wrap: backend must not be null");
        }
        return new Device(backend);
    }

    /** The outcome of choosing the default device: a device and its log line, or no device and why. */
    record Selection(Device device, Level level, String line) {
    }

    /** A set of providers, probed once, and the devices opened from them; package-private for tests. */
    static final class Registry {
        private final List<BackendProvider> providers;
        private final List<Availability> availability;
        private final Map<String, String> expected;
        private final Map<String, Device> open = new ConcurrentHashMap<>();

        Registry(List<BackendProvider> found) {
            this(found, Map.of());
        }

        /** @param expected backends that should be on the class path, by kind, with their module's name */
        Registry(List<BackendProvider> found, Map<String, String> expected) {
            this.expected = expected;
            List<BackendProvider> sorted = new ArrayList<>(found);
            sorted.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
            this.providers = List.copyOf(sorted);
            List<Availability> probed = new ArrayList<>();
            for (BackendProvider p : providers) {
                probed.add(probe(p));
            }
            this.availability = List.copyOf(probed);
        }

        // A probe must not take the engine down: whatever it throws becomes the reason it cannot run.
        private static Availability probe(BackendProvider p) {
            try {
                Availability a = p.probe();
                return a != null ? a : Availability.no("its probe returned nothing");
            } catch (RuntimeException | LinkageError e) {
                return Availability.no("its probe failed: " + e);
            }
        }

        List<Probe> probes() {
            List<Probe> out = new ArrayList<>();
            for (int i = 0; i < providers.size(); i++) {
                BackendProvider p = providers.get(i);
                Availability a = availability.get(i);
                out.add(new Probe(p.kind(), p.priority(), a.available(), a.reason()));
            }
            return out;
        }

        private String kinds() {
            List<String> kinds = new ArrayList<>();
            for (BackendProvider p : providers) {
                kinds.add(p.kind());
            }
            return String.join(", ", kinds);
        }

        Device get(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("device: expected a name such as " + kinds()
                        + " (or kind:index such as cuda:1), got " + (name == null ? "null" : "'" + name + "'"));
            }
            String key = name.trim().toLowerCase(Locale.ROOT);
            String kind = key;
            int index = 0;
            int colon = key.indexOf(':');
            if (colon >= 0) {
                kind = key.substring(0, colon);
                String digits = key.substring(colon + 1);
                if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > 9) {
                    throw new IllegalArgumentException("device '" + name + "': expected kind:index with a "
                            + "non-negative integer index, such as cuda:0 or cuda:1");
                }
                index = Integer.parseInt(digits);
            }
            int found = -1;
            for (int i = 0; i < providers.size() && found < 0; i++) {
                if (providers.get(i).kind().equals(kind)) {
                    found = i;
                }
            }
            if (found < 0) {
                throw new IllegalArgumentException("device: unknown device '" + name + "'; known kinds: " + kinds()
                        + " (a kind appears when its module, e.g. rnn4j-kernels-simd or rnn4j-kernels-cuda, is on "
                        + "the class path)");
            }
            Availability a = availability.get(found);
            if (!a.available()) {
                throw new IllegalStateException("device '" + name + "' cannot run here: " + a.reason());
            }
            BackendProvider provider = providers.get(found);
            int i = index;
            return open.computeIfAbsent(kind + ":" + index, k -> new Device(create(provider, i, name)));
        }

        // An index the provider refuses stays an argument error; anything else is a start that failed.
        private static Backend create(BackendProvider provider, int index, String name) {
            try {
                return provider.create(index);
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (RuntimeException | LinkageError e) {
                throw new IllegalStateException("device '" + name + "' probed fine but failed to start: " + e, e);
            }
        }

        /**
         * The default device for a request from the system property or, when that is blank, the
         * environment; neither means the available backend of highest priority.
         */
        Selection chooseDefault(String property, String env) {
            String requested = property;
            String source = "-Drnn4j.device";
            if (requested == null || requested.isBlank()) {
                requested = env;
                source = "RNN4J_DEVICE";
            }
            StringBuilder skipped = new StringBuilder();
            for (Probe p : probes()) {
                if (!p.available()) {
                    skipped.append("; skipped ").append(p.kind()).append(": ").append(p.reason());
                }
            }
            expected.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .filter(e -> providers.stream().noneMatch(p -> p.kind().equals(e.getKey())))
                    .forEach(e -> skipped.append("; skipped ").append(e.getKey()).append(": not on the class path (add ")
                            .append(e.getValue()).append(')'));
            if (requested != null && !requested.isBlank()) {
                try {
                    Device d = get(requested);
                    return new Selection(d, Level.INFO, "rnn4j device: " + d.name() + " (requested by " + source
                            + "=" + requested.trim() + ")" + skipped);
                } catch (RuntimeException | LinkageError e) {
                    String why = e instanceof IllegalArgumentException || e instanceof IllegalStateException
                            ? e.getMessage() : e.toString();
                    return new Selection(null, Level.ERROR, "rnn4j: cannot use the device requested by " + source
                            + "=" + requested.trim() + ": " + why);
                }
            }
            for (int i = 0; i < providers.size(); i++) {
                if (availability.get(i).available()) {
                    String kind = providers.get(i).kind();
                    Device d;
                    try {
                        d = get(kind);
                    } catch (RuntimeException | LinkageError e) {
                        // It probed fine but would not start (a driver that fails to initialise): skip it too.
                        skipped.append("; skipped ").append(kind).append(": ").append(e.getMessage());
                        continue;
                    }
                    // A fallback below a better backend deserves a warning; a clean first choice does not.
                    return new Selection(d, skipped.isEmpty() ? Level.INFO : Level.WARNING, "rnn4j device: "
                            + d.name() + " (highest priority available)" + skipped);
                }
            }
            return new Selection(null, Level.ERROR, "rnn4j: no backend can run here" + skipped);
        }
    }
}
