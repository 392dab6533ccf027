package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.internal.Piecewise;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Keras's Softmax layer: softmax along {@code axis} (default -1; axes count the batch axis as 0, as
 * Keras's do). Several axes, as Keras takes a list, must be adjacent here: the softmax is then
 * Keras's {@code exp(x − logsumexp(x, axes))} over them together.
 *
 * <p>Masks as Keras 3's {@code layers/activations/softmax.py}: the mask (which must broadcast to
 * the input, NumPy style, aligned at the last axis) keeps the positions where it is above 0.5;
 * the others take -1e9 before the softmax and come out as exactly 0 (so a wholly masked row is all
 * zeros, not uniform). The mask is passed on. Without a mask and over the last axis, the output
 * remembers its input as logits ({@link Variable#logits()}), as Keras's softmax activation does.
 */
public final class Softmax extends ShapeKeepingLayer {
    /** Keras's {@code _large_negative_number} for float32. */
    static final float MASKED = -1e9f;

    private final int[] axes;

    /**
     * Softmax along {@code axes} (none: the last axis); several must be adjacent once made positive
     * (checked when built).
     */
    public Softmax(int... axes) {
        super("softmax");
        this.axes = axes.length == 0 ? new int[] {-1} : axes.clone();
    }

    /** The axes as given (a copy); one for the usual softmax. */
    public int[] axes() {
        return axes.clone();
    }

    /** @throws IllegalArgumentException for an axis out of range, a repeated one, or axes not adjacent */
    @Override
    protected Shape build(Shape inputShape, RandomGenerator random) {
        int rank = inputShape.rank() + 1;
        int[] p = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i];
            if (a < -rank || a >= rank) {
                throw new IllegalArgumentException(where() + ": axis " + a + " is out of range for an input of rank "
                        + rank + " " + batchless(inputShape) + "; expected -" + rank + " to " + (rank - 1));
            }
            p[i] = a < 0 ? a + rank : a;
        }
        Arrays.sort(p);
        for (int i = 1; i < p.length; i++) {
            if (p[i] != p[i - 1] + 1) {
                throw new IllegalArgumentException(where() + ": axis " + Arrays.toString(axes) + " is not "
                        + "supported for an input of rank " + rank + ": rnn4j takes one axis or adjacent distinct "
                        + "axes (e.g. [1, 2])");
            }
        }
        return inputShape;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        Tensor keep = mask == null ? null : keep(x.shape(), mask);
        Variable in = keep == null ? x : Ops.where(keep, x, Variable.constant(x.device().full(Shape.of(), MASKED)));
        Variable out;
        if (axes.length == 1) {
            boolean last = axes[0] == -1 || axes[0] == x.rank() - 1;
            // The crossentropies read logits over the last axis only; over another Keras would hand them
            // logits of another axis, which is left out here (they work from the probabilities).
            out = keep == null && last ? Ops.softmaxActivation(in) : Ops.softmax(in, axes[0]);
        } else {
            out = overAdjacent(in);
        }
        return keep == null ? out : Ops.where(keep, out, Variable.constant(x.device().zeros(Shape.of())));
    }

    /**
     * {@code exp(x − logsumexp(x))} over the adjacent axes, merged into one by a reshape, with
     * logsumexp as TensorFlow's reduce_logsumexp computes it (Keras 3's TensorFlow backend):
     * {@code log(Σ exp(x − m)) + m} in float32, m the maximum held constant, 0 where it is not
     * finite; so huge logits round, and +∞ gives NaN, as in Keras.
     */
    private Variable overAdjacent(Variable x) {
        int rank = x.rank();
        int lo = Integer.MAX_VALUE;
        int hi = -1;
        for (int a : axes) {
            int p = a < 0 ? a + rank : a;
            lo = Math.min(lo, p);
            hi = Math.max(hi, p);
        }
        int[] dims = x.shape().dims();
        long before = 1;
        long merged = 1;
        for (int i = 0; i < lo; i++) {
            before *= dims[i];
        }
        for (int i = lo; i <= hi; i++) {
            merged *= dims[i];
        }
        long after = x.value().size() / Math.max(1, before * merged);
        Variable flat = Ops.reshape(x, Math.toIntExact(before), Math.toIntExact(merged), Math.toIntExact(after));
        Device d = x.device();
        Tensor max = d.zeros(Math.toIntExact(before), 1, Math.toIntExact(after));
        d.reduce(ReduceOp.MAX, flat.value(), 1, max);
        float[] m = max.toArray();
        for (int i = 0; i < m.length; i++) {
            m[i] = Float.isFinite(m[i]) ? m[i] : 0f;
        }
        Variable shift = Variable.constant(d.tensor(m, max.shape().dims()));
        Variable sum = Ops.sum(Ops.unary(UnaryOp.EXP, Ops.sub(flat, shift)), 1, true);
        Variable logSumExp = Ops.add(Ops.unary(UnaryOp.LOG, sum), shift);
        return Ops.reshape(Ops.unary(UnaryOp.EXP, Ops.sub(flat, logSumExp)), dims);
    }

    /**
     * The positions to keep, {@code mask > 0.5} as 0/1, after Keras's checks: the mask has no more
     * axes than the input, and each of its axes (aligned at the last) is 1 or the input's.
     */
    private Tensor keep(Shape input, Tensor mask) {
        Shape m = mask.shape();
        boolean ok = m.rank() <= input.rank();
        for (int i = 1; ok && i <= m.rank(); i++) {
            int md = m.dim(m.rank() - i);
            ok = md == 1 || md == input.dim(input.rank() - i);
        }
        if (!ok) {
            throw new IllegalArgumentException(where() + ": the mask must broadcast to the input (each of its axes, "
                    + "aligned at the last, 1 or the input's, and no more axes), as Keras 3's Softmax requires; got "
                    + "input shape " + input + " and mask shape " + m);
        }
        return Piecewise.greater(mask, 0.5f);
    }
}
