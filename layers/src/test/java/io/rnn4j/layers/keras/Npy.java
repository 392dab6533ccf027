package io.rnn4j.layers.keras;

import io.rnn4j.engine.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A tiny reader for numpy's .npy (versions 1-3, little-endian f4/f8/i4/i8, C order) into float32 tensors. */
public final class Npy {
    private Npy() {
    }

    /** The values as doubles (float64 files keep their precision), with {@link #shape}. */
    public record Array(double[] values, int[] shape) {
        public Tensor tensor() {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            return Tensor.of(f, shape);
        }
    }

    /** The array a .npy file holds. */
    public static Array read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        b.get(magic);
        if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IOException(file + ": not a .npy file");
        }
        int major = b.get();
        b.get();
        int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
        byte[] h = new byte[headerLen];
        b.get(h);
        String header = new String(h, StandardCharsets.ISO_8859_1);
        String descr = group(header, "'descr':\\s*'([^']*)'", file);
        if (group(header, "'fortran_order':\\s*(\\w+)", file).equals("True")) {
            throw new IOException(file + ": Fortran order is not supported");
        }
        String shapeText = group(header, "'shape':\\s*\\(([^)]*)\\)", file).trim();
        String[] parts = shapeText.isEmpty() ? new String[0] : shapeText.split(",");
        int n = 0;
        int[] shape = new int[parts.length];
        for (String p : parts) {
            if (!p.isBlank()) {
                shape[n++] = Integer.parseInt(p.trim());
            }
        }
        shape = java.util.Arrays.copyOf(shape, n);
        long size = 1;
        for (int d : shape) {
            size *= d;
        }
        double[] v = new double[Math.toIntExact(size)];
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (descr) {
                case "<f4" -> b.getFloat();
                case "<f8" -> b.getDouble();
                case "<i4" -> b.getInt();
                case "<i8" -> b.getLong();
                default -> throw new IOException(file + ": dtype " + descr + " is not supported");
            };
        }
        return new Array(v, shape);
    }

    private static String group(String header, String regex, Path file) throws IOException {
        Matcher m = Pattern.compile(regex).matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": bad .npy header " + header);
        }
        return m.group(1);
    }
}
