package io.rnn4j.layers.losses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * TensorFlow's CTC prefix beam search ({@code tf.nn.ctc_beam_search_decoder}, no language model),
 * rewritten: each step's inputs become log-probabilities (log_softmax); every beam in the search
 * keeps the log-probability of its label prefix ending in a blank and ending in its last label; a
 * beam grows by each non-blank class, a new child entering only when its probability beats the
 * weakest of a full beam (which then leaves it), and the {@code topPaths} best prefixes are
 * returned, best first, with their log-probabilities. Ties between equal probabilities may order
 * differently from TensorFlow's, whose heap leaves them unspecified. The blank is a class of the
 * caller's choosing here (TensorFlow's is the last; Keras moves the mask class there and back).
 */
final class CtcBeamSearch {
    private static final float LOG_ZERO = Float.NEGATIVE_INFINITY;

    /** A label prefix in the search tree; its probabilities at the previous and the current step. */
    private static final class Beam {
        final Beam parent;
        final int label;
        final Map<Integer, Beam> children = new HashMap<>();
        float oldTotal = LOG_ZERO, oldBlank = LOG_ZERO, oldLabel = LOG_ZERO;
        float total = LOG_ZERO, blank = LOG_ZERO, labelP = LOG_ZERO;

        Beam(Beam parent, int label) {
            this.parent = parent;
            this.label = label;
        }

        boolean active() {
            return total != LOG_ZERO;
        }

        void reset() {
            total = LOG_ZERO;
            blank = LOG_ZERO;
            labelP = LOG_ZERO;
        }

        Beam child(int l) {
            return children.computeIfAbsent(l, k -> new Beam(this, k));
        }

        int[] labels() {
            List<Integer> out = new ArrayList<>();
            for (Beam c = this; c.parent != null; c = c.parent) {
                out.add(c.label);
            }
            int[] seq = new int[out.size()];
            for (int i = 0; i < seq.length; i++) {
                seq[i] = out.get(seq.length - 1 - i);
            }
            return seq;
        }
    }

    private static final Comparator<Beam> BEST_FIRST = (a, b) -> Float.compare(b.total, a.total);

    private CtcBeamSearch() {
    }

    static Ctc.Decoded decode(float[] x, int[] lengths, int steps, int classes, int width, int topPaths, int blank) {
        int batch = lengths.length;
        int[][][] out = new int[topPaths][batch][steps];
        float[][] scores = new float[batch][topPaths];
        for (int b = 0; b < batch; b++) {
            List<Beam> leaves = new ArrayList<>();
            Beam root = new Beam(null, -1);
            root.total = 0f;
            root.blank = 0f;
            leaves.add(root);
            float[] logP = new float[classes];
            for (int t = 0; t < lengths[b]; t++) {
                logSoftmax(x, (b * steps + t) * classes, logP);
                leaves = step(leaves, logP, width, blank);
            }
            if (leaves.size() < topPaths) {
                throw new IllegalArgumentException("ctc_decode: fewer beams (" + leaves.size() + ") than top_paths ("
                        + topPaths + ") for sample " + b + " (as TensorFlow, which refuses it)");
            }
            leaves.sort(BEST_FIRST);
            for (int p = 0; p < topPaths; p++) {
                Arrays.fill(out[p][b], -1);
                int[] seq = leaves.get(p).labels();
                System.arraycopy(seq, 0, out[p][b], 0, seq.length);
                scores[b][p] = leaves.get(p).total;
            }
        }
        return new Ctc.Decoded(out, scores);
    }

    /** One time step of the search: the surviving beams, at most {@code width}. */
    private static List<Beam> step(List<Beam> leaves, float[] logP, int width, int blank) {
        List<Beam> branches = new ArrayList<>(leaves);
        branches.sort(BEST_FIRST);
        for (Beam b : branches) {
            b.oldTotal = b.total;
            b.oldBlank = b.blank;
            b.oldLabel = b.labelP;
        }
        List<Beam> next = new ArrayList<>(width);
        for (Beam b : branches) {
            if (b.parent != null) {
                if (b.parent.active()) {
                    // a repeated label needs a blank in between: from the parent's blank-ending mass only
                    float previous = b.label == b.parent.label ? b.parent.oldBlank : b.parent.oldTotal;
                    b.labelP = logSumExp(b.labelP, previous);
                }
                b.labelP += logP[b.label];
            }
            b.blank = b.oldTotal + logP[blank];
            b.total = logSumExp(b.blank, b.labelP);
            next.add(b);
        }
        for (Beam b : branches) {
            if (!candidate(b.oldTotal, next, width)) {
                continue;
            }
            for (int label = 0; label < logP.length; label++) {
                if (label == blank) {
                    continue;
                }
                Beam c = b.child(label);
                if (c.active()) {
                    continue;
                }
                c.blank = LOG_ZERO;
                float previous = c.label == b.label ? b.oldBlank : b.oldTotal;
                c.labelP = logP[label] + previous;
                c.total = c.labelP;
                if (candidate(c.total, next, width)) {
                    if (next.size() == width) {
                        Beam bottom = weakest(next);
                        bottom.reset();
                        next.remove(bottom);
                    }
                    next.add(c);
                } else {
                    c.oldTotal = LOG_ZERO;
                    c.oldBlank = LOG_ZERO;
                    c.oldLabel = LOG_ZERO;
                    c.reset();
                }
            }
        }
        return next;
    }

    /** Worth a place: a probability above zero, and room in the beam or better than its weakest. */
    private static boolean candidate(float total, List<Beam> beam, int width) {
        return total > LOG_ZERO && (beam.size() < width || total > weakest(beam).total);
    }

    private static Beam weakest(List<Beam> beam) {
        Beam w = beam.get(0);
        for (Beam b : beam) {
            if (b.total < w.total) {
                w = b;
            }
        }
        return w;
    }

    /** log(e^a + e^b) in float32, as TensorFlow's ctc LogSumExp (log1p of the smaller's exp). */
    static float logSumExp(float a, float b) {
        if (a == LOG_ZERO) {
            return b;
        }
        if (b == LOG_ZERO) {
            return a;
        }
        return a > b ? a + (float) Math.log1p(Math.exp(b - a)) : b + (float) Math.log1p(Math.exp(a - b));
    }

    /** out = log_softmax of the {@code out.length} inputs from {@code offset}, in float32. */
    private static void logSoftmax(float[] x, int offset, float[] out) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < out.length; c++) {
            max = Math.max(max, x[offset + c]);
        }
        float sum = 0f;
        for (int c = 0; c < out.length; c++) {
            sum += (float) Math.exp(x[offset + c] - max);
        }
        float logSum = (float) Math.log(sum);
        for (int c = 0; c < out.length; c++) {
            out[c] = x[offset + c] - max - logSum;
        }
    }
}
