package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.internal.StringHashes;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras 3's {@code Hashing} preprocessing layer ({@code hashing.py}, run by TensorFlow): each token
 * hashed into one of {@code num_bins} bins, as ids ({@code output_mode="int"}) or one_hot /
 * multi_hot / count vectors. Without a salt the hash is FarmHash's Fingerprint64
 * ({@code tf.strings.to_hash_bucket_fast}); with one, SipHash-2-4 keyed by the salt's two numbers
 * ({@code to_hash_bucket_strong}). An integer token is hashed as its decimal string.
 *
 * <pre>{@code
 * Hashing h = new Hashing(3);
 * h.applyStrings(List.of(List.of("A"), List.of("B")));   // [[1], [0]], as Keras's docstring
 * }</pre>
 *
 * <p>Inside a model it takes integer tokens held as float32 (Keras's int64 input; a float is cast to
 * an integer toward zero, as Keras casts one); string tokens go through {@link #applyStrings} in
 * front of a model, as {@link StringLookup} takes them (a Keras file whose string input goes into a
 * Hashing loads with it as that front: {@code KerasModel.hashing()} and {@code predictTokens}). With {@code mask_value} the bins are
 * shifted up by one and a token equal to it (compared before any cast, as Keras compares) gets 0.
 * Ids are exact in float32 up to 2^24, so num_bins is at most that. No weights, no gradient to the
 * input, no mask passed on; computed on the host, as Keras computes it on the CPU.
 * {@code sparse=True} is not supported.
 */
public final class Hashing extends Layer {
    /** Keras's {@code output_mode}. */
    public enum OutputMode {
        /** One bin id per token (the default). */
        INT("int"),
        /** One vector per token: 1 at its bin; a last axis of size 1 is replaced by the vector. */
        ONE_HOT("one_hot"),
        /** One vector per row of tokens: 1 at the bin of each. */
        MULTI_HOT("multi_hot"),
        /** As MULTI_HOT, with how many tokens fell in each bin. */
        COUNT("count");

        private final String keras;

        OutputMode(String keras) {
            this.keras = keras;
        }

        /** The value Keras's config writes. */
        public String kerasName() {
            return keras;
        }
    }

    /** Bin ids are exact in float32 up to here. */
    static final int MAX_BINS = 1 << 24;

    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();
    private final int numBins;
    private OutputMode outputMode = OutputMode.INT;
    private Object maskValue; // a String or a Long, as Keras's config holds it; null for none
    private long[] salt;

    /**
     * Keras's {@code Hashing(num_bins)}: FarmHash, no mask value, int output.
     *
     * @throws IllegalArgumentException unless num_bins is at least 1 (Keras's rule) and at most 2^24
     */
    public Hashing(int numBins) {
        super("hashing");
        if (numBins <= 0) {
            throw new IllegalArgumentException(where() + ": The `num_bins` for `Hashing` cannot be `None` or "
                    + "non-positive values. Received: num_bins=" + numBins + ".");
        }
        if (numBins > MAX_BINS) {
            throw new IllegalArgumentException(where() + ": num_bins=" + numBins + ": rnn4j holds bin ids as "
                    + "float32, exact up to 2^24 = " + MAX_BINS);
        }
        this.numBins = numBins;
    }

    @Override
    public Hashing named(String newName) {
        super.named(newName);
        return this;
    }

    /** Keras's {@code output_mode}. */
    public Hashing outputMode(OutputMode mode) {
        requireNotBuilt("output_mode");
        this.outputMode = Objects.requireNonNull(mode, "outputMode");
        return this;
    }

    /** Keras's {@code mask_value} for string tokens: that token gets bin 0, the others bins 1 and up. */
    public Hashing maskValue(String value) {
        requireNotBuilt("mask_value");
        this.maskValue = Objects.requireNonNull(value, "mask_value");
        return this;
    }

    /** Keras's {@code mask_value} for integer tokens. */
    public Hashing maskValue(long value) {
        requireNotBuilt("mask_value");
        this.maskValue = value;
        return this;
    }

    /** No mask value (Keras's default, None). */
    public Hashing noMaskValue() {
        requireNotBuilt("mask_value");
        this.maskValue = null;
        return this;
    }

    /** Keras's {@code salt=n}: SipHash-2-4 keyed by {@code [n, n]}. */
    public Hashing salt(long value) {
        return salt(value, value);
    }

    /** Keras's {@code salt=[k0, k1]}: SipHash-2-4 keyed by the two numbers (TensorFlow's int64 key attribute). */
    public Hashing salt(long k0, long k1) {
        requireNotBuilt("salt");
        this.salt = new long[] {k0, k1};
        return this;
    }

    /** Keras's num_bins, the mask's bin included. */
    public int numBins() {
        return numBins;
    }

    /** Keras's output_mode. */
    public OutputMode outputMode() {
        return outputMode;
    }

    /** Keras's mask_value: a String, a Long, or null. */
    public Object maskValue() {
        return maskValue;
    }

    /** Keras's salt as its config writes it ({@code [k0, k1]}), or null for FarmHash. */
    public long[] salt() {
        return salt == null ? null : salt.clone();
    }

    /** The bin of one token given as Keras's hash input (a string, or an integer's decimal string). */
    private long bin(String token, boolean masked) {
        if (masked) {
            return 0;
        }
        boolean shifted = maskValue != null && numBins > 1; // Keras shifts only when a bin is left
        long b = StringHashes.bucket(token, shifted ? numBins - 1 : numBins, salt);
        return shifted ? b + 1 : b;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        return outputShapeFor(in);
    }

    /** Any sizes; one_hot needs the last one. */
    @Override
    protected Shape acceptedShape() {
        return CategoricalEncoding.acceptedShape(inputShape(), outputMode.kerasName());
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        return CategoricalEncoding.outputShape(this, outputMode.kerasName(), in, numBins);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        if (maskValue instanceof String) {
            throw new IllegalArgumentException(where() + ": mask_value is the string '" + maskValue + "' but the "
                    + "input holds numbers (TensorFlow cannot compare them); strings go through applyStrings");
        }
        float[] v = x.value().toArray();
        long[] bins = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException(where() + ": expected integer tokens, got " + v[i]);
            }
            boolean masked = maskValue instanceof Long m && numBins > 1 && v[i] == (double) m;
            bins[i] = bin(Long.toString((long) v[i]), masked); // tf.cast to int64: toward zero
        }
        Shape out = outputShapeFor(x.shape().tail());
        return Variable.constant(device().tensor(encode(bins, x.dim(0)),
                CategoricalEncoding.batchDims(x.dim(0), out)));
    }

    private float[] encode(long[] bins, int rows) {
        return CategoricalEncoding.encode(outputMode.kerasName(), bins, rows, numBins, null);
    }

    /**
     * Keras's {@code layer(rows)} on string tokens: rows of one length n to {@code (rows, n)} bin ids,
     * {@code (rows, num_bins)} vectors for multi_hot / count and one_hot of one token a row,
     * {@code (rows, n, num_bins)} for one_hot of more.
     *
     * @throws IllegalArgumentException for rows of different lengths, a null token, or an integer mask_value
     */
    public Tensor applyStrings(List<List<String>> rows) {
        Objects.requireNonNull(rows, "rows");
        if (maskValue instanceof Long) {
            throw new IllegalArgumentException(where() + ": mask_value is the integer " + maskValue + " but the "
                    + "input holds strings (TensorFlow cannot compare them)");
        }
        int n = rows.isEmpty() ? 0 : Objects.requireNonNull(rows.get(0), "row 0").size();
        long[] bins = new long[rows.size() * n];
        for (int b = 0; b < rows.size(); b++) {
            List<String> row = Objects.requireNonNull(rows.get(b), "row " + b);
            if (row.size() != n) {
                throw new IllegalArgumentException(where() + ": row " + b + " has " + row.size() + " tokens, row 0 "
                        + "has " + n + ": expected rows of one length (Keras's (batch, n) string tensor)");
            }
            for (int t = 0; t < n; t++) {
                String token = Objects.requireNonNull(row.get(t), "row " + b + " token " + t);
                TextTokens.checkUnicode(where(), b, token);
                bins[b * n + t] = bin(token, numBins > 1 && token.equals(maskValue));
            }
        }
        Shape sample = CategoricalEncoding.outputShape(this, outputMode.kerasName(), Shape.of(n), numBins);
        return Tensor.of(encode(bins, rows.size()), CategoricalEncoding.batchDims(rows.size(), sample));
    }

    /**
     * The shape of one row's output for rows of {@code n} tokens, as {@link #applyStrings} gives it:
     * {@code (n)} ids, {@code (num_bins)} for multi_hot / count and one_hot of one token,
     * {@code (n, num_bins)} for one_hot of more.
     */
    public int[] outputShape(int n) {
        return CategoricalEncoding.outputShape(this, outputMode.kerasName(), Shape.of(n), numBins).dims();
    }

    @Override
    public String toString() {
        return "Hashing '" + name() + "' (" + numBins + " bins, " + outputMode.kerasName()
                + (salt != null ? ", SipHash" : ", FarmHash") + ")";
    }
}
