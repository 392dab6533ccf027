package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Keras 3's tensor slicing {@code x[key]} in a functional model, the {@code GetItem} operation of
 * keras/src/ops/numpy.py: {@code encoder_outputs[:, -1, :]} is
 * {@code new GetItem(":, -1, :").apply(encoderOutputs)}. The key is NumPy's, written as Python
 * writes it between the brackets: ints pick one element and remove the axis (negative from the
 * end), slices {@code start:stop:step} keep it (Python's {@code slice.indices} rules, negative
 * steps reversing), one {@code ...} stands for the axes the other entries leave, {@code None}
 * adds an axis of 1. As in Keras the key starts at the batch axis, which rnn4j takes whole only:
 * it must be {@code :} or inside the {@code ...}.
 *
 * <p>Output shapes follow Keras's {@code compute_output_spec}: a slice of a None axis is None; an
 * int is checked against a known size when the layer is applied and against a None axis's size
 * at call time. Keras's GetItem is an operation, not a layer: a mask coming in is dropped without
 * a warning (an operation's output carries no mask in Keras's functional models), it holds no
 * weights, and a Sequential cannot hold it.
 *
 * <p>The slicing is composed from autograd ops, so gradients flow back to the elements taken:
 * a step of 1 is a slice along the axis, -1 a slice reversed, another step a slice zero-padded to a
 * whole number of steps, viewed as (elements, step) and sliced to the first of each.
 */
public final class GetItem extends Operation {
    private final List<Index> key;

    /**
     * One entry of a key, as Python's {@code x[...]} takes them: {@link #at} an int,
     * {@link #range} a slice, {@link #ELLIPSIS} and {@link #NEW_AXIS} ({@code None}).
     */
    public sealed interface Index {
        /** {@code ...}: as many whole axes as the key's other entries leave. */
        Index ELLIPSIS = new Ellipsis();
        /** {@code None} ({@code np.newaxis}): a new axis of size 1. */
        Index NEW_AXIS = new NewAxis();

        /** An int: element {@code i} of its axis (negative from the end), removing the axis. */
        static Index at(int i) {
            return new At(i);
        }

        /** {@code :}, the whole axis. */
        static Index all() {
            return new Range(null, null, null);
        }

        /** {@code start:stop}; null leaves a bound out. */
        static Index range(Integer start, Integer stop) {
            return new Range(start, stop, null);
        }

        /** {@code start:stop:step}; null leaves a part out. */
        static Index range(Integer start, Integer stop, Integer step) {
            return new Range(start, stop, step);
        }

        /** An int index. */
        record At(int index) implements Index {
            @Override
            public String toString() {
                return Integer.toString(index);
            }
        }

        /**
         * A slice; null parts are Python's None.
         *
         * @throws IllegalArgumentException for a step of 0, as Python refuses it
         */
        record Range(Integer start, Integer stop, Integer step) implements Index {
            public Range {
                if (step != null && step == 0) {
                    throw new IllegalArgumentException("slice step cannot be zero");
                }
            }

            @Override
            public String toString() {
                String s = (start == null ? "" : start) + ":" + (stop == null ? "" : stop);
                return step == null ? s : s + ":" + step;
            }
        }

        /** {@code ...}. */
        record Ellipsis() implements Index {
            @Override
            public String toString() {
                return "...";
            }
        }

        /** {@code None}. */
        record NewAxis() implements Index {
            @Override
            public String toString() {
                return "None";
            }
        }
    }

    /**
     * @param key the key as Python writes it inside {@code x[...]}: {@code ":, -1, :"},
     *            {@code "..., 0"}, {@code ":, 2:10:2"}, {@code ":, None"}
     * @throws IllegalArgumentException naming the key for one that is not a NumPy basic index:
     *                                  an entry that is not an int, a slice, {@code ...} or
     *                                  {@code None}, two {@code ...}, a step of 0
     */
    public GetItem(String key) {
        super("get_item");
        this.key = checked(ItemKey.parse(key, problem -> new IllegalArgumentException(where() + ": cannot read key '"
                + key + "': " + problem)));
    }

    /**
     * A key from its entries: {@code new GetItem(Index.all(), Index.at(-1), Index.all())} is
     * {@code x[:, -1, :]}; no entries is {@code x[()]}, the whole tensor.
     *
     * @throws IllegalArgumentException for two {@link Index#ELLIPSIS}
     */
    public GetItem(Index... key) {
        super("get_item");
        for (Index i : key) {
            if (i == null) {
                throw new IllegalArgumentException(where() + ": key " + Arrays.toString(key) + " holds null; "
                        + "use Index.NEW_AXIS for Python's None");
            }
        }
        this.key = checked(List.of(key));
    }

    private List<Index> checked(List<Index> k) {
        if (k.stream().filter(i -> i instanceof Index.Ellipsis).count() > 1) {
            throw new IllegalArgumentException(where() + ": key [" + ItemKey.format(k) + "] has more than one "
                    + "ellipsis ('...'); an index can only have a single ellipsis");
        }
        return List.copyOf(k);
    }

    /** The key's entries, in order. */
    public List<Index> key() {
        return key;
    }

    /** The key as Python writes it between the brackets, e.g. {@code ":, -1, :"}. */
    public String keyString() {
        return ItemKey.format(key);
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        return outputShapeFor(in);
    }

    /** Any sizes of the rank it was built for: the output's follow the input's. */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        int[] full = new int[in.rank() + 1];
        full[0] = Shape.UNKNOWN;
        System.arraycopy(in.dims(), 0, full, 1, in.rank());
        String shown = batchless(in);
        int[] out = ItemKey.outputDims(resolve(full, shown), full);
        return Shape.withUnknown(Arrays.copyOfRange(out, 1, out.length));
    }

    private ItemKey.Resolved resolve(int[] full, String shown) {
        return ItemKey.resolve(key, full, problem -> new IllegalArgumentException(where() + ": key ["
                + keyString() + "] " + problem + ", input shape " + shown));
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        int[] dims = x.shape().dims();
        ItemKey.Resolved r = resolve(dims, x.shape().toString());
        Variable y = x;
        for (int a = 1; a < dims.length; a++) {
            switch (r.steps().get(a)) {
                case ItemKey.Keep k -> {
                }
                case ItemKey.Pick p -> y = Ops.slice(y, a, p.index() < 0 ? p.index() + dims[a] : p.index(), 1);
                case ItemKey.Take t -> y = take(y, a, ItemKey.indices(t.range(), dims[a]));
            }
        }
        // Picked axes are still there with size 1; the reshape drops them and adds the new ones.
        return Ops.reshape(y, ItemKey.outputDims(r, dims));
    }

    /** Elements {@code start, start+step, ...} ({@code length} of them) of axis {@code a}. */
    private static Variable take(Variable y, int a, int[] slice) {
        int n = y.dim(a);
        int start = slice[0];
        int step = slice[2];
        int length = slice[3];
        if (length == 0) {
            return Ops.slice(y, a, 0, 0);
        }
        if (step == -1) {
            return Ops.reverse(part(y, a, start - length + 1, length), a);
        }
        if (step < 0) {
            // Backwards by k from start is forwards by k from n-1-start of the reversed axis.
            y = Ops.reverse(y, a);
            start = n - 1 - start;
            step = -step;
        }
        if (step == 1 || length == 1) {
            return part(y, a, start, length);
        }
        // Every step-th element: the span of length·step from start (zero-padded past the end),
        // viewed as (length, step), first column. Only slices, a concat and views: no indices.
        long span = (long) length * step;
        int available = n - start;
        if (span <= available) {
            y = part(y, a, start, (int) span);
        } else {
            y = part(y, a, start, available);
            Tensor pad = y.device().zeros(y.shape().with(a, (int) (span - available)));
            y = Ops.concat(a, y, Variable.constant(pad));
        }
        int[] grid = new int[y.rank() + 1];
        for (int i = 0, j = 0; i < y.rank(); i++) {
            if (i == a) {
                grid[j++] = length;
                grid[j++] = step;
            } else {
                grid[j++] = y.dim(i);
            }
        }
        Variable firsts = Ops.slice(Ops.reshape(y, grid), a + 1, 0, 1);
        return Ops.reshape(firsts, y.shape().with(a, length).dims());
    }

    /** {@code length} elements of axis a from {@code start}; the whole axis as it is. */
    private static Variable part(Variable y, int a, int start, int length) {
        return start == 0 && length == y.dim(a) ? y : Ops.slice(y, a, start, length);
    }
}
