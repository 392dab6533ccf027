package io.rnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AtomicFiles' failures name the target (never the temporary file) and say why in words. */
class AtomicFilesTest {

    @Test
    void writesThroughMissingDirectoriesAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("a/b/out.txt");
        AtomicFiles.writeString(target, "hello");
        assertThat(target).hasContent("hello");
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aFileInTheWayAndADirectoryTargetAreNamedNotTheTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("ok.csv"), "x");
        assertThatThrownBy(() -> AtomicFiles.writeString(file.resolve("y.npy"), "z")).isInstanceOf(IOException.class)
                .hasMessage("cannot write " + file.resolve("y.npy") + ": " + file + " is not a directory");
        assertThatThrownBy(() -> AtomicFiles.writeString(dir, "z"))
                .hasMessage("cannot write " + dir + ": it is a directory; give a file name");
        assertThat(file).hasContent("x");
    }

    @Test
    void aFailingWriterLeavesTheOldFileAndSaysWhy(@TempDir Path dir) throws IOException {
        Path target = Files.writeString(dir.resolve("r.json"), "old");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            throw new java.nio.file.FileSystemException(dir.resolve(".r.json.123.tmp").toString(), null,
                    "No space left on device");
        })).hasMessage("cannot write " + target + ": no space left on device").hasMessageNotContaining(".tmp");
        assertThat(target).hasContent("old");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }
}
