package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import java.util.Objects;

/**
 * A tensor in the autograd graph, as micrograd's {@code Value}: its value, the op that made it (if
 * recorded), and for a trainable leaf (a parameter) the gradient that {@link #backward} accumulates.
 *
 * <p>Values are never written by autograd ops; parameters are updated in place by optimizers and
 * by {@code setWeights}, outside any recorded computation.
 */
public final class Variable {
    private final Tensor value;
    private final boolean requiresGrad;
    final Op creator;
    final int outputIndex;
    private final Op.GradSlot grad = new Op.GradSlot();
    /** The pre-activation a softmax or sigmoid activation made this from, else null ({@link #logits()}). */
    private Variable logits;

    Variable(Tensor value, boolean requiresGrad, Op creator, int outputIndex) {
        this.value = Objects.requireNonNull(value, "value");
        this.requiresGrad = requiresGrad;
        this.creator = creator;
        this.outputIndex = outputIndex;
    }

    /** A value that needs no gradient (inputs, labels, masks). */
    public static Variable constant(Tensor value) {
        return new Variable(value, false, null, 0);
    }

    /** A trainable leaf: {@link #backward} accumulates its gradient into {@link #grad()}. */
    public static Variable parameter(Tensor value) {
        return new Variable(value, true, null, 0);
    }

    /**
     * For the output of a softmax or sigmoid activation ({@link Ops#softmaxActivation},
     * {@link Ops#sigmoidActivation}), the logits it was computed from, else null: Keras 3's
     * {@code _keras_logits}, through which its TensorFlow backend computes a crossentropy on such an
     * output from the logits, with no clipping (so a confidently wrong prediction keeps its gradient).
     */
    public Variable logits() {
        return logits;
    }

    /** Records {@code x} as this variable's logits ({@link #logits()}); returns this. */
    Variable withLogits(Variable x) {
        this.logits = x;
        return this;
    }

    public Tensor value() {
        return value;
    }

    public Shape shape() {
        return value.shape();
    }

    public int dim(int axis) {
        return value.dim(axis);
    }

    public int rank() {
        return value.rank();
    }

    public Device device() {
        return value.device();
    }

    /** Whether gradients flow to this variable (a parameter, or computed from one while recording). */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Whether this is a trainable leaf (made by {@link #parameter}). */
    public boolean isParameter() {
        return requiresGrad && creator == null;
    }

    /** The accumulated gradient of a parameter, or null if none has been computed since {@link #zeroGrad}. */
    public Tensor grad() {
        return grad.tensor;
    }

    /** Forgets the accumulated gradient. */
    public void zeroGrad() {
        grad.tensor = null;
        grad.owned = false;
    }

    /** The same value, cut from the graph. */
    public Variable detach() {
        return constant(value);
    }

    /**
     * Backpropagates from this variable, which must hold one element (a loss): parameters reached
     * get {@code d this / d parameter} added to their {@link #grad()}.
     */
    public void backward() {
        if (value.size() != 1) {
            throw new IllegalArgumentException("backward: expected a variable of one element (a loss), got shape "
                    + value.shape() + "; pass the upstream gradient with backward(seed)");
        }
        backward(value.device().full(value.shape(), 1f));
    }

    /** Backpropagates from this variable with upstream gradient {@code seed} (this variable's shape). */
    public void backward(Tensor seed) {
        Autograd.backward(this, seed);
    }

    Op.GradSlot gradSlot() {
        return grad;
    }

    @Override
    public String toString() {
        return "Variable" + value.shape() + (isParameter() ? " parameter" : creator != null
                ? " from " + creator.getClass().getSimpleName() : "");
    }
}
