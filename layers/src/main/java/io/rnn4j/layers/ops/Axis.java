package io.rnn4j.layers.ops;

import java.util.Arrays;

/**
 * An int argument of a Keras operation as Python passes it: one int ({@code axis=1}), a list of ints
 * ({@code axis=[1, 2]}, a tuple too) or None. Keras keeps the form its caller gave in the
 * operation's config ({@code Operation.__new__} records the constructor's arguments as they came),
 * so rnn4j keeps it too and saves it back the same way. Axes count the batch axis as 0, as Keras's do.
 */
public final class Axis {
    /** Python's None. */
    public static final Axis NONE = new Axis(null, false);

    private final int[] values;
    private final boolean list;

    private Axis(int[] values, boolean list) {
        this.values = values;
        this.list = list;
    }

    /** One int, as {@code axis=1}. */
    public static Axis of(int value) {
        return new Axis(new int[] {value}, false);
    }

    /** A list (or tuple) of ints, as {@code axis=[1, 2]}; none is the empty list. */
    public static Axis list(int... values) {
        return new Axis(values.clone(), true);
    }

    /** Whether this is None. */
    public boolean isNone() {
        return values == null;
    }

    /** Whether it was given as a list (or tuple) rather than one int. */
    public boolean isList() {
        return list;
    }

    /** The ints (one for {@link #of}); a copy. Empty for None. */
    public int[] values() {
        return values == null ? new int[0] : values.clone();
    }

    /** As Python writes it: {@code 1}, {@code [1, 2]} or {@code None}. */
    @Override
    public String toString() {
        if (values == null) {
            return "None";
        }
        return list ? Arrays.toString(values) : Integer.toString(values[0]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Axis a && a.list == list && Arrays.equals(a.values, values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values) * 31 + (list ? 1 : 0);
    }
}
