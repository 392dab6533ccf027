package io.rnn4j.layers.losses;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/**
 * The CTC loss as tf.keras's {@code keras.backend.ctc_batch_cost} computes it when a model's loss
 * function calls it with every label {@code y_true.shape[1]} long and every sample all its time
 * steps long (keras-io's ctc_asr.py {@code CTCLoss}, captcha_ocr.py's {@code CTCLayer}): Keras
 * 3.15.1's {@code keras/src/legacy/backend.py} gives {@code log(y_pred + 1e-7)} to
 * {@code tf.compat.v1.nn.ctc_loss}, which applies its own softmax to that and takes the
 * <em>last</em> class as the blank.
 *
 * <p>It is not {@link CtcLoss} ({@code keras.losses.CTC}), which takes logits, has the blank at 0
 * and counts a label's non-zero entries: here 0 is an ordinary class and every entry counts. The
 * computation is CtcLoss's on the rotated classes (the last first) with the labels shifted by one,
 * which makes every label non-zero and the forward algorithm the same.
 */
final class CtcBatchCost implements Loss {
    /** Keras's backend.epsilon(), added to the probabilities before their log. */
    static final float EPSILON = 1e-7f;
    private final CtcLoss ctc = new CtcLoss();

    @Override
    public String name() {
        return "ctc_batch_cost";
    }

    @Override
    public void checkLabels(Shape labels, Shape predictions) {
        if (predictions.rank() != 3) {
            throw new IllegalArgumentException(name() + ": predictions must be probabilities (batch, time, classes), "
                    + "got " + predictions);
        }
        if (labels.rank() != 2 || !Shape.withUnknown(predictions.dim(0), labels.dim(1)).isCompatible(labels)) {
            throw new IllegalArgumentException(name() + ": labels must be (batch, label_length) integer class ids, "
                    + "every entry a label, for predictions " + predictions + ", got " + labels);
        }
    }

    /** As {@link CtcLoss}: a Keras mask over time would count each sample once per step, so it is refused. */
    @Override
    public Variable compute(Variable labels, Variable predictions, Tensor sampleWeight, Tensor mask) {
        return CtcLoss.reduceUnmasked(this, labels, predictions, sampleWeight, mask);
    }

    @Override
    public Variable perSample(Variable labels, Variable predictions) {
        checkLabels(labels.shape(), predictions.shape());
        int classes = predictions.dim(2);
        if (labels.dim(0) != predictions.dim(0)) {
            throw new IllegalArgumentException(name() + ": labels " + labels.shape() + " and predictions "
                    + predictions.shape() + " have different batch sizes");
        }
        checkIds(labels.value(), classes, predictions.dim(1));
        Variable logits = Ops.unary(UnaryOp.LOG, Ops.affine(predictions, 1f, EPSILON));
        Variable blankFirst = Ops.concat(2, Ops.slice(logits, 2, classes - 1, 1), Ops.slice(logits, 2, 0, classes - 1));
        Variable shifted = Variable.constant(Ops.affine(labels, 1f, 1f).value());
        return ctc.perSample(shifted, blankFirst);
    }

    /**
     * Refuses what TensorFlow's v1 CTC loss refuses (a label that is not an integer class below the
     * blank) and a label too long for the time steps, to which it gives an infinite loss ("No valid
     * path found"): {@link CtcLoss} would give a large finite one instead.
     */
    private void checkIds(Tensor labels, int classes, int steps) {
        float[] v = labels.toArray();
        int length = labels.shape().dim(1);
        for (int b = 0; b * length < v.length; b++) {
            int needed = 0;
            for (int k = 0; k < length; k++) {
                float id = v[b * length + k];
                if (id != Math.rint(id) || id < 0 || id >= classes - 1) {
                    throw new IllegalArgumentException(name() + ": labels must be integer class ids in [0, "
                            + (classes - 1) + ") (class " + (classes - 1) + ", the last, is the blank), got " + id
                            + " at sample " + b + ", position " + k);
                }
                needed += k > 0 && id == v[b * length + k - 1] ? 2 : 1;
            }
            if (needed > steps) {
                throw new IllegalArgumentException(name() + ": sample " + b + "'s label needs " + needed
                        + " time steps (a blank between repeated classes), the predictions have " + steps
                        + " (TensorFlow's v1 CTC loss finds no valid path and gives an infinite loss)");
            }
        }
    }
}
