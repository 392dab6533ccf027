package io.rnn4j.layers.ops;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keras 3's comparisons {@code Greater}, {@code GreaterEqual}, {@code Less}, {@code LessEqual},
 * {@code Equal}, {@code NotEqual} and logical operations {@code LogicalAnd}, {@code LogicalOr},
 * {@code LogicalNot} (keras/src/ops/numpy.py): {@code keras.ops.greater(x1, x2)}, ... Keras gives a
 * bool tensor; rnn4j's tensors are float32, so true is 1 and false is 0, which is what Keras's float
 * operations make of a bool (they promote it: {@code dtypes.result_type(bool, float32)} is float32,
 * and {@code ops.cast(b, "float32")} is the usual way on). Comparisons are IEEE's, as TensorFlow's:
 * with a NaN on either side all are false but NotEqual, which is true; {@code -0.0 == 0.0}. The
 * logical operations take a non-zero value (NaN included) as true, as {@code tf.cast(x, bool)} does.
 *
 * <p>Either operand of a two-operand kind may be a Python number (a float32 scalar, as Arithmetic's),
 * the other a tensor; two tensors broadcast as Arithmetic's (of one rank). The outputs are constants:
 * no gradient flows back through them (TensorFlow registers none for its comparisons).
 */
public final class Comparison extends NumberOperands {
    /** Which operation, by Keras's class name. */
    public enum Kind {
        GREATER("Greater"), GREATER_EQUAL("GreaterEqual"), LESS("Less"), LESS_EQUAL("LessEqual"), EQUAL("Equal"),
        NOT_EQUAL("NotEqual"), LOGICAL_AND("LogicalAnd"), LOGICAL_OR("LogicalOr"),
        /** {@code keras.ops.logical_not(x)}: the one kind of one operand. */
        LOGICAL_NOT("LogicalNot");

        private final String kerasClass;

        Kind(String kerasClass) {
            this.kerasClass = kerasClass;
        }

        /** Keras's class name: "Greater", "LogicalAnd", ... */
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

        /** Whether a and b (true: non-zero for the logical kinds) give true. */
        boolean test(float a, float b) {
            return switch (this) {
                case GREATER -> a > b;
                case GREATER_EQUAL -> a >= b;
                case LESS -> a < b;
                case LESS_EQUAL -> a <= b;
                case EQUAL -> a == b;
                case NOT_EQUAL -> a != b; // true for NaN, as IEEE's and TensorFlow's
                case LOGICAL_AND -> a != 0 && b != 0;
                case LOGICAL_OR -> a != 0 || b != 0;
                case LOGICAL_NOT -> a == 0;
            };
        }
    }

    private final Kind kind;

    /** The operation on two tensors ({@code x1 > x2} for GREATER), or on one for LOGICAL_NOT. */
    public Comparison(Kind kind) {
        this(kind, null, null);
    }

    /**
     * The operation with a number for one operand, as Keras's call {@code (x1, x2)} gives it:
     * {@code x1} null and {@code x2} 0.5 for {@code greater(x, 0.5)}, {@code x1} 0.5 and {@code x2}
     * null for {@code greater(0.5, x)}; both null for two tensors (and for LOGICAL_NOT, which takes
     * no number).
     *
     * @throws IllegalArgumentException if both are numbers, or LOGICAL_NOT is given one
     */
    public Comparison(Kind kind, Double x1, Double x2) {
        super(snake(kind), x1, x2);
        this.kind = kind;
        requireATensor();
        if (kind == Kind.LOGICAL_NOT && (x1 != null || x2 != null)) {
            throw fail("logical_not takes one tensor, not a number");
        }
    }

    /** greater_equal, logical_and, ...: Keras's snake case of the class name. */
    private static String snake(Kind kind) {
        return kind.kerasClass.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
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
    int tensors() {
        return kind == Kind.LOGICAL_NOT ? 1 : super.tensors();
    }

    @Override
    int[] outputDims(List<int[]> in) {
        return broadcastDims(in, in.size() == 1 ? List.of("x") : List.of("x1", "x2"));
    }

    @Override
    Variable compute(List<Variable> in, CallContext ctx) {
        if (kind == Kind.LOGICAL_NOT) {
            Tensor x = in.get(0).value();
            return Variable.constant(elementwise(List.of(x), x.shape()));
        }
        Tensor a = first(in).value();
        Tensor b = second(in).value();
        return Variable.constant(elementwise(List.of(a, b), Device.broadcastShape(name(), a.shape(), b.shape())));
    }

    /**
     * The 0/1 outputs, worked out on the host from the operands broadcast to {@code shape}: exact
     * IEEE comparisons on every backend (a device form through subtraction would lose ∞ − ∞ and
     * flushed subnormals), and the output is a constant anyway.
     */
    private Tensor elementwise(List<Tensor> operands, Shape shape) {
        Device d = operands.get(0).device();
        List<float[]> values = new ArrayList<>();
        for (Tensor t : operands) {
            Tensor full = t;
            if (!t.shape().equals(shape)) {
                full = d.zeros(shape);
                d.broadcast(t, full);
            }
            values.add(full.toArray());
        }
        float[] a = values.get(0);
        float[] b = values.size() > 1 ? values.get(1) : a;
        float[] out = new float[a.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = kind.test(a[i], b[i]) ? 1f : 0f;
        }
        return d.tensor(out, shape.dims());
    }
}
