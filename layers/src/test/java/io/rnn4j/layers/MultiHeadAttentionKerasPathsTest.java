package io.rnn4j.layers;

import static io.rnn4j.layers.MergeLayersTest.built;
import static io.rnn4j.layers.MergeLayersTest.constants;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MultiHeadAttention against Keras 3 (TensorFlow backend) at the edges its own tests leave out:
 * huge scores with masks on each of Keras's two paths, where the query is scaled, broadcast
 * attention masks and zero-size batches. Every layer here has one head of key_dim 1 (or 4) and hand-set weights so
 * that the expected numbers can be written down by hand. No randomness.
 */
class MultiHeadAttentionKerasPathsTest {

    /** Every kernel set to {@code k}, no biases: projections are plain copies (times k) of one feature. */
    private static MultiHeadAttention withKernels(MultiHeadAttention m, Tensor q, Tensor v, float k) {
        built(m.useBias(false), q, v);
        m.setWeights(m.weights().stream().map(w -> {
            float[] ones = new float[Math.toIntExact(w.shape().size())];
            Arrays.fill(ones, k);
            return Tensor.of(ones, w.shape().dims());
        }).toList());
        return m;
    }

    private static float[] run(MultiHeadAttention m, Tensor q, Tensor v, Tensor qMask, Tensor vMask) {
        return m.callAll(constants(q, v), Arrays.asList(qMask, vMask), CallContext.inference()).get(0).value()
                .toArray();
    }

    /**
     * Keras 3, no dropout and no scores returned (the default), calls ops.dot_product_attention
     * (multi_head_attention.py, _compute_attention, use_dot_product_attention); on TensorFlow its
     * _apply_masks (keras/src/backend/tensorflow/nn.py, _get_large_negative) puts
     * -0.7 * 3.38953e38 in place of a masked logit, not Softmax's -1e9. With every allowed score
     * below -1e9 (query 2e5 times keys -2e4 and -3e4: -4e9 and -6e9), a masked position must still
     * get probability 0: Keras gives value step 0 (-2e4); -1e9 instead makes the masked step win.
     */
    @Test
    void fusedPathMaskedScoreIsTfsLargeNegativeNotMinusOneE9() {
        Tensor q = Tensor.of(new float[] {2e5f}, 1, 1, 1);
        Tensor v = Tensor.of(new float[] {-2e4f, -3e4f}, 1, 2, 1);
        MultiHeadAttention m = withKernels(new MultiHeadAttention(1, 1), q, v, 1f);
        float[] y = run(m, q, v, null, Tensor.of(new float[] {1, 0}, 1, 2));
        assertThat(y[0]).as("Keras 3 (TF) fused path, value step 1 masked, scores -4e9 (kept) and -6e9 (masked): "
                + "nn.py _apply_masks gives the masked logit -2.37e38, so the output is value step 0").isEqualTo(-2e4f);
    }

    /** The same on the causal-only path (dot_product_attention(is_causal=True), the same _apply_masks). */
    @Test
    void fusedCausalPathMaskedScoreIsTfsLargeNegative() {
        // Query steps 2e5 and 1: step 0 sees key 0 only, whatever the score of the future key 1.
        Tensor x = Tensor.of(new float[] {-2e4f, -3e4f}, 1, 2, 1);
        Tensor q = Tensor.of(new float[] {2e5f, 2e5f}, 1, 2, 1);
        MultiHeadAttention m = withKernels(new MultiHeadAttention(1, 1).useCausalMask(true), q, x, 1f);
        float[] y = run(m, q, x, null, null);
        assertThat(y[0]).as("Keras 3 (TF) causal fused path: query step 0 attends to value step 0 only, even when "
                + "its score (-4e9) is below -1e9").isEqualTo(-2e4f);
    }

    /**
     * Passes (confirms): with return_attention_scores Keras takes its explicit path, whose Softmax
     * layer (keras/src/layers/activations/softmax.py) replaces masked scores by -1e9 and then zeroes
     * the masked probabilities: with the kept scores below -1e9 every probability of the row is 0
     * (the masked one took the mass and was zeroed) and the output is 0.
     */
    @Test
    void explicitPathWithHugeScoresZeroesTheRowAsKerassSoftmaxLayer() {
        Tensor q = Tensor.of(new float[] {2e5f}, 1, 1, 1);
        Tensor v = Tensor.of(new float[] {-2e4f, -3e4f}, 1, 2, 1);
        MultiHeadAttention m = withKernels(new MultiHeadAttention(1, 1).returnAttentionScores(true), q, v, 1f);
        List<io.rnn4j.layers.autograd.Variable> out = m.callAll(constants(q, v),
                Arrays.asList(null, Tensor.of(new float[] {1, 0}, 1, 2)), CallContext.inference());
        assertThat(out.get(1).value().toArray()).as("scores: softmax([-4e9, -1e9]) = [0, 1], masked one zeroed")
                .containsExactly(0f, 0f);
        assertThat(out.get(0).value().toArray()).containsExactly(0f);
    }

    /**
     * Keras's fused path multiplies the logits by the scale after the dot product
     * (keras/src/backend/tensorflow/nn.py, _dot_product_attention_xla: logits = einsum(q, k);
     * logits *= scale), its explicit path the query before it. With key_dim 4 (scale 0.5), query
     * and key projections [1e19]*4: q.k = 4e38 overflows float32 to +inf in Keras, and softmax of
     * [+inf] is NaN; scaling the query first gives 2e38 and a finite output. (Away from overflow
     * the two orders differ in the last bits only.)
     */
    @Test
    void fusedPathScalesTheLogitsNotTheQuery() {
        Tensor q = Tensor.of(new float[] {1e19f}, 1, 1, 1);
        MultiHeadAttention m = withKernels(new MultiHeadAttention(1, 4), q, q, 1f);
        float[] y = run(m, q, q, null, null);
        assertThat(y[0]).as("Keras 3 (TF) fused path: (q.k)*scale = inf*0.5 -> softmax NaN -> NaN output").isNaN();
    }

    /** Passes (confirms): the explicit path scales the query first (ops.multiply(query, scale)), finite. */
    @Test
    void explicitPathScalesTheQueryFirst() {
        Tensor q = Tensor.of(new float[] {1e19f}, 1, 1, 1);
        MultiHeadAttention m = withKernels(new MultiHeadAttention(1, 4).returnAttentionScores(true), q, q, 1f);
        float[] y = m.callAll(constants(q, q), null, CallContext.inference()).get(0).value().toArray();
        // value projection [1e19]*4, output kernel ones (1, 4, 1): 4e19.
        assertThat(y[0]).as("(q*0.5).k = 2e38 finite; the single probability is 1; output 4 * 1e19").isEqualTo(4e19f);
    }

    /** Keras handles an empty batch (einsum, softmax over (0, N, T, S)): the output is (0, T, E). */
    @Test
    void zeroSizeBatchGivesAnEmptyOutput() {
        Tensor q = Tensor.zeros(0, 3, 2);
        Tensor v = Tensor.zeros(0, 4, 2);
        MultiHeadAttention m = (MultiHeadAttention) built(new MultiHeadAttention(2, 3), Tensor.zeros(1, 3, 2),
                Tensor.zeros(1, 4, 2));
        assertThat(m.callAll(constants(q, v), null, CallContext.inference()).get(0).shape().dims())
                .containsExactly(0, 3, 2);
        MultiHeadAttention masked = (MultiHeadAttention) built(new MultiHeadAttention(2, 3).useCausalMask(true)
                .returnAttentionScores(true), Tensor.zeros(1, 3, 2), Tensor.zeros(1, 4, 2));
        List<io.rnn4j.layers.autograd.Variable> out = masked.callAll(constants(q, v), Arrays.asList(Tensor.zeros(0, 3),
                Tensor.zeros(0, 4)), CallContext.inference());
        assertThat(out.get(0).shape().dims()).containsExactly(0, 3, 2);
        assertThat(out.get(1).shape().dims()).containsExactly(0, 2, 3, 4);
    }

    /**
     * Keras's attention_mask broadcasts ("Broadcasting can happen for the missing batch dimensions
     * and the head dimension", multi_head_attention.py call docstring; _compute_attention_mask ANDs
     * it with the (B, T, 1)/(B, 1, S) masks and Softmax accepts any mask axis of size 1): the common
     * padding mask (B, 1, S) applies to every query step. It must give what the same mask repeated
     * to (B, T, S) gives.
     */
    @Test
    void attentionMaskOfOneQueryStepBroadcastsOverTheQuerySteps() {
        Tensor q = GradCheck.uniform(new java.util.Random(73), -1, 1, 2, 3, 4);
        Tensor v = GradCheck.uniform(new java.util.Random(74), -1, 1, 2, 5, 4);
        float[] pad = {1, 1, 1, 0, 0, 1, 1, 1, 1, 0};
        float[] full = new float[2 * 3 * 5];
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 3; i++) {
                System.arraycopy(pad, b * 5, full, (b * 3 + i) * 5, 5);
            }
        }
        MultiHeadAttention repeated = (MultiHeadAttention) built(new MultiHeadAttention(2, 2).useAttentionMask(true),
                q, v, Tensor.of(full, 2, 3, 5));
        float[] want = repeated.callAll(constants(q, v, Tensor.of(full, 2, 3, 5)), null, CallContext.inference())
                .get(0).value().toArray();
        MultiHeadAttention broadcast = new MultiHeadAttention(2, 2).useAttentionMask(true).named("pad");
        built(broadcast, q, v, Tensor.of(pad, 2, 1, 5));
        broadcast.setWeights(repeated.getWeights());
        assertThat(broadcast.callAll(constants(q, v, Tensor.of(pad, 2, 1, 5)), null, CallContext.inference()).get(0)
                .value().toArray()).as("attention_mask (B, 1, S) broadcast over T, as Keras").isEqualTo(want);
    }
}
