package io.rnn4j.layers.optimizers;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.Weight;
import java.util.List;

/**
 * Keras 3's gradient clipping ({@code _clip_gradients}), at most one mode at a time, in float32:
 * <pre>
 * clipnorm c:        g · c / max(‖g‖, c)             per weight (‖g‖ = 0 when Σg² = 0)
 * global_clipnorm c: g · (c · min(1/N, 1/c) + (N − N))  N = sqrt(Σ over all weights of Σg²)
 * clipvalue v:       min(max(g, −v), v)
 * </pre>
 * The {@code N − N} term makes a non-finite global norm give NaN gradients, as in Keras. The
 * clipped gradient goes to a tensor of the optimizer's, never into the weight's gradient (which
 * backward may share between weights).
 */
final class Clipping {
    private Clipping() {
    }

    /** The gradients {@code gradients} of {@code active} to update with: clipped copies, or the gradients themselves. */
    static Tensor[] clip(Optimizer opt, List<Weight> active, Tensor[] gradients, Double clipnorm, Double clipvalue,
            Double globalClipnorm) {
        Tensor[] grads = gradients.clone();
        if (clipnorm != null) {
            float c = (float) (double) clipnorm;
            for (int i = 0; i < grads.length; i++) {
                Weight w = active.get(i);
                float l2sum = sumOfSquares(opt, w, grads[i]);
                float l2norm = l2sum > 0 ? (float) Math.sqrt(l2sum) : l2sum;
                Tensor out = opt.clippedOf(w);
                Tensor denom = opt.scalarOf(w);
                Device d = out.device();
                d.affine(grads[i], c, 0f, out);
                d.fill(denom, Math.max(l2norm, c));
                d.binary(BinaryOp.DIV, out, denom, out);
                grads[i] = out;
            }
        } else if (globalClipnorm != null) {
            float c = (float) (double) globalClipnorm;
            float total = 0f;
            for (int i = 0; i < grads.length; i++) {
                total += sumOfSquares(opt, active.get(i), grads[i]);
            }
            float norm = (float) Math.sqrt(total);
            float scale = c * Math.min(1f / norm, 1f / c) + (norm - norm);
            for (int i = 0; i < grads.length; i++) {
                Tensor out = opt.clippedOf(active.get(i));
                out.device().affine(grads[i], scale, 0f, out);
                grads[i] = out;
            }
        } else if (clipvalue != null) {
            float v = (float) (double) clipvalue;
            for (int i = 0; i < grads.length; i++) {
                Weight w = active.get(i);
                Tensor out = opt.clippedOf(w);
                Tensor bound = opt.scalarOf(w);
                Device d = out.device();
                d.fill(bound, -v);
                d.binary(BinaryOp.MAX, grads[i], bound, out);
                d.fill(bound, v);
                d.binary(BinaryOp.MIN, out, bound, out);
                grads[i] = out;
            }
        }
        return grads;
    }

    /** Σg² of one gradient, reduced on its device. */
    private static float sumOfSquares(Optimizer opt, Weight w, Tensor g) {
        Tensor sq = opt.workOf(w);
        Tensor sum = opt.scalarOf(w);
        Device d = g.device();
        d.unary(UnaryOp.SQUARE, g, sq);
        d.reduce(ReduceOp.SUM, sq.reshape(Math.toIntExact(sq.size())), 0, sum);
        return sum.item();
    }
}
