package io.rnn4j.layers.losses;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;

/**
 * Decoding of CTC outputs, as Keras's {@code keras.ops.ctc_decode} on its TensorFlow backend
 * (keras/src/backend/tensorflow/nn.py): "greedy" is {@code tf.nn.ctc_greedy_decoder}, "beam_search"
 * is {@code tf.nn.ctc_beam_search_decoder} with the mask (blank) class moved last and the labels
 * mapped back. The loss itself is {@link Losses#ctc()}; {@link #batchCost} is tf.keras's legacy
 * {@code backend.ctc_batch_cost}, with per-sample input and label lengths.
 */
public final class Ctc {
    private Ctc() {
    }

    /**
     * Decoded label sequences and their scores, as Keras returns them.
     *
     * @param labels           {@code [topPaths][batch][steps]}: each path's labels from the start, the
     *                         rest -1 (Keras's dense int32 tensor of shape (top_paths, batch, steps))
     * @param logProbabilities {@code [batch][topPaths]}: for greedy, minus the sum over the sequence's
     *                         steps of the largest raw input (TensorFlow's greedy score); for beam search,
     *                         the log-probability of the label sequence under the softmax of the inputs
     */
    public record Decoded(int[][][] labels, float[][] logProbabilities) {
    }

    /**
     * tf.keras's {@code keras.backend.ctc_batch_cost(y_true, y_pred, input_length, label_length)} (Keras
     * 3.15.1's legacy backend on TensorFlow, as keras-io's OCR and speech examples call it): the CTC loss
     * of softmax probabilities, the last class the blank, {@code log(y_pred + 1e-7)} into TensorFlow's v1
     * CTC loss. Differentiable with respect to {@code yPred} as TensorFlow's gradient.
     *
     * @param yTrue       (batch, max_label_length) class ids; entries past a sample's label length are
     *                    ignored (any value)
     * @param yPred       (batch, time, classes) probabilities (need not sum to 1)
     * @param inputLength each sample's steps, in [label length, time]: later steps are ignored
     * @param labelLength each sample's label length, at least 1
     * @return (batch, 1): each sample's loss, +∞ where its label fits only without the blank between
     *         repeated classes (TensorFlow's "No valid path found"; its gradient is then the softmax)
     * @throws IllegalArgumentException where TensorFlow raises (a label longer than its input, an empty
     *         or negative one) and for a label that is the blank or past it, or not an integer
     */
    public static Variable batchCost(Tensor yTrue, Variable yPred, int[] inputLength, int[] labelLength) {
        return CtcBatchCost.batchCost(yTrue, yPred, inputLength, labelLength);
    }

    /** Greedy decoding with Keras's defaults (merge_repeated true, mask_index 0). */
    public static Decoded decode(Tensor inputs, int[] sequenceLengths) {
        return decode(inputs, sequenceLengths, "greedy", 100, 1, true, 0);
    }

    /**
     * Keras's {@code ctc_decode(inputs, sequence_lengths, strategy, beam_width, top_paths,
     * merge_repeated, mask_index)}.
     *
     * @param inputs          (batch, steps, classes) logits (greedy takes any scores)
     * @param sequenceLengths one length in [0, steps] per sample: its steps after that are ignored
     * @param strategy        "greedy" (best class per step; blanks dropped, repeats merged when
     *                        {@code mergeRepeated}) or "beam_search" (TensorFlow's prefix beam search)
     * @param beamWidth       beam search's width (≥ 1); greedy ignores it
     * @param topPaths        how many sequences beam search returns (1 ≤ topPaths ≤ beamWidth);
     *                        greedy returns one whatever it is, as Keras
     * @param mergeRepeated   greedy: merge repeated classes not separated by a blank; beam search
     *                        ignores it, as Keras's TensorFlow backend does not pass it on
     * @param maskIndex       the blank class; negative counts from the end (for beam search too,
     *                        where Keras 3.15.1 mishandles it: its TensorFlow backend slices an
     *                        empty blank column and returns ids past the classes, its JAX backend
     *                        NaN scores; rnn4j gives what Keras gives for the same class counted
     *                        from the start)
     * @throws IllegalArgumentException naming the argument and what came
     */
    public static Decoded decode(Tensor inputs, int[] sequenceLengths, String strategy, int beamWidth, int topPaths,
            boolean mergeRepeated, int maskIndex) {
        if (inputs.shape().rank() != 3) {
            throw new IllegalArgumentException("ctc_decode: inputs must be (batch, steps, classes), got "
                    + inputs.shape());
        }
        int batch = inputs.shape().dim(0);
        int steps = inputs.shape().dim(1);
        int classes = inputs.shape().dim(2);
        if (sequenceLengths.length != batch) {
            throw new IllegalArgumentException("ctc_decode: sequence_lengths must have one length per sample ("
                    + batch + "), got " + sequenceLengths.length);
        }
        for (int b = 0; b < batch; b++) {
            if (sequenceLengths[b] < 0 || sequenceLengths[b] > steps) {
                throw new IllegalArgumentException("ctc_decode: sequence_lengths[" + b + "] must be in [0, " + steps
                        + "], got " + sequenceLengths[b]);
            }
        }
        int blank = maskIndex < 0 ? maskIndex + classes : maskIndex;
        if (blank < 0 || blank >= classes) {
            throw new IllegalArgumentException("ctc_decode: mask_index must be a class in [-" + classes + ", "
                    + classes + "), got " + maskIndex);
        }
        float[] x = inputs.toArray();
        return switch (strategy) {
            case "greedy" -> greedy(x, sequenceLengths, steps, classes, mergeRepeated, blank);
            case "beam_search" -> {
                if (beamWidth < 1 || topPaths < 1 || topPaths > beamWidth) {
                    throw new IllegalArgumentException("ctc_decode: beam search needs beam_width >= 1 and 1 <= "
                            + "top_paths <= beam_width, got beam_width " + beamWidth + ", top_paths " + topPaths);
                }
                yield CtcBeamSearch.decode(x, sequenceLengths, steps, classes, beamWidth, topPaths, blank);
            }
            default -> throw new IllegalArgumentException("ctc_decode: strategy must be 'greedy' or 'beam_search', "
                    + "got '" + strategy + "'");
        };
    }

    /** tf.nn.ctc_greedy_decoder: the first largest class of each step; score minus the sum of the maxima. */
    private static Decoded greedy(float[] x, int[] lengths, int steps, int classes, boolean merge, int blank) {
        int batch = lengths.length;
        int[][] out = new int[batch][steps];
        float[][] scores = new float[batch][1];
        for (int b = 0; b < batch; b++) {
            java.util.Arrays.fill(out[b], -1);
            int n = 0;
            int previous = -1;
            float score = 0f;
            for (int t = 0; t < lengths[b]; t++) {
                int base = (b * steps + t) * classes;
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (x[base + c] > x[base + best]) {
                        best = c;
                    }
                }
                score -= x[base + best];
                if (best != blank && !(merge && best == previous)) {
                    out[b][n++] = best;
                }
                previous = best;
            }
            scores[b][0] = score;
        }
        return new Decoded(new int[][][] {out}, scores);
    }
}
