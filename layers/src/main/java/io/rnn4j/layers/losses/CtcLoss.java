package io.rnn4j.layers.losses;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.autograd.Autograd;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Optional;

/**
 * Keras's CTC loss ({@code keras.losses.CTC}, "ctc"): labels {@code (batch, max_label_length)}
 * holding class ids as floats, 0 the blank and padding; predictions {@code (batch, time, classes)}
 * logits. A sample's label length is its number of non-zero entries (keras/src/losses/losses.py
 * {@code ctc}), of which the first that many entries are its label, as {@code tf.nn.ctc_loss}
 * reads dense labels; every sample uses all time steps. The loss is minus the log-likelihood that
 * TensorFlow's dense CTC ({@code ctc_loss_dense}, blank_index 0) computes: log_softmax of the
 * logits, then the forward algorithm over the blank-interleaved label in log space.
 *
 * <p>As TensorFlow, the end of the label weights the final states by 1 and every other state by
 * {@code log(1e-307)} (its {@code log_0}, about −706.9): a label too long for the input (more
 * steps needed than there are, counting a blank between repeated labels) gives a large finite
 * loss, about 707 plus the cost of the best partial alignment, not infinity.
 *
 * <p>One autograd node, {@link CtcForwardBackward}: device ops, one small set per time step over
 * the whole batch, and TensorFlow's gradient (softmax minus the posterior), which is not the
 * derivative of the loss where a label does not fit the input or holds 0 before its end.
 */
final class CtcLoss implements Loss {
    /** TensorFlow's log_0: log(0.0 + 1e-307) in float64, cast to float32. */
    static final float LOG_0 = (float) Math.log(1e-307);

    @Override
    public Optional<KerasConfig> kerasConfig() {
        return Optional.of(KerasConfig.of("CTC", "name", name(), "reduction", "sum_over_batch_size"));
    }

    @Override
    public String name() {
        return "ctc";
    }

    @Override
    public void checkLabels(Shape labels, Shape predictions) {
        if (predictions.rank() != 3) {
            throw new IllegalArgumentException(name() + ": predictions must be logits (batch, time, classes), got "
                    + predictions);
        }
        if (labels.rank() != 2 || !Shape.withUnknown(predictions.dim(0), labels.dim(1)).isCompatible(labels)) {
            throw new IllegalArgumentException(name() + ": labels must be (batch, max_label_length) integer class ids "
                    + "with 0 for padding, for predictions " + predictions + ", got " + labels);
        }
    }

    /**
     * Keras applies the predictions' mask to a loss per sample only by broadcasting it over time,
     * which would count each sample once per unmasked step: refused rather than guessed.
     */
    @Override
    public Variable compute(Variable labels, Variable predictions, Tensor sampleWeight, Tensor mask) {
        return reduceUnmasked(this, labels, predictions, sampleWeight, mask);
    }

    /** {@code loss}'s per-sample CTC losses reduced as Keras does, a Keras mask refused (see {@link #compute}). */
    static Variable reduceUnmasked(Loss loss, Variable labels, Variable predictions, Tensor sampleWeight,
            Tensor mask) {
        if (mask != null) {
            throw new IllegalArgumentException(loss.name() + ": predictions with a Keras mask " + mask.shape()
                    + " are not supported (CTC uses every time step; remove the Masking before the CTC output)");
        }
        return SampleWeights.reduce(loss.name(), loss.perSample(labels, predictions), sampleWeight, null);
    }

    @Override
    public Variable perSample(Variable labels, Variable predictions) {
        checkLabels(labels.shape(), predictions.shape());
        int batch = predictions.dim(0);
        int steps = predictions.dim(1);
        int classes = predictions.dim(2);
        if (labels.dim(0) != batch) {
            throw new IllegalArgumentException(name() + ": labels " + labels.shape() + " and predictions "
                    + predictions.shape() + " have different batch sizes");
        }
        if (steps == 0) {
            throw new IllegalArgumentException(name() + ": predictions " + predictions.shape() + " have no time steps");
        }
        int[][] label = labelIds(labels.value(), classes);
        int[] length = new int[batch];
        for (int b = 0; b < batch; b++) {
            for (int id : label[b]) {
                length[b] += id != 0 ? 1 : 0;
            }
        }
        // the forward-backward tables hold (time · batch · states) + 1 rows, addressed by float32 indices
        long rows = (long) steps * batch * (2L * labels.dim(1) + 1) + 1;
        if (rows > Ops.MAX_GATHER_ROWS || (long) batch * steps * classes > Ops.MAX_GATHER_ROWS) {
            throw new IllegalArgumentException(name() + ": labels " + labels.shape() + " and predictions "
                    + predictions.shape() + " are too large (" + rows + " forward-backward rows; at most "
                    + Ops.MAX_GATHER_ROWS + ")");
        }
        return Autograd.apply(new CtcForwardBackward(label, length, steps, classes), predictions);
    }

    /** The labels as class ids, refusing what is not an integer in [0, classes). */
    private int[][] labelIds(Tensor labels, int classes) {
        float[] v = labels.toArray();
        int batch = labels.shape().dim(0);
        int length = labels.shape().dim(1);
        int[][] ids = new int[batch][length];
        for (int i = 0; i < v.length; i++) {
            float id = v[i];
            if (id != Math.rint(id) || id < 0 || id >= classes) {
                throw new IllegalArgumentException(name() + ": labels must be integer class ids in [0, " + classes
                        + ") (0 the blank, for padding), got " + id + " at sample " + i / Math.max(length, 1)
                        + ", position " + i % Math.max(length, 1));
            }
            ids[i / length][i % length] = (int) id;
        }
        return ids;
    }
}
