package io.rnn4j.layers.model;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.callbacks.Callback;
import io.rnn4j.layers.callbacks.EarlyStopping;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.optimizers.Optimizers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training features on the functional Model of two outputs: one sample weight per sample on
 * every output's loss (as Keras maps a single sample_weight over the outputs), callbacks seeing
 * the Model itself, auto mode on an output's metric, class weights refused for several outputs,
 * and the weights file. Seed 71.
 */
class FunctionalTrainingTest {
    private final Random r = new Random(71);
    @TempDir
    Path dir;

    private static Model twoOutputs(long seed) {
        Seeds.set(seed);
        var in = Input.shape(3).named("in");
        var a = new Dense(1).named("a").apply(in);
        var b = new Dense(2).named("b").apply(in);
        Model m = Model.of(List.of(in), List.of(a, b));
        m.compile(Optimizers.sgd(0.1), List.of(Losses.meanSquaredError(), Losses.meanAbsoluteError()),
                List.of(List.of(), List.of(Metrics.meanAbsoluteError())));
        return m;
    }

    @Test
    void oneSampleWeightScalesEveryOutputsLoss() {
        Model m = twoOutputs(1);
        Tensor x = uniform(r, -1, 1, 6, 3);
        Tensor ya = uniform(r, -1, 1, 6, 1);
        Tensor yb = uniform(r, -1, 1, 6, 2);
        float[] w = {1, 2, 0, 0.5f, 1, 3};
        List<Tensor> p = m.predict(List.of(x));
        float[] pa = p.get(0).toArray();
        float[] pb = p.get(1).toArray();
        float[] av = ya.toArray();
        float[] bv = yb.toArray();
        double la = 0;
        double lb = 0;
        for (int i = 0; i < 6; i++) {
            la += w[i] * (pa[i] - av[i]) * (pa[i] - av[i]);
            lb += w[i] * (Math.abs(pb[2 * i] - bv[2 * i]) + Math.abs(pb[2 * i + 1] - bv[2 * i + 1])) / 2;
        }
        // one batch: over a partial last batch Keras (TensorFlow) averages each output's loss per batch
        Evaluation e = m.evaluate(List.of(x), List.of(ya, yb), Tensor.of(w, 6), 6);
        assertThat(e.metric("a_loss")).isCloseTo(la / 6, within(1e-6));
        assertThat(e.metric("b_loss")).isCloseTo(lb / 6, within(1e-6));
        assertThat(e.loss()).isCloseTo((la + lb) / 6, within(1e-6));
        assertThatThrownBy(() -> m.fit(List.of(x), List.of(ya, yb), Fit.defaults().verbose(0)
                .classWeight(Map.of(0, 2.0)))).hasMessageContaining("class_weight is only supported for models with "
                + "a single output");
    }

    @Test
    void callbacksSeeTheModelAndMonitorAnOutputsMetric() throws Exception {
        Model m = twoOutputs(2);
        Tensor x = uniform(r, -1, 1, 16, 3);
        List<Tensor> y = List.of(uniform(r, -1, 1, 16, 1), uniform(r, -1, 1, 16, 2));
        Object[] seen = new Object[1];
        Callback spy = new Callback() {
            @Override
            public void onTrainBegin(Map<String, Double> logs) {
                seen[0] = model();
            }
        };
        // "val_b_mae" is the mae of output b: auto mode knows to minimize it.
        EarlyStopping es = new EarlyStopping().monitor("val_b_mae").patience(100);
        History h = m.fit(List.of(x), y, Fit.defaults().batchSize(8).epochs(3).verbose(0).validationData(List.of(x), y)
                .callbacks(spy, es));
        assertThat(seen[0]).isSameAs(m);
        assertThat(h.epochs()).isEqualTo(3);
        assertThat(es.best()).isEqualTo(h.get("val_b_mae").stream().mapToDouble(Double::doubleValue).min()
                .orElseThrow());
        Path file = dir.resolve("f.weights.h5");
        m.saveWeights(file);
        Model other = twoOutputs(3);
        other.loadWeights(file);
        assertThat(other.predict(List.of(x)).get(1).toArray()).containsExactly(m.predict(List.of(x)).get(1).toArray());
    }
}
