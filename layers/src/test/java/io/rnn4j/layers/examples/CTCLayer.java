package io.rnn4j.layers.examples;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.keras.KerasSerializable;
import io.rnn4j.layers.losses.Loss;
import io.rnn4j.layers.losses.Losses;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The Java side of keras-io's captcha_ocr.py "endpoint layer" {@code CTCLayer}, called on
 * {@code (labels, softmax)}: it adds the CTC loss of the batch with {@link CallContext#addLoss} (Keras's
 * {@code self.add_loss}) and returns the softmax unchanged.
 *
 * <p>The example's {@code ctc_batch_cost} is not {@code keras.losses.CTC}: it takes every label as
 * {@code labels.shape[1]} long and every sample as all its time steps long, feeds
 * {@code log(softmax + 1e-7)} (Keras's epsilon) to {@code tf.compat.v1.nn.ctc_loss}, which applies its
 * own softmax to that and takes the <em>last</em> class as the blank; Keras's trainer then sums the
 * per-sample losses ({@code Trainer._aggregate_additional_loss} is {@code ops.sum}), so the batch's
 * loss is a sum, not a mean. {@link Losses#ctc()} has the blank at 0 and counts non-zero labels, so
 * the classes are rotated (the last first) and the labels shifted by one: every label is then
 * non-zero, its whole row counts, and the forward algorithm is the same.
 */
public final class CTCLayer extends Layer implements KerasSerializable {
    /** Keras's backend.epsilon(), added to the softmax before its log as the example does. */
    private static final float EPSILON = 1e-7f;
    private static final Loss CTC = Losses.ctc();

    /** A CTCLayer; Keras's example names it "ctc_loss". */
    public CTCLayer() {
        super("ctc_layer");
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        throw new IllegalArgumentException(name() + ": takes two inputs (labels, softmax predictions), got one " + in);
    }

    @Override
    protected Shape build(List<Shape> shapes, RandomGenerator random) {
        return outputShapes(shapes).get(0);
    }

    /** The shapes without the batch axis: labels (label_length), predictions (time, classes). */
    @Override
    protected List<Shape> outputShapes(List<Shape> shapes) {
        requireInputCount(shapes.size(), 2, 2);
        checkRanks(shapes.get(0), shapes.get(1), 1);
        return List.of(shapes.get(1));
    }

    private void checkRanks(Shape labels, Shape predictions, int labelRank) {
        if (labels.rank() != labelRank || predictions.rank() != labelRank + 1) {
            throw new IllegalArgumentException(name() + ": expected labels (batch, label_length) and softmax "
                    + "predictions (batch, time, classes), got " + (labelRank == 1 ? "samples " : "") + labels
                    + " and " + predictions);
        }
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        throw new IllegalArgumentException(name() + ": takes two inputs (labels, softmax predictions)");
    }

    @Override
    protected List<Variable> forwardAll(List<Variable> in, List<Tensor> masks, CallContext ctx) {
        requireInputCount(in.size(), 2, 2);
        Variable labels = in.get(0);
        Variable softmax = in.get(1);
        checkRanks(labels.shape(), softmax.shape(), 2);
        int classes = softmax.dim(2);
        if (labels.dim(0) != softmax.dim(0)) {
            throw new IllegalArgumentException(name() + ": labels " + labels.shape() + " and predictions "
                    + softmax.shape() + " have different batch sizes");
        }
        for (float id : labels.value().toArray()) {
            // the v1 CTC loss refuses the blank (the last class) as a label
            if (id != Math.rint(id) || id < 0 || id >= classes - 1) {
                throw new IllegalArgumentException(name() + ": labels must be class ids in [0, " + (classes - 1)
                        + ") (class " + (classes - 1) + " is the blank), got " + id);
            }
        }
        Variable logits = Ops.unary(UnaryOp.LOG, Ops.affine(softmax, 1f, EPSILON));
        Variable blankFirst = Ops.concat(2, Ops.slice(logits, 2, classes - 1, 1), Ops.slice(logits, 2, 0, classes - 1));
        Variable shifted = Variable.constant(Ops.affine(labels, 1f, 1f).value());
        Variable perSample = CTC.perSample(shifted, blankFirst);
        ctx.addLoss(Ops.sum(perSample, 0, false));
        return List.of(softmax);
    }

    /** Keras calls it as {@code CTCLayer(name="ctc_loss")(labels, x)}: two positional arguments. */
    @Override
    public boolean positionalInputs() {
        return true;
    }

    /** No options of its own: Keras's config holds only the base layer's keys. */
    @Override
    public Map<String, Object> kerasConfig() {
        return Map.of();
    }
}
