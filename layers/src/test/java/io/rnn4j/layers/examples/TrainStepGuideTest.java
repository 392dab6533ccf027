package io.rnn4j.layers.examples;

import static io.rnn4j.layers.examples.Examples.assertHistory;
import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.flat;
import static io.rnn4j.layers.keras.Keras3151.npyValues;
import static io.rnn4j.layers.keras.Keras3151.setFlat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Reshape;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.callbacks.EarlyStopping;
import io.rnn4j.layers.keras.Keras3151;
import io.rnn4j.layers.losses.Loss;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Mean;
import io.rnn4j.layers.metrics.Metric;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.model.Evaluation;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Gradients;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.ModelStep;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizer;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * keras-io's guides/custom_train_step_in_tensorflow.py ("Customizing what happens in fit()") with small
 * LSTM/GRU models: a custom train_step (with sample weights), test_step, own trackers listed as the
 * model's metrics, EarlyStopping on a custom-step metric, and the GAN's step for two models — each fit's
 * history (every epoch, validation too) and weights as Keras 3.15.1 computed them
 * (keras3151/make_train_step.py writes {@code step_*}). Bar: {@code Keras3151.assertClose}.
 */
class TrainStepGuideTest {
    private static final Fit FIT = Fit.defaults().batchSize(8).shuffle(false).verbose(0);

    private static Tensor npy(String name) throws IOException {
        return Keras3151.npy("step_" + name + ".npy");
    }

    private static double[] want(String name) throws IOException {
        return npyValues("step_" + name + ".npy");
    }

    private static Sequential lstmModel(String w0) throws IOException {
        Sequential m = Sequential.of(Input.shape(5, 3), new LSTM(4), new Dense(1));
        setFlat(m.weights(), want(w0));
        m.compile(Optimizers.sgd(0.1), Losses.meanSquaredError(), Metrics.meanAbsoluteError());
        return m;
    }

    /** The guide's first train_step, sample weights included: compute_loss, apply, every metric, their results. */
    private static ModelStep guideStep(Sequential model) {
        return (data, ctx) -> {
            Variable yPred = ctx.call(data.x());
            Variable loss = ctx.computeLoss(data.y(), yPred, data.sampleWeight());
            ctx.optimizer().apply(Gradients.of(loss, model.trainableWeights()), model.trainableWeights());
            ctx.updateMetrics(loss, data.y(), yPred, data.sampleWeight());
            return ctx.metricsResult();
        };
    }

    @Test
    void basicTrainStepFitsAsKerasWithDefaultValidationAndCustomTestStepEvaluates() throws IOException {
        Sequential m = lstmModel("basic.w0");
        m.customSteps().trainStep(guideStep(m)).testStep((data, ctx) -> {
            Variable yPred = ctx.call(data.x());
            Variable loss = ctx.computeLoss(data.y(), yPred, null);
            ctx.updateMetrics(loss, data.y(), yPred, null);
            return ctx.metricsResult();
        });
        // validation runs the test step: the same numbers as Keras's default one in batches of 8 here
        History h = m.fit(npy("x"), npy("y"), FIT.epochs(3).validationData(npy("xv"), npy("yv")));
        // the loss tracker counts each batch once (20 samples: 8, 8, 4), unlike the default fit's loss
        assertHistory("custom train_step fit", h, want("basic.hist"), "loss", "mae", "val_loss", "val_mae");
        assertClose("weights after fit", flat(m.weights()), want("basic.after"));
        Evaluation ev = m.evaluate(npy("xv"), npy("yv"), null, 4);
        assertClose("custom test_step evaluate [loss, mae]", new float[] {(float) ev.loss(),
            (float) ev.metric("mae")}, want("basic.eval"));
        m.customSteps().testStep(null);
        assertThat(m.evaluate(npy("xv"), npy("yv"), null, 4).loss()).as("default evaluate weighs batches by size")
                .isNotCloseTo(ev.loss(), org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void sampleWeightsReachTheStepThroughData() throws IOException {
        Sequential m = lstmModel("sw.w0");
        m.customSteps().trainStep(guideStep(m));
        History h = m.fit(npy("x"), npy("y"), FIT.epochs(2).sampleWeight(npy("sw")));
        assertHistory("train_step with sample_weight", h, want("sw.hist"), "loss", "mae");
        assertClose("weights after fit", flat(m.weights()), want("sw.after"));
    }

    private static Sequential lowLevel(Mean lossTracker, Metric mae) throws IOException {
        Sequential m = Sequential.of(Input.shape(5, 3), new GRU(4), new Dense(1));
        setFlat(m.weights(), want("low.w0"));
        m.compile(Optimizers.adam(0.01));
        m.customSteps().metrics(lossTracker, mae).trainStep((data, ctx) -> {
            Variable yPred = ctx.call(data.x());
            Variable err = Ops.sub(yPred, Variable.constant(data.y()));
            Variable loss = Ops.mean(Ops.mul(err, err), -1, false);  // keras.losses.mean_squared_error: per sample
            ctx.optimizer().apply(Gradients.of(loss, m.trainableWeights()), m.trainableWeights());
            lossTracker.updateState(loss.value());
            mae.update(data.y(), yPred.value());
            return Map.of("loss", lossTracker.result(), "mae", mae.result());
        });
        return m;
    }

    @Test
    void ownTrackersListedAsMetricsResetEachEpoch() throws IOException {
        Mean lossTracker = new Mean("loss");
        Metric mae = Metrics.meanAbsoluteError();
        Sequential m = lowLevel(lossTracker, mae);
        History h = m.fit(npy("x"), npy("y"), FIT.epochs(3));
        assertHistory("compile(optimizer) only, own trackers", h, want("low.hist"), "loss", "mae");
        assertClose("weights after fit", flat(m.weights()), want("low.after"));
    }

    @Test
    void earlyStoppingOnACustomStepMetricStopsAsKeras() throws IOException {
        Sequential m = lowLevel(new Mean("loss"), Metrics.meanAbsoluteError());
        // Keras's auto mode looks through the compiled metrics only, so it cannot tell mae's direction here
        assertThatThrownBy(() -> m.fit(npy("x"), npy("y"), FIT.epochs(5).callbacks(new EarlyStopping()
                .monitor("mae").minDelta(10).patience(1)))).hasMessageContaining("monitor=mae");
        History h = m.fit(npy("x"), npy("y"), FIT.epochs(5).callbacks(new EarlyStopping().monitor("mae")
                .mode("min").minDelta(10).patience(1)));
        assertHistory("EarlyStopping(mae, min_delta 10, patience 1)", h, want("low.early_hist"), "loss", "mae");
    }

    @Test
    void ganTrainStepForTwoModelsAsKeras() throws IOException {
        Sequential disc = Sequential.of(Input.shape(5, 3), new LSTM(3), new Dense(1));
        Sequential gen = Sequential.of(Input.shape(2), new Dense(15), new Reshape(5, 3));
        setFlat(disc.weights(), want("gan.dw0"));
        setFlat(gen.weights(), want("gan.gw0"));
        Loss lossFn = Losses.binaryCrossentropy(true);
        Optimizer gOpt = Optimizers.adam(0.003);
        Mean dTracker = new Mean("d_loss");
        Mean gTracker = new Mean("g_loss");
        disc.compile(Optimizers.adam(0.003));
        disc.customSteps().metrics(dTracker, gTracker).trainStep((data, ctx) -> {
            int b = data.x().dim(0);
            Variable z = Variable.constant(data.y());
            Variable generated = gen.call(Ops.slice(z, 1, 0, 2), ctx.callContext());
            Variable combined = Ops.concat(0, Variable.constant(generated.value()), Variable.constant(data.x()));
            float[] labels = new float[2 * b];
            Arrays.fill(labels, 0, b, 1f);
            Variable dLoss = lossFn.compute(Variable.constant(Tensor.of(labels, 2 * b, 1)),
                    disc.call(combined, ctx.callContext()));
            ctx.optimizer().apply(Gradients.of(dLoss, disc.trainableWeights()), disc.trainableWeights());
            Variable predictions = disc.call(gen.call(Ops.slice(z, 1, 2, 2), ctx.callContext()), ctx.callContext());
            Variable gLoss = lossFn.compute(Variable.constant(Tensor.of(new float[b], b, 1)), predictions);
            gOpt.apply(Gradients.of(gLoss, gen.trainableWeights()), gen.trainableWeights());
            dTracker.updateState(dLoss.value());
            gTracker.updateState(gLoss.value());
            return ctx.metricsResult();
        });
        History h = disc.fit(npy("x"), npy("gan.z"), FIT.epochs(2));
        assertHistory("GAN", h, want("gan.hist"), "d_loss", "g_loss");
        assertClose("discriminator after", flat(disc.weights()), want("gan.dafter"));
        assertClose("generator after", flat(gen.weights()), want("gan.gafter"));
    }
}
