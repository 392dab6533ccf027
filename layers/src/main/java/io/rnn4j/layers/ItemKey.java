package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.GetItem.Index;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A NumPy key for {@link GetItem}: read from its Python spelling, written back, and resolved
 * against a tensor's shape into one step per input axis, as Keras 3's
 * {@code GetItem.compute_output_spec} (keras/src/ops/numpy.py) consumes the key: entries left to
 * right, {@code None} adding an axis of 1, an int removing its axis, a slice keeping it with
 * {@code len(range(*slice.indices(n)))} elements (None stays None), the one {@code ...} taking as
 * many axes as the entries after it leave, and a {@code ...} appended when there is none.
 */
final class ItemKey {
    private ItemKey() {
    }

    /** What the key does to one axis of the input (batch axis included). */
    sealed interface Step permits Keep, Pick, Take {
    }

    /** The whole axis. */
    record Keep() implements Step {
    }

    /** One element (the axis goes away); {@code index} as written, negative from the end. */
    record Pick(int index) implements Step {
    }

    /** A slice, turned into start, step and length by {@link #indices} once the axis's size is known. */
    record Take(Index.Range range) implements Step {
    }

    /**
     * The key resolved for a rank: a step per input axis and the output's axes, each the input axis
     * it comes from or -1 for a new axis of 1.
     */
    record Resolved(List<Step> steps, int[] outputAxes) {
    }

    /** Python's {@code slice(start, stop, step).indices(n)} for a step that is not 0: {start, stop, step, length}. */
    static int[] indices(Index.Range r, int n) {
        int step = r.step() == null ? 1 : r.step();
        int lower = step > 0 ? 0 : -1;
        int upper = step > 0 ? n : n - 1;
        int start = r.start() == null ? (step > 0 ? lower : upper) : clamp(r.start(), n, lower, upper);
        int stop = r.stop() == null ? (step > 0 ? upper : lower) : clamp(r.stop(), n, lower, upper);
        int length;
        if (step > 0) {
            length = start < stop ? (int) (((long) stop - start - 1) / step + 1) : 0;
        } else {
            length = stop < start ? (int) (((long) start - stop - 1) / -(long) step + 1) : 0;
        }
        return new int[] {start, stop, step, length};
    }

    private static int clamp(int v, int n, int lower, int upper) {
        long x = v < 0 ? (long) v + n : v;
        return (int) Math.max(lower, Math.min(upper, x));
    }

    /**
     * Resolves the key for an input of {@code dims} (batch axis first; {@link Shape#UNKNOWN} for
     * None). Ints are checked against known sizes; the batch axis must be taken whole.
     *
     * @param fail makes the exception for a problem, naming the layer, the key and the shape
     */
    static Resolved resolve(List<Index> key, int[] dims, Function<String, RuntimeException> fail) {
        List<Index> k = new ArrayList<>(key);
        if (k.stream().noneMatch(i -> i instanceof Index.Ellipsis)) {
            k.add(Index.ELLIPSIS);
        }
        List<Step> steps = new ArrayList<>();
        List<Integer> out = new ArrayList<>();
        int axis = 0;
        for (int e = 0; e < k.size(); e++) {
            Index entry = k.get(e);
            switch (entry) {
                case Index.NewAxis n -> {
                    if (axis == 0) {
                        throw fail.apply("adds an axis before the batch axis; rnn4j keeps the batch axis first");
                    }
                    out.add(-1);
                }
                case Index.Ellipsis el -> {
                    int needed = 0;
                    for (Index later : k.subList(e + 1, k.size())) {
                        needed += later instanceof Index.NewAxis ? 0 : 1;
                    }
                    int taken = dims.length - axis - needed;
                    if (taken < 0) {
                        throw tooMany(fail);
                    }
                    for (int t = 0; t < taken; t++, axis++) {
                        steps.add(new Keep());
                        out.add(axis);
                    }
                }
                case Index.At at -> {
                    if (axis >= dims.length) {
                        throw tooMany(fail);
                    }
                    if (axis == 0) {
                        throw fail.apply("indexes the batch axis with " + at.index() + "; rnn4j takes the batch "
                                + "axis whole (':' or '...' first)");
                    }
                    int n = dims[axis];
                    if (n != Shape.UNKNOWN && (at.index() >= n || at.index() < -n)) {
                        throw fail.apply("index " + at.index() + " is out of bounds for axis " + axis + " of size "
                                + n);
                    }
                    steps.add(new Pick(at.index()));
                    axis++;
                }
                case Index.Range r -> {
                    if (axis >= dims.length) {
                        throw tooMany(fail);
                    }
                    if (axis == 0 && !whole(r)) {
                        throw fail.apply("slices the batch axis with '" + r + "'; rnn4j takes the batch axis "
                                + "whole (':' or '...' first)");
                    }
                    steps.add(axis == 0 ? new Keep() : new Take(r));
                    out.add(axis);
                    axis++;
                }
            }
        }
        return new Resolved(List.copyOf(steps), out.stream().mapToInt(Integer::intValue).toArray());
    }

    private static RuntimeException tooMany(Function<String, RuntimeException> fail) {
        return fail.apply("has too many indices for the input's axes");
    }

    /** Whether a slice takes every element of any axis: {@code :}, {@code 0:}, {@code ::1}. */
    private static boolean whole(Index.Range r) {
        return (r.start() == null || r.start() == 0) && (r.stop() == null || r.stop() == Integer.MAX_VALUE)
                && (r.step() == null || r.step() == 1);
    }

    /**
     * The output's dimensions for an input of {@code dims} (batch first, {@link Shape#UNKNOWN} for
     * None): a slice of a None axis is None.
     */
    static int[] outputDims(Resolved r, int[] dims) {
        int[] out = new int[r.outputAxes().length];
        for (int i = 0; i < out.length; i++) {
            int a = r.outputAxes()[i];
            if (a < 0) {
                out[i] = 1;
            } else if (r.steps().get(a) instanceof Take t) {
                out[i] = dims[a] == Shape.UNKNOWN ? Shape.UNKNOWN : indices(t.range(), dims[a])[3];
            } else {
                out[i] = dims[a];
            }
        }
        return out;
    }

    // ---- the Python spelling ----

    /**
     * Reads a key as Python writes it between the brackets: entries separated by commas, each an
     * int, a slice {@code start:stop[:step]} (any part left out), {@code ...} ({@code Ellipsis}) or
     * {@code None} ({@code np.newaxis}); a trailing comma is allowed, as in Python.
     *
     * @param fail makes the exception for a problem
     */
    static List<Index> parse(String key, Function<String, RuntimeException> fail) {
        if (key == null || key.isBlank()) {
            throw fail.apply("the key is empty");
        }
        String[] parts = key.split(",", -1);
        int count = parts.length;
        if (count > 1 && parts[count - 1].isBlank()) {
            count--; // Python's x[0,]: a tuple of one
        }
        List<Index> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(entry(parts[i].strip(), i, fail));
        }
        return out;
    }

    private static Index entry(String s, int i, Function<String, RuntimeException> fail) {
        switch (s) {
            case "...", "Ellipsis" -> {
                return Index.ELLIPSIS;
            }
            case "None", "np.newaxis", "numpy.newaxis", "newaxis" -> {
                return Index.NEW_AXIS;
            }
            default -> {
            }
        }
        if (!s.contains(":")) {
            Long v = integer(s);
            if (v == null) {
                throw fail.apply("entry " + i + " '" + s + "' is not an int, a slice start:stop:step, '...' or None");
            }
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw fail.apply("index " + v + " is out of bounds for any axis");
            }
            return Index.at(v.intValue());
        }
        String[] p = s.split(":", -1);
        if (p.length > 3) {
            throw fail.apply("entry " + i + " '" + s + "' is not a slice start:stop:step");
        }
        Integer[] v = new Integer[3];
        for (int j = 0; j < p.length; j++) {
            String t = p[j].strip();
            if (t.isEmpty() || t.equals("None")) {
                continue;
            }
            Long x = integer(t);
            if (x == null) {
                throw fail.apply("entry " + i + " '" + s + "' is not a slice start:stop:step of ints");
            }
            // Bounds beyond an int's range clip as slice.indices clips them.
            v[j] = (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, x));
        }
        if (v[2] != null && v[2] == 0) {
            throw fail.apply("slice step cannot be zero ('" + s + "')");
        }
        return new Index.Range(v[0], v[1], v[2]);
    }

    private static Long integer(String s) {
        try {
            return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The key as Python writes it between the brackets: {@code ":, -1, :"}. */
    static String format(List<Index> key) {
        StringBuilder b = new StringBuilder();
        for (Index i : key) {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append(i);
        }
        return b.toString();
    }
}
