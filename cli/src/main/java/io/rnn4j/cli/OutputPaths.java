package io.rnn4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files a command will write, checked before it does any work: a run that trains for an hour
 * must not find out at the end that its {@code --save} path cannot be written, and no output may
 * replace one of the command's inputs or another of its outputs.
 *
 * <pre>{@code
 * new OutputPaths().reads("--csv", csv).writes("--save", save).writes("--plot", plot).check();
 * }</pre>
 *
 * <p>Each refusal is a {@link CliException} naming the option and the path: "cannot write --output
 * ok.csv/y.npy: ok.csv is not a directory", "--output x.npy is the --input file x.npy: writing it
 * would replace the input; choose another --output".
 */
public final class OutputPaths {
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Named(String option, Path path) {
    }

    private final List<Named> inputs = new ArrayList<>();
    private final List<Named> outputs = new ArrayList<>();

    /** An input of the command (ignored when null), which no output may replace. */
    public OutputPaths reads(String option, Path path) {
        if (path != null) {
            inputs.add(new Named(option, path));
        }
        return this;
    }

    /** An output of the command (ignored when null). */
    public OutputPaths writes(String option, Path path) {
        if (path != null) {
            outputs.add(new Named(option, path));
        }
        return this;
    }

    /** Refuses the first output that cannot be written, is an input, or is also another output. */
    public void check() {
        for (int k = 0; k < outputs.size(); k++) {
            Named o = outputs.get(k);
            Optional<String> problem = problem(o.path()).or(() -> probe(o.path()));
            if (problem.isPresent()) {
                throw new CliException("cannot write " + o.option() + " " + shown(o.path()) + ": " + problem.get());
            }
            for (Named i : inputs) {
                if (sameFile(o.path(), i.path())) {
                    throw new CliException(o.option() + " " + o.path() + " is the " + i.option() + " file "
                            + i.path() + ": writing it would replace the input; choose another " + o.option());
                }
            }
            for (Named other : outputs.subList(0, k)) {
                if (sameFile(o.path(), other.path())) {
                    throw new CliException(other.option() + " " + other.path() + " and " + o.option() + " "
                            + o.path() + " name the same file: one would replace the other; give each its own path");
                }
            }
        }
    }

    /**
     * Why {@code target} cannot be written as a file, judged without writing anything: the path is
     * empty, it is a directory, it exists read-only, or something on the way to it is not a
     * directory or cannot be created in. Empty when nothing is in the way.
     */
    static Optional<String> problem(Path target) {
        if (target.toString().isEmpty()) {
            return Optional.of("the path is empty");
        }
        if (Files.isDirectory(target)) {
            return Optional.of("it is a directory; give a file name");
        }
        if (Files.exists(target) && !Files.isWritable(target)) {
            return Optional.of("it exists and is not writable");
        }
        Path dir = parent(target);
        while (dir != null && !Files.exists(dir)) {
            dir = parent(dir);
        }
        if (dir == null) {
            return Optional.empty();
        }
        if (!Files.isDirectory(dir)) {
            return Optional.of(shown(dir) + " is not a directory");
        }
        if (!Files.isWritable(dir)) {
            return Optional.of("the directory " + shown(dir) + " is not writable");
        }
        return Optional.empty();
    }

    /**
     * Where the checks by permission bits cannot tell (root, /proc, a read-only mount), tries to
     * create and delete a file beside the target, as {@link AtomicFiles} will. Directories that do
     * not exist yet are left alone: creating them is the write itself.
     */
    private static Optional<String> probe(Path target) {
        Path dir = parent(target);
        if (dir == null || !Files.isDirectory(dir)) {
            return Optional.empty();
        }
        Path probe = dir.resolve("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".probe");
        try {
            Files.newOutputStream(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
            Files.delete(probe);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot create files in " + shown(dir) + " (" + AtomicFiles.reason(e) + ")");
        }
    }

    /** The path's parent as the user wrote it, or the absolute path's where it has none ("y.npy"). */
    private static Path parent(Path p) {
        Path parent = p.getParent();
        return parent != null ? parent : p.toAbsolutePath().getParent();
    }

    static String shown(Path p) {
        return p.toString().isEmpty() ? "''" : p.toString();
    }

    /**
     * Whether two paths name one file: {@link Files#isSameFile} when both exist (links, "./x" and
     * "x"), else their normalized absolute forms.
     */
    static boolean sameFile(Path a, Path b) {
        if (Files.exists(a) && Files.exists(b)) {
            try {
                return Files.isSameFile(a, b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
