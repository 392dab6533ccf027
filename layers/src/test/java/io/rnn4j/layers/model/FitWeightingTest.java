package io.rnn4j.layers.model;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.optimizers.Optimizers;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sample and class weights in fit, evaluate and trainOnBatch, as Keras applies them; and data
 * holding NaN refused naming the sample, before any update. Seed 41.
 */
class FitWeightingTest {
    private final Random r = new Random(41);

    private static Sequential model(long seed) {
        Seeds.set(seed);
        Sequential m = Sequential.of(Input.shape(3), new Dense(4, Activation.TANH), new Dense(1));
        m.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        return m;
    }

    private static float[] flat(List<Tensor> ws) {
        int n = ws.stream().mapToInt(t -> (int) t.size()).sum();
        float[] out = new float[n];
        int k = 0;
        for (Tensor t : ws) {
            for (float f : t.toArray()) {
                out[k++] = f;
            }
        }
        return out;
    }

    @Test
    void doublingEveryWeightIsDoublingTheLearningRateForSgd() {
        Tensor x = uniform(r, -1, 1, 24, 3);
        Tensor y = uniform(r, -1, 1, 24, 1);
        Sequential a = model(1);
        Sequential b = model(1);
        b.compile(Optimizers.sgd(0.2), b.loss());
        float[] twos = new float[24];
        Arrays.fill(twos, 2f);
        History ha = a.fit(x, y, Fit.defaults().batchSize(8).epochs(3).seed(2).verbose(0).sampleWeight(Tensor.of(twos, 24)));
        History hb = b.fit(x, y, Fit.defaults().batchSize(8).epochs(3).seed(2).verbose(0));
        // Scaling by 2 is exact in float32, so the runs agree bit for bit.
        assertThat(flat(a.getWeights())).containsExactly(flat(b.getWeights()));
        assertThat(ha.get("loss").get(0)).isEqualTo(2 * hb.get("loss").get(0));
    }

    @Test
    void zeroWeightsLeaveTheModelAloneAndEvaluateWeighsAsKeras() {
        Tensor x = uniform(r, -1, 1, 10, 3);
        Tensor y = uniform(r, -1, 1, 10, 1);
        Sequential m = model(2);
        float[] before = flat(m.getWeights());
        History h = m.fit(x, y, Fit.defaults().batchSize(5).epochs(2).verbose(0).sampleWeight(Tensor.zeros(10)));
        assertThat(flat(m.getWeights())).containsExactly(before);
        assertThat(h.last("loss")).isZero();

        float[] w = {1, 0, 2, 0.5f, 1, 3, 0, 1, 1, 2};
        float[] p = m.predict(x).toArray();
        float[] yv = y.toArray();
        double want = 0;
        for (int i = 0; i < 10; i++) {
            want += w[i] * (p[i] - yv[i]) * (p[i] - yv[i]);
        }
        // Batches of 4, 4, 2: each batch's Σw·l / its size, then the size-weighted mean = Σw·l / 10.
        assertThat(m.evaluate(x, y, Tensor.of(w, 10), 4).loss()).isCloseTo(want / 10, within(1e-6));
        History withVal = m.fit(x, y, Fit.defaults().batchSize(5).epochs(1).verbose(0).sampleWeight(Tensor.zeros(10))
                .validationData(x, y, Tensor.of(w, 10)));
        assertThat(withVal.last("val_loss")).isCloseTo(want / 10, within(1e-6));
    }

    @Test
    void classWeightsAreSampleWeightsFromTheLabels() {
        Tensor x = uniform(r, -1, 1, 12, 3);
        float[] ids = {0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2};
        float[] oneHot = new float[12 * 3];
        float[] w = new float[12];
        for (int i = 0; i < 12; i++) {
            oneHot[i * 3 + (int) ids[i]] = 1;
            w[i] = ids[i] == 0 ? 2f : ids[i] == 2 ? 0.25f : 1f;  // class 1 absent from the map: 1
        }
        Map<Integer, Double> cw = Map.of(0, 2.0, 2, 0.25);
        for (boolean sparse : new boolean[] {true, false}) {
            Tensor y = sparse ? Tensor.of(ids, 12, 1) : Tensor.of(oneHot, 12, 3);
            var loss = sparse ? Losses.sparseCategoricalCrossentropy(true) : Losses.categoricalCrossentropy(true);
            Seeds.set(3);
            Sequential a = Sequential.of(Input.shape(3), new Dense(3));
            a.compile(Optimizers.adam(0.01), loss);
            Seeds.set(3);
            Sequential b = Sequential.of(Input.shape(3), new Dense(3));
            b.compile(Optimizers.adam(0.01), loss);
            a.fit(x, y, Fit.defaults().batchSize(4).epochs(2).seed(5).verbose(0).classWeight(cw));
            b.fit(x, y, Fit.defaults().batchSize(4).epochs(2).seed(5).verbose(0).sampleWeight(Tensor.of(w, 12)));
            assertThat(flat(a.getWeights())).as("sparse labels: %s", sparse).containsExactly(flat(b.getWeights()));
        }
        assertThatThrownBy(() -> Fit.defaults().classWeight(cw).sampleWeight(Tensor.zeros(12)))
                .hasMessageContaining("give class_weight or sample_weight, not both");
        Sequential seq = Sequential.of(Input.shape(4, 3), new GRU(2).returnSequences(true), new Dense(3));
        seq.compile(Optimizers.adam(), Losses.categoricalCrossentropy());
        assertThatThrownBy(() -> seq.fit(uniform(r, -1, 1, 2, 4, 3), Tensor.zeros(2, 4, 3), Fit.defaults().verbose(0)
                .classWeight(cw))).hasMessageContaining("class_weight needs one label per sample")
                .hasMessageContaining("(2, 4, 3)");
    }

    @Test
    void sampleWeightsOfTheWrongShapeAreRefusedBeforeTraining() {
        Tensor x = uniform(r, -1, 1, 6, 3);
        Tensor y = uniform(r, -1, 1, 6, 1);
        Sequential m = model(4);
        float[] before = flat(m.getWeights());
        assertThatThrownBy(() -> m.fit(x, y, Fit.defaults().verbose(0).sampleWeight(Tensor.zeros(5))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(m.name() + ".fit: mean_squared_error")
                .hasMessageContaining("must have shape (6,)").hasMessageContaining("got (5,)");
        assertThatThrownBy(() -> m.trainOnBatch(x, y, Tensor.zeros(6, 2))).hasMessageContaining("got (6, 2)");
        assertThat(flat(m.getWeights())).containsExactly(before);
    }

    @Test
    void nanInTheDataIsReportedNamingTheSampleAndNothingIsTrainedBeforeIt() {
        float[] xv = uniform(r, -1, 1, 16, 3).toArray();
        xv[11 * 3 + 2] = Float.NaN;
        Tensor x = Tensor.of(xv, 16, 3);
        Tensor y = uniform(r, -1, 1, 16, 1);
        Sequential m = model(5);
        float[] before = flat(m.getWeights());
        // In batches of 4, sample 11 comes in the third (unshuffled) or anywhere (shuffled): refused
        // before the first update either way, named by its index in x.
        for (boolean shuffle : new boolean[] {false, true}) {
            assertThatThrownBy(() -> m.fit(x, y, Fit.defaults().batchSize(4).epochs(3).shuffle(shuffle).seed(9).verbose(0)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(m.name() + ".fit: the inputs hold NaN (expected finite numbers) in sample 11 at "
                            + "position [2]; nothing was trained");
            assertThat(flat(m.getWeights())).as("weights after a refused fit (shuffle %s)", shuffle)
                    .containsExactly(before);
        }
        // Data read in blocks of about a million floats: a bad value past the first block is named too.
        float[] big = new float[1100 * 1000];
        big[1080 * 1000 + 7] = Float.NEGATIVE_INFINITY;
        Sequential wide = Sequential.of(io.rnn4j.layers.Input.shape(1000), new io.rnn4j.layers.Dense(1));
        wide.compile(io.rnn4j.layers.optimizers.Optimizers.sgd(0.1),
                io.rnn4j.layers.losses.Losses.meanSquaredError());
        assertThatThrownBy(() -> wide.fit(Tensor.of(big, 1100, 1000), Tensor.zeros(1100, 1),
                Fit.defaults().batchSize(100).verbose(0))).hasMessage(wide.name() + ".fit: the inputs hold -Infinity (expected "
                        + "finite numbers) in sample 1080 at position [7]; nothing was trained");
        float[] yv = y.toArray();
        yv[4] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> m.trainOnBatch(uniform(r, -1, 1, 16, 3), Tensor.of(yv, 16, 1)))
                .hasMessageContaining("the labels hold Infinity (expected finite numbers) in sample 4 at position [0]");
    }
}
