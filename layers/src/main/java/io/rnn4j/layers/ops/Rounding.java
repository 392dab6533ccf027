package io.rnn4j.layers.ops;

import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/**
 * Keras 3's {@code Sign}, {@code Floor}, {@code Ceil} and {@code Round} (keras/src/ops/numpy.py):
 * {@code keras.ops.sign/floor/ceil/round(x, decimals)} elementwise, computed as the TensorFlow
 * backend does (keras/src/backend/tensorflow/numpy.py): tf.sign, tf.floor, tf.math.ceil, and for
 * round tf.round (half to even) of {@code x · 10^decimals}, divided back by it, the factor a
 * float32 (decimals 0: tf.round of x itself). The gradient is zero everywhere, as TensorFlow's
 * (it registers None for Floor, Ceil and Round, zeros for Sign). NaN stays NaN (sign's too, as
 * TensorFlow 2's and jnp's); a zero result keeps x's sign ({@code floor(-0)}, {@code ceil(-0.7)}
 * and {@code round(-0.3)} are -0, as C's floor, ceil and rint); {@code sign(-0)} is +0.
 */
public final class Rounding extends TensorOperation {
    /** Which operation, by Keras's class name. */
    public enum Kind {
        SIGN("Sign"), FLOOR("Floor"), CEIL("Ceil"), ROUND("Round");

        private final String kerasClass;

        Kind(String kerasClass) {
            this.kerasClass = kerasClass;
        }

        /** Keras's class name: "Sign", "Floor", ... */
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
    private final int decimals;

    /** Sign, Floor, Ceil, or Round with Keras's default decimals=0. */
    public Rounding(Kind kind) {
        this(kind, 0);
    }

    /**
     * Keras's {@code Round(decimals)}: to {@code decimals} places after the point (before it when
     * negative); only Round takes decimals other than 0.
     *
     * @throws IllegalArgumentException for decimals on another kind, or whose float32 factor
     *                                  {@code 10^decimals} is 0 or infinite (beyond -45 .. 38)
     */
    public Rounding(Kind kind, int decimals) {
        super(kind.kerasClass.toLowerCase(java.util.Locale.ROOT));
        this.kind = kind;
        this.decimals = decimals;
        if (decimals != 0 && kind != Kind.ROUND) {
            throw fail("decimals=" + decimals + ": only Round takes decimals");
        }
        float factor = (float) Double.parseDouble("1e" + decimals);
        if (!(factor > 0) || Float.isInfinite(factor)) {
            throw fail("decimals=" + decimals + " makes the float32 factor 10^decimals " + factor + "; rnn4j "
                    + "rounds with decimals from -45 to 38");
        }
    }

    /** Which operation. */
    public Kind kind() {
        return kind;
    }

    /** Round's decimals (0 for the others). */
    public int decimals() {
        return decimals;
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
        return in.get(0).clone();
    }

    @Override
    Variable compute(List<Variable> in, CallContext ctx) {
        Variable x = in.get(0);
        return switch (kind) {
            case SIGN -> Ops.sign(x);
            case FLOOR -> Ops.floor(x);
            case CEIL -> Ops.ceil(x);
            case ROUND -> Ops.round(x, decimals);
        };
    }
}
