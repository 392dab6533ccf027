package io.rnn4j.layers.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.GradCheck;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The CTC loss against a float64 reference that sums, in probability space, the softmax
 * probabilities of every path of classes whose collapse (repeats merged, blanks dropped) is the
 * label; its gradient against finite differences; decoding against the same enumeration.
 */
class CtcTest {
    private static final int STEPS = 4;
    private static final int CLASSES = 3;

    /** softmax probabilities (batch, steps, classes) in float64. */
    private static double[][][] softmax(float[] x, int batch, int steps, int classes) {
        double[][][] p = new double[batch][steps][classes];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    sum += Math.exp(x[(b * steps + t) * classes + c]);
                }
                for (int c = 0; c < classes; c++) {
                    p[b][t][c] = Math.exp(x[(b * steps + t) * classes + c]) / sum;
                }
            }
        }
        return p;
    }

    /** Every label sequence a path over {@code steps} steps collapses to, with its total probability. */
    private static Map<List<Integer>, Double> sequences(double[][] p, int steps) {
        Map<List<Integer>, Double> out = new HashMap<>();
        int classes = p[0].length;
        int paths = (int) Math.pow(classes, steps);
        for (int path = 0; path < paths; path++) {
            double prob = 1;
            List<Integer> seq = new ArrayList<>();
            int previous = -1;
            int code = path;
            for (int t = 0; t < steps; t++) {
                int c = code % classes;
                code /= classes;
                prob *= p[t][c];
                if (c != 0 && c != previous) {
                    seq.add(c);
                }
                previous = c;
            }
            out.merge(seq, prob, Double::sum);
        }
        return out;
    }

    @Test
    void lossIsMinusLogOfTheSummedPathProbabilitiesInFloat64() {
        Random r = new Random(41);
        System.out.println("CtcTest seed 41");
        float[][] labels = {{1, 2, 0}, {2, 2, 0}, {0, 0, 0}, {1, 2, 1}, {2, 0, 0}};
        int batch = labels.length;
        Tensor x = GradCheck.uniform(r, -2f, 2f, batch, STEPS, CLASSES);
        float[] flat = new float[batch * 3];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(labels[b], 0, flat, b * 3, 3);
        }
        float[] loss = Losses.ctc().perSample(Variable.constant(Tensor.of(flat, batch, 3)), Variable.constant(x))
                .value().toArray();
        double[][][] p = softmax(x.toArray(), batch, STEPS, CLASSES);
        for (int b = 0; b < batch; b++) {
            List<Integer> want = new ArrayList<>();
            for (float l : labels[b]) {
                if (l != 0) {
                    want.add((int) l);
                }
            }
            double prob = sequences(p[b], STEPS).getOrDefault(want, 0.0);
            assertThat((double) loss[b]).as("sample %d label %s (bar 1e-5 + 1e-5·|y|)", b, want)
                    .isCloseTo(-Math.log(prob), within(1e-5 + 1e-5 * -Math.log(prob)));
        }
    }

    @Test
    void tooLongLabelGivesTensorFlowsLargeFiniteLoss() {
        // [1, 1, 1] needs 5 steps (blanks between the repeats); with 4 it is impossible. TensorFlow weights
        // the paths ending short of the label by log(1e-307): the loss is that 706.9 plus their cost.
        Tensor x = Tensor.of(new float[STEPS * CLASSES], 1, STEPS, CLASSES);
        float loss = Losses.ctc().perSample(Variable.constant(Tensor.of(new float[] {1, 1, 1}, 1, 3)),
                Variable.constant(x)).value().toArray()[0];
        // uniform logits: every path has probability 3^-4; the non-final end states gather them
        double ended = 0;
        Map<List<Integer>, Double> seqs = sequences(softmax(x.toArray(), 1, STEPS, CLASSES)[0], STEPS);
        for (Map.Entry<List<Integer>, Double> e : seqs.entrySet()) {
            if (isPrefixReach(e.getKey())) {
                ended += e.getValue();
            }
        }
        assertThat((double) loss).as("impossible label: -log(1e-307 · P(paths ending on a prefix of the label))")
                .isCloseTo(-Math.log(1e-307) - Math.log(ended), within(2e-3));
        assertThat(Float.isFinite(loss)).isTrue();
    }

    /** A path collapsing to a proper prefix of [1, 1, 1] (the empty one too) ends in a non-final state. */
    private static boolean isPrefixReach(List<Integer> seq) {
        return seq.size() < 3 && seq.stream().allMatch(c -> c == 1);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Random r = new Random(5);
        Tensor labels = Tensor.of(new float[] {1, 2, 2, 3, 3, 0, 0, 0, 0}, 3, 3);
        Tensor x = GradCheck.uniform(r, -1.5f, 1.5f, 3, 5, 4);
        GradCheck.check("ctc loss w.r.t. logits", v -> Losses.ctc().compute(v[0], v[1]),
                new boolean[] {true, false}, labels, x);
    }

    /**
     * TensorFlow's CTC gradient in float64 (ctc_ops.py ctc_loss_and_grad): softmax minus each class's
     * posterior, from a forward pass whose non-start states begin at log(1e-307) and a backward pass
     * whose non-final states end there; a label state of class 0 counts for no class.
     */
    private static double[] posteriorGradient(float[] x, int[] label, int steps, int classes) {
        int states = 2 * label.length + 1;
        int length = 0;
        for (int id : label) {
            length += id != 0 ? 1 : 0;
        }
        double log0 = Math.log(1e-307);
        double[][] p = softmax(x, 1, steps, classes)[0];
        double[][] alpha = new double[steps][states]; // logs
        double[][] beta = new double[steps][states];
        for (int t = 0; t < steps; t++) {
            for (int s = 0; s < states; s++) {
                List<Double> terms = new ArrayList<>();
                if (t == 0 && s <= 1) {
                    terms.add(0.0); // from the start state
                }
                for (int from = Math.max(0, s - 2); from <= s; from++) {
                    if (from >= s - 1 || jumps(label, s)) {
                        terms.add(t == 0 ? log0 : alpha[t - 1][from]);
                    }
                }
                alpha[t][s] = logSumExp(terms) + Math.log(p[t][classOf(label, s)]);
            }
        }
        for (int t = steps - 1; t >= 0; t--) {
            for (int s = 0; s < states; s++) {
                if (t == steps - 1) {
                    beta[t][s] = s == 2 * length || s == 2 * length - 1 ? 0 : log0;
                    continue;
                }
                List<Double> terms = new ArrayList<>();
                for (int to = s; to <= Math.min(states - 1, s + 2); to++) {
                    if (to <= s + 1 || jumps(label, to)) {
                        terms.add(beta[t + 1][to] + Math.log(p[t + 1][classOf(label, to)]));
                    }
                }
                beta[t][s] = logSumExp(terms);
            }
        }
        double[] grad = new double[steps * classes];
        for (int t = 0; t < steps; t++) {
            List<Double> both = new ArrayList<>();
            for (int s = 0; s < states; s++) {
                both.add(alpha[t][s] + beta[t][s]);
            }
            double total = logSumExp(both);
            for (int c = 0; c < classes; c++) {
                grad[t * classes + c] = p[t][c];
            }
            for (int s = 0; s < states; s++) {
                if (s % 2 == 0 || classOf(label, s) != 0) {
                    grad[t * classes + classOf(label, s)] -= Math.exp(both.get(s) - total);
                }
            }
        }
        return grad;
    }

    private static int classOf(int[] label, int s) {
        return s % 2 == 0 ? 0 : label[s / 2];
    }

    private static boolean jumps(int[] label, int s) {
        return s % 2 == 1 && s >= 3 && label[s / 2] != label[s / 2 - 1];
    }

    private static double logSumExp(List<Double> terms) {
        double top = terms.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return top + Math.log(terms.stream().mapToDouble(v -> Math.exp(v - top)).sum());
    }

    @Test
    void gradientIsTensorFlowsPosteriorGradientWhereTheLabelDoesNotFitOrHoldsABlank() {
        Random r = new Random(23);
        System.out.println("CtcTest seed 23");
        int[][] labels = {{1, 1, 2}, {1, 0, 2}, {2, 1, 2}};
        int[] steps = {4, 5, 3};
        for (int i = 0; i < labels.length; i++) {
            Tensor x = GradCheck.uniform(r, -2f, 2f, 1, steps[i], CLASSES);
            float[] lab = new float[labels[i].length];
            for (int k = 0; k < lab.length; k++) {
                lab[k] = labels[i][k];
            }
            Variable v = Variable.parameter(x);
            io.rnn4j.layers.autograd.Ops.sumAll(Losses.ctc().perSample(Variable.constant(Tensor.of(lab, 1, lab.length)), v))
                    .backward();
            float[] got = v.grad().toArray();
            double[] want = posteriorGradient(x.toArray(), labels[i], steps[i], CLASSES);
            // a label that does not fit weighs paths by 1e-307: float32 holds their log to 6.1e-5
            double bar = i == 1 ? 1e-5 : 1e-4;
            for (int k = 0; k < got.length; k++) {
                assertThat((double) got[k]).as("label %s over %d steps, gradient %d (bar %s)",
                        java.util.Arrays.toString(labels[i]), steps[i], k, bar).isCloseTo(want[k], within(bar));
            }
        }
    }

    @Test
    void sampleWeightsReduceAsSumOverBatchSize() {
        Random r = new Random(9);
        Tensor labels = Tensor.of(new float[] {1, 0, 2, 1}, 2, 2);
        Tensor x = GradCheck.uniform(r, -1f, 1f, 2, 3, 3);
        float[] each = Losses.ctc().perSample(Variable.constant(labels), Variable.constant(x)).value().toArray();
        float weighted = Losses.ctc().compute(Variable.constant(labels), Variable.constant(x),
                Tensor.of(new float[] {0.5f, 2f}, 2)).value().toArray()[0];
        assertThat(weighted).isCloseTo((0.5f * each[0] + 2f * each[1]) / 2, within(1e-5f));
        assertThat(Losses.get("ctc")).isInstanceOf(CtcLoss.class);
        assertThat(Losses.get("CTC").kerasConfig().orElseThrow().className()).isEqualTo("CTC");
    }

    @Test
    void badInputsAreRefusedNamingWhatCame() {
        Tensor x = Tensor.of(new float[2 * 3 * 3], 2, 3, 3);
        Loss ctc = Losses.ctc();
        assertThatThrownBy(() -> ctc.perSample(Variable.constant(Tensor.of(new float[] {1, 3, 0, 0}, 2, 2)),
                Variable.constant(x))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ctc").hasMessageContaining("[0, 3)").hasMessageContaining("got 3.0");
        assertThatThrownBy(() -> ctc.perSample(Variable.constant(Tensor.of(new float[] {1.5f, 0, 0, 0}, 2, 2)),
                Variable.constant(x))).hasMessageContaining("got 1.5");
        assertThatThrownBy(() -> ctc.perSample(Variable.constant(Tensor.of(new float[] {1, 2}, 2)),
                Variable.constant(x))).hasMessageContaining("(batch, max_label_length)").hasMessageContaining("got (2,)");
        assertThatThrownBy(() -> ctc.perSample(Variable.constant(Tensor.of(new float[] {1, 2}, 1, 2)),
                Variable.constant(Tensor.of(new float[6], 2, 3)))).hasMessageContaining("(batch, time, classes)");
        assertThatThrownBy(() -> ctc.compute(Variable.constant(Tensor.of(new float[] {1, 0, 2, 0}, 2, 2)),
                Variable.constant(x), null, Tensor.of(new float[6], 2, 3))).hasMessageContaining("mask");
    }

    @Test
    void wideBeamSearchFindsTheMostProbableLabelSequencesExactly() {
        Random r = new Random(17);
        Tensor x = GradCheck.uniform(r, -2f, 2f, 2, STEPS, CLASSES);
        Ctc.Decoded d = Ctc.decode(x, new int[] {STEPS, STEPS}, "beam_search", 1000, 3, true, 0);
        double[][][] p = softmax(x.toArray(), 2, STEPS, CLASSES);
        for (int b = 0; b < 2; b++) {
            List<Map.Entry<List<Integer>, Double>> best = new ArrayList<>(sequences(p[b], STEPS).entrySet());
            best.sort((u, v) -> Double.compare(v.getValue(), u.getValue()));
            for (int k = 0; k < 3; k++) {
                List<Integer> got = new ArrayList<>();
                for (int c : d.labels()[k][b]) {
                    if (c >= 0) {
                        got.add(c);
                    }
                }
                assertThat(got).as("sample %d path %d", b, k).isEqualTo(best.get(k).getKey());
                assertThat((double) d.logProbabilities()[b][k]).as("sample %d path %d log-probability", b, k)
                        .isCloseTo(Math.log(best.get(k).getValue()), within(1e-5));
            }
        }
    }

    @Test
    void greedyTakesTheBestClassPerStepMergingRepeatsAndDroppingBlanks() {
        // steps' best classes: 1 1 0 1 2 2 -> merged [1, 1, 2]; the first 5 unmerged [1, 1, 1, 2]
        int[] best = {1, 1, 0, 1, 2, 2};
        float[] x = new float[best.length * 3];
        for (int t = 0; t < best.length; t++) {
            x[t * 3 + best[t]] = 1f + t;
        }
        Tensor in = Tensor.of(x, 1, best.length, 3);
        Ctc.Decoded merged = Ctc.decode(in, new int[] {6});
        assertThat(merged.labels()[0][0]).containsExactly(1, 1, 2, -1, -1, -1);
        assertThat(merged.logProbabilities()[0][0]).isEqualTo(-21f);
        Ctc.Decoded unmerged = Ctc.decode(in, new int[] {5}, "greedy", 100, 1, false, 0);
        assertThat(unmerged.labels()[0][0]).containsExactly(1, 1, 1, 2, -1, -1);
        assertThat(Ctc.decode(in, new int[] {6}, "greedy", 1, 1, true, -1).labels()[0][0])
                .as("class 2 the blank").containsExactly(1, 0, 1, -1, -1, -1);
        assertThatThrownBy(() -> Ctc.decode(in, new int[] {7})).hasMessageContaining("sequence_lengths[0]");
        assertThatThrownBy(() -> Ctc.decode(in, new int[] {6}, "best", 1, 1, true, 0))
                .hasMessageContaining("'greedy' or 'beam_search'").hasMessageContaining("'best'");
        assertThatThrownBy(() -> Ctc.decode(in, new int[] {6}, "beam_search", 2, 3, true, 0))
                .hasMessageContaining("top_paths 3");
        assertThatThrownBy(() -> Ctc.decode(in, new int[] {6}, "greedy", 1, 1, true, 3))
                .hasMessageContaining("mask_index");
    }
}
