package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.allWeights;
import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.assertWeightsAsKeras;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static io.rnn4j.layers.keras.Keras3151.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.ActivityRegularization;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.model.Evaluation;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import io.rnn4j.layers.optimizers.SGD;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keras's {@code compile(optimizer)} with no loss and {@code fit(x)} / {@code evaluate(x)} without
 * targets, for models whose loss the layers add (trainer.py compute_loss: the compiled loss, if
 * any, plus the sum of each added loss; "No loss to compute" when there is none). Bars: Keras
 * 3.15.1's own files (keras3151/make_noloss.py) predict, log fit's loss, hold Keras's weights after
 * one epoch and evaluate within {@code 1e-5 + 1e-5·|y|}, and save back with {@code loss: null};
 * a float64 reference of the logged loss and the SGD step of an ActivityRegularization model
 * within 1e-5; errors name what is missing. Seeds 71-74.
 */
class NoLossTest {
    private static final Fit ONE_EPOCH = Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0);

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"noloss_seq", "noloss_fun"})
    void aKerasFileCompiledWithAnOptimizerAloneTrainsAndEvaluatesOnItsAddedLossesAsKeras(String name)
            throws IOException {
        KerasModel m = Models.load(resource(name + ".keras"), true);
        Tensor x = Npy.read(resource(name + ".x0.npy")).tensor();
        assertClose(name + " predict", predict(m, x), Npy.read(resource(name + ".y.npy")).values());
        List<Weight> weights = allWeights(m);
        List<float[]> before = values(weights);
        History h = m.fit(Npy.read(resource(name + ".fit_x.npy")).tensor(), ONE_EPOCH);
        assertThat(h.history().keySet()).as("Keras logs only the loss").containsExactly("loss");
        assertClose(name + " fit's logged loss", new float[] {(float) h.last("loss")},
                Npy.read(resource(name + ".fit_loss.npy")).values());
        double moved = assertWeightsAsKeras(name, "after one epoch", weights, before);
        assertThat(moved).as("the largest change of a weight in the epoch, far beyond the bar").isGreaterThan(1e-3);
        Evaluation e = (m.isSequential() ? m.sequential().evaluate(x, null, null, 4)
                : m.functional().evaluate(List.of(x), null, null, 4));
        assertClose(name + " evaluate(x, batch_size=4)", new float[] {(float) e.loss()},
                Npy.read(resource(name + ".eval_loss.npy")).values());

        Path back = tmp.resolve(name + ".keras");
        Models.save(m, back);
        assertThat(compileConfig(back)).as("compile_config as Keras writes it for compile(optimizer)")
                .containsEntry("loss", null).containsEntry("loss_weights", null).containsEntry("weighted_metrics", null);
        KerasModel again = Models.load(back, true);
        assertThat(predict(again, x)).as("rnn4j's own file, bit for bit").isEqualTo(predict(m, x));
        assertThat(again.evaluate(x).loss()).as("the loaded model evaluates without targets")
                .isEqualTo(m.evaluate(x).loss());
    }

    /** The outputs, several concatenated on the last axis as make_noloss.py writes them. */
    private static float[] predict(KerasModel m, Tensor x) {
        if (m.isSequential()) {
            return m.predict(x).toArray();
        }
        List<Tensor> ys = m.functional().predict(List.of(x));
        int rows = x.dim(0);
        int width = ys.stream().mapToInt(y -> y.dim(1)).sum();
        float[] out = new float[rows * width];
        for (int r = 0, at = 0; r < rows; r++) {
            for (Tensor y : ys) {
                float[] v = y.toArray();
                System.arraycopy(v, r * y.dim(1), out, at, y.dim(1));
                at += y.dim(1);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compileConfig(Path file) throws IOException {
        Map<String, Object> root = ModelReader.parse(file.toString(), "config.json", SaveTest.entry(file,
                "config.json"));
        return (Map<String, Object>) root.get("compile_config");
    }

    @Test
    void theLoggedLossAndTheSgdStepOfAnActivityRegularizationModelAreAFloat64Reference() {
        Seeds.set(71);
        double l1 = 0.01, l2 = 0.2, lr = 0.5;
        int n = 10, in = 3, units = 2, batch = 4;
        Sequential m = Sequential.of(Input.shape(in), new Dense(units, Activation.TANH),
                new ActivityRegularization(l1, l2));
        m.compile(Optimizers.sgd(lr));
        Tensor x = TestTensors.gaussian(72, n, in);
        double[] w = toDouble(m.getWeights().get(0).toArray());
        double[] b = toDouble(m.getWeights().get(1).toArray());
        float[] xs = x.toArray();
        double sum = 0;
        for (int from = 0; from < n; from += batch) {
            int count = Math.min(batch, n - from);
            double loss = 0;
            double[] gw = new double[w.length];
            double[] gb = new double[b.length];
            for (int s = from; s < from + count; s++) {
                for (int u = 0; u < units; u++) {
                    double z = b[u];
                    for (int i = 0; i < in; i++) {
                        z += xs[s * in + i] * w[i * units + u];
                    }
                    double h = Math.tanh(z);
                    // Keras's activity loss of a batch: (l1·Σ|h| + l2·Σh²) / batch size
                    loss += (l1 * Math.abs(h) + l2 * h * h) / count;
                    double dz = (l1 * Math.signum(h) + 2 * l2 * h) / count * (1 - h * h);
                    gb[u] += dz;
                    for (int i = 0; i < in; i++) {
                        gw[i * units + u] += dz * xs[s * in + i];
                    }
                }
            }
            sum += loss * count;  // Keras's loss tracker: a mean over samples
            for (int k = 0; k < w.length; k++) {
                w[k] -= lr * gw[k];
            }
            for (int k = 0; k < b.length; k++) {
                b[k] -= lr * gb[k];
            }
        }
        History h = m.fit(x, ONE_EPOCH);
        assertThat(h.last("loss")).as("fit(x)'s logged loss against the float64 reference (bar 1e-6)")
                .isCloseTo(sum / n, org.assertj.core.data.Offset.offset(1e-6));
        assertClose("kernel after one epoch against the float64 reference", m.getWeights().get(0).toArray(), w);
        assertClose("bias after one epoch against the float64 reference", m.getWeights().get(1).toArray(), b);
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    @Test
    void targetsStillFeedTheMetricsAndValidationDataMayBeInputsAlone() {
        Seeds.set(73);
        Sequential m = Sequential.of(Input.shape(3), new Dense(2), new ActivityRegularization(0, 0.1));
        m.compile(Optimizers.sgd(0.1), null, Metrics.meanAbsoluteError());
        assertThat(m.loss()).as("Keras's model.loss after compile(loss=None)").isNull();
        Tensor x = TestTensors.gaussian(74, 8, 3);
        Tensor y = TestTensors.gaussian(75, 8, 2);
        Evaluation e = m.evaluate(x, y, 8);
        assertThat(e.asMap().keySet()).containsExactly("loss", "mae");
        assertThatThrownBy(() -> m.fit(x, ONE_EPOCH)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("compiled with metrics").hasMessageContaining("got none");

        Input in = Input.shape(3);
        var a = new ActivityRegularization(0.1, 0).apply(new Dense(2).apply(in));
        var c = new Dense(1).apply(in);
        Model f = Model.of(List.of(in), List.of(a, c));
        f.compile(Optimizers.sgd(0.1));
        Tensor xv = TestTensors.gaussian(76, 5, 3);
        double before = f.evaluate(List.of(xv)).loss();
        History h = f.fit(List.of(x), ONE_EPOCH.validationData(List.of(xv)));
        assertThat(h.history().keySet()).as("no per-output losses without compiled ones").containsExactly("loss",
                "val_loss");
        assertThat(h.last("val_loss")).as("validation on inputs alone is evaluate(x)")
                .isEqualTo(f.evaluate(List.of(xv), null, null, 4).loss()).isLessThan(before);
    }

    @Test
    void aModelWithNoLossAtAllIsRefusedAsKerasRefusesIt() {
        Seeds.set(77);
        Sequential m = Sequential.of(Input.shape(2), new Dense(1));
        m.compile(Optimizers.sgd());
        Tensor x = TestTensors.gaussian(78, 4, 2);
        List<Tensor> before = m.getWeights();
        assertThatThrownBy(() -> m.fit(x, ONE_EPOCH)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No loss to compute").hasMessageContaining("compiled without one");
        assertThatThrownBy(() -> m.evaluate(x)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No loss to compute");
        for (int i = 0; i < before.size(); i++) {
            assertThat(m.getWeights().get(i).toArray()).as("nothing trained").isEqualTo(before.get(i).toArray());
        }
        assertThatThrownBy(() -> m.fit(x, null, ONE_EPOCH.classWeight(Map.of(0, 2.0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class_weight")
                .hasMessageContaining("no targets");
        m.compile(Optimizers.sgd(), Losses.meanSquaredError());
        assertThatThrownBy(() -> m.fit(x, ONE_EPOCH)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("compiled with a loss").hasMessageContaining("targets (y), but got none");
    }

    @Test
    void compileWithAnOptimizerAloneSavesLossNullAndAHandWrittenConfigCompilesSo() throws IOException {
        Seeds.set(79);
        Sequential m = Sequential.of(Input.shape(2), new Dense(3), new ActivityRegularization(0.1, 0));
        m.compile(Optimizers.sgd(0.25));
        Path file = tmp.resolve("noloss.keras");
        Models.save(m, file);
        assertThat(SaveTest.entry(file, "config.json")).contains("\"loss\": null, \"loss_weights\": null, "
                + "\"metrics\": [], \"weighted_metrics\": null");
        KerasModel back = Models.load(file, true);
        assertThat(back.sequential().optimizer()).isInstanceOf(SGD.class);
        assertThat(back.sequential().loss()).isNull();
        Tensor x = TestTensors.gaussian(80, 6, 2);
        assertThat(back.fit(x, ONE_EPOCH).last("loss")).isEqualTo(m.fit(x, ONE_EPOCH).last("loss"));

        CompileConfig.Setup s = CompileConfig.read("hand-written", ModelReader.parse("test", "compile_config", """
                {"optimizer": {"module": "keras.optimizers", "class_name": "Adam", "config": {"name": "adam",
                 "learning_rate": 0.001}, "registered_name": null}, "loss": null, "loss_weights": null,
                 "metrics": null, "weighted_metrics": null, "run_eagerly": false, "steps_per_execution": 1,
                 "jit_compile": false}"""), List.of("a", "b"));
        assertThat(s.losses()).as("loss null: no compiled loss").isEmpty();
        assertThat(s.metrics()).containsExactly(List.of(), List.of());
    }

    /**
     * Keras 3.15.1 compiles {@code loss=["mse", None]} or {@code {"a": "mse", "b": None}} (run here:
     * output b trains on nothing, compile_config keeps the None); rnn4j compiles a loss for every
     * output or none, so it refuses both clearly instead of a NullPointerException or "loss must be
     * a name or a serialized loss, got null".
     */
    @Test
    void aLossOfNoneForSomeOutputsIsRefusedNamingKerasOption() {
        Input in = Input.shape(3);
        Model f = Model.of(List.of(in), List.of(new Dense(2).apply(in), new Dense(1).apply(in)));
        assertThatThrownBy(() -> f.compile(Optimizers.sgd(), java.util.Arrays.asList(Losses.meanSquaredError(), null),
                List.of(List.of(), List.of()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loss=[..., None]").hasMessageContaining("give every output a loss, or none");
        for (String loss : List.of("[\"mse\", null]", "{\"a\": \"mse\", \"b\": null}")) {
            assertThatThrownBy(() -> CompileConfig.read("hand-written", ModelReader.parse("test", "compile_config",
                    "{\"optimizer\": {\"module\": \"keras.optimizers\", \"class_name\": \"SGD\", \"config\": "
                            + "{\"name\": \"SGD\", \"learning_rate\": 0.01}, \"registered_name\": null}, \"loss\": "
                            + loss + ", \"loss_weights\": null, \"metrics\": null, \"weighted_metrics\": null}"),
                    List.of("a", "b"))).as(loss).isInstanceOf(KerasFileException.class)
                    .hasMessageContaining("gives some outputs None").hasMessageContaining("every output or none");
        }
    }
}
