package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/**
 * The masking shared by {@link MultiHeadAttention} and {@link GroupQueryAttention}: Keras's
 * {@code _compute_attention_mask} as a 0/1 tensor (B, 1, T, S) — the AND of the query mask
 * (B, T, 1), the value and key masks (B, 1, S), the causal mask (j &lt;= i), a sliding window
 * (|i - j| &lt; w, GroupQueryAttention only) and an explicit attention_mask (B, T, S), a 1 on any of
 * its axes broadcasting; Keras casts every mask to bool: non-zero (NaN included) keeps — and the
 * masked softmax of Keras's two attention paths.
 */
final class AttentionMasks {
    /** What Keras's Softmax layer puts in a masked score (its explicit path). */
    private static final float MASKED = -1.0e9f;
    /** What TensorFlow's dot_product_attention puts in a masked score (nn.py _apply_masks, the fused path). */
    private static final float FUSED_MASKED = (float) (3.38953e38 * -0.7);

    private AttentionMasks() {
    }

    /**
     * The softmax over the last axis with masked scores replaced (a {@code where}, not an add): on
     * Keras's explicit path (dropout &gt; 0 or return_attention_scores) by -1e9 and the masked
     * probabilities then zeroed (so a fully masked row is all zeros), on its fused path by
     * TensorFlow's -0.7·3.38953e38 with nothing zeroed (a fully masked row is uniform).
     */
    static Variable softmax(Variable scores, Tensor keep, boolean fused) {
        if (keep == null) {
            return Ops.softmax(scores, -1);
        }
        Variable masked = Ops.where(keep, scores, Variable.constant(keep.device().tensor(
                new float[] {fused ? FUSED_MASKED : MASKED})));
        Variable probs = Ops.softmax(masked, -1);
        return fused ? probs : Ops.where(keep, probs, Variable.constant(keep.device().tensor(new float[] {0f})));
    }

    /** The masks that come from options rather than inputs: causal, and a sliding window (0 for none). */
    record Spec(boolean causal, int slidingWindow) {
    }

    /** The keep tensor (B, 1, T, S), or null when there is no mask at all. */
    static Tensor keep(String where, Variable query, Variable value, Tensor qMask, Tensor vMask, Tensor kMask,
            Tensor attention, Spec spec) {
        int b = query.dim(0);
        int t = query.dim(1);
        int s = value.dim(1);
        check(where, qMask, b, t, "query");
        check(where, vMask, b, s, "value");
        check(where, kMask, b, s, "key");
        if (attention != null && (attention.rank() != 3 || !broadcasts(attention.dim(0), b)
                || !broadcasts(attention.dim(1), t) || !broadcasts(attention.dim(2), s))) {
            throw new IllegalArgumentException(where + ": the attention_mask must be (batch, T, S) = "
                    + Shape.of(b, t, s) + " or broadcast to it, got " + attention.shape());
        }
        if (qMask == null && vMask == null && kMask == null && attention == null && !spec.causal()
                && spec.slidingWindow() == 0) {
            return null;
        }
        float[] qm = qMask == null ? null : qMask.toArray();
        float[] vm = vMask == null ? null : vMask.toArray();
        float[] km = kMask == null ? null : kMask.toArray();
        float[] am = attention == null ? null : attention.toArray();
        int[] ad = attention == null ? new int[] {1, 1, 1} : attention.shape().dims();
        int strideB = ad[0] == 1 ? 0 : ad[1] * ad[2];
        int strideT = ad[1] == 1 ? 0 : ad[2];
        int strideS = ad[2] == 1 ? 0 : 1;
        int w = spec.slidingWindow();
        float[] keep = new float[b * t * s];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < s; j++) {
                    boolean on = (qm == null || qm[n * t + i] != 0f) && (vm == null || vm[n * s + j] != 0f)
                            && (km == null || km[n * s + j] != 0f) && (!spec.causal() || j <= i)
                            && (w == 0 || Math.abs(i - j) < w)
                            && (am == null || am[n * strideB + i * strideT + j * strideS] != 0f);
                    keep[(n * t + i) * s + j] = on ? 1f : 0f;
                }
            }
        }
        return query.device().tensor(keep, b, 1, t, s);
    }

    private static boolean broadcasts(int size, int dim) {
        return size == 1 || size == dim;
    }

    private static void check(String where, Tensor mask, int b, int steps, String what) {
        if (mask != null && !mask.shape().equals(Shape.of(b, steps))) {
            throw new IllegalArgumentException(where + ": the " + what + " mask must be (batch, T) = "
                    + Shape.of(b, steps) + ", got " + mask.shape());
        }
    }
}
