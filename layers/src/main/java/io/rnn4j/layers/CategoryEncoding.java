package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras 3's {@code CategoryEncoding} preprocessing layer ({@code category_encoding.py}): integer ids
 * in {@code [0, num_tokens)} (float32 here) to one_hot vectors, or to one multi_hot (the default) or
 * count vector per row, as the TensorFlow backend computes them.
 *
 * <pre>{@code
 * new CategoryEncoding(4, CategoryEncoding.OutputMode.COUNT)   // [[0, 1, 1, 3]] -> [[1, 2, 0, 1]]
 * }</pre>
 *
 * <p>As in Keras: an id of num_tokens or more counts for nothing (TensorFlow's bincount drops it, and
 * one_hot gives zeros), a negative id is an error for multi_hot and count (bincount raises) and
 * zeros for one_hot. Not in Keras: a non-integer id is refused (Keras's integer ops refuse a float
 * input). No weights, no gradient to the input, no mask passed on; computed on the host (Keras
 * computes it on the CPU). Keras's {@code count_weights} call argument and {@code sparse=True} are
 * not supported.
 */
public final class CategoryEncoding extends Layer {
    /** Keras's {@code output_mode}. */
    public enum OutputMode {
        /** One vector per id, 1 at the id; a last axis of size 1 is replaced by the vector. */
        ONE_HOT("one_hot"),
        /** One vector per row of ids: 1 at each id in it (Keras's default). */
        MULTI_HOT("multi_hot"),
        /** As MULTI_HOT, with how many times each id occurs. */
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

    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();
    private final int numTokens;
    private final OutputMode outputMode;

    /** Keras's {@code CategoryEncoding(num_tokens)}: multi_hot. */
    public CategoryEncoding(int numTokens) {
        this(numTokens, OutputMode.MULTI_HOT);
    }

    /**
     * Keras's {@code CategoryEncoding(num_tokens, output_mode)}.
     *
     * @throws IllegalArgumentException unless num_tokens is at least 1, as Keras checks
     */
    public CategoryEncoding(int numTokens, OutputMode outputMode) {
        super("category_encoding");
        if (numTokens < 1) {
            throw new IllegalArgumentException(where() + ": `num_tokens` must be >= 1. Received: num_tokens="
                    + numTokens + ".");
        }
        this.numTokens = numTokens;
        this.outputMode = Objects.requireNonNull(outputMode, "outputMode");
    }

    @Override
    public CategoryEncoding named(String newName) {
        super.named(newName);
        return this;
    }

    /** Keras's num_tokens: the size of the vectors. */
    public int numTokens() {
        return numTokens;
    }

    /** Keras's output_mode. */
    public OutputMode outputMode() {
        return outputMode;
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
        return CategoricalEncoding.outputShape(this, outputMode.kerasName(), in, numTokens);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        float[] v = x.value().toArray();
        long[] ids = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i])) {
                throw new IllegalArgumentException(where() + ": expected integer ids, got " + v[i] + " at flat index "
                        + i);
            }
            if (v[i] < 0 && outputMode != OutputMode.ONE_HOT) {
                throw new IllegalArgumentException(where() + ": Input 'in' must be non-negative! Negative input value "
                        + "found: " + (long) v[i] + " (TensorFlow's bincount of output_mode='"
                        + outputMode.kerasName() + "' raises)");
            }
            ids[i] = (long) v[i];
        }
        Shape sample = x.shape().tail();
        Shape out = outputShapeFor(sample);
        float[] encoded = CategoricalEncoding.encode(outputMode.kerasName(), ids, x.dim(0), numTokens, null);
        return Variable.constant(device().tensor(encoded, CategoricalEncoding.batchDims(x.dim(0), out)));
    }

    @Override
    public String toString() {
        return "CategoryEncoding '" + name() + "' (" + outputMode.kerasName() + ", " + numTokens + " tokens)";
    }
}
