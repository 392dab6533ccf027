package io.rnn4j.layers.keras;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Test reads of .keras archives' entries, and copies with entries changed or left out. */
final class Archives {
    private Archives() {
    }

    /** The bytes of one entry of a zip archive. */
    static byte[] bytes(Path zip, String entry) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return z.getInputStream(z.getEntry(entry)).readAllBytes();
        }
    }

    /**
     * A copy of {@code source} at {@code target} where each entry named in {@code edits} is passed
     * through its function (a function returning null drops the entry).
     */
    static Path copy(Path source, Path target, Map<String, UnaryOperator<String>> edits) throws IOException {
        try (ZipFile in = new ZipFile(source.toFile()); OutputStream os = Files.newOutputStream(target);
                ZipOutputStream out = new ZipOutputStream(os)) {
            for (ZipEntry e : in.stream().toList()) {
                byte[] data = in.getInputStream(e).readAllBytes();
                UnaryOperator<String> edit = edits.get(e.getName());
                if (edit != null) {
                    String changed = edit.apply(new String(data, StandardCharsets.UTF_8));
                    if (changed == null) {
                        continue;
                    }
                    data = changed.getBytes(StandardCharsets.UTF_8);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(data);
                out.closeEntry();
            }
        }
        return target;
    }

    /** The first {@code fraction} of a file's bytes. */
    static Path truncated(Path source, Path target, double fraction) throws IOException {
        byte[] all = Files.readAllBytes(source);
        Files.write(target, java.util.Arrays.copyOf(all, (int) (all.length * fraction)));
        return target;
    }
}
