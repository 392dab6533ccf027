package io.rnn4j.layers.losses;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Autograd;
import io.rnn4j.layers.autograd.Function;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CTC loss as tf.keras's {@code keras.backend.ctc_batch_cost(y_true, y_pred, input_length,
 * label_length)} computes it (Keras 3.15.1's {@code keras/src/legacy/backend.py}, what
 * {@code from tensorflow import keras} gives on TensorFlow 2.21): the first {@code label_length} entries
 * of each label row (the rest ignored), the first {@code input_length} steps of each sample (the rest
 * get no gradient), {@code log(y_pred + 1e-7)} into {@code tf.compat.v1.nn.ctc_loss}, which applies its
 * own softmax to that and takes the <em>last</em> class as the blank.
 *
 * <p>As a {@link Loss} it is keras-io's ctc_asr.py {@code CTCLoss}: every label {@code y_true.shape[1]}
 * long and every sample all its steps long. It is not {@link CtcLoss} ({@code keras.losses.CTC}), which
 * takes logits, has the blank at 0 and counts a label's non-zero entries: here 0 is an ordinary class.
 * The computation is CtcLoss's forward-backward on the rotated classes (the last first) with the labels
 * shifted by one, run once per distinct input length over those samples' first steps.
 *
 * <p>As TensorFlow's v1 loss: a label longer than its input is an error ("Not enough time for target
 * transition sequence"), so is an empty one; a label that fits only without the blank between its
 * repeated classes has no valid path: its loss is +∞ and its gradient the softmax of the log
 * probabilities (TensorFlow's "No valid path found"), so that a padded batch trains on with an infinite
 * logged loss, as in Keras.
 */
final class CtcBatchCost implements Loss {
    /** Keras's backend.epsilon(), added to the probabilities before their log. */
    static final float EPSILON = 1e-7f;
    private static final String NAME = "ctc_batch_cost";

    @Override
    public String name() {
        return NAME;
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
        int batch = predictions.dim(0);
        if (labels.dim(0) != batch) {
            throw new IllegalArgumentException(name() + ": labels " + labels.shape() + " and predictions "
                    + predictions.shape() + " have different batch sizes");
        }
        int[] inputLength = new int[batch];
        int[] labelLength = new int[batch];
        Arrays.fill(inputLength, predictions.dim(1));
        Arrays.fill(labelLength, labels.dim(1));
        return Ops.reshape(batchCost(labels.value(), predictions, inputLength, labelLength), batch);
    }

    /** {@link Ctc#batchCost}: the loss of each sample, (batch, 1). */
    static Variable batchCost(Tensor labels, Variable predictions, int[] inputLength, int[] labelLength) {
        Shape p = predictions.shape();
        if (p.rank() != 3 || labels.shape().rank() != 2 || labels.shape().dim(0) != p.dim(0)) {
            throw new IllegalArgumentException(NAME + ": expected y_true (batch, max_label_length) and y_pred "
                    + "(batch, time, classes) probabilities of one batch size, got " + labels.shape() + " and " + p);
        }
        int batch = p.dim(0);
        int steps = p.dim(1);
        int classes = p.dim(2);
        if (inputLength.length != batch || labelLength.length != batch) {
            throw new IllegalArgumentException(NAME + ": expected one input_length and one label_length per sample ("
                    + batch + "), got " + inputLength.length + " and " + labelLength.length);
        }
        int[][] ids = labelIds(labels, classes, inputLength, labelLength, steps);
        Variable logits = Ops.unary(UnaryOp.LOG, Ops.affine(predictions, 1f, EPSILON));
        Variable blankFirst = Ops.concat(2, Ops.slice(logits, 2, classes - 1, 1), Ops.slice(logits, 2, 0, classes - 1));
        // samples by (input length, whether a path exists): one forward-backward per group
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int b = 0; b < batch; b++) {
            int key = fits(ids[b], labelLength[b], inputLength[b]) ? inputLength[b] : -1 - inputLength[b];
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(b);
        }
        if (groups.size() == 1) {
            int key = groups.keySet().iterator().next();
            return Ops.reshape(group(blankFirst, key, ids, labelLength), batch, 1);
        }
        Device device = predictions.value().device();
        Variable table = Ops.reshape(blankFirst, batch, steps * classes);
        List<Variable> parts = new ArrayList<>();
        float[] back = new float[batch];
        int at = 0;
        for (Map.Entry<Integer, List<Integer>> e : groups.entrySet()) {
            List<Integer> members = e.getValue();
            float[] rows = new float[members.size()];
            int[][] groupIds = new int[members.size()][];
            int[] groupLength = new int[members.size()];
            for (int i = 0; i < rows.length; i++) {
                int b = members.get(i);
                rows[i] = b;
                groupIds[i] = ids[b];
                groupLength[i] = labelLength[b];
                back[b] = at++;
            }
            Variable x = Ops.reshape(Ops.gather(table, device.tensor(rows, rows.length)), rows.length, steps, classes);
            parts.add(group(x, e.getKey(), groupIds, groupLength));
        }
        Variable all = Ops.reshape(Ops.concat(0, parts.toArray(Variable[]::new)), batch, 1);
        return Ops.gather(all, device.tensor(back, batch));
    }

    /** The losses (g,) of samples sharing an input length: {@code key} it, or −1 − it where no path exists. */
    private static Variable group(Variable blankFirst, int key, int[][] ids, int[] labelLength) {
        int steps = key >= 0 ? key : -1 - key;
        Variable x = steps == blankFirst.dim(1) ? blankFirst : Ops.slice(blankFirst, 1, 0, steps);
        if (key < 0) {
            return Autograd.apply(new NoValidPath(), x);
        }
        int[][] shifted = new int[ids.length][];
        for (int b = 0; b < ids.length; b++) {
            shifted[b] = new int[ids[b].length];
            for (int k = 0; k < ids[b].length; k++) {
                // past label_length TensorFlow reads nothing: any class does, the forward pass ends before it
                shifted[b][k] = k < labelLength[b] ? ids[b][k] + 1 : 1;
            }
        }
        long rows = (long) steps * ids.length * (2L * ids[0].length + 1) + 1;
        if (rows > Ops.MAX_GATHER_ROWS) {
            throw new IllegalArgumentException(NAME + ": " + ids.length + " labels of " + ids[0].length + " over "
                    + steps + " steps are too large (" + rows + " forward-backward rows; at most "
                    + Ops.MAX_GATHER_ROWS + ")");
        }
        return Autograd.apply(new CtcForwardBackward(shifted, labelLength, steps, blankFirst.dim(2)), x);
    }

    /** Whether the label has a path in {@code steps}: its length plus a blank between each repeated class. */
    private static boolean fits(int[] ids, int length, int steps) {
        int needed = length;
        for (int k = 1; k < length; k++) {
            needed += ids[k] == ids[k - 1] ? 1 : 0;
        }
        return needed <= steps;
    }

    /**
     * Each label's first label_length entries as class ids, refusing what TensorFlow's v1 CTC loss
     * refuses (a negative label, an empty label, one longer than its input, an input longer than the
     * predictions) and what it does not check but reads wrongly (the blank or a class past it, a
     * fraction, which its int32 cast truncates).
     */
    private static int[][] labelIds(Tensor labels, int classes, int[] inputLength, int[] labelLength, int steps) {
        float[] v = labels.toArray();
        int width = labels.shape().dim(1);
        int[][] ids = new int[inputLength.length][width];
        for (int b = 0; b < ids.length; b++) {
            if (inputLength[b] < 0 || inputLength[b] > steps) {
                throw new IllegalArgumentException(NAME + ": input_length must be in [0, " + steps + "] (the "
                        + "predictions' steps), got " + inputLength[b] + " for sample " + b);
            }
            if (labelLength[b] < 1 || labelLength[b] > width) {
                throw new IllegalArgumentException(NAME + ": label_length must be in [1, " + width + "] (TensorFlow "
                        + "refuses an empty label), got " + labelLength[b] + " for sample " + b);
            }
            if (labelLength[b] > inputLength[b]) {
                throw new IllegalArgumentException(NAME + ": sample " + b + "'s label_length " + labelLength[b]
                        + " exceeds its input_length " + inputLength[b] + " (TensorFlow: \"Not enough time for target "
                        + "transition sequence\")");
            }
            for (int k = 0; k < labelLength[b]; k++) {
                float id = v[b * width + k];
                if (id != Math.rint(id) || id < 0 || id >= classes - 1) {
                    throw new IllegalArgumentException(NAME + ": labels must be integer class ids in [0, "
                            + (classes - 1) + ") (class " + (classes - 1) + ", the last, is the blank), got " + id
                            + " at sample " + b + ", position " + k);
                }
                ids[b][k] = (int) id;
            }
        }
        return ids;
    }

    /**
     * A sample with no valid path, as TensorFlow's CTC loss op gives it: loss +∞, gradient the softmax
     * of its logits (the posterior is empty), times the loss's incoming gradient.
     */
    private static final class NoValidPath extends Function {
        @Override
        protected Tensor forward(Tensor... in) {
            Device device = in[0].device();
            Tensor loss = device.zeros(in[0].shape().dim(0));
            device.fill(loss, Float.POSITIVE_INFINITY);
            if (needsGrad(0)) {
                Tensor softmax = device.zeros(in[0].shape());
                device.softmax(in[0], -1, false, softmax);
                save(softmax);
            }
            return loss;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor softmax = saved(0);
            Tensor dx = g.device().zeros(softmax.shape());
            g.device().binary(BinaryOp.MUL, softmax, g.reshape(softmax.shape().dim(0), 1, 1), dx);
            return new Tensor[] {dx};
        }
    }
}
