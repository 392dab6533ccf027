package io.rnn4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks commands make on option values after parsing; each refusal is a {@link CliException}
 * whose one line names the option, what it must be and what came.
 */
public final class OptionChecks {
    private OptionChecks() {
    }

    /** "--units must be at least 1, got 0". */
    public static void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new CliException(option + " must be at least " + min + ", got " + value);
        }
    }

    /** "--learning-rate must be > 0, got -1.0" (NaN is refused too). */
    public static void aboveZero(String option, double value) {
        if (!(value > 0)) {
            throw new CliException(option + " must be > 0, got " + value);
        }
    }

    /**
     * A file the command reads: "no such model file: m.keras" when it is missing, "--model /tmp is a
     * directory, not a model file" when it is a directory.
     *
     * @param what what the file should be, e.g. "model file"
     */
    public static void inputFile(String option, Path file, String what) {
        String aWhat = ("aeiou".indexOf(what.charAt(0)) >= 0 ? "an " : "a ") + what;
        if (Files.isDirectory(file)) {
            throw new CliException(option + " " + file + " is a directory, not " + aWhat);
        }
        if (!Files.exists(file)) {
            throw new CliException("no such " + what + ": " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new CliException(option + " " + file + " is not a regular file: give " + aWhat);
        }
    }
}
