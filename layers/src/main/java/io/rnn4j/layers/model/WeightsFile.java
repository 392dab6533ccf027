package io.rnn4j.layers.model;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Weight;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * rnn4j's own weights file: every weight of a model, in Keras's get_weights() order, with its
 * {@code layer/name} and shape, float32 big-endian, and a CRC-32 of all of it at the end.
 * Written to a temporary file beside the target and renamed over it, so a crash never leaves a
 * half-written file; read whole and checked (magic, format version, checksum, the count and
 * shape of every weight) before any weight is set, so that a truncated file, one of another
 * architecture or of a newer format is refused and the model left unchanged.
 *
 * <p>Layout, version 1: {@code "RNN4JWTS"}, int version, int count, then per weight: UTF name,
 * int rank, rank ints, the floats; then the CRC-32 (long) of everything before it. Weights are
 * matched by position and shape, not name (layer names differ between model instances).
 */
public final class WeightsFile {
    private static final byte[] MAGIC = "RNN4JWTS".getBytes(StandardCharsets.US_ASCII);
    /** The format version this code writes and the newest it reads. */
    public static final int VERSION = 1;

    private WeightsFile() {
    }

    /**
     * Saves the model's weights to {@code path} atomically (temporary file, then rename).
     *
     * @throws IOException if the file cannot be written; the target is then untouched
     */
    public static void save(TrainableModel model, Path path) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            List<Weight> weights = model.weights();
            out.writeInt(weights.size());
            for (Weight w : weights) {
                out.writeUTF(w.path());
                int[] dims = w.shape().dims();
                out.writeInt(dims.length);
                for (int d : dims) {
                    out.writeInt(d);
                }
                for (float f : w.value().toArray()) {
                    out.writeFloat(f);
                }
            }
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        }
        writeAtomically(path, bytes.toByteArray());
    }

    /** Writes {@code data} to a temporary file in path's directory, forces it to disk, renames it over path. */
    static void writeAtomically(Path path, byte[] data) throws IOException {
        io.rnn4j.layers.internal.AtomicFiles.write(path, data);
    }

    /**
     * Loads weights saved with {@link #save} into {@code model}; nothing is set unless the whole
     * file is sound and fits the model.
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException naming the file and what is wrong: not a weights file, a
     *                                  newer format version, truncated or corrupt, another
     *                                  number of weights, a weight of another shape
     */
    public static void load(TrainableModel model, Path path) throws IOException {
        byte[] data = Files.readAllBytes(path);
        List<Tensor> values = read(path, data, model.weights());
        model.setWeights(values);
    }

    private static List<Tensor> read(Path path, byte[] data, List<Weight> weights) {
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
                int nameLength = Short.toUnsignedInt(in.getShort());
                byte[] name = new byte[nameLength];
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
                Weight w = weights.get(i);
                if (!Arrays.equals(dims, w.shape().dims())) {
                    throw bad(path, "weight " + i + " ('" + new String(name, StandardCharsets.UTF_8) + "' in the file) "
                            + "has shape " + Arrays.toString(dims) + ", but the model's " + w.path()
                            + " has " + w.shape() + " (a model of another architecture?)");
                }
                float[] v = new float[Math.toIntExact(size)];
                in.asFloatBuffer().get(v);
                in.position(in.position() + 4 * v.length);
                values.add(Tensor.of(v, dims));
            }
            if (in.remaining() != 8) {
                throw bad(path, "corrupt (" + (in.remaining() - 8) + " unexpected bytes after the weights)");
            }
            return values;
        } catch (BufferUnderflowException e) {
            throw bad(path, "truncated (" + data.length + " bytes)");
        }
    }

    private static IllegalArgumentException bad(Path path, String what) {
        return new IllegalArgumentException("weights file " + path + ": " + what);
    }
}
