package io.rnn4j.layers.keras;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Weight;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Reads the weights files rnn4j wrote before weights-only saving became Keras's
 * {@code .weights.h5} (its {@code WeightsFile} and ModelCheckpoint's weights-only default), so
 * that they still load with {@code loadWeights}; nothing writes this format any more.
 *
 * <p>Layout, version 1: {@code "RNN4JWTS"}, int version, int count, then per weight: its
 * {@code layer/name} (Java's modified UTF-8 with a 2-byte length), int rank, rank ints, the
 * float32 values; then the CRC-32 (long) of everything before it; all big-endian. Weights are
 * matched to the model by position (Keras's get_weights() order) and shape, not by name, since
 * layer names differ between model instances. The whole file is checked before a value is
 * returned.
 */
final class Rnn4jWeightsFile {
    static final byte[] MAGIC = "RNN4JWTS".getBytes(StandardCharsets.US_ASCII);
    /** The newest version rnn4j wrote. */
    static final int VERSION = 1;

    private Rnn4jWeightsFile() {
    }

    /**
     * The values of {@code weights}, in order, from the file's bytes.
     *
     * @throws KerasFileException naming the file and what is wrong: a newer format version,
     *                            truncated or corrupt, another number of weights, a weight of
     *                            another shape
     */
    static List<Tensor> read(Path path, byte[] data, List<Weight> weights) {
        ByteBuffer in = ByteBuffer.wrap(data);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw bad(path, "not an rnn4j weights file (it does not start with RNN4JWTS)");
            }
            int version = in.getInt();
            if (version > VERSION || version < 1) {
                throw bad(path, "format version " + version + "; this rnn4j reads versions 1 to " + VERSION
                        + (version > VERSION ? " (written by a newer rnn4j)" : ""));
            }
            if (data.length < MAGIC.length + 8 + 8) {
                throw bad(path, "truncated (" + data.length + " bytes)");
            }
            CRC32 crc = new CRC32();
            crc.update(data, 0, data.length - 8);
            long stored = ByteBuffer.wrap(data, data.length - 8, 8).getLong();
            if (stored != crc.getValue()) {
                throw bad(path, "truncated or corrupt (checksum mismatch; " + data.length + " bytes)");
            }
            int count = in.getInt();
            if (count != weights.size()) {
                throw bad(path, "it holds " + count + " weights, the model has " + weights.size() + " "
                        + weights.stream().map(Weight::toString).toList());
            }
            List<Tensor> values = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                values.add(weight(path, in, i, weights.get(i)));
            }
            if (in.remaining() != 8) {
                throw bad(path, "corrupt (" + (in.remaining() - 8) + " unexpected bytes after the weights)");
            }
            return values;
        } catch (BufferUnderflowException e) {
            throw bad(path, "truncated (" + data.length + " bytes)");
        }
    }

    /** Weight {@code i}: its name, shape (which must be {@code w}'s) and values. */
    private static Tensor weight(Path path, ByteBuffer in, int i, Weight w) {
        byte[] name = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(name);
        int rank = in.getInt();
        if (rank < 0 || rank > 8) {
            throw bad(path, "weight " + i + " has rank " + rank + " (corrupt)");
        }
        int[] dims = new int[rank];
        long size = 1;
        for (int r = 0; r < rank; r++) {
            dims[r] = in.getInt();
            size *= dims[r];
        }
        if (!Arrays.equals(dims, w.shape().dims())) {
            throw bad(path, "weight " + i + " ('" + new String(name, StandardCharsets.UTF_8) + "' in the file) "
                    + "has shape " + Arrays.toString(dims) + ", but the model's " + w.path() + " has " + w.shape()
                    + " (a model of another architecture?)");
        }
        float[] v = new float[Math.toIntExact(size)];
        in.asFloatBuffer().get(v);
        in.position(in.position() + 4 * v.length);
        return Tensor.of(v, dims);
    }

    private static KerasFileException bad(Path path, String what) {
        return new KerasFileException(path + ": rnn4j weights file: " + what);
    }
}
