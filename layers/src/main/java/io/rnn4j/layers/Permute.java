package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Keras's Permute: reorders the axes of each sample by {@code dims}, a permutation of
 * {@code 1..rank} (1-based, the batch axis left out): output axis {@code i} is input axis
 * {@code dims[i]}, so {@code Permute(2, 1)} turns {@code (batch, 10, 64)} into
 * {@code (batch, 64, 10)}. A None axis moves with the permutation. Drops the mask with Keras's
 * warning, as Keras's Permute (which does not support masking) does.
 *
 * <p>The engine has no transpose: the permutation is a row gather from the input viewed as a
 * table, with one precomputed source index per output row (its gradient is the gather's
 * scatter-add). Trailing axes the permutation leaves in place move together as one row.
 */
public final class Permute extends Layer {
    private final int[] dims;
    private final int[] perm; // dims, 0-based
    private final int fixedFrom; // axes from here on stay in place: they move as one row
    private final int maxRows;
    private volatile Plan plan; // the indices for the last sample shape seen (read by concurrent predictions)
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    /** Source rows for up to {@code samples} samples of {@code sample} on {@code device}. */
    private record Plan(Device device, Shape sample, int samples, Tensor indices) {
    }

    /**
     * @param dims the permutation of the sample's axes, 1-based (Keras's {@code dims})
     * @throws IllegalArgumentException if dims is not a permutation of {@code 1..dims.length}
     */
    public Permute(int... dims) {
        this(dims, Ops.MAX_GATHER_ROWS);
    }

    /** With a smaller bound on the rows gathered at once, so that tests reach the batch-splitting path. */
    static Permute withRowBound(int maxRows, int... dims) {
        return new Permute(dims, maxRows);
    }

    /**
     * A permutation inside another layer (channels_first's swap): named after its owner, so that
     * it draws no name from Keras's counter of Permute layers.
     */
    static Permute inside(String owner, int... dims) {
        return new Permute(dims, Ops.MAX_GATHER_ROWS, owner + "/permute");
    }

    private Permute(int[] dims, int maxRows) {
        this(dims, maxRows, null);
    }

    private Permute(int[] dims, int maxRows, String name) {
        super("permute", name);
        int[] sorted = dims.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] != i + 1) {
                throw new IllegalArgumentException(where() + ": dims must be a permutation of the sample's axes 1.."
                        + dims.length + " (1-based, no batch axis), got " + Arrays.toString(dims));
            }
        }
        this.dims = dims.clone();
        this.perm = new int[dims.length];
        int fixed = dims.length;
        for (int i = 0; i < dims.length; i++) {
            perm[i] = dims[i] - 1;
        }
        while (fixed > 0 && perm[fixed - 1] == fixed - 1) {
            fixed--;
        }
        this.fixedFrom = fixed;
        this.maxRows = maxRows;
    }

    /** The permutation, 1-based as Keras's {@code dims}; a copy. */
    public int[] dims() {
        return dims.clone();
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        if (in.rank() != dims.length) {
            throw new IllegalArgumentException(where() + ": dims " + Arrays.toString(dims) + " permute inputs of rank "
                    + (dims.length + 1) + " (batch and " + dims.length + " axes), got " + batchless(in));
        }
        return outputShapeFor(in);
    }

    /** Any sizes of the rank dims permutes (Keras's ndim). */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        int[] out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            out[i] = in.dim(perm[i]);
        }
        return Shape.withUnknown(out);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        if (fixedFrom == 0) {
            return x; // the identity permutation
        }
        Shape sample = x.shape().without(0);
        int[] outDims = new int[x.rank()];
        outDims[0] = x.dim(0);
        System.arraycopy(outputShapeFor(sample).dims(), 0, outDims, 1, perm.length);
        long rows = 1; // per sample: the positions of the permuted axes
        int width = 1; // the elements of the axes that stay in place, moved together
        for (int a = 0; a < perm.length; a++) {
            if (a < fixedFrom) {
                rows *= sample.dim(a);
            } else {
                width *= sample.dim(a);
            }
        }
        if (rows == 0 || width == 0 || x.dim(0) == 0) {
            return Ops.reshape(x, outDims); // nothing to move
        }
        if (rows > maxRows) {
            throw new IllegalArgumentException(where() + ": a sample of " + batchless(sample)
                    + " has " + rows + " rows to move, more than " + maxRows + " (row indices are float32)");
        }
        int perChunk = Math.toIntExact(Math.min(x.dim(0), maxRows / rows));
        int chunks = (x.dim(0) + perChunk - 1) / perChunk;
        Variable out;
        if (chunks == 1) {
            out = gatherRows(x, sample, x.dim(0), rows, width);
        } else {
            // More rows than exact float32 indices reach (Ops.MAX_GATHER_ROWS): permute the batch in parts.
            int[] sizes = new int[chunks];
            Arrays.fill(sizes, perChunk);
            sizes[chunks - 1] = x.dim(0) - perChunk * (chunks - 1);
            Variable[] parts = Ops.split(x, 0, sizes);
            for (int c = 0; c < chunks; c++) {
                parts[c] = gatherRows(parts[c], sample, sizes[c], rows, width);
            }
            out = Ops.concat(0, parts);
        }
        return Ops.reshape(out, outDims);
    }

    /** The permuted rows of {@code samples} samples, as a table (samples · rows, width). */
    private Variable gatherRows(Variable x, Shape sample, int samples, long rows, int width) {
        Variable table = Ops.reshape(x, Math.toIntExact(samples * rows), width);
        return Ops.gather(table, indices(x.device(), sample, samples, rows));
    }

    /** The cached source rows when they cover {@code samples} (a prefix: sample b's rows are b·rows + ...). */
    private Tensor indices(Device device, Shape sample, int samples, long rows) {
        Plan p = plan;
        if (p == null || p.device() != device || !p.sample().equals(sample) || p.samples() < samples) {
            p = new Plan(device, sample, samples, device.tensor(sourceRows(sample, samples, rows),
                    Math.toIntExact(samples * rows)));
            plan = p;
        }
        return p.samples() == samples ? p.indices() : p.indices().narrow(0, Math.toIntExact(samples * rows));
    }

    /** For each output row in row-major order, the input row it is read from. */
    private float[] sourceRows(Shape sample, int samples, long rows) {
        int k = fixedFrom;
        long[] stride = new long[k]; // input strides in rows, over the permuted axes
        long s = 1;
        for (int a = k - 1; a >= 0; a--) {
            stride[a] = s;
            s *= sample.dim(a);
        }
        int[] size = new int[k]; // output sizes of the permuted axes
        for (int i = 0; i < k; i++) {
            size[i] = sample.dim(perm[i]);
        }
        float[] out = new float[Math.toIntExact(samples * rows)];
        int[] j = new int[k]; // the output position, counted like an odometer
        for (int r = 0; r < rows; r++) {
            long src = 0;
            for (int i = 0; i < k; i++) {
                src += j[i] * stride[perm[i]];
            }
            out[r] = src;
            for (int a = k - 1; a >= 0 && ++j[a] == size[a]; a--) {
                j[a] = 0;
            }
        }
        for (int b = 1; b < samples; b++) {
            for (int r = 0; r < rows; r++) {
                out[(int) (b * rows + r)] = (float) (b * rows + (long) out[r]);
            }
        }
        return out;
    }
}
