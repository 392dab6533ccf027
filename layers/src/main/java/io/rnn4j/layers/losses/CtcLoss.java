package io.rnn4j.layers.losses;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.KerasConfig;
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
 * <p>Composed of device ops, one small set per time step over the whole batch (gather, max, exp,
 * log, add, select), so autograd gives the gradient.
 */
final class CtcLoss implements Loss {
    /** TensorFlow's log_0: log(0.0 + 1e-307) in float64, cast to float32. */
    static final float LOG_0 = (float) Math.log(1e-307);
    /** An unreachable state's log-probability: finite, so that differences never make NaN. */
    private static final float NEVER = -1e30f;

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
        if (mask != null) {
            throw new IllegalArgumentException(name() + ": predictions with a Keras mask " + mask.shape()
                    + " are not supported (CTC uses every time step; remove the Masking before the CTC output)");
        }
        return SampleWeights.reduce(name(), perSample(labels, predictions), sampleWeight, null);
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
        int maxLength = labels.dim(1);
        int states = 2 * maxLength + 1; // blank, label 1, blank, ..., label L, blank
        Device device = predictions.device();

        float[] index = new float[batch * steps * states];
        float[] skip = new float[batch * states];
        float[] initial = new float[batch * states];
        float[] fin = new float[batch * states];
        for (int b = 0; b < batch; b++) {
            int length = 0;
            for (int id : label[b]) {
                length += id != 0 ? 1 : 0;
            }
            for (int s = 0; s < states; s++) {
                int cls = s % 2 == 0 ? 0 : label[b][s / 2];
                for (int t = 0; t < steps; t++) {
                    index[(b * steps + t) * states + s] = (float) (((long) b * steps + t) * classes + cls);
                }
                // label k+1 (state 2k+1) may follow label k directly unless the two are equal
                boolean mayJump = s % 2 == 1 && s >= 3 && label[b][s / 2] != label[b][s / 2 - 1];
                skip[b * states + s] = mayJump ? 1f : 0f;
                initial[b * states + s] = s <= 1 ? 0f : NEVER;
                fin[b * states + s] = s == 2 * length || s == 2 * length - 1 ? 0f : LOG_0;
            }
        }
        long rows = (long) batch * steps * classes;
        if (rows > Ops.MAX_GATHER_ROWS) {
            throw new IllegalArgumentException(name() + ": predictions " + predictions.shape() + " are too large ("
                    + rows + " values; at most " + Ops.MAX_GATHER_ROWS + ")");
        }
        Variable logP = Ops.reshape(Ops.logSoftmax(predictions, -1), (int) rows, 1);
        Variable emissions = Ops.reshape(Ops.gather(logP, device.tensor(index, batch, steps, states)),
                batch, steps, states);
        Tensor mayJump = device.tensor(skip, batch, states);
        Variable never = Variable.constant(device.full(Shape.of(), NEVER));

        Variable alpha = Ops.add(step(emissions, 0, batch, states), Variable.constant(device.tensor(initial, batch, states)));
        for (int t = 1; t < steps; t++) {
            Variable stay = alpha;
            Variable advance = shifted(alpha, 1, device, batch, states);
            Variable jump = Ops.where(mayJump, shifted(alpha, 2, device, batch, states), never);
            alpha = Ops.add(logSumExp(stay, advance, jump), step(emissions, t, batch, states));
        }
        Variable ended = Ops.add(alpha, Variable.constant(device.tensor(fin, batch, states)));
        Variable top = Ops.max(ended, 1, true).detach();
        Variable logLikelihood = Ops.add(Ops.reshape(top, batch),
                Ops.unary(UnaryOp.LOG, Ops.sum(Ops.unary(UnaryOp.EXP, Ops.sub(ended, top)), 1, false)));
        return Ops.scale(logLikelihood, -1f);
    }

    /** The emissions of time step t, (batch, states). */
    private static Variable step(Variable emissions, int t, int batch, int states) {
        return Ops.reshape(Ops.slice(emissions, 1, t, 1), batch, states);
    }

    /** alpha moved {@code by} states up, the first states unreachable. */
    private static Variable shifted(Variable alpha, int by, Device device, int batch, int states) {
        Variable front = Variable.constant(device.full(Shape.of(batch, Math.min(by, states)), NEVER));
        if (by >= states) {
            return front;
        }
        return Ops.concat(1, front, Ops.slice(alpha, 1, 0, states - by));
    }

    /** log(e^a + e^b + e^c) elementwise, shifted by the (constant) maximum so that nothing overflows. */
    private static Variable logSumExp(Variable a, Variable b, Variable c) {
        Variable m = Ops.maximum(Ops.maximum(a, b), c).detach();
        Variable sum = Ops.add(Ops.add(Ops.unary(UnaryOp.EXP, Ops.sub(a, m)), Ops.unary(UnaryOp.EXP, Ops.sub(b, m))),
                Ops.unary(UnaryOp.EXP, Ops.sub(c, m)));
        return Ops.add(m, Ops.unary(UnaryOp.LOG, sum));
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
