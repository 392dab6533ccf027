package io.rnn4j.layers.model;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SimpleRNN;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.optimizers.Optimizers;
import io.rnn4j.layers.regularizers.Regularizers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Sequential's API: build, summary, fit/evaluate/predict bookkeeping, reproducibility, threads. Seed 17. */
class SequentialTest {
    private final Random r = new Random(17);

    private static Sequential seedModel() {
        return Sequential.of(Input.shape(10, 1), new SimpleRNN(64).named("simple_rnn"),
                new Dense(1, Activation.LINEAR).named("dense"));
    }

    @Test
    void summaryIsKerasTableWithParameterCounts() {
        Sequential m = seedModel();
        String s = m.summary();
        String expected = """
                ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━┓
                ┃ Layer (type)                        ┃ Output Shape                ┃          Param # ┃
                ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━┩
                │ simple_rnn (SimpleRNN)              │ (None, 64)                  │            4,224 │
                ├─────────────────────────────────────┼─────────────────────────────┼──────────────────┤
                │ dense (Dense)                       │ (None, 1)                   │               65 │
                └─────────────────────────────────────┴─────────────────────────────┴──────────────────┘
                 Total params: 4,289 (16.75 KB)
                 Trainable params: 4,289 (16.75 KB)
                 Non-trainable params: 0 (0.00 B)
                """;
        assertThat(s).startsWith("Model: \"" + m.name() + "\"\n").endsWith(expected);
        assertThat(m.countParams()).isEqualTo(4289);
        assertThat(m.outputShape()).isEqualTo(Shape.of(1));
    }

    @Test
    void fitRecordsKerasLogsPerEpochAndPrintsPlainLinesOffATerminal() {
        Sequential m = Sequential.of(Input.shape(4, 2), new GRU(3), new Dense(1));
        m.compile(Optimizers.adam(), Losses.meanSquaredError(), Metrics.meanAbsoluteError());
        Tensor x = uniform(r, -1, 1, 40, 4, 2);
        Tensor y = uniform(r, -1, 1, 40, 1);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        History h = m.fit(x, y, Fit.defaults().batchSize(16).epochs(3).validationSplit(0.25).seed(1)
                .output(new PrintStream(buf, true, StandardCharsets.UTF_8)));
        assertThat(h.epochs()).isEqualTo(3);
        assertThat(h.history().keySet()).containsExactly("loss", "mae", "val_loss", "val_mae");
        // A metric given twice keeps both, the second as mae_1 (Keras's CompileMetrics names them uniquely).
        Sequential twice = Sequential.of(Input.shape(4, 2), new GRU(3), new Dense(1));
        twice.compile(Optimizers.adam(), Losses.meanSquaredError(), Metrics.meanAbsoluteError(),
                Metrics.meanAbsoluteError());
        assertThat(twice.fit(x, y, Fit.defaults().batchSize(16).epochs(1).validationSplit(0.25).verbose(0)).history().keySet())
                .containsExactly("loss", "mae", "mae_1", "val_loss", "val_mae", "val_mae_1");
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(6);
        assertThat(lines[0]).isEqualTo("Epoch 1/3");
        // 30 training samples in batches of 16: 2 steps.
        assertThat(lines[1]).matches("2/2 - \\d+s - \\d+(ms|us|s)/step - loss: [0-9.e-]+ - mae: [0-9.e-]+"
                + " - val_loss: [0-9.e-]+ - val_mae: [0-9.e-]+");
        // The last epoch's validation numbers are evaluate() on the last 25%.
        Evaluation e = m.evaluate(x.narrow(30, 10), y.narrow(30, 10), 16);
        assertThat(e.loss()).isCloseTo(h.last("val_loss"), within(1e-6));
        assertThat(e.metric("mae")).isCloseTo(h.last("val_mae"), within(1e-6));
    }

    @Test
    void evaluateIsTheSampleWeightedMeanAndIncludesRegularization() {
        Sequential m = Sequential.of(Input.shape(3), new Dense(2).kernelRegularizer(Regularizers.l2(0.5f)));
        m.compile(Optimizers.sgd(), Losses.meanSquaredError(), Metrics.meanSquaredError());
        Tensor x = uniform(r, -1, 1, 5, 3);
        Tensor y = uniform(r, -1, 1, 5, 2);
        float[] p = m.predict(x).toArray();
        float[] yv = y.toArray();
        double mse = 0;
        for (int i = 0; i < p.length; i++) {
            mse += (p[i] - yv[i]) * (double) (p[i] - yv[i]);
        }
        mse /= p.length;
        double l2 = 0;
        for (float k : m.weights().get(0).value().toArray()) {
            l2 += 0.5 * k * k;
        }
        Evaluation e = m.evaluate(x, y, 2);
        assertThat(e.metric("mse")).isCloseTo(mse, within(1e-6));
        assertThat(e.loss()).isCloseTo(mse + l2, within(1e-5));
    }

    @Test
    void aSeedMakesTrainingReproducible() {
        float[][] finals = new float[2][];
        for (int run = 0; run < 2; run++) {
            Seeds.set(123);
            Sequential m = Sequential.of(Input.shape(5, 2), new LSTM(4).dropout(0.2f).recurrentDropout(0.2f),
                    new Dropout(0.3f), new Dense(1));
            m.compile(Optimizers.adam(0.01), Losses.meanSquaredError());
            Random data = new Random(5);
            m.fit(uniform(data, -1, 1, 24, 5, 2), uniform(data, -1, 1, 24, 1), Fit.defaults().batchSize(8).epochs(2).verbose(0));
            finals[run] = m.weights().get(1).value().toArray();
        }
        assertThat(finals[1]).containsExactly(finals[0]);
    }

    @Test
    void predictIsBatchedAndSafeFromManyThreads() throws Exception {
        Sequential m = Sequential.of(Input.shape(6, 3), new LSTM(5).returnSequences(true), new GRU(4),
                new Dense(2, Activation.SOFTMAX));
        Tensor x = uniform(r, -1, 1, 37, 6, 3);
        float[] whole = m.predictOnBatch(x).toArray();
        assertThat(m.predict(x, 8).toArray()).containsExactly(whole);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> m.predict(x, 5).toArray()));
            }
            for (Future<float[]> f : results) {
                assertThat(f.get()).containsExactly(whole);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aModelWithoutInputIsBuiltFromTheFirstData() {
        Sequential m = Sequential.of(new SimpleRNN(3), new Dense(2));
        assertThat(m.isBuilt()).isFalse();
        Tensor y = m.predict(uniform(r, -1, 1, 2, 4, 5));
        assertThat(y.shape()).isEqualTo(Shape.of(2, 2));
        assertThat(m.inputShape()).isEqualTo(Shape.of(4, 5));
        assertThat(m.summary()).contains("(None, 3)");
    }

    @Test
    void trainOnBatchTakesOneStep() {
        Sequential m = Sequential.of(Input.shape(2), new Dense(1));
        m.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        Tensor x = Tensor.of(new float[] {1, 2}, 1, 2);
        Tensor y = Tensor.of(new float[] {1}, 1, 1);
        double before = m.evaluate(x, y).loss();
        assertThat(m.trainOnBatch(x, y)).isCloseTo(before, within(1e-7));
        assertThat(m.evaluate(x, y).loss()).isLessThan(before);
        assertThat(m.optimizer().iterations()).isEqualTo(1);
    }

    @Test
    void predictNeverHandsBackTheInputsOrAWeightsStorage() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        for (Sequential m : List.of(Sequential.of(Input.shape(3), new Dropout(0.5f)),
                Sequential.of(Input.shape(3), new io.rnn4j.layers.Reshape(3, 1)), Sequential.of(Input.shape(3)))) {
            Tensor y = m.predict(x);
            assertThat(y.storage()).as("one batch of %s", m.layers()).isNotSameAs(x.storage());
            assertThat(y.toArray()).isEqualTo(x.toArray());
        }
        Sequential dense = Sequential.of(Input.shape(3), new Dense(2));
        Tensor y = dense.predict(x);
        for (var w : dense.weights()) {
            assertThat(y.storage()).isNotSameAs(w.value().storage());
        }
    }

    @Test
    void aFunctionalPredictGivesEachOutputItsOwnStorageAndAStatefulLayerKeepsItsStates() {
        Seeds.set(8);
        var in = Input.shape(4, 2);
        var lstm = new LSTM(3).returnSequences(true).returnState(true);
        var out = lstm.applyAll(in);
        Model twice = Model.of(List.of(in), List.of(out.get(0), out.get(1), out.get(1), in.symbolic()));
        Tensor x = uniform(new Random(8), -1, 1, 1, 4, 2);
        List<Tensor> y = twice.predict(List.of(x));
        assertThat(y.get(1).storage()).isNotSameAs(y.get(2).storage());
        assertThat(y.get(1).toArray()).isEqualTo(y.get(2).toArray());
        assertThat(y.get(3).storage()).isNotSameAs(x.storage());

        var fixed = Input.batchShape(1, 4, 2);
        var stateful = new GRU(3).stateful(true).returnState(true).applyAll(fixed);
        Model m = Model.of(List.of(fixed), stateful);
        m.predict(List.of(x));
        float[] clean = m.predict(List.of(x)).get(1).toArray();
        m.resetStates();
        List<Tensor> first = m.predict(List.of(x));
        for (Tensor t : first) {
            t.device().fill(t, 7f); // the caller scribbles on what it got
        }
        assertThat(m.predict(List.of(x)).get(1).toArray()).as("the second call starts from the layer's own states")
                .isEqualTo(clean);
    }

    /**
     * Keras 3's summary adds a built optimizer's variables (an int64 iteration count, a float32
     * learning rate unless a schedule gives it, the slots) to the total; the expected lines follow
     * Keras's summary_utils (checked against a Keras 3 summary: 6,405 trainable weights under Adam
     * print "Optimizer params: 12,812 (50.05 KB)").
     */
    @Test
    void aBuiltOptimizersVariablesAreCountedAsKeras3Does() {
        Seeds.set(3);
        Sequential m = Sequential.of(Input.shape(2), new Dense(3));
        m.compile(Optimizers.adam(), Losses.meanSquaredError());
        assertThat(m.summary()).contains(" Total params: 9 (36.00 B)").doesNotContain("Optimizer params");
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor y = Tensor.of(new float[] {1, 0, 1, 0, 1, 0}, 2, 3);
        m.fit(x, y, Fit.defaults().batchSize(2).epochs(1).verbose(0));
        assertThat(m.summary()).contains(" Total params: 29 (120.00 B)\n Trainable params: 9 (36.00 B)\n"
                + " Non-trainable params: 0 (0.00 B)\n Optimizer params: 20 (84.00 B)\n");
        m.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        m.fit(x, y, Fit.defaults().batchSize(2).epochs(1).verbose(0));
        assertThat(m.summary()).contains(" Optimizer params: 2 (12.00 B)");
    }
}
