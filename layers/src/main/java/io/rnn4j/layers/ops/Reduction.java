package io.rnn4j.layers.ops;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Permute;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.internal.AutoNames;
import io.rnn4j.layers.internal.Piecewise;
import java.util.Arrays;
import java.util.List;

/**
 * Keras 3's reductions {@code Mean}, {@code Sum}, {@code Max} and {@code Min}
 * (keras/src/ops/numpy.py), as {@code keras.ops.mean(x, axis=1, keepdims=False)} records them:
 * over {@code axis} (an int or a list, the batch axis 0; negative from the end), the reduced axes
 * removed or, with {@code keepdims}, kept as 1 (Keras's {@code reduce_shape}). An empty list reduces
 * nothing. {@code Max} and {@code Min} take Keras's {@code initial} too: the result is then
 * {@code maximum(max, initial)} ({@code minimum} for Min), as the TensorFlow backend computes it.
 *
 * <p>The numbers are the TensorFlow backend's: a sum, a mean as that sum divided by the count (TF's
 * reduce_mean for float32), and a maximum whose gradient goes to the elements equal to it, split
 * equally among ties over all the reduced axes together (TF's _MinOrMaxGrad): several axes are
 * brought next to each other and reduced as one. {@code axis=None} (Keras's default) reduces the
 * batch axis too, as any axis list holding 0 does; rnn4j keeps the batch axis and refuses both.
 *
 * <p>{@code Any} and {@code All} ({@code keras.ops.any(x, axis, keepdims)}, {@code keras.ops.all})
 * are the logical or and and: TensorFlow's reduce_any and reduce_all of {@code cast(x, bool)}, so
 * any value other than 0 (NaN included) is true. Keras's output is a bool tensor; rnn4j's is 1 for
 * true and 0 for false (as its comparisons'), a constant: a bool carries no gradient. rnn4j computes
 * them as the maximum (Any) or minimum (All) of those 0/1 values.
 */
public final class Reduction extends TensorOperation {
    /** Which reduction, by Keras's class name. */
    public enum Kind {
        MEAN("Mean"), SUM("Sum"), MAX("Max"), MIN("Min"), ANY("Any"), ALL("All");

        private final String kerasClass;

        Kind(String kerasClass) {
            this.kerasClass = kerasClass;
        }

        /** Keras's class name: "Mean", ... */
        public String kerasClass() {
            return kerasClass;
        }

        /** The kind of Keras's class {@code name}, or null. */
        public static Kind of(String name) {
            for (Kind k : values()) {
                if (k.kerasClass.equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }

    private final Kind kind;
    private final Axis axis;
    private final boolean keepdims;
    private final Double initial;
    private Permute together; // brings axes reduced by Max/Min next to each other when they are not

    /** Keras's {@code Mean(axis, keepdims)}, ... : no initial. */
    public Reduction(Kind kind, Axis axis, boolean keepdims) {
        this(kind, axis, keepdims, null);
    }

    /**
     * With Keras's {@code initial} for Max and Min (null: None).
     *
     * @throws IllegalArgumentException for an initial given to Mean or Sum, which have none
     */
    public Reduction(Kind kind, Axis axis, boolean keepdims, Double initial) {
        super(kind.kerasClass.toLowerCase(java.util.Locale.ROOT));
        this.kind = kind;
        this.axis = java.util.Objects.requireNonNull(axis, "axis (Axis.NONE for None)");
        this.keepdims = keepdims;
        this.initial = initial;
        if (initial != null && kind != Kind.MAX && kind != Kind.MIN) {
            throw fail("takes no initial (Keras's " + kind.kerasClass + " has none), got " + initial);
        }
    }

    /** Which reduction. */
    public Kind kind() {
        return kind;
    }

    /** The axes as given. */
    public Axis axis() {
        return axis;
    }

    /** Whether the reduced axes stay, of size 1. */
    public boolean keepdims() {
        return keepdims;
    }

    /** Max's or Min's initial, or null (None). */
    public Double initial() {
        return initial;
    }

    @Override
    public String className() {
        return kind.kerasClass;
    }

    @Override
    int tensors() {
        return 1;
    }

    /** The reduced axes, positive and sorted; checked. */
    private int[] reduced(int rank) {
        if (axis.isNone()) {
            throw fail("axis=None reduces every axis, the batch axis too; rnn4j keeps the batch axis: give the "
                    + "axes to reduce (1 and up)");
        }
        int[] a = axis.values();
        for (int i = 0; i < a.length; i++) {
            a[i] = axis(a[i], rank, "axis");
            if (a[i] == 0) {
                throw fail("axis " + axis + " reduces axis 0, the batch axis; rnn4j keeps the batch axis");
            }
        }
        Arrays.sort(a);
        for (int i = 1; i < a.length; i++) {
            if (a[i] == a[i - 1]) {
                throw fail("axis " + axis + " names axis " + a[i] + " twice");
            }
        }
        return a;
    }

    @Override
    int[] outputDims(List<int[]> in) {
        int[] x = in.get(0);
        int[] r = reduced(x.length);
        int[] out = new int[keepdims ? x.length : x.length - r.length];
        for (int i = 0, j = 0; i < x.length; i++) {
            boolean gone = Arrays.binarySearch(r, i) >= 0;
            if (!gone || keepdims) {
                out[j++] = gone ? 1 : x[i];
            }
        }
        return out;
    }

    @Override
    void prepare(List<Shape> samples) {
        int rank = samples.get(0).rank() + 1;
        int[] r = reduced(rank);
        if (kind != Kind.MEAN && kind != Kind.SUM && r.length > 1 && r[r.length - 1] - r[0] != r.length - 1) {
            // Permute's dims: the kept sample axes, then the reduced ones (1-based, no batch axis).
            int[] dims = new int[rank - 1];
            int k = 0;
            for (int a = 1; a < rank; a++) {
                if (Arrays.binarySearch(r, a) < 0) {
                    dims[k++] = a;
                }
            }
            for (int a : r) {
                dims[k++] = a;
            }
            together = AutoNames.suspended(() -> new Permute(dims));
            together.build(samples.get(0), device(), null);
        }
    }

    @Override
    Variable compute(List<Variable> in, CallContext ctx) {
        Variable x = in.get(0);
        if (kind == Kind.ANY || kind == Kind.ALL) {
            x = Variable.constant(Piecewise.nonZero(x.value())); // tf.cast(x, bool)
        }
        int[] r = reduced(x.rank());
        int[] out = outputDims(List.of(x.shape().dims()));
        Variable y = switch (kind) {
            case SUM -> sum(x, r);
            case MEAN -> {
                long n = 1;
                for (int a : r) {
                    n *= x.dim(a);
                }
                yield Ops.div(sum(x, r), scalar(n, x));
            }
            case MAX, ANY -> max(x, r, ctx);
            case MIN, ALL -> Ops.unary(UnaryOp.NEG, max(Ops.unary(UnaryOp.NEG, x), r, ctx));
        };
        if (kind == Kind.ANY || kind == Kind.ALL) {
            y = Variable.constant(y.value()); // a bool: no gradient
        }
        y = Ops.reshape(y, out);
        if (initial != null) {
            y = kind == Kind.MAX ? Ops.maximum(y, scalar(initial, x)) : Ops.minimum(y, scalar(initial, x));
        }
        return y;
    }

    private static Variable sum(Variable x, int[] r) {
        Variable y = x;
        for (int a : r) {
            y = Ops.sum(y, a, true);
        }
        return y;
    }

    /** The maximum over the axes r as one: TF's gradient splits ties over all of them. */
    private Variable max(Variable x, int[] r, CallContext ctx) {
        if (r.length == 0) {
            return x;
        }
        long count = 1;
        for (int a : r) {
            count *= x.dim(a);
        }
        if (count == 0) {
            throw fail("cannot compute the " + kind.kerasClass.toLowerCase(java.util.Locale.ROOT) + " of an empty tensor: input "
                    + x.shape() + ", axis " + axis);
        }
        Variable v = x;
        int first = r[0];
        if (together != null) {
            v = together.call(x, null, ctx);
            first = x.rank() - r.length;
        }
        int[] shape = v.shape().dims();
        int[] merged = new int[first + 1 + shape.length - (first + r.length)];
        System.arraycopy(shape, 0, merged, 0, first);
        merged[first] = Math.toIntExact(count);
        System.arraycopy(shape, first + r.length, merged, first + 1, shape.length - first - r.length);
        return Ops.max(Ops.reshape(v, merged), first, true);
    }
}
