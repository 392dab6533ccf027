package io.rnn4j.layers.losses;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Function;

/**
 * The CTC loss of (batch, time, classes) logits as one autograd node, the way TensorFlow's
 * {@code ctc_loss_dense} computes it (tensorflow/python/ops/ctc_ops.py {@code ctc_loss_and_grad},
 * {@code _forward_backward_log}): the loss is minus the backward pass's log-likelihood from the start
 * state; the gradient is {@code softmax(logits) - posterior}, the posterior of each class at each
 * step from the forward and backward passes, not the derivative of the loss through its ops. The two
 * agree when the label fits the input; where it does not, or where a label holds 0 before its end,
 * TensorFlow's gradient is the posterior's and so is this one:
 * <ul>
 *   <li>the forward pass starts every state other than the start at {@code log(1e-307)}
 *       ({@code ctc_state_log_probs}), the backward pass ends every non-final state there;</li>
 *   <li>a label state whose class is 0 (the blank) sends its posterior to no class
 *       ({@code _state_to_olabel}'s {@code one_hot(labels - 1)}).</li>
 * </ul>
 *
 * <p>States per sample, as {@link CtcLoss}: blank, label 1, blank, ..., label L, blank. Buffers are
 * time-major, {@code (T·B·S)} rows of one column, so that a step is a contiguous view, and carry one
 * more row holding {@link #NEVER}, where the gather of an absent predecessor or successor points.
 * A step is a gather of each state's three predecessors (or successors), their log-sum-exp and
 * the emissions; each step is shifted by its largest state, as TensorFlow normalizes it, so that
 * values stay near 0 and keep float32's precision.
 */
final class CtcForwardBackward extends Function {
    /** An absent predecessor's log-probability: finite, so that differences never make NaN. */
    static final float NEVER = -1e30f;

    private final int batch;
    private final int steps;
    private final int classes;
    private final int states;
    private final int[][] label;
    private final int[] length;

    /**
     * @param label  each sample's class ids, (batch, max_label_length), 0 the blank and padding
     * @param length each sample's label length (its non-zero entries, as Keras counts them)
     */
    CtcForwardBackward(int[][] label, int[] length, int steps, int classes) {
        this.batch = label.length;
        this.steps = steps;
        this.classes = classes;
        this.states = 2 * (batch == 0 ? 0 : label[0].length) + 1;
        this.label = label;
        this.length = length;
    }

    /** The class state s emits: blanks at even states, label (s-1)/2 at odd ones. */
    private int classOf(int b, int s) {
        return s % 2 == 0 ? 0 : label[b][s / 2];
    }

    /** Whether state s may be entered from s-2: a label differing from the label before it. */
    private boolean mayJump(int b, int s) {
        return s % 2 == 1 && s >= 3 && label[b][s / 2] != label[b][s / 2 - 1];
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Device device = in[0].device();
        int rows = batch * states; // one step
        int all = steps * rows;
        Tensor logP = device.zeros(in[0].shape());
        device.softmax(in[0], -1, true, logP);

        float[] emitIndex = new float[all];
        float[] classIndex = new float[all];
        float[] before = new float[3 * all];
        float[] after = new float[3 * all];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                for (int s = 0; s < states; s++) {
                    int r = t * rows + b * states + s;
                    int cls = classOf(b, s);
                    emitIndex[r] = (float) (((long) b * steps + t) * classes + cls);
                    // TensorFlow's posterior of a label state of class 0 goes to no class: a spare row
                    classIndex[r] = s % 2 == 1 && cls == 0 ? (float) batch * steps * classes : emitIndex[r];
                    int at = t * 3 * rows + b * states + s;
                    int previous = (t - 1) * rows + b * states;
                    before[at] = t == 0 ? all : previous + s;
                    before[at + rows] = t == 0 || s < 1 ? all : previous + s - 1;
                    before[at + 2 * rows] = t == 0 || !mayJump(b, s) ? all : previous + s - 2;
                    int next = (t + 1) * rows + b * states;
                    after[at] = t == steps - 1 ? all : next + s;
                    after[at + rows] = t == steps - 1 || s + 1 >= states ? all : next + s + 1;
                    after[at + 2 * rows] = t == steps - 1 || s + 2 >= states || !mayJump(b, s + 2) ? all : next + s + 2;
                }
            }
        }
        Tensor emissions = device.zeros(all, 1);
        device.gather(logP.reshape(batch * steps * classes, 1), device.tensor(emitIndex, all), emissions);

        Backward back = backwardPass(device, emissions, device.tensor(after, steps, 3, rows));

        // The likelihood: from the start, into the first blank or the first label at step 0.
        float[] start = new float[2 * batch];
        for (int b = 0; b < batch; b++) {
            start[b] = b * states;
            start[batch + b] = states > 1 ? b * states + 1 : all;
        }
        Tensor first = logSumExp(device, back.weighted(), device.tensor(start, 2, batch), batch);
        Tensor shifted = device.zeros(1, batch, 1);
        device.reduce(ReduceOp.SUM, back.shifts().reshape(steps, batch, 1), 0, shifted);
        device.binary(BinaryOp.ADD, first, shifted, first);
        Tensor loss = device.zeros(batch);
        device.affine(first.reshape(batch), -1f, 0f, loss);

        if (needsGrad(0)) {
            Tensor alpha = forwardPass(device, emissions, device.tensor(before, steps, 3, rows));
            save(gradient(device, logP, alpha, back.beta(), device.tensor(classIndex, all)));
        }
        return loss;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = g.device().zeros(saved(0).shape());
        g.device().binary(BinaryOp.MUL, saved(0), g.reshape(batch, 1, 1), dx);
        return new Tensor[] {dx};
    }

    /**
     * α over (T·B·S) rows plus the NEVER row: step 0 from TensorFlow's soft start (the start state
     * at log 1, every other at log_0, one transition), then each step from its predecessors.
     */
    private Tensor forwardPass(Device device, Tensor emissions, Tensor before) {
        int rows = batch * states;
        int all = steps * rows;
        Tensor alpha = device.full(Shape.of(all + 1, 1), NEVER);
        float[] initial = new float[rows];
        for (int b = 0; b < batch; b++) {
            for (int s = 0; s < states; s++) {
                // the start reaches the first blank and label at log 1 (log_0 beside it is lost in float32);
                // every other state gathers log_0 from itself, its predecessor and the one it may jump from
                int from = 1 + (s >= 1 ? 1 : 0) + (mayJump(b, s) ? 1 : 0);
                initial[b * states + s] = s <= 1 ? 0f : CtcLoss.LOG_0 + (float) Math.log(from);
            }
        }
        Tensor step0 = alpha.narrow(0, rows);
        device.binary(BinaryOp.ADD, device.tensor(initial, rows, 1), emissions.narrow(0, rows), step0);
        normalize(device, step0, null);
        for (int t = 1; t < steps; t++) {
            Tensor step = alpha.narrow(t * rows, rows);
            Tensor sum = logSumExp(device, alpha, before.slice(t), rows);
            device.binary(BinaryOp.ADD, sum.reshape(rows, 1), emissions.narrow(t * rows, rows), step);
            normalize(device, step, null);
        }
        return alpha;
    }

    /**
     * The backward pass's results: β (T·B·S rows), β + emissions with the NEVER row after them
     * (T·B·S + 1 rows, the successors' table) and each step's shift (T·B rows).
     */
    private record Backward(Tensor beta, Tensor weighted, Tensor shifts) {
    }

    /**
     * β of the last step is TensorFlow's final-state weights (0 at the last label and the blank
     * after it, log_0 elsewhere); each earlier step gathers its successors.
     */
    private Backward backwardPass(Device device, Tensor emissions, Tensor after) {
        int rows = batch * states;
        int all = steps * rows;
        Tensor beta = device.zeros(all, 1);
        Tensor weighted = device.zeros(all + 1, 1);
        Tensor shifts = device.zeros(steps * batch, 1);
        device.fill(weighted.narrow(all, 1), NEVER);
        float[] fin = new float[rows];
        for (int b = 0; b < batch; b++) {
            for (int s = 0; s < states; s++) {
                fin[b * states + s] = s == 2 * length[b] || s == 2 * length[b] - 1 ? 0f : CtcLoss.LOG_0;
            }
        }
        int last = (steps - 1) * rows;
        device.write(fin, beta.narrow(last, rows));
        device.binary(BinaryOp.ADD, beta.narrow(last, rows), emissions.narrow(last, rows), weighted.narrow(last, rows));
        for (int t = steps - 2; t >= 0; t--) {
            Tensor step = beta.narrow(t * rows, rows);
            Tensor sum = logSumExp(device, weighted, after.slice(t), rows);
            device.copy(sum.reshape(rows, 1), step);
            normalize(device, step, shifts.narrow(t * batch, batch));
            device.binary(BinaryOp.ADD, step, emissions.narrow(t * rows, rows), weighted.narrow(t * rows, rows));
        }
        return new Backward(beta, weighted, shifts);
    }

    /** log Σ exp over the gathered rows {@code index} (k, n) of {@code table}, as (1, n, 1). */
    private static Tensor logSumExp(Device device, Tensor table, Tensor index, int n) {
        int k = index.shape().dim(0);
        Tensor terms = device.zeros(k, n, 1);
        device.gather(table, index, terms);
        Tensor top = device.zeros(1, n, 1);
        device.reduce(ReduceOp.MAX, terms, 0, top);
        device.binary(BinaryOp.SUB, terms, top, terms);
        device.unary(UnaryOp.EXP, terms, terms);
        Tensor sum = device.zeros(1, n, 1);
        device.reduce(ReduceOp.SUM, terms, 0, sum);
        device.unary(UnaryOp.LOG, sum, sum);
        device.binary(BinaryOp.ADD, sum, top, sum);
        return sum;
    }

    /** Shifts each sample's states of one step by their largest, keeping the shift in {@code kept} if given. */
    private void normalize(Device device, Tensor step, Tensor kept) {
        Tensor byState = step.reshape(batch, states);
        Tensor top = kept != null ? kept.reshape(batch, 1) : device.zeros(batch, 1);
        device.reduce(ReduceOp.MAX, byState, 1, top);
        device.binary(BinaryOp.SUB, byState, top, byState);
    }

    /**
     * {@code softmax - posterior}, (batch, time, classes): the posterior of each state is α·β
     * normalized over the states of its sample and step, summed into its class by scatter-add.
     */
    private Tensor gradient(Device device, Tensor logP, Tensor alpha, Tensor beta, Tensor classIndex) {
        int all = steps * batch * states;
        Tensor post = device.zeros(steps, batch, states);
        device.binary(BinaryOp.ADD, alpha.narrow(0, all).reshape(steps, batch, states),
                beta.reshape(steps, batch, states), post);
        Tensor top = device.zeros(steps, batch, 1);
        device.reduce(ReduceOp.MAX, post, 2, top);
        device.binary(BinaryOp.SUB, post, top, post);
        device.unary(UnaryOp.EXP, post, post);
        device.reduce(ReduceOp.SUM, post, 2, top);
        device.binary(BinaryOp.DIV, post, top, post);
        int cells = batch * steps * classes;
        Tensor byClass = device.zeros(cells + 1, 1);
        device.scatterAdd(post.reshape(all, 1), classIndex, byClass);
        Tensor grad = device.zeros(logP.shape());
        device.unary(UnaryOp.EXP, logP, grad);
        device.binary(BinaryOp.SUB, grad, byClass.narrow(0, cells).reshape(logP.shape().dims()), grad);
        return grad;
    }
}
