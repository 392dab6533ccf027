package io.rnn4j.layers.examples;

import static io.rnn4j.layers.examples.Examples.assertHistory;
import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.flat;
import static io.rnn4j.layers.keras.Keras3151.npyValues;
import static io.rnn4j.layers.keras.Keras3151.setFlat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.callbacks.ReduceLROnPlateau;
import io.rnn4j.layers.keras.Keras3151;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Mean;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Gradients;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import io.rnn4j.layers.regularizers.Regularizers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A review of the custom train step API against Keras 3.15.1 (keras3151/make_step_review.py writes
 * {@code steprev_*}): a two-output model's step logs each output's loss, {@code compute_metrics}, logs that
 * hold plain numbers and a callback monitoring one, the gradient with respect to an input, a step that
 * throws mid-epoch, and bad logs. Bar: {@code Keras3151.assertClose}.
 */
class TrainStepReviewTest {
    private static final Fit FIT = Fit.defaults().batchSize(4).shuffle(false).verbose(0);

    private static Tensor npy(String name) throws IOException {
        return Keras3151.npy("steprev_" + name + ".npy");
    }

    private static double[] want(String name) throws IOException {
        return npyValues("steprev_" + name + ".npy");
    }

    /** The fixture's two-output model: an L2-regularized LSTM, outputs "a" (mse, mae metric) and "b" (mae, 0.5). */
    private static Model twoOutputs() throws IOException {
        Input in = Input.shape(4, 3);
        LSTM lstm = new LSTM(3);
        lstm.kernelRegularizer(Regularizers.l2(0.05));
        SymbolicTensor h = lstm.apply(in);
        Model m = Model.of(in, List.of(new Dense(1).named("a").apply(h), new Dense(2).named("b").apply(h)));
        setFlat(m.weights(), want("multi.w0"));
        m.compile(Optimizers.sgd(0.1), List.of(Losses.meanSquaredError(), Losses.meanAbsoluteError()),
                List.of(1.0, 0.5), List.of(List.of(Metrics.meanAbsoluteError()), List.of()));
        return m;
    }

    @Test
    void twoOutputStepLogsEachOutputsLossAsKeras() throws IOException {
        // Keras: compute_loss (sample weights, model.losses), _loss_tracker.update_state(loss), compute_metrics
        Model m = twoOutputs();
        m.customSteps().trainStep((data, ctx) -> {
            List<Variable> yPred = ctx.call(data.inputs());
            Variable loss = ctx.computeLoss(data.targets(), yPred, data.sampleWeight());
            ctx.optimizer().apply(Gradients.of(loss, m.trainableWeights()), m.trainableWeights());
            m.customSteps().lossTracker().updateState(loss.value().item());
            return ctx.computeMetrics(data.targets(), yPred, data.sampleWeight());
        });
        List<Tensor> y = List.of(npy("ya"), npy("yb"));
        History h = m.fit(List.of(npy("x")), y, FIT.epochs(2).sampleWeight(npy("sw")));
        assertThat(h.history().keySet()).as("Keras's logs: the loss, the compiled metric, each output's loss")
                .containsExactly("loss", "a_mae", "a_loss", "b_loss");
        assertHistory("two-output step", h, want("multi.hist"), "loss", "a_mae", "a_loss", "b_loss");
        assertClose("weights after fit", flat(m.weights()), want("multi.after"));

        // the guide's updateMetrics + metricsResult give the same logs (the loss tracker counts each batch once)
        Model again = twoOutputs();
        again.customSteps().trainStep((data, ctx) -> {
            List<Variable> yPred = ctx.call(data.inputs());
            Variable loss = ctx.computeLoss(data.targets(), yPred, data.sampleWeight());
            ctx.optimizer().apply(Gradients.of(loss, again.trainableWeights()), again.trainableWeights());
            ctx.updateMetrics(loss, data.targets(), yPred, data.sampleWeight());
            assertThat(ctx.metrics()).extracting(io.rnn4j.layers.metrics.Metric::name)
                    .containsExactly("loss", "mae", "a_loss", "b_loss");
            return ctx.metricsResult();
        });
        assertHistory("updateMetrics", again.fit(List.of(npy("x")), y, FIT.epochs(2).sampleWeight(npy("sw"))),
                want("multi.hist"), "loss", "a_mae", "a_loss", "b_loss");
    }

    @Test
    void defaultFitOfTwoOutputsLogsEachOutputsLossAsKerasOverAPartialLastBatch() throws IOException {
        // 10 samples in batches of 4, 4, 2: Keras (TensorFlow) counts each batch's output loss once
        Model m = twoOutputs();
        History h = m.fit(List.of(npy("x")), List.of(npy("ya"), npy("yb")), FIT.epochs(2).sampleWeight(npy("sw")));
        assertHistory("default two-output fit", h, want("multi_default.hist"), "loss", "a_mae", "a_loss", "b_loss");
    }

    @Test
    void meanWeightedUpdateAsKerasSampleWeight() {
        Mean mean = new Mean("loss");
        mean.updateState(2.0, 4);
        mean.updateState(1.0, 1);
        assertThat(mean.result()).isEqualTo(9.0 / 5);
        assertThatThrownBy(() -> mean.updateState(1.0, -1)).hasMessageContaining("loss.updateState: the weight");
    }

    @Test
    void plainNumbersInTheLogsEpochReportsTheLastBatchAndACallbackMonitorsThem() throws IOException {
        Sequential m = Sequential.of(Input.shape(4, 3), new GRU(3), new Dense(1));
        setFlat(m.weights(), want("float.w0"));
        m.compile(Optimizers.sgd(0.2));
        Mean tracker = new Mean("loss");
        m.customSteps().metrics(tracker).trainStep((data, ctx) -> {
            Variable loss = Losses.meanSquaredError().compute(Variable.constant(data.y()), ctx.call(data.x()));
            ctx.optimizer().apply(Gradients.of(loss, m.trainableWeights()), m.trainableWeights());
            tracker.updateState(loss.value().item());
            @SuppressWarnings({"unchecked", "rawtypes"})
            Map<String, Double> logs = (Map) new LinkedHashMap<>(Map.of("scale", 2.5f));  // a Python float
            logs.put("loss", tracker.result());
            logs.put("batch_loss", (double) loss.value().item());
            return logs;
        });
        ReduceLROnPlateau plateau = new ReduceLROnPlateau().monitor("batch_loss").mode("min").factor(0.5)
                .patience(0).minDelta(10.0);
        History h = m.fit(npy("x"), npy("ya"), FIT.epochs(3).callbacks(plateau));
        assertHistory("float logs", h, want("float.hist"), "loss", "batch_loss", "scale", "learning_rate");
        assertClose("weights after fit", flat(m.weights()), want("float.after"));
    }

    @Test
    void gradientWithRespectToAWatchedInputAsKerasTapeWatch() throws IOException {
        Input in = Input.shape(4, 3);
        Model m = Model.of(in, new Dense(1).apply(new LSTM(3).apply(in)));
        setFlat(m.weights(), want("sal.w0"));
        Variable x = Gradients.watch(npy("x").narrow(0, 3));
        Variable out = m.call(List.of(x), CallContext.inference()).get(0);
        List<Tensor> g = Gradients.ofVariables(out, List.of(x));
        assertClose("d sum(model(x)) / dx", g.get(0).toArray(), want("sal.grad"));
    }

    @Test
    void aStepThrowingMidEpochLeavesAppliedUpdatesCountedAndTheNextFitResetsTheMetrics() throws IOException {
        Sequential m = Sequential.of(Input.shape(4, 3), new GRU(3), new Dense(1));
        m.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        int[] calls = {0};
        List<Double> batchLosses = new ArrayList<>();
        m.customSteps().trainStep((data, ctx) -> {
            Variable yPred = ctx.call(data.x());
            Variable loss = ctx.computeLoss(data.y(), yPred, null);
            if (++calls[0] == 2) {
                throw new IllegalStateException("boom in batch 2");
            }
            ctx.optimizer().apply(Gradients.of(loss, m.trainableWeights()), m.trainableWeights());
            batchLosses.add((double) loss.value().item());
            ctx.updateMetrics(loss, data.y(), yPred, null);
            return ctx.metricsResult();
        });
        assertThatThrownBy(() -> m.fit(npy("x"), npy("ya"), FIT.epochs(1))).hasMessage("boom in batch 2");
        assertThat(m.optimizer().iterations()).as("updates applied before the throw").isEqualTo(1);
        batchLosses.clear();
        History h = m.fit(npy("x"), npy("ya"), FIT.epochs(1));
        assertThat(m.optimizer().iterations()).isEqualTo(4);
        double mean = batchLosses.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(h.get("loss").get(0)).as("the next fit's loss: its own 3 batches only, reset at epoch start")
                .isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void badLogsAreRefusedNamingTheLog() throws IOException {
        Sequential m = Sequential.of(Input.shape(4, 3), new GRU(2), new Dense(1));
        m.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        Map<String, Double> nullValue = new HashMap<>();
        nullValue.put("loss", null);
        m.customSteps().trainStep((data, ctx) -> nullValue);
        assertThatThrownBy(() -> m.fit(npy("x"), npy("ya"), FIT)).hasMessageContaining("log 'loss' = null")
                .hasMessageContaining("custom train step");
        Map<String, Double> nullKey = new HashMap<>();
        nullKey.put(null, 1.0);
        m.customSteps().trainStep((data, ctx) -> nullKey);
        assertThatThrownBy(() -> m.fit(npy("x"), npy("ya"), FIT)).hasMessageContaining("a log named null");
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, Double> text = (Map) Map.of("loss", "0.5");
        m.customSteps().testStep((data, ctx) -> text);
        assertThatThrownBy(() -> m.evaluate(npy("x"), npy("ya"), null, 4))
                .hasMessageContaining("custom test step returned log 'loss' = 0.5 (String)");
        m.customSteps().trainStep((data, ctx) -> Map.of());
        assertThat(m.fit(npy("x"), npy("ya"), FIT).history().keySet()).as("empty logs, as Keras's fit takes them").isEmpty();
    }
}
