package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.losses.Ctc;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CTC against what Keras 3.15.1 on TensorFlow wrote (keras3151/make_ctc.py): per-sample losses and
 * their gradients (repeated labels, labels of different lengths, an empty one, labels too long for
 * the input), ctc_decode's greedy and beam-search outputs, and a Conv1D → Bidirectional(GRU) →
 * Dense model compiled with keras.losses.CTC() and SGD: its logits, one epoch of training, and the
 * file rnn4j saves back. Bar: Keras3151.assertClose (1e-5 + 1e-5·|y|).
 */
class CtcKerasWrittenTest {
    @TempDir
    Path tmp;

    private static Npy.Array npy(String name) throws IOException {
        return Npy.read(resource(name));
    }

    @ParameterizedTest(name = "labels_{0}")
    @ValueSource(strings = {"mixed", "repeats", "long"})
    void lossAndGradientAreTensorFlows(String name) throws IOException {
        Tensor logits = npy("ctc.logits.npy").tensor();
        Tensor labels = npy("ctc.labels_" + name + ".npy").tensor();
        Variable x = Variable.parameter(logits);
        Variable loss = Losses.ctc().perSample(Variable.constant(labels), x);
        assertClose(name + " per-sample loss", loss.value().toArray(), npy("ctc.loss_" + name + ".npy").values());
        Variable total = io.rnn4j.layers.autograd.Ops.sumAll(loss);
        total.backward();
        float[] grad = x.grad().toArray();
        double[] want = npy("ctc.grad_" + name + ".npy").values();
        if (!name.equals("long")) {
            assertClose(name + " gradient of the summed loss", grad, want);
            return;
        }
        // Sample 0's label [1, 1, 1, 1] needs 7 steps of the 6: its gradient is TensorFlow's posterior's
        // (CtcForwardBackward), mixing paths weighted by log(1e-307) = -706.9, where float32's spacing is
        // 6.1e-5: bar 1e-4 there (the derivative of the loss, rnn4j's before, was 1e-4 off in this case
        // and 0.8 off with a label one step short: CtcEdgesKerasWrittenTest "short").
        for (int i = 0; i < grad.length; i++) {
            assertThat((double) grad[i]).as("long gradient %d (bar 1e-4)", i).isCloseTo(want[i],
                    org.assertj.core.api.Assertions.within(1e-4));
        }
    }

    @Test
    void weightedMeanIsKerasSumOverBatchSize() throws IOException {
        float got = Losses.ctc().compute(Variable.constant(npy("ctc.labels_mixed.npy").tensor()),
                Variable.constant(npy("ctc.logits.npy").tensor()),
                Tensor.of(new float[] {0.5f, 1f, 2f, 0.25f}, 4)).value().toArray()[0];
        assertClose("CTC() with sample weights", new float[] {got}, npy("ctc.loss_mean_weighted.npy").values());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"greedy", "greedy_nomerge", "beam", "beam_mask2", "beam_wide"})
    void decodingIsKerasCtcDecode(String tag) throws IOException {
        Tensor logits = npy("ctc.logits.npy").tensor();
        boolean beam = tag.startsWith("beam");
        double[] len = npy(beam ? "ctc.beamlen.npy" : "ctc.seqlen.npy").values();
        int[] lengths = new int[len.length];
        for (int i = 0; i < len.length; i++) {
            lengths[i] = (int) len[i];
        }
        Ctc.Decoded d = switch (tag) {
            case "greedy" -> Ctc.decode(logits, lengths);
            case "greedy_nomerge" -> Ctc.decode(logits, lengths, "greedy", 100, 1, false, 0);
            case "beam" -> Ctc.decode(logits, lengths, "beam_search", 4, 3, true, 0);
            case "beam_mask2" -> Ctc.decode(logits, lengths, "beam_search", 3, 2, true, 2);
            default -> Ctc.decode(logits, lengths, "beam_search", 100, 5, true, 0);
        };
        Npy.Array want = npy("ctc." + tag + ".labels.npy");
        assertThat(new int[] {d.labels().length, d.labels()[0].length, d.labels()[0][0].length})
                .as(tag + " decoded shape").containsExactly(want.shape());
        int i = 0;
        for (int[][] path : d.labels()) {
            for (int[] sample : path) {
                for (int label : sample) {
                    assertThat(label).as("%s decoded label %d", tag, i).isEqualTo((int) want.values()[i++]);
                }
            }
        }
        float[] scores = new float[d.logProbabilities().length * d.logProbabilities()[0].length];
        int k = 0;
        for (float[] row : d.logProbabilities()) {
            for (float s : row) {
                scores[k++] = s;
            }
        }
        assertClose(tag + " log-probabilities", scores, npy("ctc." + tag + ".scores.npy").values());
    }

    @Test
    void aKerasModelCompiledWithCtcLoadsTrainsAndSavesAsKeras() throws IOException {
        KerasModel m = Models.load(resource("ctc_model.keras"), true);
        assertThat(m.sequential().loss().name()).as("the compile_config's loss").isEqualTo("ctc");
        Tensor x = npy("ctc_model.x.npy").tensor();
        assertClose("logits before training", m.predict(x).toArray(), npy("ctc_model.y.npy").values());

        Path again = tmp.resolve("ctc_model.keras");
        Models.save(m, again);
        KerasModel back = Models.load(again, true);
        assertThat(back.sequential().loss().kerasConfig().orElseThrow().className())
                .as("the loss rnn4j saved").isEqualTo("CTC");

        var history = m.fit(x, npy("ctc_model.labels.npy").tensor(),
                Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertClose("logits after one SGD epoch", m.predict(x).toArray(), npy("ctc_model.y_after.npy").values());
        assertClose("epoch loss", new float[] {(float) history.get("loss").get(0).doubleValue()}, npy("ctc_model.loss.npy").values());
    }
}
