package io.rnn4j.layers.ops;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/**
 * Keras 3's operations of one tensor keeping its shape, as {@code keras.ops} records them: the
 * elementwise ones of keras/src/ops/numpy.py ({@code Negative}, {@code Tanh}, {@code Exp},
 * {@code Log}, {@code Absolute}, {@code Square}, {@code Sqrt}, {@code Reciprocal}) and of
 * keras/src/ops/nn.py (every activation op: {@code Relu}, {@code Relu6}, {@code Sigmoid},
 * {@code Gelu}, {@code Silu}, {@code LeakyRelu}, ...), and {@code Softmax} and {@code LogSoftmax}
 * along {@code axis}. The numbers and gradients are the TensorFlow backend's (the engine's
 * {@link UnaryOp}s). An op with a parameter is computed with the value Keras's op defaults to
 * (LeakyRelu's negative_slope 0.2, Elu's and Celu's alpha 1, the shrinks' threshold 0.5,
 * Squareplus's b 4); Gelu both ways ({@code approximate}, true by default in keras.ops).
 *
 * <p>As the TensorFlow backend's sigmoid and softmax set {@code _keras_logits} on their output, the
 * output remembers its input as logits ({@link Variable#logits()}), so a crossentropy taken on it
 * works from the logits as Keras's does; for a softmax over another axis than the last rnn4j does
 * not (as its Softmax layer does not): Keras would hand the crossentropy logits of another axis.
 */
public final class Unary extends TensorOperation {
    /** Which operation, by Keras's class name and module. */
    public enum Kind {
        NEGATIVE("Negative", "negative", false, UnaryOp.NEG), TANH("Tanh", "tanh", false, UnaryOp.TANH),
        EXP("Exp", "exp", false, UnaryOp.EXP), LOG("Log", "log", false, UnaryOp.LOG),
        ABSOLUTE("Absolute", "absolute", false, UnaryOp.ABS), SQUARE("Square", "square", false, UnaryOp.SQUARE),
        SQRT("Sqrt", "sqrt", false, UnaryOp.SQRT), RECIPROCAL("Reciprocal", "reciprocal", false, UnaryOp.RECIPROCAL),
        RELU("Relu", "relu", true, UnaryOp.RELU), RELU6("Relu6", "relu6", true, UnaryOp.RELU6),
        SIGMOID("Sigmoid", "sigmoid", true, UnaryOp.SIGMOID),
        HARD_SIGMOID("HardSigmoid", "hard_sigmoid", true, UnaryOp.HARD_SIGMOID),
        SPARSE_SIGMOID("SparseSigmoid", "sparse_sigmoid", true, UnaryOp.SPARSE_SIGMOID),
        SOFTPLUS("Softplus", "softplus", true, UnaryOp.SOFTPLUS),
        SOFTSIGN("Softsign", "softsign", true, UnaryOp.SOFTSIGN),
        SILU("Silu", "silu", true, UnaryOp.SWISH), HARD_SILU("HardSilu", "hard_silu", true, UnaryOp.HARD_SILU),
        LOG_SIGMOID("LogSigmoid", "log_sigmoid", true, UnaryOp.LOG_SIGMOID),
        LEAKY_RELU("LeakyRelu", "leaky_relu", true, UnaryOp.LEAKY_RELU, "negative_slope", UnaryOp.LEAKY_RELU_SLOPE),
        ELU("Elu", "elu", true, UnaryOp.ELU, "alpha", 1.0), SELU("Selu", "selu", true, UnaryOp.SELU),
        /** Keras's Gelu with approximate=False: the exact one. */
        GELU("Gelu", "gelu", true, UnaryOp.GELU),
        /** Keras's Gelu with approximate=True, the default of {@code keras.ops.gelu}. */
        GELU_APPROXIMATE("Gelu", "gelu", true, UnaryOp.GELU_APPROXIMATE),
        CELU("Celu", "celu", true, UnaryOp.CELU, "alpha", 1.0),
        TANH_SHRINK("TanhShrink", "tanh_shrink", true, UnaryOp.TANH_SHRINK),
        HARD_TANH("HardTanh", "hard_tanh", true, UnaryOp.HARD_TANH),
        SOFT_SHRINK("SoftShrink", "soft_shrink", true, UnaryOp.SOFT_SHRINK, "threshold", UnaryOp.SHRINK_THRESHOLD),
        HARD_SHRINK("HardShrink", "hard_shrink", true, UnaryOp.HARD_SHRINK, "threshold", UnaryOp.SHRINK_THRESHOLD),
        SQUAREPLUS("Squareplus", "squareplus", true, UnaryOp.SQUAREPLUS, "b", UnaryOp.SQUAREPLUS_B),
        SPARSE_PLUS("SparsePlus", "sparse_plus", true, UnaryOp.SPARSE_PLUS),
        SOFTMAX("Softmax", "softmax", true, null), LOG_SOFTMAX("LogSoftmax", "log_softmax", true, null);

        private final String kerasClass;
        private final String prefix;
        private final boolean nn;
        private final UnaryOp op;
        private final String parameter;
        private final double value;

        Kind(String kerasClass, String prefix, boolean nn, UnaryOp op) {
            this(kerasClass, prefix, nn, op, null, 0);
        }

        Kind(String kerasClass, String prefix, boolean nn, UnaryOp op, String parameter, double value) {
            this.kerasClass = kerasClass;
            this.prefix = prefix;
            this.nn = nn;
            this.op = op;
            this.parameter = parameter;
            this.value = value;
        }

        /** Keras's class name: "Negative", "Relu", ... */
        public String kerasClass() {
            return kerasClass;
        }

        /** Whether Keras defines it in keras/src/ops/nn.py (else numpy.py). */
        public boolean nn() {
            return nn;
        }

        /** The elementwise engine op, or null for the softmaxes. */
        public UnaryOp unaryOp() {
            return op;
        }

        /** The config key of the op's parameter (LeakyRelu's "negative_slope", ...), or null. */
        public String parameter() {
            return parameter;
        }

        /** The value rnn4j computes the parameter with: the default of Keras's op. */
        public double parameterValue() {
            return value;
        }

        /** The kind of Keras's class {@code name} (Gelu: the exact one), or null. */
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
    private final int axis;

    /** The operation; a softmax along the last axis (Keras's default axis=-1). */
    public Unary(Kind kind) {
        this(kind, -1);
    }

    private Unary(Kind kind, int axis) {
        super(kind.prefix);
        this.kind = kind;
        this.axis = axis;
    }

    /** Keras's {@code Softmax(axis)}: the softmax along {@code axis} (the batch axis is 0; negative from the end). */
    public static Unary softmax(int axis) {
        return new Unary(Kind.SOFTMAX, axis);
    }

    /** Keras's {@code LogSoftmax(axis)}: the log-softmax along {@code axis}. */
    public static Unary logSoftmax(int axis) {
        return new Unary(Kind.LOG_SOFTMAX, axis);
    }

    /** Which operation. */
    public Kind kind() {
        return kind;
    }

    /** The softmax's or log-softmax's axis as given (-1 for the other kinds, which have none). */
    public int axis() {
        return axis;
    }

    @Override
    public String className() {
        return kind.kerasClass;
    }

    @Override
    public String kerasModule() {
        return kind.nn ? "keras.src.ops.nn" : super.kerasModule();
    }

    @Override
    int tensors() {
        return 1;
    }

    @Override
    int[] outputDims(List<int[]> in) {
        if (kind.op == null) {
            axis(axis, in.get(0).length, "axis");
        }
        return in.get(0).clone();
    }

    @Override
    Variable compute(List<Variable> in, CallContext ctx) {
        Variable x = in.get(0);
        return switch (kind) {
            case SIGMOID -> Ops.sigmoidActivation(x);
            case SOFTMAX -> {
                int a = axis(axis, x.rank(), "axis");
                yield a == x.rank() - 1 ? Ops.softmaxActivation(x) : Ops.softmax(x, a);
            }
            case LOG_SOFTMAX -> Ops.logSoftmax(x, axis(axis, x.rank(), "axis"));
            default -> Ops.unary(kind.op, x);
        };
    }
}
