package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.losses.Ctc;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CTC's edge cases against what Keras 3.15.1 on TensorFlow 2.21 wrote (keras3151/make_rev-ctc.py):
 * per-sample losses and TensorFlow's gradients (batch 1 with a label as long as the input,
 * repeated labels that just fit or are one step short, all-zero labels, logits of magnitude 50, a 0
 * inside a label, labels far too long), three epochs of SGD and of Adam on a model with None
 * timesteps and the loss evaluate() reports, and ctc_decode with lengths shorter than the input,
 * beam_width 1, top_paths 3 and mask_index -1. Bar: Keras3151.assertClose (1e-5 + 1e-5·|y|) but
 * where a label does not fit (below).
 */
class CtcEdgesKerasWrittenTest {
    @TempDir
    Path tmp;

    private static Npy.Array npy(String name) throws IOException {
        return Npy.read(resource("rev-ctc." + name + ".npy"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"b1", "fit", "short", "zeros", "big", "big_normal", "inner_zero", "too_long"})
    void lossAndGradientAreTensorFlows(String tag) throws IOException {
        Variable x = Variable.parameter(npy(tag + ".x").tensor());
        Variable loss = Losses.ctc().perSample(Variable.constant(npy(tag + ".y").tensor()), x);
        assertClose(tag + " per-sample loss", loss.value().toArray(), npy(tag + ".loss").values());
        Ops.sumAll(loss).backward();
        float[] grad = x.grad().toArray();
        double[] want = npy(tag + ".grad").values();
        if (!tag.equals("short") && !tag.equals("too_long")) {
            assertClose(tag + " gradient (TensorFlow's: softmax minus the posterior)", grad, want);
            return;
        }
        // A label that does not fit mixes paths weighted by log(1e-307) = -706.9 at the start and at the
        // end: their weights differ in float32 at that magnitude, whose spacing is 6.1e-5.
        for (int i = 0; i < grad.length; i++) {
            assertThat((double) grad[i]).as("%s gradient %d (bar 1e-4: float32 spacing at 707)", tag, i)
                    .isCloseTo(want[i], org.assertj.core.api.Assertions.within(1e-4));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sgd", "adam"})
    void threeEpochsOnNoneTimestepsFollowKeras(String optimizer) throws IOException {
        KerasModel m = Models.load(resource("rev-ctc.train_" + optimizer + ".keras"), true);
        assertThat(m.sequential().loss().name()).as("compiled loss").isEqualTo("ctc");
        Tensor x = npy("train.x").tensor();
        Tensor labels = npy("train.labels").tensor();
        History h = m.fit(x, labels, Fit.defaults().batchSize(4).epochs(3).shuffle(false).verbose(0));
        float[] losses = new float[3];
        for (int e = 0; e < 3; e++) {
            losses[e] = h.get("loss").get(e).floatValue();
        }
        assertClose(optimizer + " epoch losses", losses, npy("train_" + optimizer + ".loss").values());
        assertClose(optimizer + " logits after 3 epochs", m.predict(x).toArray(),
                npy("train_" + optimizer + ".y_after").values());
        assertClose(optimizer + " evaluate loss", new float[] {(float) m.sequential().evaluate(x, labels, 4).loss()},
                npy("train_" + optimizer + ".eval").values());
        if (optimizer.equals("sgd")) {
            assertClose("logits of a 5-step input (None timesteps)", m.predict(npy("train.x5").tensor()).toArray(),
                    npy("train.y5").values());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"greedy_mask_last", "beam1", "beam_top3", "beam_mask_last"})
    void decodingIsKerasCtcDecode(String tag) throws IOException {
        Tensor x = npy("dec.x").tensor();
        double[] len = npy("dec.len").values();
        int[] lengths = new int[len.length];
        for (int i = 0; i < len.length; i++) {
            lengths[i] = (int) len[i];
        }
        Ctc.Decoded d = switch (tag) {
            case "greedy_mask_last" -> Ctc.decode(x, lengths, "greedy", 100, 1, true, -1);
            case "beam1" -> Ctc.decode(x, lengths, "beam_search", 1, 1, true, 0);
            case "beam_top3" -> Ctc.decode(x, lengths, "beam_search", 5, 3, true, 0);
            default -> Ctc.decode(x, lengths, "beam_search", 4, 2, true, -1);
        };
        Npy.Array want = npy("dec." + tag + ".labels");
        assertThat(new int[] {d.labels().length, d.labels()[0].length, d.labels()[0][0].length})
                .as(tag + " decoded shape (top_paths, batch, steps)").containsExactly(want.shape());
        int i = 0;
        for (int[][] path : d.labels()) {
            for (int[] sample : path) {
                for (int label : sample) {
                    assertThat(label).as("%s decoded label %d", tag, i).isEqualTo((int) want.values()[i++]);
                }
            }
        }
        float[][] lp = d.logProbabilities();
        float[] scores = new float[lp.length * lp[0].length];
        for (int b = 0; b < lp.length; b++) {
            System.arraycopy(lp[b], 0, scores, b * lp[0].length, lp[0].length);
        }
        assertClose(tag + " scores (batch, top_paths)", scores, npy("dec." + tag + ".scores").values());
    }
}
