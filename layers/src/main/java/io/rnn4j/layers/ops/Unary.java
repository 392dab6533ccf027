package io.rnn4j.layers.ops;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/**
 * Keras 3's operations of one tensor keeping its shape: {@code Negative} ({@code -x},
 * keras/src/ops/numpy.py), {@code Tanh} (numpy.py), and {@code Relu}, {@code Sigmoid} and
 * {@code Softmax} (keras/src/ops/nn.py), as {@code keras.ops.negative/tanh/relu/sigmoid/softmax}
 * record them. The numbers are the TensorFlow backend's: {@code tf.negative}, {@code tf.math.tanh},
 * {@code tf.nn.relu} (whose gradient at 0 is 0), {@code tf.nn.sigmoid} and {@code tf.nn.softmax}
 * along {@code axis}.
 *
 * <p>As the TensorFlow backend's sigmoid and softmax set {@code _keras_logits} on their output, the
 * output remembers its input as logits ({@link Variable#logits()}), so a crossentropy taken on it
 * works from the logits as Keras's does; for a softmax over another axis than the last rnn4j does
 * not (as its Softmax layer does not): Keras would hand the crossentropy logits of another axis.
 */
public final class Unary extends TensorOperation {
    /** Which operation, by Keras's class name and module. */
    public enum Kind {
        NEGATIVE("Negative", "negative", false), TANH("Tanh", "tanh", false), RELU("Relu", "relu", true),
        SIGMOID("Sigmoid", "sigmoid", true), SOFTMAX("Softmax", "softmax", true);

        private final String kerasClass;
        private final String prefix;
        private final boolean nn;

        Kind(String kerasClass, String prefix, boolean nn) {
            this.kerasClass = kerasClass;
            this.prefix = prefix;
            this.nn = nn;
        }

        /** Keras's class name: "Negative", "Relu", ... */
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

    /** Which operation. */
    public Kind kind() {
        return kind;
    }

    /** The softmax's axis as given (-1 for the other kinds, which have none). */
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
        if (kind == Kind.SOFTMAX) {
            axis(axis, in.get(0).length, "axis");
        }
        return in.get(0).clone();
    }

    @Override
    Variable compute(List<Variable> in, CallContext ctx) {
        Variable x = in.get(0);
        return switch (kind) {
            case NEGATIVE -> Ops.unary(UnaryOp.NEG, x);
            case TANH -> Ops.unary(UnaryOp.TANH, x);
            case RELU -> Ops.unary(UnaryOp.RELU, x);
            case SIGMOID -> Ops.sigmoidActivation(x);
            case SOFTMAX -> {
                int a = axis(axis, x.rank(), "axis");
                yield a == x.rank() - 1 ? Ops.softmaxActivation(x) : Ops.softmax(x, a);
            }
        };
    }
}
