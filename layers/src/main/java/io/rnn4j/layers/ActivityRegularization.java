package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.regularizers.Regularizer;

/**
 * Keras's ActivityRegularization: passes its input (and mask) through unchanged and adds Keras's
 * activity loss {@code (l1·Σ|x| + l2·Σx²) / batch} (an L1L2 activity regularizer, normalised by the
 * batch size as Keras 3's Layer.__call__ does) to the loss fit and evaluate compute. Defaults: l1
 * and l2 are 0, which adds nothing.
 */
public final class ActivityRegularization extends ShapeKeepingLayer {
    private final double l1;
    private final double l2;

    /**
     * Keras's {@code ActivityRegularization(l1, l2)}.
     *
     * @throws IllegalArgumentException for a negative, infinite or NaN factor, as Keras's L1L2 refuses it
     */
    public ActivityRegularization(double l1, double l2) {
        super("activity_regularization");
        this.l1 = factor("l1", l1);
        this.l2 = factor("l2", l2);
    }

    /** Keras's defaults, l1 = l2 = 0. */
    public ActivityRegularization() {
        this(0.0, 0.0);
    }

    private double factor(String option, double v) {
        if (!Double.isFinite(v) || v < 0) {
            throw new IllegalArgumentException(where() + ": " + option + " must be a non-negative finite number, got "
                    + KerasConfig.written(v));
        }
        return v;
    }

    @Override
    public ActivityRegularization named(String newName) {
        super.named(newName);
        return this;
    }

    /**
     * Refused: ActivityRegularization is itself Keras's L1L2 activity regularizer (Keras raises a
     * TypeError for both), and its config has l1 and l2 only.
     *
     * @throws IllegalArgumentException always
     */
    @Override
    public Layer activityRegularizer(Regularizer r) {
        throw new IllegalArgumentException(where() + ": takes no activity_regularizer; its own is L1L2(l1, l2)");
    }

    /** The L1 factor as given. */
    public double l1() {
        return l1;
    }

    /** The L2 factor as given. */
    public double l2() {
        return l2;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        Variable loss = null;
        // Keras casts the factors to the input's float32 before multiplying.
        if (l1 != 0.0) {
            loss = Ops.scale(Ops.sumAll(Ops.unary(UnaryOp.ABS, x)), (float) l1);
        }
        if (l2 != 0.0) {
            Variable p = Ops.scale(Ops.sumAll(Ops.unary(UnaryOp.SQUARE, x)), (float) l2);
            loss = loss == null ? p : Ops.add(loss, p);
        }
        if (loss != null && x.dim(0) > 0) { // divide_no_nan: an empty batch adds 0
            Tensor batch = x.device().tensor(new float[] {x.dim(0)});
            ctx.addLoss(Ops.div(loss, Variable.constant(batch)));
        }
        return x;
    }
}
