package io.rnn4j.layers.callbacks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keras 3's CSVLogger: one row per epoch, "epoch" (from 0) then the logged quantities in sorted
 * order — with their "val_" twins added as "NA" columns when the first epoch has no validation —
 * numbers written as Python writes floats. With {@code append}, rows go after an existing file's,
 * and the header only if the file was empty. Each row is appended and the file closed at once, so
 * that what is logged survives a crash and no file stays open if training fails.
 */
public final class CSVLogger extends Callback {
    private final Path file;
    private final String separator;
    private final boolean append;
    private List<String> keys;
    private boolean writeHeader;

    public CSVLogger(Path file) {
        this(file, ",", false);
    }

    public CSVLogger(Path file, String separator, boolean append) {
        this.file = Objects.requireNonNull(file, "file");
        this.separator = Objects.requireNonNull(separator, "separator");
        if (separator.isEmpty()) {
            throw new IllegalArgumentException("CSVLogger: the separator must not be empty");
        }
        this.append = append;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        try {
            writeHeader = true;
            if (append && Files.exists(file)) {
                try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    String first = r.readLine();
                    writeHeader = first == null || first.isEmpty();
                }
            } else {
                Files.writeString(file, "", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot open " + file + ": " + e.getMessage(), e);
        }
        keys = null;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (keys == null) {
            keys = new ArrayList<>(logs.keySet().stream().sorted().toList());
            if (keys.stream().noneMatch(k -> k.startsWith("val_")) && !keys.isEmpty()) {
                for (String k : List.copyOf(keys)) {
                    keys.add("val_" + k);
                }
            }
            if (writeHeader) {
                List<String> header = new ArrayList<>();
                header.add("epoch");
                header.addAll(keys);
                writeRow(header);
            }
        }
        List<String> row = new ArrayList<>();
        row.add(Integer.toString(epoch));
        for (String k : keys) {
            Double v = logs.get(k);
            row.add(v == null ? "NA" : PyFormat.repr(v));
        }
        writeRow(row);
    }

    private void writeRow(List<String> cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(separator);
            }
            line.append(quote(cells.get(i)));
        }
        // Python's csv module ends rows with \r\n (the excel dialect).
        line.append("\r\n");
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The excel dialect's minimal quoting: a cell holding the separator, a quote or a line break is quoted. */
    private String quote(String cell) {
        if (cell.contains(separator) || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
            return "\"" + cell.replace("\"", "\"\"") + "\"";
        }
        return cell;
    }
}
