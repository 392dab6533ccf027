package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * What Keras's ZeroPadding2D/3D, Cropping2D/3D and UpSampling2D/3D share
 * (keras/src/layers/reshaping/): no weights; inputs {@code (batch, spatial..., channels)}
 * ("channels_last", the default) or {@code (batch, channels, spatial...)} ("channels_first") of
 * any sizes (Keras's {@code InputSpec(ndim=4)} or {@code 5}); an output that differs only in its
 * spatial sizes, each computed on its own, a None axis staying None. The layout needs no moves:
 * each spatial axis is padded, cropped or repeated where it lies. None of them supports masking in
 * Keras 3: a mask given is dropped with Keras's warning (once per layer).
 *
 * @param <L> the concrete layer, returned by the fluent setters
 */
public abstract sealed class GridReshaping<L extends GridReshaping<L>> extends Layer
        permits ZeroPadding2D, ZeroPadding3D, Cropping2D, Cropping3D, UpSampling2D, UpSampling3D {
    private static final String[] ORDINALS = {"1st", "2nd", "3rd"};

    private final int rank;
    private String dataFormat = DataFormat.CHANNELS_LAST;
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    GridReshaping(String kerasPrefix, int rank) {
        super(kerasPrefix);
        this.rank = rank;
    }

    /**
     * The output size of spatial axis {@code a} for a known input size {@code n} of an input
     * {@code input}, refusing what the layer cannot take.
     */
    abstract int outputSize(int a, int n, Shape input);

    /** The computation along spatial axis {@code a}, which lies on axis {@code axis} of the batch tensor {@code x}. */
    abstract Variable resample(Variable x, int a, int axis);

    /** The number of spatial axes: 2 or 3. */
    public final int rank() {
        return rank;
    }

    /** "channels_last" (the default) or "channels_first". */
    public final String dataFormat() {
        return dataFormat;
    }

    /**
     * Keras's {@code data_format}, any case: "channels_last" (null too, Keras's default) or
     * "channels_first" ({@code (batch, channels, spatial...)} in and out).
     *
     * @throws IllegalArgumentException for another value, naming this layer
     */
    public final L dataFormat(String format) {
        requireNotBuilt("data_format");
        this.dataFormat = DataFormat.standardize(where(), format);
        return self();
    }

    @SuppressWarnings("unchecked")
    private L self() {
        return (L) this;
    }

    @Override
    public L named(String newName) {
        super.named(newName);
        return self();
    }

    /** The sample axis of the first spatial axis: 0 for channels_last, 1 for channels_first. */
    private int offset() {
        return dataFormat.equals(DataFormat.CHANNELS_FIRST) ? 1 : 0;
    }

    @Override
    protected final Shape build(Shape in, RandomGenerator random) {
        String spatial = rank == 2 ? "rows, cols" : "dim1, dim2, dim3";
        requireRank(in, rank + 1, offset() == 0 ? "(batch, " + spatial + ", channels)"
                : "(batch, channels, " + spatial + ")");
        return outputShapeFor(in);
    }

    /** Any sizes of its rank (Keras binds only the rank). */
    @Override
    protected final Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    @Override
    protected final Shape outputShapeFor(Shape in) {
        int[] d = in.dims().clone();
        for (int a = 0; a < rank; a++) {
            int n = d[offset() + a];
            d[offset() + a] = n == Shape.UNKNOWN ? Shape.UNKNOWN : outputSize(a, n, in);
        }
        return Shape.withUnknown(d);
    }

    @Override
    protected final Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        outputShapeFor(x.shape().tail()); // None axes are checked on each call
        Variable y = x;
        for (int a = 0; a < rank; a++) {
            y = resample(y, a, offset() + a + 1);
        }
        return y;
    }

    /** {@code n} as an output size, refused by name past the largest int (Keras's Python ints never wrap). */
    final int size(long n, String what) {
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where() + ": " + what + " is too large (" + n + ")");
        }
        return (int) n;
    }

    /** ((n, n), ...) for every spatial axis: Keras's int form. */
    static int[][] everyAxis(int rank, int n) {
        int[] each = new int[rank];
        Arrays.fill(each, n);
        return symmetric(each);
    }

    /** ((a, a), (b, b), ...): Keras's tuple-of-ints form. */
    static int[][] symmetric(int... each) {
        int[][] p = new int[each.length][];
        for (int a = 0; a < each.length; a++) {
            p[a] = new int[] {each[a], each[a]};
        }
        return p;
    }

    /**
     * A deep copy of {@code pairs} after checking that it holds one (before, after) pair of ints >= 0
     * per spatial axis, as Keras's standardize_tuple(..., allow_zero=True) of each entry.
     *
     * @throws IllegalArgumentException naming this layer and the option
     */
    final int[][] pairs(String option, int[][] pairs) {
        if (pairs == null || pairs.length != rank) {
            throw new IllegalArgumentException(where() + ": " + option + " must have " + rank + " entries of "
                    + "(before, after), got " + show(pairs));
        }
        int[][] p = new int[rank][];
        for (int a = 0; a < rank; a++) {
            if (pairs[a] == null || pairs[a].length != 2 || pairs[a][0] < 0 || pairs[a][1] < 0) {
                throw new IllegalArgumentException(where() + ": the " + ORDINALS[a] + " entry of " + option
                        + " must be two integers >= 0, got " + show(pairs));
            }
            p[a] = pairs[a].clone();
        }
        return p;
    }

    /** A deep copy, for the getters. */
    static int[][] copy(int[][] pairs) {
        int[][] p = new int[pairs.length][];
        for (int a = 0; a < p.length; a++) {
            p[a] = pairs[a].clone();
        }
        return p;
    }

    /** Pairs as Keras prints its tuples: ((1, 1), (2, 0)). */
    static String show(int[][] pairs) {
        if (pairs == null) {
            return "None";
        }
        StringBuilder b = new StringBuilder("(");
        for (int a = 0; a < pairs.length; a++) {
            b.append(a > 0 ? ", " : "");
            if (pairs[a] == null) {
                b.append("None");
                continue;
            }
            b.append('(');
            for (int i = 0; i < pairs[a].length; i++) {
                b.append(i > 0 ? ", " : "").append(pairs[a][i]);
            }
            b.append(')');
        }
        return b.append(')').toString();
    }
}
