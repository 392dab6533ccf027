package io.rnn4j.cli.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 reader: comma-separated fields, double-quoted fields that may hold commas,
 * quotes ({@code ""}) and line breaks, LF or CRLF line ends, blank lines skipped. Every record must
 * have as many fields as the first one; errors name the source and the line.
 */
public final class Csv {
    private Csv() {
    }

    /** Reads a file; the first record is the header when {@code header} is true. */
    public static CsvTable read(Path file, boolean header) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), header);
    }

    /** Parses CSV text; {@code source} names it in errors. */
    public static CsvTable parse(String text, String source, boolean header) {
        List<String[]> records = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        boolean quoted = false;
        boolean wasQuoted = false;
        boolean any = false;
        int i = text.startsWith("\uFEFF") ? 1 : 0; // a byte-order mark is not data
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"') {
                if (!field.toString().isBlank() || wasQuoted) {
                    throw new IllegalArgumentException(source + ": line " + line
                            + ": a quote inside an unquoted field; quote the whole field and double the inner quotes");
                }
                field.setLength(0);
                quoted = true;
                wasQuoted = true;
                any = true;
            } else if (c == ',') {
                fields.add(wasQuoted ? field.toString() : field.toString().strip());
                field.setLength(0);
                wasQuoted = false;
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (any || !field.toString().isBlank()) {
                    fields.add(wasQuoted ? field.toString() : field.toString().strip());
                    records.add(fields.toArray(String[]::new));
                    lines.add(recordLine);
                }
                fields.clear();
                field.setLength(0);
                wasQuoted = false;
                any = false;
                line++;
                recordLine = line;
            } else {
                if (wasQuoted) {
                    if (!Character.isWhitespace(c)) {
                        throw new IllegalArgumentException(source + ": line " + line
                                + ": text after a closing quote; double the quotes inside a quoted field");
                    }
                } else {
                    field.append(c);
                }
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(source + ": line " + recordLine + ": a quoted field is never closed");
        }
        if (any || !field.toString().isBlank()) {
            fields.add(wasQuoted ? field.toString() : field.toString().strip());
            records.add(fields.toArray(String[]::new));
            lines.add(recordLine);
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException(source + ": no data (the file is empty)");
        }
        int width = records.get(0).length;
        for (int r = 1; r < records.size(); r++) {
            if (records.get(r).length != width) {
                throw new IllegalArgumentException(source + ": line " + lines.get(r) + " has "
                        + records.get(r).length + " fields, line " + lines.get(0) + " has " + width);
            }
        }
        List<String> names = new ArrayList<>();
        if (header) {
            names.addAll(List.of(records.remove(0)));
            lines.remove(0);
        } else {
            for (int c = 1; c <= width; c++) {
                names.add(Integer.toString(c));
            }
        }
        return new CsvTable(source, names, records, lines);
    }
}
