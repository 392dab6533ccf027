package io.rnn4j.cli.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .npy reader and writer: files NumPy wrote (make_fixtures.py beside them) read to the values
 * NumPy saved, what we write is byte for byte what NumPy writes, round trips at every rank keep
 * every bit, and every malformed file is refused naming what is wrong.
 */
class NpyTest {

    private static NpyArray fixture(String name) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream("npy/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return Npy.read(in, name);
        }
    }

    private static byte[] fixtureBytes(String name) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream("npy/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void readsWhatNumpyWroteInEveryDtypeAndOrder() throws IOException {
        assertThat(fixture("f4_2x3.npy")).isEqualTo(new NpyArray(new int[] {2, 3},
                new float[] {1.5f, -2f, 3.25f, 0f, 1e-8f, -7f}));
        float[] quarters = new float[12];
        for (int i = 0; i < 12; i++) {
            quarters[i] = i / 4f;
        }
        assertThat(fixture("f8_fortran_2x3x2.npy")).as("Fortran order becomes row-major")
                .isEqualTo(new NpyArray(new int[] {2, 3, 2}, quarters));
        assertThat(fixture("i4_big_endian_3.npy")).isEqualTo(new NpyArray(new int[] {3}, new float[] {1, -2, 300000}));
        assertThat(fixture("u1_scalar.npy")).isEqualTo(new NpyArray(new int[0], new float[] {200}));
        assertThat(fixture("b1_2x2.npy")).isEqualTo(new NpyArray(new int[] {2, 2}, new float[] {1, 0, 0, 1}));
        assertThat(fixture("f2_4.npy")).isEqualTo(new NpyArray(new int[] {4},
                new float[] {0.5f, -1f, 65504f, 0.0999755859375f}));
        assertThat(fixture("i8_empty_0x3.npy")).isEqualTo(new NpyArray(new int[] {0, 3}, new float[0]));
        assertThat(fixture("f4_v2_2.npy")).isEqualTo(new NpyArray(new int[] {2}, new float[] {1, 2}));
        assertThat(fixture("f4_v3_2.npy")).isEqualTo(new NpyArray(new int[] {2}, new float[] {3, 4}));
    }

    @Test
    void writesExactlyTheBytesNumpyWrites() throws IOException {
        NpyArray a = new NpyArray(new int[] {2, 3}, new float[] {1.5f, -2f, 3.25f, 0f, 1e-8f, -7f});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, a);
        assertThat(out.toByteArray()).isEqualTo(fixtureBytes("f4_2x3.npy"));
    }

    @Test
    void roundTripsEveryRankBitForBit(@TempDir Path dir) throws IOException {
        long seed = System.nanoTime();
        System.out.println("NpyTest.roundTripsEveryRankBitForBit seed=" + seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        int[][] shapes = {{}, {0}, {1}, {7}, {3, 5}, {2, 0, 4}, {2, 3, 4}, {1, 2, 3, 5}, {2, 1, 3, 1, 2}};
        for (int[] shape : shapes) {
            int n = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
            float[] data = new float[n];
            for (int i = 0; i < n; i++) {
                data[i] = Float.intBitsToFloat(rnd.nextInt()); // every bit pattern, NaNs and infinities included
            }
            NpyArray a = new NpyArray(shape, data);
            Path f = dir.resolve("a" + shape.length + ".npy");
            Npy.write(f, a);
            assertThat(Files.size(f) % 64).as("data starts on a 64-byte boundary").isEqualTo((long) n * 4 % 64);
            NpyArray b = Npy.read(f);
            assertThat(b.shape()).isEqualTo(shape);
            for (int i = 0; i < n; i++) {
                assertThat(Float.floatToRawIntBits(b.data()[i])).isEqualTo(Float.floatToRawIntBits(data[i]));
            }
        }
    }

    @Test
    void writesVersion2WhenTheHeaderDoesNotFitVersion1() throws IOException {
        int[] shape = new int[30000]; // a header longer than 65535 bytes
        Arrays.fill(shape, 1);
        NpyArray a = new NpyArray(shape, new float[] {42f});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, a);
        byte[] bytes = out.toByteArray();
        assertThat(bytes[6]).isEqualTo((byte) 2);
        assertThat(Npy.read(new ByteArrayInputStream(bytes), "big")).isEqualTo(a);
    }

    @Test
    void refusesDtypesItCannotHoldNamingThem() {
        assertThatThrownBy(() -> fixture("c8_complex.npy")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("c8_complex.npy").hasMessageContaining("dtype '<c8' is not supported");
        assertThatThrownBy(() -> fixture("structured.npy")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("structured arrays");
        assertThatThrownBy(() -> fixture("object.npy")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dtype '|O' is not supported");
    }

    @Test
    void refusesMalformedFilesWhole() throws IOException {
        byte[] good = fixtureBytes("f4_2x3.npy");
        assertThatThrownBy(() -> read(Arrays.copyOf(good, good.length - 4)))
                .hasMessageContaining("truncated: shape (2, 3) of '<f4' needs 24 bytes of data, found 20");
        assertThatThrownBy(() -> read(Arrays.copyOf(good, good.length + 1)))
                .hasMessageContaining("has bytes after the 24 bytes of data");
        assertThatThrownBy(() -> read(Arrays.copyOf(good, 50))).hasMessageContaining("truncated in the header");
        assertThatThrownBy(() -> read("PK\u0003\u0004 a zip".getBytes())).hasMessageContaining("not a .npy file");
        assertThatThrownBy(() -> read(new byte[0])).hasMessageContaining("not a .npy file");
        byte[] v9 = good.clone();
        v9[6] = 9;
        assertThatThrownBy(() -> read(v9)).hasMessageContaining("format version 9.0 is not supported");
        byte[] badShape = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1).replace("(2, 3)", "(2, x)")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> read(badShape)).hasMessageContaining("shape (2, x) holds 'x'");
        byte[] noShape = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1).replace("'shape'", "'shope'")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> read(noShape)).hasMessageContaining("header lacks 'descr', 'fortran_order' or 'shape'");
    }

    @Test
    void aDimensionOrShapeTooLargeIsCalledTooLargeNamingTheLimit() {
        assertThatThrownBy(() -> read(withShape("(100000000000, 3)")))
                .hasMessage("test.npy: shape (100000000000, 3) has a dimension of 100000000000, too large: an array "
                        + "here holds at most 2147483639 values");
        assertThatThrownBy(() -> read(withShape("(100000, 100000, 100000, 100000)"))).as("no long overflow")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("test.npy: shape (100000, 100000, 100000, 100000) holds more than 2147483639 values, "
                        + "the most a Java array can");
        assertThatThrownBy(() -> read(withShape("(-1, 3)"))).hasMessageContaining("holds '-1', not a dimension >= 0");
    }

    /** A version 1.0 float32 file's header with the given shape, and no data. */
    private static byte[] withShape(String shape) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }\n";
        byte[] header = dict.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + header.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length).put(header);
        return b.array();
    }

    @Test
    void aFloat64ValuePastFloat32sRangeIsRefusedNotMadeInfinite() throws IOException {
        assertThatThrownBy(() -> read(float64s(1.5, 1e39, -2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("test.npy: holds 1.0E39 at flat index 1 (in file order), which float32 cannot hold (its "
                        + "largest magnitude is 3.4028235E38)");
        // Values stored as NaN or infinity stay what they are; small ones round as any float64 does.
        NpyArray ok = read(float64s(Double.NaN, Double.NEGATIVE_INFINITY, 1e-50));
        assertThat(ok.data()).containsExactly(Float.NaN, Float.NEGATIVE_INFINITY, 0f);
    }

    /** A version 1.0 little-endian float64 file of one row. */
    private static byte[] float64s(double... v) {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + v.length + ",), }\n";
        byte[] header = dict.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + header.length + 8 * v.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length).put(header);
        for (double d : v) {
            b.putDouble(d);
        }
        return b.array();
    }

    @Test
    void theArrayChecksItsShapeAgainstItsData() {
        assertThatThrownBy(() -> new NpyArray(new int[] {2, 3}, new float[5])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shape [2, 3] needs 6 values, got 5");
    }

    private static NpyArray read(byte[] bytes) throws IOException {
        return Npy.read(new ByteArrayInputStream(bytes), "test.npy");
    }
}
