package io.rnn4j.layers;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Keras 3's Normalization preprocessing layer: {@code (x − mean) / max(sqrt(variance), 1e-7)}, or
 * with {@code invert} {@code mean + x · max(sqrt(variance), 1e-7)}, in float32 as Keras computes it,
 * with one mean and variance per position of the kept {@code axis} (default -1: one per feature;
 * {@link #axisNone()}: one for everything, Keras's {@code axis=None}).
 *
 * <p>The statistics come either from {@link #adapt} (Keras's {@code adapt}: the mean and population
 * variance over the other axes, held as the non-trainable weights mean, variance and count that
 * Keras saves) or from {@link #meanAndVariance} (Keras's {@code mean=}/{@code variance=}
 * arguments: then the layer has no weights and the values are in its config). As in Keras 3,
 * adapt leaves count at what it was (Keras 3 never updates it; tf.keras 2 files carry theirs).
 * Passes the mask on. A model that embeds its input scaling this way runs on raw data in Java as
 * it does in Python.
 */
public final class Normalization extends Layer {
    /** Keras's backend epsilon: the standard deviation used is at least this. */
    public static final float MIN_STD = 1e-7f;

    private int[] axes = {-1};
    private boolean invert;
    /** The given statistics (Keras's mean=/variance=) as given, or null when adapted. */
    private Tensor givenMean;
    private Tensor givenVariance;
    /** The kept axes, counted with the batch axis, sorted (set at build). */
    private int[] kept;
    /** The statistics over the kept axes (weights' values when adapted), and viewed for broadcasting. */
    private Tensor mean;
    private Tensor variance;
    private Weight meanWeight;
    private Weight varianceWeight;

    /** Keras's {@code Normalization()}: axis -1, statistics to come from {@link #adapt}. */
    public Normalization() {
        super("normalization");
    }

    // ---- options ----

    /**
     * The axes that keep a mean and variance per position, counted with the batch axis (negative
     * from the end); default -1. No axes is Keras's {@code axis=None}: one mean and variance over
     * every axis. The batch axis cannot be kept.
     */
    public Normalization axis(int... axis) {
        requireNotBuilt("axis");
        this.axes = axis.clone();
        return this;
    }

    /**
     * Fixes the statistics instead of adapting them (Keras's {@code mean=} and {@code variance=}):
     * scalars, or tensors of equal shapes whose axes line up with the last kept axes (each of a
     * kept axis's size, or 1 to broadcast), at most one axis per kept axis (checked at build, against
     * the axis then set, as Keras checks the two given together).
     *
     * @throws IllegalArgumentException if the shapes differ
     */
    public Normalization meanAndVariance(Tensor mean, Tensor variance) {
        requireNotBuilt("mean");
        if (mean == null || variance == null) {
            throw new IllegalArgumentException(where() + ": both mean and variance must be given, got mean="
                    + (mean == null ? "null" : mean.shape()) + " and variance="
                    + (variance == null ? "null" : variance.shape()));
        }
        if (!mean.shape().equals(variance.shape())) {
            throw new IllegalArgumentException(where() + ": mean and variance must have the same shape, got mean "
                    + mean.shape() + " and variance " + variance.shape());
        }
        this.givenMean = Tensor.of(mean.toArray(), mean.shape().dims());
        this.givenVariance = Tensor.of(variance.toArray(), variance.shape().dims());
        return this;
    }

    /** Fixes one mean and one variance for every position (Keras's scalar {@code mean=}, {@code variance=}). */
    public Normalization meanAndVariance(double mean, double variance) {
        return meanAndVariance(Tensor.of(new float[] {(float) mean}), Tensor.of(new float[] {(float) variance}));
    }

    /** One mean and variance over every axis: Keras's {@code axis=None}. */
    public Normalization axisNone() {
        return axis(new int[0]);
    }

    /** Whether the layer de-normalizes ({@code mean + x · std}); default false. */
    public Normalization invert(boolean on) {
        requireNotBuilt("invert");
        this.invert = on;
        return this;
    }

    @Override
    public Normalization named(String newName) {
        super.named(newName);
        return this;
    }

    /** The kept axes as given (counted with the batch axis); empty for Keras's {@code axis=None}. A copy. */
    public int[] axis() {
        return axes.clone();
    }

    /** Whether the layer de-normalizes (Keras's invert). */
    public boolean invert() {
        return invert;
    }

    /** The mean given to {@link #meanAndVariance}, as given; null when the layer is adapted. */
    public Tensor givenMean() {
        return givenMean;
    }

    /** The variance given to {@link #meanAndVariance}, as given; null when the layer is adapted. */
    public Tensor givenVariance() {
        return givenVariance;
    }

    /** The mean in use, one per position of the kept axes (Keras's {@code adapt_mean} shape); null before build. */
    public Tensor mean() {
        return mean;
    }

    /** The variance in use, shaped as {@link #mean()}; null before build. */
    public Tensor variance() {
        return variance;
    }

    // ---- adapt ----

    /**
     * Keras's {@code adapt(data)}: sets the mean and the population variance of {@code data}
     * (batch first) over every axis but the kept ones, building the layer for samples of its shape
     * if it is not built. The sums are taken in double and rounded once to float32 (NumPy's
     * float32 mean may differ in the last place).
     *
     * @throws IllegalStateException if the statistics were given with {@link #meanAndVariance}
     * @throws IllegalArgumentException if {@code data} is empty or its kept axes' sizes differ from the built layer's
     */
    public Normalization adapt(Tensor data) {
        if (givenMean != null) {
            throw new IllegalStateException(where() + ": the mean and variance were given; adapt needs a layer "
                    + "built without them");
        }
        if (data == null || data.rank() < 1 || data.size() == 0) {
            throw new IllegalArgumentException(where() + ": adapt needs a non-empty batch, got "
                    + (data == null ? "null" : data.shape()));
        }
        Shape sample = Shape.of(Arrays.copyOfRange(data.shape().dims(), 1, data.rank()));
        if (!isBuilt()) {
            build(sample, data.device(), Seeds.next());
        } else {
            Shape in = inputShape();
            boolean fits = in.rank() == sample.rank();
            for (int i = 0; fits && i < kept.length; i++) {
                fits = in.dim(kept[i] - 1) == sample.dim(kept[i] - 1);
            }
            if (!fits) {
                throw new IllegalArgumentException(where() + ": the layer was built for inputs " + batchless(in)
                        + " but adapt was given data " + data.shape() + " of other sizes on the kept axes "
                        + Arrays.toString(kept));
            }
        }
        float[] x = data.toArray();
        int[] positionOf = positions(data.shape().dims());
        int positions = Math.toIntExact(mean.size());
        double[] sum = new double[positions];
        double[] sumSq = new double[positions];
        long perPosition = data.size() / positions;
        for (int i = 0; i < x.length; i++) {
            sum[positionOf[i]] += x[i];
        }
        for (int i = 0; i < x.length; i++) {
            int p = positionOf[i];
            double d = x[i] - sum[p] / perPosition;
            sumSq[p] += d * d;
        }
        float[] m = new float[positions];
        float[] v = new float[positions];
        for (int p = 0; p < positions; p++) {
            m[p] = (float) (sum[p] / perPosition);
            v[p] = (float) (sumSq[p] / perPosition);
        }
        meanWeight.set(Tensor.of(m, mean.shape().dims()));
        varianceWeight.set(Tensor.of(v, variance.shape().dims()));
        return this;
    }

    /** For each element of a batch of {@code dims}, its position over the kept axes (row-major there). */
    private int[] positions(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n = Math.multiplyExact(n, d);
        }
        int[] out = new int[n];
        int[] stride = new int[dims.length];
        int s = 1;
        for (int a = dims.length - 1; a >= 0; a--) {
            stride[a] = s;
            s *= dims[a];
        }
        for (int i = 0; i < n; i++) {
            int p = 0;
            for (int k : kept) {
                p = p * dims[k] + i / stride[k] % dims[k];
            }
            out[i] = p;
        }
        return out;
    }

    // ---- build and call ----

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        int[] a = LayerNormalization.batchAxes(where(), axes, in);
        int[] keptDims = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            requireKnown(in, a[i] - 1, "to size its mean and variance (axis " + a[i] + " is kept)");
            keptDims[i] = in.dim(a[i] - 1);
        }
        if (givenMean != null && givenMean.rank() > a.length) {
            throw new IllegalArgumentException(where() + ": mean of shape " + givenMean.shape() + " has more axes "
                    + "than the " + a.length + " kept by axis=" + Arrays.toString(axes));
        }
        kept = a;
        Shape statistics = Shape.of(keptDims);
        if (givenMean == null) {
            meanWeight = addWeight("mean", statistics, Initializers.zeros(), random, null, null, false);
            varianceWeight = addWeight("variance", statistics, Initializers.ones(), random, null, null, false);
            addCounter("count");
            mean = meanWeight.value();
            variance = varianceWeight.value();
        } else {
            mean = device().tensor(broadcast(givenMean, keptDims, "mean"), keptDims);
            variance = device().tensor(broadcast(givenVariance, keptDims, "variance"), keptDims);
        }
        return in;
    }

    /** A given statistic lined up with the last kept axes and broadcast over them (Keras's reshape and broadcast_to). */
    private float[] broadcast(Tensor given, int[] keptDims, String what) {
        int[] g = given.shape().dims();
        int offset = keptDims.length - g.length;
        for (int i = 0; i < g.length; i++) {
            if (g[i] != 1 && g[i] != keptDims[offset + i]) {
                throw new IllegalArgumentException(where() + ": " + what + " of shape " + given.shape()
                        + " does not broadcast to the kept axes' sizes " + Arrays.toString(keptDims));
            }
        }
        float[] src = given.toArray();
        int n = Math.toIntExact(Shape.of(keptDims).size());
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            int rest = i;
            int srcIndex = 0;
            int srcStride = 1;
            for (int a = keptDims.length - 1; a >= offset; a--) {
                int c = rest % keptDims[a];
                rest /= keptDims[a];
                int ga = a - offset;
                srcIndex += (g[ga] == 1 ? 0 : c) * srcStride;
                srcStride *= g[ga];
            }
            out[i] = src[srcIndex];
        }
        return out;
    }

    /** Any sizes but the kept axes'. */
    @Override
    protected Shape acceptedShape() {
        return LayerNormalization.keepingBatchAxes(inputShape(), kept);
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        return in;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        Device d = x.device();
        int[] view = new int[x.rank()];
        Arrays.fill(view, 1);
        for (int i = 0; i < kept.length; i++) {
            view[kept[i]] = mean.dim(i);
        }
        Tensor std = d.zeros(view);
        d.unary(UnaryOp.SQRT, variance.reshape(view), std);
        d.binary(BinaryOp.MAX, std, d.full(Shape.of(), MIN_STD), std);
        Variable m = Variable.constant(mean.reshape(view));
        Variable s = Variable.constant(std);
        return invert ? Ops.add(m, Ops.mul(x, s)) : Ops.div(Ops.sub(x, m), s);
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return mask;
    }
}
