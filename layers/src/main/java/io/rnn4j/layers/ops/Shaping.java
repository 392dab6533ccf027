package io.rnn4j.layers.ops;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Permute;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.internal.AutoNames;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Keras 3's operations that move a tensor's values into another shape (keras/src/ops/numpy.py),
 * with their output shapes as Keras's operation_utils computes them; axes count the batch axis as
 * 0, which each must leave first and whole:
 * <ul>
 * <li>{@code ExpandDims(axis)}: axes of 1 inserted where {@code axis} (an int or a list) names them
 * in the output ({@code compute_expand_dims_output_shape}); not before the batch axis.
 * <li>{@code Squeeze(axis)}: the axes named removed, each of size 1 (Keras refuses any other, None
 * too); with {@code axis=None} every axis of the shape whose size is 1. Keras's shape is the one
 * kept at run time: TensorFlow's squeeze would also drop the batch axis of a batch of one, or a
 * None axis that comes as 1, which rnn4j does not.
 * <li>{@code Reshape(newshape)}: the values in {@code newshape}, batch axis included, which must be
 * -1 so that each sample keeps its values ({@code (-1, 20)} for {@code (None, 4, 5)}); a sample's
 * size must be that of the rest.
 * <li>{@code Transpose(axes)}: axis {@code i} of the output is axis {@code axes[i]} of the input
 * ({@code axes[0]} must be 0); {@code axes=None} reverses every axis, the batch axis too, and is
 * refused.
 * </ul>
 */
public final class Shaping extends TensorOperation {
    /** Which operation, by Keras's class name and the name of its argument. */
    public enum Kind {
        EXPAND_DIMS("ExpandDims", "axis"), SQUEEZE("Squeeze", "axis"), RESHAPE("Reshape", "newshape"),
        TRANSPOSE("Transpose", "axes");

        private final String kerasClass;
        private final String argument;

        Kind(String kerasClass, String argument) {
            this.kerasClass = kerasClass;
            this.argument = argument;
        }

        /** Keras's class name: "ExpandDims", ... */
        public String kerasClass() {
            return kerasClass;
        }

        /** The name of the operation's argument in Keras: "axis", "newshape" or "axes". */
        public String argument() {
            return argument;
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
    private final Axis argument;
    private Permute permute;

    /**
     * @param argument Keras's {@code axis} (ExpandDims, Squeeze), {@code newshape} (Reshape) or
     *                 {@code axes} (Transpose)
     * @throws IllegalArgumentException for None where the operation needs values (ExpandDims,
     *                                  Reshape), Transpose's None, or a newshape Keras refuses (a size
     *                                  below -1, two -1)
     */
    public Shaping(Kind kind, Axis argument) {
        super(kind == Kind.EXPAND_DIMS ? "expand_dims" : kind.kerasClass.toLowerCase(java.util.Locale.ROOT));
        this.kind = kind;
        this.argument = Objects.requireNonNull(argument, kind.argument + " (Axis.NONE for None)");
        if (argument.isNone() && kind != Kind.SQUEEZE) {
            throw fail(kind == Kind.TRANSPOSE ? "axes=None reverses every axis, the batch axis too; rnn4j keeps the "
                    + "batch axis first: give axes starting with 0" : kind.argument + " must not be None");
        }
        if (kind == Kind.RESHAPE) {
            int[] s = argument.values();
            long free = Arrays.stream(s).filter(d -> d == -1).count();
            if (Arrays.stream(s).anyMatch(d -> d < -1) || free > 1) {
                throw fail("each dimension of newshape " + argument + " must be a non-negative int, or -1 for one "
                        + "unknown dimension");
            }
            if (s.length == 0 || s[0] != -1) {
                throw fail("newshape " + argument + " must start with -1, the batch axis, so that each sample keeps "
                        + "its values (rnn4j keeps the batch axis)");
            }
        }
    }

    /** Which operation. */
    public Kind kind() {
        return kind;
    }

    /** Its argument as given: {@code axis}, {@code newshape} or {@code axes} (see {@link Kind#argument()}). */
    public Axis argument() {
        return argument;
    }

    @Override
    public String className() {
        return kind.kerasClass;
    }

    @Override
    int tensors() {
        return 1;
    }

    @Override
    int[] outputDims(List<int[]> in) {
        int[] x = in.get(0);
        int[] v = argument.values();
        return switch (kind) {
            case EXPAND_DIMS -> expanded(x, v);
            case SQUEEZE -> squeezed(x, v);
            case RESHAPE -> reshaped(x, v);
            case TRANSPOSE -> transposed(x, v);
        };
    }

    private int[] expanded(int[] x, int[] v) {
        int rank = x.length + v.length;
        boolean[] added = new boolean[rank];
        for (int a : v) {
            int c = axis(a, rank, "axis");
            if (c == 0) {
                throw fail("axis " + argument + " puts a new axis before the batch axis; rnn4j keeps the batch axis "
                        + "first");
            }
            if (added[c]) {
                throw fail("axis " + argument + " names output axis " + c + " twice");
            }
            added[c] = true;
        }
        int[] out = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            out[i] = added[i] ? 1 : x[j++];
        }
        return out;
    }

    private int[] squeezed(int[] x, int[] v) {
        boolean[] gone = new boolean[x.length];
        if (argument.isNone()) {
            // The axes of size 1 where the operation was applied: a None one stays, whatever size comes.
            int[] applied = inputShapes() == null ? x : full(inputShapes()).get(0);
            for (int i = 1; i < x.length; i++) {
                gone[i] = applied[i] == 1;
                if (gone[i] && x[i] != 1 && x[i] != Shape.UNKNOWN) {
                    throw fail("axis " + i + " of " + show(x) + " was 1 where the operation was applied "
                            + show(applied) + "; it squeezes that axis");
                }
            }
        }
        for (int a : v) {
            int c = axis(a, x.length, "axis");
            if (x[c] != 1) {
                throw fail("cannot squeeze axis " + a + " of " + show(x) + ", because the dimension is not 1");
            }
            gone[c] = true;
        }
        return keep(x, gone);
    }

    private static int[] keep(int[] x, boolean[] gone) {
        int n = 0;
        for (boolean g : gone) {
            n += g ? 0 : 1;
        }
        int[] out = new int[n];
        for (int i = 0, j = 0; i < x.length; i++) {
            if (!gone[i]) {
                out[j++] = x[i];
            }
        }
        return out;
    }

    private int[] reshaped(int[] x, int[] v) {
        int[] out = v.clone();
        out[0] = x[0];
        long rest = 1;
        long sample = 1;
        for (int i = 1; i < v.length; i++) {
            rest *= v[i];
        }
        for (int i = 1; i < x.length; i++) {
            sample = x[i] == Shape.UNKNOWN || sample == Shape.UNKNOWN ? Shape.UNKNOWN : sample * x[i];
        }
        if (sample != Shape.UNKNOWN && sample != rest) {
            throw fail("cannot reshape " + show(x) + " (" + sample + " values per sample) to newshape " + argument
                    + " (" + rest + " per sample): the batch axis would change");
        }
        return out;
    }

    private int[] transposed(int[] x, int[] v) {
        if (v.length != x.length) {
            throw fail("axes " + argument + " must name every axis of " + show(x) + ", " + x.length + " of them");
        }
        int[] out = new int[x.length];
        boolean[] seen = new boolean[x.length];
        for (int i = 0; i < v.length; i++) {
            int c = axis(v[i], x.length, "axes entry");
            if (seen[c]) {
                throw fail("axes " + argument + " must be a permutation of the input's axes (no duplicates)");
            }
            seen[c] = true;
            out[i] = x[c];
        }
        if (axis(v[0], x.length, "axes entry") != 0) {
            throw fail("axes " + argument + " moves the batch axis; rnn4j keeps it first (axes[0] must be 0)");
        }
        return out;
    }

    @Override
    void prepare(List<Shape> samples) {
        if (kind == Kind.TRANSPOSE) {
            int rank = samples.get(0).rank() + 1;
            int[] v = argument.values();
            int[] dims = new int[rank - 1]; // Permute's: 1-based sample axes
            for (int i = 1; i < rank; i++) {
                dims[i - 1] = axis(v[i], rank, "axes entry");
            }
            permute = AutoNames.suspended(() -> new Permute(dims));
            permute.build(samples.get(0), device(), null);
        }
    }

    @Override
    Variable compute(List<Variable> in, CallContext ctx) {
        Variable x = in.get(0);
        if (kind == Kind.TRANSPOSE) {
            return permute.call(x, null, ctx);
        }
        return Ops.reshape(x, outputDims(List.of(x.shape().dims())));
    }
}
