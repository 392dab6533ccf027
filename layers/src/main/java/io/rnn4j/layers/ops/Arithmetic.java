package io.rnn4j.layers.ops;

import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/**
 * Keras 3's elementwise arithmetic operations {@code Add}, {@code Subtract}, {@code Multiply},
 * {@code Divide}, {@code TrueDivide}, {@code Maximum} and {@code Minimum} (keras/src/ops/numpy.py):
 * what {@code x + y}, {@code x - y}, {@code x * y}, {@code x / y} ({@code TrueDivide},
 * KerasTensor.__truediv__) and {@code keras.ops.add/subtract/multiply/divide/maximum/minimum}
 * record. Either operand may be a Python number ({@code x * 0.5}, {@code 1 - x}: the reflected
 * operators record the number first), the other a tensor; a number is a float32 scalar, as the
 * TensorFlow backend converts it ({@code dtypes.result_type(float32, float)} is float32), and the
 * arithmetic is float32's. {@code Power} ({@code x ** p}, {@code c ** x}, {@code keras.ops.power})
 * takes a finite number on one side: a number exponent of any sign (integral ones keep a negative
 * base's sign, {@code 0 ** 0} is 1), or a number base {@code c > 0}; two tensors, and a base of 0
 * or below (whose powers are real only at integral exponents) are refused.
 *
 * <p>Two tensors broadcast NumPy's way, as Keras's {@code broadcast_shapes} (a None axis takes the
 * other's size unless that is 1). They must be of one rank here: NumPy aligns shapes at their last
 * axis, so a tensor of lower rank would have its batch axis matched against another axis of the
 * other tensor (TensorFlow then fails unless the sizes agree by chance); expand its axes first.
 */
public final class Arithmetic extends NumberOperands {
    /** Which operation, by Keras's class name. */
    public enum Kind {
        ADD("Add"), SUBTRACT("Subtract"), MULTIPLY("Multiply"), DIVIDE("Divide"), TRUE_DIVIDE("TrueDivide"),
        /** {@code keras.ops.maximum}: a tie's gradient goes to x1, as tf.maximum's. */
        MAXIMUM("Maximum"),
        /** {@code keras.ops.minimum}: a tie's gradient goes to x1, as tf.minimum's. */
        MINIMUM("Minimum"),
        /**
         * {@code x ** p} or {@code keras.ops.power}: a number on one side ({@code x ** 2},
         * {@code 2 ** x}), computed as tf.pow with TensorFlow's gradient (see {@link Ops#power}).
         */
        POWER("Power");

        private final String kerasClass;

        Kind(String kerasClass) {
            this.kerasClass = kerasClass;
        }

        /** Keras's class name: "Add", "TrueDivide", ... */
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

    /** The operation on two tensors: {@code x1 + x2} for ADD. */
    public Arithmetic(Kind kind) {
        this(kind, null, null);
    }

    /**
     * The operation with a number for one operand, as Keras's call {@code (x1, x2)} gives it:
     * {@code x1} null and {@code x2} 0.5 for {@code x * 0.5}, {@code x1} 1.0 and {@code x2} null for
     * {@code 1 - x}; both null for two tensors.
     *
     * @throws IllegalArgumentException if both are numbers (Keras records an operation on tensors only)
     */
    public Arithmetic(Kind kind, Double x1, Double x2) {
        super(snake(kind), x1, x2);
        this.kind = kind;
        requireATensor();
        if (kind == Kind.POWER) {
            checkPower(x1, x2);
        }
    }

    private void checkPower(Double base, Double exponent) {
        if (base == null && exponent == null) {
            throw fail("a tensor to the power of a tensor; rnn4j computes power with a number on one side "
                    + "(x ** 2.0, 2.0 ** x)");
        }
        if (exponent != null && !Float.isFinite(exponent.floatValue())) {
            throw fail("the exponent x2 must be a finite float32 number, got " + exponent);
        }
        if (base != null && !(base.floatValue() > 0 && Float.isFinite(base.floatValue()))) {
            throw fail("the number base x1 must be finite and above 0 (rnn4j computes c ** x as exp(x ln c)), got "
                    + base);
        }
    }

    private static String snake(Kind kind) {
        return kind == Kind.TRUE_DIVIDE ? "true_divide" : kind.kerasClass.toLowerCase(java.util.Locale.ROOT);
    }

    /** Which operation. */
    public Kind kind() {
        return kind;
    }

    @Override
    public String className() {
        return kind.kerasClass;
    }

    @Override
    int[] outputDims(List<int[]> in) {
        return broadcastDims(in, List.of("x1", "x2"));
    }

    @Override
    Variable compute(List<Variable> in, CallContext ctx) {
        if (kind == Kind.POWER) {
            return x1() != null ? Ops.power(x1().floatValue(), in.get(0)) : Ops.power(in.get(0), x2().floatValue());
        }
        Variable a = first(in);
        Variable b = second(in);
        return switch (kind) {
            case ADD -> Ops.add(a, b);
            case SUBTRACT -> Ops.sub(a, b);
            case MULTIPLY -> Ops.mul(a, b);
            case DIVIDE, TRUE_DIVIDE -> Ops.div(a, b);
            case MAXIMUM -> Ops.maximum(a, b);
            case MINIMUM -> Ops.minimum(a, b);
            case POWER -> throw new AssertionError("computed above");
        };
    }
}
