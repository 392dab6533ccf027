package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.internal.StringHashes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras 3's {@code HashedCrossing} preprocessing layer ({@code hashed_crossing.py}, run by
 * TensorFlow's {@code tf.sparse.cross_hashed}): two or more categorical features, one value each per
 * sample, crossed into one of {@code num_bins} bins, as ids ({@code output_mode="int"}) or one_hot
 * vectors. The cross starts from TensorFlow's default key and folds in each feature in turn with
 * {@code FingerprintCat64}: a string feature as its FarmHash Fingerprint64, an integer feature as its
 * own 64-bit value; then modulo num_bins.
 *
 * <pre>{@code
 * HashedCrossing cross = new HashedCrossing(5);
 * cross.applyColumns(List.of(List.of("A", "B"), List.of(101L, 102L)));  // (2,) bin ids
 * }</pre>
 *
 * <p>Inside a model its inputs are integer features held as float32 (Keras's int64 inputs), all of
 * one shape, {@code (batch,)} or {@code (batch, 1)} as Keras requires; a value that is not an
 * integer is refused, as Keras refuses a float input. String features go through
 * {@link #applyColumns} in front of a model. Ids are exact in float32 up to 2^24, so num_bins is at
 * most that. No weights, no gradient, no mask passed on; computed on the host, as Keras computes it
 * on the CPU. {@code sparse=True} is not supported.
 */
public final class HashedCrossing extends Layer {
    /** Keras's {@code output_mode}. */
    public enum OutputMode {
        /** One bin id per sample (the default). */
        INT("int"),
        /** One vector per sample, 1 at its bin. */
        ONE_HOT("one_hot");

        private final String keras;

        OutputMode(String keras) {
            this.keras = keras;
        }

        /** The value Keras's config writes. */
        public String kerasName() {
            return keras;
        }
    }

    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();
    private final int numBins;
    private final OutputMode outputMode;

    /** Keras's {@code HashedCrossing(num_bins)}: int output. */
    public HashedCrossing(int numBins) {
        this(numBins, OutputMode.INT);
    }

    /**
     * Keras's {@code HashedCrossing(num_bins, output_mode)}.
     *
     * @throws IllegalArgumentException unless num_bins is at least 1 (TensorFlow's cross_hashed
     *                                  refuses fewer) and at most 2^24
     */
    public HashedCrossing(int numBins, OutputMode outputMode) {
        super("hashed_crossing");
        if (numBins < 1 || numBins > Hashing.MAX_BINS) {
            throw new IllegalArgumentException(where() + ": num_bins=" + numBins + ": expected 1 to 2^24 (at least "
                    + "one bin, as TensorFlow's cross_hashed needs; rnn4j holds bin ids as float32, exact up to 2^24)");
        }
        this.numBins = numBins;
        this.outputMode = Objects.requireNonNull(outputMode, "outputMode");
    }

    @Override
    public HashedCrossing named(String newName) {
        super.named(newName);
        return this;
    }

    /** Keras's num_bins. */
    public int numBins() {
        return numBins;
    }

    /** Keras's output_mode. */
    public OutputMode outputMode() {
        return outputMode;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        return build(List.of(in), random);
    }

    @Override
    protected Shape build(List<Shape> shapes, RandomGenerator random) {
        return crossed(shapes);
    }

    @Override
    protected List<Shape> outputShapes(List<Shape> shapes) {
        return List.of(crossed(shapes));
    }

    /** Keras's checks (two or more inputs of one shape, () or (1) a sample) and its output shape. */
    private Shape crossed(List<Shape> shapes) {
        if (shapes.size() < 2) {
            throw new IllegalArgumentException(where() + ": `HashedCrossing` should be called on at least two "
                    + "inputs. Received: " + shapes.size());
        }
        Shape first = shapes.get(0);
        if (first.rank() > 1 || (first.rank() == 1 && first.dim(0) != 1)) {
            throw new IllegalArgumentException(where() + ": All `HashedCrossing` inputs should have shape `()`, "
                    + "`(batch_size)` or `(batch_size, 1)`. Received: an input " + batchless(first));
        }
        for (Shape s : shapes) {
            if (!s.equals(first)) {
                throw new IllegalArgumentException(where() + ": All `HashedCrossing` inputs should have equal "
                        + "shape. Received: " + shapes.stream().map(Layer::batchless).toList());
            }
        }
        return CategoricalEncoding.outputShape(this, outputMode.kerasName(), first, numBins);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        return forwardAll(List.of(x), java.util.Collections.singletonList(mask), ctx).get(0);
    }

    @Override
    protected List<Variable> forwardAll(List<Variable> inputs, List<Tensor> masks, CallContext ctx) {
        for (Tensor m : masks) {
            droppedMask.check(this, m);
        }
        List<Shape> samples = new ArrayList<>();
        for (Variable v : inputs) {
            samples.add(v.shape().tail());
            if (v.dim(0) != inputs.get(0).dim(0)) {
                throw new IllegalArgumentException(where() + ": inputs of different batch sizes "
                        + inputs.stream().map(Variable::shape).toList());
            }
        }
        Shape out = crossed(samples);
        int batch = inputs.get(0).dim(0);
        long[] bins = new long[batch];
        long[] features = new long[inputs.size()];
        List<float[]> values = inputs.stream().map(v -> v.value().toArray()).toList();
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < features.length; i++) {
                float f = values.get(i)[b];
                if (f != Math.rint(f) || Float.isInfinite(f)) {
                    throw new IllegalArgumentException(where() + ": input " + i + " holds " + f + " at sample " + b
                            + ": All `HashedCrossing` inputs should have an integer or string dtype (rnn4j holds "
                            + "integers as float32)");
                }
                features[i] = (long) f;
            }
            bins[b] = cross(features);
        }
        return List.of(Variable.constant(device().tensor(encode(bins), CategoricalEncoding.batchDims(batch, out))));
    }

    /** cross_hashed of one sample's features (already hashed or raw integers) into a bin. */
    private long cross(long[] features) {
        long h = StringHashes.CROSS_HASH_KEY;
        for (long f : features) {
            h = StringHashes.fingerprintCat64(h, f);
        }
        return Long.remainderUnsigned(h, numBins);
    }

    /** One bin id a sample: the ids as floats (int) or one one_hot vector each. */
    private float[] encode(long[] bins) {
        return CategoricalEncoding.encode(outputMode.kerasName(), bins, bins.length, numBins, null);
    }

    /**
     * Keras's {@code layer((col0, col1, ...))} on columns of strings and / or integers (a Long,
     * Integer, Short or Byte), one value per sample: {@code (batch,)} bin ids, or
     * {@code (batch, num_bins)} one_hot vectors.
     *
     * @throws IllegalArgumentException for fewer than two columns, columns of different lengths, a
     *                                  column mixing strings and numbers, or a value of another type
     */
    public Tensor applyColumns(List<? extends List<?>> columns) {
        Objects.requireNonNull(columns, "columns");
        if (columns.size() < 2) {
            throw new IllegalArgumentException(where() + ": `HashedCrossing` should be called on at least two "
                    + "inputs. Received: " + columns.size());
        }
        int batch = Objects.requireNonNull(columns.get(0), "column 0").size();
        long[][] hashed = new long[columns.size()][];
        for (int i = 0; i < columns.size(); i++) {
            hashed[i] = column(i, Objects.requireNonNull(columns.get(i), "column " + i), batch);
        }
        long[] bins = new long[batch];
        long[] features = new long[columns.size()];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < features.length; i++) {
                features[i] = hashed[i][b];
            }
            bins[b] = cross(features);
        }
        Shape sample = CategoricalEncoding.outputShape(this, outputMode.kerasName(), Shape.of(), numBins);
        return Tensor.of(encode(bins), CategoricalEncoding.batchDims(batch, sample));
    }

    /** One column's per-sample feature hashes: Fingerprint64 of strings, integers as they are. */
    private long[] column(int i, List<?> column, int batch) {
        if (column.size() != batch) {
            throw new IllegalArgumentException(where() + ": All `HashedCrossing` inputs should have equal shape. "
                    + "Received: column 0 of " + batch + " values, column " + i + " of " + column.size());
        }
        long[] out = new long[batch];
        Class<?> kind = null;
        for (int b = 0; b < batch; b++) {
            Object v = Objects.requireNonNull(column.get(b), "column " + i + " value " + b);
            boolean text = v instanceof String;
            if (!text && !(v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte)) {
                throw new IllegalArgumentException(where() + ": column " + i + " value " + b + " is a "
                        + v.getClass().getSimpleName() + ": All `HashedCrossing` inputs should have an integer or "
                        + "string dtype");
            }
            Class<?> k = text ? String.class : Number.class;
            if (kind != null && kind != k) {
                throw new IllegalArgumentException(where() + ": column " + i + " mixes strings and integers (a "
                        + "TensorFlow tensor has one dtype)");
            }
            kind = k;
            if (text) {
                TextTokens.checkUnicode(where(), b, (String) v);
                out[b] = StringHashes.fingerprint64(StringHashes.utf8((String) v));
            } else {
                out[b] = ((Number) v).longValue();
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "HashedCrossing '" + name() + "' (" + numBins + " bins, " + outputMode.kerasName() + ")";
    }
}
