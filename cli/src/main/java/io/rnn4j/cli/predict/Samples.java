package io.rnn4j.cli.predict;

import io.rnn4j.cli.data.Csv;
import io.rnn4j.cli.data.CsvTable;
import io.rnn4j.cli.data.Npy;
import io.rnn4j.cli.data.NpyArray;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The inputs and outputs of {@code rnn4j predict}: a batch of samples as a {@code .npy} array (its
 * first axis the batch), or as CSV with one sample per line, flattened row-major, reshaped by
 * {@code --shape}; outputs written as {@code .npy} or printed as CSV the same way.
 */
public final class Samples {
    private Samples() {
    }

    /**
     * Reads a batch. A {@code .npy} file is taken as it is (its shape must then agree with
     * {@code sampleShape} if one is given); a CSV file needs {@code sampleShape}, and a first line
     * with no number in it is taken as a header.
     */
    public static NpyArray read(Path file, int[] sampleShape) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a directory, not an input file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such input file: " + file);
        }
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            NpyArray a = Npy.read(file);
            if (sampleShape != null) {
                int[] s = a.shape();
                if (s.length != sampleShape.length + 1 || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length), sampleShape)) {
                    throw new IllegalArgumentException(file + ": holds an array of shape " + Arrays.toString(s)
                            + ", but --shape asks for samples of " + Arrays.toString(sampleShape)
                            + " (drop --shape for .npy input)");
                }
            }
            return a;
        }
        if (sampleShape == null) {
            throw new IllegalArgumentException(file + ": a CSV input needs --shape, the shape of one sample "
                    + "(e.g. --shape 24,1 for 24 steps of 1 feature); each line holds one sample, flattened");
        }
        String text = Files.readString(file);
        CsvTable t = Csv.parse(text, file.toString(), false);
        boolean header = isHeader(t);
        if (header) {
            t = Csv.parse(text, file.toString(), true);
        }
        return fromRows(t, sampleShape);
    }

    private static boolean isHeader(CsvTable t) {
        for (int c = 0; c < t.columnCount(); c++) {
            try {
                Double.parseDouble(t.get(0, c));
                return false;
            } catch (NumberFormatException e) {
                // not a number: keep looking
            }
        }
        return t.rowCount() > 1;
    }

    static NpyArray fromRows(CsvTable t, int[] sampleShape) {
        int per = 1;
        for (int d : sampleShape) {
            if (d < 1) {
                throw new IllegalArgumentException("--shape: dimensions must be >= 1, got " + Arrays.toString(sampleShape));
            }
            per *= d;
        }
        if (t.columnCount() != per) {
            throw new IllegalArgumentException("each line must hold one sample of shape " + Arrays.toString(sampleShape)
                    + " = " + per + " values, but the lines have " + t.columnCount() + " (line " + t.line(0) + ")");
        }
        float[] data = new float[t.rowCount() * per];
        for (int r = 0; r < t.rowCount(); r++) {
            for (int c = 0; c < per; c++) {
                data[r * per + c] = (float) t.number(r, c);
            }
        }
        int[] shape = new int[sampleShape.length + 1];
        shape[0] = t.rowCount();
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return new NpyArray(shape, data);
    }

    /** Prints a batch as CSV: one sample per line, flattened row-major; float32 values in full. */
    public static void printCsv(NpyArray batch, PrintWriter out) {
        int[] s = batch.shape();
        int n = s.length == 0 ? 1 : s[0];
        int per = n == 0 ? 0 : batch.data().length / n;
        StringBuilder line = new StringBuilder();
        for (int r = 0; r < n; r++) {
            line.setLength(0);
            for (int c = 0; c < per; c++) {
                if (c > 0) {
                    line.append(',');
                }
                line.append(batch.data()[r * per + c]);
            }
            out.println(line);
        }
        out.flush();
    }

    /** Parses {@code --shape} values such as "24,1" (picocli splits them) into a sample shape. */
    public static int[] shape(java.util.List<Integer> dims) {
        return dims == null || dims.isEmpty() ? null : dims.stream().mapToInt(Integer::intValue).toArray();
    }
}
