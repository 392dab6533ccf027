package io.rnn4j.layers.keras;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds {@code shared/keras-fixtures}: walking up from the working directory (CI keeps
 * {@code shared/} beside the checkout, so from {@code <checkout>/layers} it is {@code ../../shared});
 * {@code -Drnn4j.kerasFixtures=DIR} overrides. Fails with a clear message when absent.
 */
final class Fixtures {
    private static final Path ROOT = find();

    private Fixtures() {
    }

    private static Path find() {
        String override = System.getProperty("rnn4j.kerasFixtures");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared").resolve("keras-fixtures");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        return null;
    }

    /** A file under shared/keras-fixtures. */
    static Path file(String relative) {
        if (ROOT == null) {
            throw new IllegalStateException("shared/keras-fixtures not found in any parent of "
                    + Path.of("").toAbsolutePath() + "; put the shared/ folder beside the checkout or pass "
                    + "-Drnn4j.kerasFixtures=DIR");
        }
        Path p = ROOT.resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("fixture missing: " + p);
        }
        return p;
    }

    /**
     * A summary without what depends on the optimizer (its params line and the total that counts
     * them): a loaded model is not compiled, the model it was saved from is.
     */
    static String layersOf(String summary) {
        return summary.lines().filter(l -> !l.startsWith(" Total params:") && !l.startsWith(" Optimizer params:"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }
}
