package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Keras's Dot merge layer: the dot product of two batched inputs {@code x} and {@code y} along one
 * axis of each ({@code axes}, counted with the batch axis as Keras does, so 1 is the first sample
 * axis; negative counts from the end), as Keras's {@code batch_dot}: the output is x's shape less
 * its dot axis followed by y's shape less its batch and dot axes, {@code (batch, 1)} when that
 * leaves the batch axis alone. Luong attention is {@code Dot(2, 2)} of the decoder and encoder
 * sequences (scores {@code (batch, dec_steps, enc_steps)}) and {@code Dot(2, 1)} of the softmaxed
 * scores and the encoder sequence (the context {@code (batch, dec_steps, units)}).
 *
 * <p>With {@code normalize} each input is first L2-normalized along its dot axis as Keras 3's
 * {@code ops.normalize} does, {@code x · rsqrt(max(Σx², 1e-7²))}, so the output is the cosine
 * similarity.
 *
 * <p>It runs as one batched matrix product: each input is viewed as a matrix per sample, which
 * needs its dot axis to be the first or the last sample axis (the other sample axes flattened in
 * order); for rank 2 and 3 inputs every axis qualifies. A middle axis of a rank 4+ input would need
 * a transpose and is refused by name. As Keras 3's Dot, it has no weights, ignores its inputs'
 * masks and passes none on.
 */
public final class Dot extends Layer {
    private final int[] axes; // as given: one for both inputs, or one per input
    private boolean normalize;

    /** The same axis of both inputs (Keras's {@code Dot(axes=n)}); negative counts from each input's end. */
    public Dot(int axes) {
        super("dot");
        this.axes = new int[] {axes};
        checkNotBatch(axes);
    }

    /** {@code xAxis} of the first input with {@code yAxis} of the second (Keras's {@code Dot(axes=(a, b))}). */
    public Dot(int xAxis, int yAxis) {
        super("dot");
        this.axes = new int[] {xAxis, yAxis};
        checkNotBatch(xAxis);
        checkNotBatch(yAxis);
    }

    private void checkNotBatch(int axis) {
        if (axis == 0) {
            throw new IllegalArgumentException(where() + ": axes " + axesText() + " include the "
                    + "batch axis 0; the dot product is taken within each sample (axes >= 1, or negative from the end)");
        }
    }

    /** Keras's {@code axes} as given: one int for both inputs, or one per input; a copy. */
    public int[] axes() {
        return axes.clone();
    }

    /** Whether each input is L2-normalized along its dot axis first (Keras's {@code normalize}; false by default). */
    public boolean normalize() {
        return normalize;
    }

    /** Sets Keras's {@code normalize}: the output becomes the cosine similarity of the two inputs. */
    public Dot normalize(boolean on) {
        requireNotBuilt("normalize");
        this.normalize = on;
        return this;
    }

    @Override
    public Dot named(String newName) {
        super.named(newName);
        return this;
    }

    private String axesText() {
        return axes.length == 1 ? String.valueOf(axes[0]) : "(" + axes[0] + ", " + axes[1] + ")";
    }

    /**
     * How two inputs of these ranks (batch axis included) meet in one batched matrix product: the
     * dot axis of each, and whether each is taken transposed ((B, K, M) for x, (B, N, K) for y).
     */
    private record Plan(int xAxis, int yAxis, boolean transX, boolean transY) {
    }

    private Plan plan(int xRank, int yRank) {
        if (xRank < 2 || yRank < 2) {
            throw new IllegalArgumentException(where() + " takes inputs of rank >= 2 (batch and at "
                    + "least one axis), got ranks " + xRank + " and " + yRank);
        }
        int a = axis(axes[0], xRank, "first");
        int b = axis(axes[axes.length - 1], yRank, "second");
        // x as (B, M, K) when its dot axis is the last, as (B, K, M) transposed when it is the first.
        boolean transX = a != xRank - 1;
        // y as (B, K, N) when its dot axis is the first, as (B, N, K) transposed when it is the last.
        boolean transY = b != 1;
        boolean xMiddle = transX && a != 1;
        if (xMiddle || (transY && b != yRank - 1)) {
            String which = xMiddle ? "axis " + a + " of the first input (rank " + xRank + ")"
                    : "axis " + b + " of the second input (rank " + yRank + ")";
            throw new IllegalArgumentException(where() + ": axes " + axesText() + " take " + which
                    + ", a middle axis; rnn4j computes Dot as a batched matrix product and supports only the first "
                    + "(1) or the last sample axis of each input");
        }
        return new Plan(a, b, transX, transY);
    }

    /** Keras's axis for an input of {@code rank} (batch included): a negative one counts from the end. */
    private int axis(int given, int rank, String which) {
        int a = given < 0 ? given + rank : given;
        if (a < 1 || a >= rank) {
            throw new IllegalArgumentException(where() + ": axis " + given + " is out of range for "
                    + "the " + which + " input, of rank " + rank + " (batch axis included): expected 1.." + (rank - 1)
                    + " or -" + (rank - 1) + "..-1");
        }
        return a;
    }

    @Override
    protected Shape build(Shape inputShape, RandomGenerator random) {
        return build(List.of(inputShape), random);
    }

    @Override
    protected Shape build(List<Shape> shapes, RandomGenerator random) {
        return output(shapes);
    }

    @Override
    protected List<Shape> outputShapes(List<Shape> shapes) {
        return List.of(output(shapes));
    }

    /** Keras's compute_output_shape, after Keras's build check that the two dot axes have one size. */
    private Shape output(List<Shape> shapes) {
        requireInputCount(shapes.size(), 2, 2);
        Shape x = shapes.get(0);
        Shape y = shapes.get(1);
        Plan p = plan(x.rank() + 1, y.rank() + 1);
        int k1 = x.dim(p.xAxis() - 1);
        int k2 = y.dim(p.yAxis() - 1);
        // Keras's Dot.build compares the sizes with !=, so None meets only None.
        if (k1 != k2) {
            throw new IllegalArgumentException(where() + ": incompatible input shapes: axis "
                    + p.xAxis() + " of " + batchless(x) + " has size " + size(k1) + ", axis " + p.yAxis() + " of "
                    + batchless(y) + " has size " + size(k2) + " (axes " + axesText() + ")");
        }
        return Shape.withUnknown(outputDims(x.dims(), y.dims(), p));
    }

    private static String size(int d) {
        return d == Shape.UNKNOWN ? "None" : String.valueOf(d);
    }

    /** x's axes less its dot axis, then y's less its dot axis; {@code [1]} when none is left. Batch axes left out. */
    private static int[] outputDims(int[] x, int[] y, Plan p) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (i != p.xAxis() - 1) {
                out.add(x[i]);
            }
        }
        for (int i = 0; i < y.length; i++) {
            if (i != p.yAxis() - 1) {
                out.add(y[i]);
            }
        }
        return out.isEmpty() ? new int[] {1} : out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        return forwardAll(List.of(x), Collections.singletonList(mask), ctx).get(0);
    }

    @Override
    protected List<Variable> forwardAll(List<Variable> inputs, List<Tensor> masks, CallContext ctx) {
        requireInputCount(inputs.size(), 2, 2);
        Variable x = inputs.get(0);
        Variable y = inputs.get(1);
        Plan p = plan(x.rank(), y.rank());
        int batch = x.dim(0);
        int k = x.dim(p.xAxis());
        if (y.dim(0) != batch || y.dim(p.yAxis()) != k) {
            throw new IllegalArgumentException(where() + ": cannot take the dot product of axis "
                    + p.xAxis() + " of " + x.shape() + " and axis " + p.yAxis() + " of " + y.shape() + " (axes "
                    + axesText() + "): the batch sizes and the dot axes' sizes must match");
        }
        if (normalize) {
            x = l2Normalize(x, p.xAxis());
            y = l2Normalize(y, p.yAxis());
        }
        int m = others(x, p.xAxis());
        int n = others(y, p.yAxis());
        Variable xm = Ops.reshape(x, p.transX() ? new int[] {batch, k, m} : new int[] {batch, m, k});
        Variable ym = Ops.reshape(y, p.transY() ? new int[] {batch, n, k} : new int[] {batch, k, n});
        Variable out = Ops.batchMatmul(xm, ym, p.transX(), p.transY());
        int[] sample = outputDims(x.shape().tail().dims(), y.shape().tail().dims(), p);
        int[] dims = new int[sample.length + 1];
        dims[0] = batch;
        System.arraycopy(sample, 0, dims, 1, sample.length);
        return List.of(Ops.reshape(out, dims));
    }

    /** The product of the sample sizes of v other than its dot axis: the rows (or columns) of its matrix. */
    private static int others(Variable v, int dotAxis) {
        long n = 1;
        for (int i = 1; i < v.rank(); i++) {
            n *= i == dotAxis ? 1 : v.dim(i);
        }
        return Math.toIntExact(n);
    }

    /** Keras 3's {@code ops.normalize(x, axis)} for order 2: {@code x · rsqrt(max(Σ x², epsilon²))}, epsilon 1e-7. */
    private static Variable l2Normalize(Variable x, int axis) {
        Variable squares = Ops.sum(Ops.mul(x, x), axis, true);
        // tf.maximum's gradient goes to the sum on a tie, as Ops.maximum's does.
        Variable floor = Variable.constant(x.device().full(squares.shape(), (float) (1e-7 * 1e-7)));
        Variable inverse = Ops.unary(UnaryOp.RECIPROCAL, Ops.unary(UnaryOp.SQRT, Ops.maximum(squares, floor)));
        return Ops.mul(x, inverse);
    }

    /** Keras 3's Dot supports masking but returns no mask: the inputs' masks are dropped, silently. */
    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return null;
    }

    @Override
    public List<Tensor> computeMasks(List<Variable> inputs, List<Tensor> masks) {
        return Collections.singletonList(null);
    }
}
