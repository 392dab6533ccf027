package io.rnn4j.cli.data;

import io.rnn4j.cli.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (versions 1.0, 2.0 and 3.0), read into and written from float32.
 *
 * <p>Reading accepts what {@code numpy.save} writes for plain numeric arrays: float16/32/64,
 * signed and unsigned integers of 1 to 8 bytes and booleans, either byte order, C or Fortran order,
 * any rank (0 for a scalar). Values are converted to float32 (as Keras does with its inputs).
 * Structured, string, complex and object arrays are refused by name. The header must be exactly
 * followed by the data: a short or a long file is refused, nothing is half-read.
 *
 * <p>Writing produces version 1.0 ({@code '<f4'}, C order; 2.0 if the header would not fit), the
 * header padded so the data starts on a 64-byte boundary, as NumPy does.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*(['\"])([^'\"]*)\\1");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    /** The most values a float[] can hold on HotSpot. */
    static final int MAX_VALUES = Integer.MAX_VALUE - 8;

    private Npy() {
    }

    /** Reads a {@code .npy} file. */
    public static NpyArray read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return read(in, file.toString());
        }
    }

    /** Reads a {@code .npy} stream to its end; {@code source} names it in errors. */
    public static NpyArray read(InputStream in, String source) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || !startsWithMagic(magic)) {
            throw bad(source, "not a .npy file (it does not start with \\x93NUMPY)");
        }
        int major = magic[6] & 0xff;
        int minor = magic[7] & 0xff;
        if (major < 1 || major > 3) {
            throw bad(source, "format version " + major + "." + minor + " is not supported (1.0, 2.0 and 3.0 are)");
        }
        byte[] lenBytes = in.readNBytes(major == 1 ? 2 : 4);
        if (lenBytes.length < (major == 1 ? 2 : 4)) {
            throw bad(source, "truncated in the header length");
        }
        ByteBuffer lb = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = major == 1 ? lb.getShort() & 0xffff : lb.getInt() & 0xffffffffL;
        if (headerLen > 1 << 20) {
            throw bad(source, "header of " + headerLen + " bytes is implausibly long");
        }
        byte[] headerBytes = in.readNBytes((int) headerLen);
        if (headerBytes.length < headerLen) {
            throw bad(source, "truncated in the header (" + headerBytes.length + " of " + headerLen + " bytes)");
        }
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header h = parseHeader(header, source);

        long count = valueCount(h.shape);
        if (count > MAX_VALUES) {
            throw bad(source, "shape " + shapeString(h.shape) + " holds more than " + MAX_VALUES
                    + " values, the most a Java array can");
        }
        long need = count * h.type.size;
        byte[] bytes = in.readNBytes((int) Math.min(need, Integer.MAX_VALUE));
        if (bytes.length < need) {
            throw bad(source, "truncated: shape " + shapeString(h.shape) + " of '" + h.descr + "' needs " + need
                    + " bytes of data, found " + bytes.length);
        }
        if (in.read() != -1) {
            throw bad(source, "has bytes after the " + need + " bytes of data that shape " + shapeString(h.shape)
                    + " of '" + h.descr + "' needs");
        }
        float[] values = h.type.decode(ByteBuffer.wrap(bytes).order(h.order), (int) count);
        if (h.type == ElementType.F8) {
            // A finite float64 past float32's range would silently become infinity (NaN and ±inf stored
            // as such stay what they are).
            ByteBuffer raw = ByteBuffer.wrap(bytes).order(h.order);
            for (int i = 0; i < values.length; i++) {
                double v = raw.getDouble();
                if (Double.isFinite(v) && !Float.isFinite(values[i])) {
                    throw bad(source, "holds " + v + " at flat index " + i + " (in file order), which float32 cannot "
                            + "hold (its largest magnitude is " + Float.MAX_VALUE + ")");
                }
            }
        }
        if (h.fortranOrder && h.shape.length > 1) {
            values = fortranToC(values, h.shape);
        }
        return new NpyArray(h.shape, values);
    }

    /** Writes {@code array} as a {@code .npy} file (float32, C order), atomically. */
    public static void write(Path file, NpyArray array) throws IOException {
        AtomicFiles.write(file, out -> write(out, array));
    }

    /** Writes {@code array} in {@code .npy} format to {@code out}. */
    public static void write(OutputStream out, NpyArray array) throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeString(array.shape()) + ", }";
        int major = dict.length() + 1 + 10 > 65535 ? 2 : 1;
        int prefix = major == 1 ? 10 : 12;
        int total = prefix + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - total) + "\n";
        ByteBuffer pre = ByteBuffer.allocate(prefix).order(ByteOrder.LITTLE_ENDIAN);
        pre.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            pre.putShort((short) header.length());
        } else {
            pre.putInt(header.length());
        }
        out.write(pre.array());
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        float[] data = array.data();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putFloat(v);
        }
        out.write(buf.array(), 0, buf.position());
    }

    /** NumPy's spelling of a shape: {@code ()}, {@code (3,)}, {@code (2, 3)}. */
    static String shapeString(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(')').toString();
    }

    private record Header(String descr, ElementType type, ByteOrder order, boolean fortranOrder, int[] shape) {
    }

    private static Header parseHeader(String header, String source) {
        String h = header.strip();
        if (!h.startsWith("{") || !h.endsWith("}")) {
            throw bad(source, "header is not a Python dict literal: " + abbreviate(h));
        }
        if (h.matches("(?s).*['\"]descr['\"]\\s*:\\s*\\[.*")) {
            throw bad(source, "structured arrays (a list as 'descr') are not supported; save a plain numeric array");
        }
        Matcher d = DESCR.matcher(h);
        Matcher f = FORTRAN.matcher(h);
        Matcher s = SHAPE.matcher(h);
        if (!d.find() || !f.find() || !s.find()) {
            throw bad(source, "header lacks 'descr', 'fortran_order' or 'shape': " + abbreviate(h));
        }
        String descr = d.group(2);
        if (descr.length() < 2) {
            throw bad(source, "dtype '" + descr + "' is not understood");
        }
        char orderChar = descr.charAt(0);
        ByteOrder order = switch (orderChar) {
            case '<', '|' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '=' -> ByteOrder.nativeOrder();
            default -> throw bad(source, "dtype '" + descr + "' has no byte order (<, >, | or =)");
        };
        ElementType type = ElementType.of(descr.substring(1));
        if (type == null) {
            throw bad(source, "dtype '" + descr + "' is not supported: use float16/32/64, (u)int8..64 or bool");
        }
        return new Header(descr, type, order, f.group(1).equals("True"), parseShape(s.group(1), source));
    }

    private static int[] parseShape(String inside, String source) {
        List<Integer> dims = new ArrayList<>();
        for (String part : inside.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1); // Python 2 long literals
            }
            if (!p.matches("\\d+")) {
                throw bad(source, "shape (" + inside + ") holds '" + part.strip() + "', not a dimension >= 0");
            }
            if (new java.math.BigInteger(p).compareTo(java.math.BigInteger.valueOf(MAX_VALUES)) > 0) {
                throw bad(source, "shape (" + inside + ") has a dimension of " + p + ", too large: an array here holds "
                        + "at most " + MAX_VALUES + " values");
            }
            dims.add(Integer.parseInt(p));
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The number of values a shape holds, or any number above {@link #MAX_VALUES} when it is more. */
    private static long valueCount(int[] shape) {
        long count = 1;
        for (int d : shape) {
            if (d == 0) {
                return 0;
            }
        }
        for (int d : shape) {
            count *= d; // no overflow: count <= MAX_VALUES and d < 2^31 before each step
            if (count > MAX_VALUES) {
                return count;
            }
        }
        return count;
    }

    /** Reorders column-major (Fortran) values into row-major. */
    private static float[] fortranToC(float[] f, int[] shape) {
        int rank = shape.length;
        float[] c = new float[f.length];
        int[] index = new int[rank];
        for (int i = 0; i < c.length; i++) {
            long off = 0;
            long stride = 1;
            for (int k = 0; k < rank; k++) {
                off += index[k] * stride;
                stride *= shape[k];
            }
            c[i] = f[(int) off];
            for (int k = rank - 1; k >= 0; k--) {
                if (++index[k] < shape[k]) {
                    break;
                }
                index[k] = 0;
            }
        }
        return c;
    }

    private static boolean startsWithMagic(byte[] b) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (b[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    private static IllegalArgumentException bad(String source, String what) {
        return new IllegalArgumentException(source + ": " + what);
    }
}
