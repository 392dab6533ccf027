package io.rnn4j.cli.data;

import java.util.List;

/**
 * A parsed CSV file: the column names (from the header, or "1", "2", ... without one) and the
 * records, each remembering its line for error messages.
 */
public final class CsvTable {
    private final String source;
    private final List<String> names;
    private final List<String[]> rows;
    private final List<Integer> lines;

    CsvTable(String source, List<String> names, List<String[]> rows, List<Integer> lines) {
        this.source = source;
        this.names = List.copyOf(names);
        this.rows = List.copyOf(rows);
        this.lines = List.copyOf(lines);
    }

    public List<String> columnNames() {
        return names;
    }

    public int rowCount() {
        return rows.size();
    }

    public int columnCount() {
        return names.size();
    }

    /** The field at a row and column (0-based). */
    public String get(int row, int column) {
        return rows.get(row)[column];
    }

    /** The line of the file a row came from (1-based). */
    public int line(int row) {
        return lines.get(row);
    }

    /**
     * The index of a column given by its header name or, failing that, by its 1-based number.
     *
     * @throws IllegalArgumentException naming the known columns
     */
    public int column(String nameOrNumber) {
        int i = names.indexOf(nameOrNumber);
        if (i >= 0) {
            return i;
        }
        for (int k = 0; k < names.size(); k++) {
            if (names.get(k).equalsIgnoreCase(nameOrNumber)) {
                return k;
            }
        }
        if (nameOrNumber.matches("\\d+")) {
            int n = Integer.parseInt(nameOrNumber);
            if (n >= 1 && n <= names.size()) {
                return n - 1;
            }
        }
        throw new IllegalArgumentException(source + ": no column '" + nameOrNumber + "'; the columns are "
                + describeColumns() + " (give a name or a number from 1 to " + names.size() + ")");
    }

    /** A column as numbers; a field that is not one is an error naming its line and column. */
    public double[] numbers(int column) {
        double[] out = new double[rows.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = number(r, column);
        }
        return out;
    }

    /**
     * One field as a number. Models compute in float32, so a value float32 cannot hold (beyond
     * ±3.4028235E38, where it would become infinity) is refused like NaN and inf.
     */
    public double number(int row, int column) {
        String v = rows.get(row)[column];
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(where(row, column) + "'" + v + "' is not a finite number");
        }
        if (Float.isInfinite((float) d)) {
            throw new IllegalArgumentException(where(row, column) + "'" + v + "' is too large for float32 (at most ±"
                    + Float.MAX_VALUE + ")");
        }
        return d;
    }

    private String where(int row, int column) {
        return source + ": line " + lines.get(row) + ", column '" + names.get(column) + "': ";
    }

    /** A column's text. */
    public String[] strings(int column) {
        String[] out = new String[rows.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = rows.get(r)[column];
        }
        return out;
    }

    private String describeColumns() {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < names.size(); k++) {
            sb.append(k == 0 ? "" : ", ").append(k + 1).append(" '").append(names.get(k)).append('\'');
        }
        return sb.toString();
    }
}
