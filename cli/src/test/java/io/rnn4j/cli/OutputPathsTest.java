package io.rnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output paths are refused before any work when they would replace an input or another output, or
 * cannot be written; each message names the option and the path.
 */
class OutputPathsTest {

    @Test
    void anOutputThatIsAnInputUnderAnotherSpellingIsRefused(@TempDir Path dir) throws Exception {
        Path x = Files.writeString(dir.resolve("x.npy"), "data");
        Path sameFile = dir.resolve("sub").resolve("..").resolve("x.npy");
        Files.createDirectories(dir.resolve("sub"));
        assertThatThrownBy(() -> new OutputPaths().reads("--input", x).writes("--output", sameFile).check())
                .isInstanceOf(CliException.class)
                .hasMessage("--output " + sameFile + " is the --input file " + x
                        + ": writing it would replace the input; choose another --output");
        Path link = Files.createSymbolicLink(dir.resolve("link.npy"), x);
        assertThatThrownBy(() -> new OutputPaths().reads("--input", x).writes("--output", link).check())
                .as("a link to the input is the input").hasMessageContaining("would replace the input");
    }

    @Test
    void twoOutputsNamingOneFileAreRefusedEvenBeforeItExists(@TempDir Path dir) {
        Path p = dir.resolve("same.keras");
        assertThatThrownBy(() -> new OutputPaths().writes("--save", p).writes("--plot", dir.resolve("./same.keras"))
                .check()).isInstanceOf(CliException.class)
                .hasMessage("--save " + p + " and --plot " + dir.resolve("./same.keras")
                        + " name the same file: one would replace the other; give each its own path");
    }

    @Test
    void aDirectoryAnEmptyPathOrAFileInTheWayIsRefusedNamingTheOption(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> new OutputPaths().writes("--json", dir).check())
                .hasMessage("cannot write --json " + dir + ": it is a directory; give a file name");
        assertThatThrownBy(() -> new OutputPaths().writes("--output", Path.of("")).check())
                .hasMessage("cannot write --output '': the path is empty");
        Path file = Files.writeString(dir.resolve("ok.csv"), "x");
        assertThatThrownBy(() -> new OutputPaths().writes("--output", file.resolve("sub/y.npy")).check())
                .hasMessage("cannot write --output " + file.resolve("sub/y.npy") + ": " + file + " is not a directory");
        assertThatCode(() -> new OutputPaths().writes("--output", dir.resolve("new/dirs/y.npy")).check())
                .as("missing directories are created when the file is written").doesNotThrowAnyException();
        try (var files = Files.list(dir)) {
            assertThat(files).as("the checks create nothing and leave nothing behind").containsExactly(file);
        }
    }

    @Test
    void aReadOnlyTargetIsRefused(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("r.npy"), "x");
        Assumptions.assumeTrue(f.toFile().setWritable(false) && !Files.isWritable(f),
                "the file system or user (root) ignores the read-only bit");
        assertThatThrownBy(() -> new OutputPaths().writes("--output", f).check())
                .hasMessage("cannot write --output " + f + ": it exists and is not writable");
    }

    @Test
    void aDirectoryWhereNoFileCanBeCreatedIsRefused() {
        Path proc = Path.of("/proc/rnn4j-test.npy");
        Assumptions.assumeTrue(Files.isDirectory(proc.getParent()), "no /proc here");
        assertThatThrownBy(() -> new OutputPaths().writes("--output", proc).check())
                .hasMessageStartingWith("cannot write --output /proc/rnn4j-test.npy: ");
    }
}
