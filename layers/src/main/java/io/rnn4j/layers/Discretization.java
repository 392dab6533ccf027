package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras 3's {@code Discretization} preprocessing layer ({@code discretization.py}): each float32
 * value to the index of its bin — the number of bin boundaries at or below it (TensorFlow's
 * Bucketize, boundaries in float32) — as an id ({@code output_mode="int"}, the default) or as
 * one_hot / multi_hot / count vectors of {@code len(bin_boundaries) + 1} entries.
 *
 * <pre>{@code
 * Discretization d = Discretization.withBoundaries(0.0, 1.0);   // [[-1.5, 0.5, 1.0]] -> [[0, 1, 2]]
 * Discretization q = Discretization.withBins(4);                // quartiles, learned by adapt
 * q.adapt(values);
 * }</pre>
 *
 * <p>adapt computes Keras's approximate quantiles exactly as Keras's numpy code does (one summary of
 * the sorted values every {@code epsilon} of them, compressed by interpolation to {@code num_bins}
 * bins; see {@link Quantiles}). No weights, no gradient to the input, no mask passed on; computed on
 * the host, as Keras computes preprocessing on the CPU. {@code sparse=True} is not supported.
 */
public final class Discretization extends Layer {
    /** Keras's {@code output_mode}. */
    public enum OutputMode {
        /** The bin index of each value (the default). */
        INT("int"),
        /** One vector per value, 1 at its bin; a last axis of size 1 is replaced by the vector. */
        ONE_HOT("one_hot"),
        /** One vector per row of values: 1 at each bin hit. */
        MULTI_HOT("multi_hot"),
        /** As MULTI_HOT, with how many values fall in each bin. */
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
    private final Integer numBins;
    private double epsilon = 0.01;
    private OutputMode outputMode = OutputMode.INT;
    /** The boundaries as given or adapted (Keras's config), and as Bucketize compares them. Replaced whole. */
    private volatile double[] boundaries;
    private volatile float[] boundaries32;

    private Discretization(double[] boundaries, Integer numBins) {
        super("discretization");
        this.numBins = numBins;
        if (boundaries != null) {
            setBoundaries(boundaries);
        }
    }

    /**
     * Keras's {@code Discretization(bin_boundaries=[...])}: bins {@code (-inf, b0), [b0, b1), ...,
     * [bn, +inf)}; such a layer cannot be adapted.
     *
     * @throws IllegalArgumentException for boundaries out of order (TensorFlow's Bucketize refuses them)
     */
    public static Discretization withBoundaries(double... binBoundaries) {
        return new Discretization(Objects.requireNonNull(binBoundaries, "binBoundaries").clone(), null);
    }

    /**
     * Keras's {@code Discretization(num_bins=n)}: boundaries learned by {@link #adapt}; a config may
     * also carry boundaries an earlier adapt learned ({@code boundaries} non-null), as Keras's
     * from_config restores them.
     *
     * @throws IllegalArgumentException for a negative num_bins, as Keras checks
     */
    public static Discretization withBins(int numBins, double[] adaptedBoundaries) {
        Discretization d = new Discretization(null, numBins);
        if (numBins < 0) {
            throw new IllegalArgumentException(d.where() + ": `num_bins` must be greater than or equal to 0. "
                    + "Received: `num_bins=" + numBins + "`");
        }
        if (adaptedBoundaries != null) {
            d.setBoundaries(adaptedBoundaries.clone());
        }
        return d;
    }

    /** Keras's {@code Discretization(num_bins=n)}, not yet adapted. */
    public static Discretization withBins(int numBins) {
        return withBins(numBins, null);
    }

    private void setBoundaries(double[] b) {
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            f[i] = (float) b[i]; // Bucketize's boundaries attribute is a list of float32
            if (Float.isNaN(f[i]) || i > 0 && f[i] < f[i - 1]) {
                throw new IllegalArgumentException(where() + ": bin_boundaries must be sorted numbers (TensorFlow's "
                        + "Bucketize: Expected sorted boundaries), got " + Arrays.toString(b));
            }
        }
        this.boundaries32 = f;
        this.boundaries = b;
    }

    @Override
    public Discretization named(String newName) {
        super.named(newName);
        return this;
    }

    /** Keras's {@code epsilon} (0.01): adapt's error tolerance, the summary keeps one value per epsilon. */
    public Discretization epsilon(double eps) {
        requireNotBuilt("epsilon");
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException(where() + ": epsilon must be a positive number, got " + eps);
        }
        this.epsilon = eps;
        return this;
    }

    /** Keras's {@code output_mode}. */
    public Discretization outputMode(OutputMode mode) {
        requireNotBuilt("output_mode");
        this.outputMode = Objects.requireNonNull(mode, "outputMode");
        return this;
    }

    /** Keras's num_bins, or null when made with boundaries. */
    public Integer numBins() {
        return numBins;
    }

    /** Keras's epsilon. */
    public double epsilon() {
        return epsilon;
    }

    /** Keras's output_mode. */
    public OutputMode outputMode() {
        return outputMode;
    }

    /** Keras's bin_boundaries (given, or learned by adapt), or null before adapt. A copy. */
    public double[] binBoundaries() {
        double[] b = boundaries;
        return b == null ? null : b.clone();
    }

    /**
     * Keras's {@code adapt(data)}: the boundaries of {@code num_bins} bins of about equal counts of
     * the data's values (all of them, any shape), by Keras's approximate quantiles.
     *
     * @throws IllegalStateException    for a layer made with bin_boundaries, as Keras raises, or one
     *                                  whose vector size (num_bins) adapt would change after build
     * @throws IllegalArgumentException for NaN or infinite values, or num_bins 0 (Keras divides by it)
     */
    public void adapt(Tensor data) {
        if (numBins == null) {
            throw new IllegalStateException(where() + ": Cannot adapt a Discretization layer that has been "
                    + "initialized with `bin_boundaries`, use `num_bins` instead.");
        }
        if (numBins == 0) {
            throw new IllegalArgumentException(where() + ": adapt with num_bins=0 (Keras divides by num_bins and "
                    + "raises ZeroDivisionError)");
        }
        float[] v = data.toArray();
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException(where() + ": adapt takes finite values, got " + x);
            }
        }
        double[] learned = Quantiles.binBoundaries(v, epsilon, numBins);
        if (isBuilt() && outputMode != OutputMode.INT && learned.length + 1 != depth()) {
            throw new IllegalStateException(where() + ": adapt learned " + learned.length + " boundaries but the "
                    + "layer was built for " + (depth() - 1));
        }
        setBoundaries(learned);
    }

    /** The size of the one_hot / multi_hot / count vectors. */
    private int depth() {
        double[] b = boundaries;
        return b != null ? b.length + 1 : numBins;
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
        return CategoricalEncoding.outputShape(this, outputMode.kerasName(), in, depth());
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        float[] b = boundaries32;
        if (b == null) {
            throw new IllegalStateException(where() + ": You need to either pass the `bin_boundaries` argument at "
                    + "construction time or call `adapt(dataset)` before you can start using the `Discretization` "
                    + "layer.");
        }
        float[] v = x.value().toArray();
        long[] ids = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            ids[i] = bucket(b, v[i]);
        }
        Shape out = outputShapeFor(x.shape().tail());
        float[] values = CategoricalEncoding.encode(outputMode.kerasName(), ids, x.dim(0), b.length + 1, null);
        return Variable.constant(device().tensor(values, CategoricalEncoding.batchDims(x.dim(0), out)));
    }

    /** std::upper_bound, as Bucketize: the number of boundaries at or below x (all of them for NaN). */
    static int bucket(float[] boundaries, float x) {
        int lo = 0;
        int hi = boundaries.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (x < boundaries[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    @Override
    public String toString() {
        double[] b = boundaries;
        return "Discretization '" + name() + "' (" + outputMode.kerasName() + ", "
                + (b == null ? numBins + " bins, not adapted" : (b.length + 1) + " bins") + ")";
    }
}
