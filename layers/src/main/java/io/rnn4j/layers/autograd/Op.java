package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * One recorded application of a function: its inputs, which of them need a gradient, the tensors
 * its forward saved for backward, and (during backward only) the gradients of its outputs.
 * {@link Function} and {@link MultiFunction} are the two public shapes of it.
 */
abstract sealed class Op permits Function, MultiFunction {
    Variable[] inputs;
    private boolean[] needsGrad;
    private boolean recording;
    private List<Tensor> saved;
    /** Gradient slots for the outputs, alive only while backward runs. */
    GradSlot[] gradOut;

    final void bind(Variable[] inputs, boolean recording) {
        this.inputs = inputs;
        this.recording = recording;
        this.needsGrad = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            needsGrad[i] = recording && inputs[i] != null && inputs[i].requiresGrad();
        }
    }

    /** Whether backward will be asked for the gradient of input {@code i}. */
    protected final boolean needsGrad(int i) {
        return needsGrad[i];
    }

    /** Whether this application is recorded for backward (false under {@link Autograd#noGrad()}). */
    protected final boolean recording() {
        return recording;
    }

    /** Keeps tensors for backward (PyTorch's save_for_backward); a no-op when not recording. */
    protected final void save(Tensor... tensors) {
        if (!recording) {
            return;
        }
        if (saved == null) {
            saved = new ArrayList<>(tensors.length);
        }
        for (Tensor t : tensors) {
            saved.add(t);
        }
    }

    /** The {@code i}-th tensor passed to {@link #save}, in order. */
    protected final Tensor saved(int i) {
        if (saved == null || i >= saved.size()) {
            throw new IllegalStateException(getClass().getSimpleName() + ": saved tensor " + i
                    + " is not there (released after backward, or never saved)");
        }
        return saved.get(i);
    }

    /** The number of outputs. */
    abstract int outputCount();

    /** Runs the backward of this op given the gradients of its outputs (null entries mean zero). */
    abstract Tensor[] backwardAll(Tensor[] gradOutputs);

    /** Drops the saved tensors and the graph links once backward has used them. */
    void release() {
        saved = null;
        inputs = null;
        gradOut = null;
    }

    /** The gradient accumulated for one output or leaf, and whether the tensor is ours to add into. */
    static final class GradSlot {
        Tensor tensor;
        boolean owned;
    }
}
