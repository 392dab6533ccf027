package io.rnn4j.layers.examples;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.flat;
import static io.rnn4j.layers.keras.Keras3151.flatTensors;
import static io.rnn4j.layers.keras.Keras3151.npyValues;
import static io.rnn4j.layers.keras.Keras3151.setFlat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
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
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizer;
import io.rnn4j.layers.optimizers.Optimizers;
import io.rnn4j.layers.regularizers.Regularizers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * keras-io's custom-training guides — guides/writing_a_custom_training_loop_in_tensorflow.py (and its jax
 * twin) and guides/custom_train_step_in_tensorflow.py — one test per section, with small recurrent models
 * (Embedding → LSTM(8) → Dense(3), a GRU over float sequences) instead of the guides' MNIST MLP. Each is
 * checked against what Keras 3.15.1 (TensorFlow backend) computed: keras3151/make_custom_loop.py writes
 * {@code loop_<section>.*} and asserts there that Keras's own custom loop and fit agree. Bar: {@code
 * Keras3151.assertClose}, 1e-5 + 1e-5·|y|.
 *
 * <p>The loop is the guide's, in Java: {@code model.call(x, training ctx)}, the loss, {@link Gradients#of}
 * (tape.gradient), {@link Optimizer#apply(List, List)}, the metrics' update/result/reset, and
 * {@code model.losses(ctx)} for what the layers and regularizers add.
 */
class CustomTrainingLoopGuideTest {
    private static final Loss LOGITS_CE = Losses.sparseCategoricalCrossentropy(true);

    private static Tensor npy(String name) throws IOException {
        return Keras3151.npy("loop_" + name + ".npy");
    }

    private static double[] want(String name) throws IOException {
        return npyValues("loop_" + name + ".npy");
    }

    private static Sequential embeddingModel(boolean regularized) {
        LSTM lstm = new LSTM(8);
        Dense dense = new Dense(3);
        if (regularized) {
            lstm.kernelRegularizer(Regularizers.l2(1e-2));
            dense.activityRegularizer(Regularizers.l1(1e-2));
        }
        return Sequential.of(Input.shape(5), new Embedding(12, 4), lstm, dense);
    }

    private static Sequential gruModel(int units, int outputs) {
        return Sequential.of(Input.shape(5, 3), new GRU(units), new Dense(outputs));
    }

    private static Sequential loaded(Supplier<Sequential> build, String w0) throws IOException {
        Sequential m = build.get();
        setFlat(m.weights(), want(w0));
        return m;
    }

    /** What the guide's loop records. */
    private record Run(float[] stepLoss, float[] stepAcc, float[] epochAcc, float[] valAcc, float[] modelLosses,
            List<Tensor> firstGrads) {
    }

    /**
     * The guide's training loop: per batch of 4 (no shuffle), forward in training mode, the loss (plus
     * sum(model.losses) when asked), gradients, optimizer.apply, the train metric; at each epoch's end the
     * metric's result and reset, then the validation loop in inference mode.
     */
    private static Run customLoop(Sequential model, Optimizer optimizer, Tensor x, Tensor y, int epochs, Tensor xv,
            Tensor yv, boolean withModelLosses) {
        Metric trainAcc = Metrics.sparseCategoricalAccuracy();
        Metric valAcc = Metrics.sparseCategoricalAccuracy();
        int steps = x.dim(0) / 4;
        float[] stepLoss = new float[epochs * steps];
        float[] stepAcc = new float[epochs * steps];
        float[] modelLosses = new float[epochs * steps];
        float[] epochAcc = new float[epochs];
        float[] val = new float[epochs];
        List<Tensor> first = null;
        for (int epoch = 0, s = 0; epoch < epochs; epoch++) {
            for (int step = 0; step < steps; step++, s++) {
                Tensor xb = x.narrow(step * 4, 4);
                Tensor yb = y.narrow(step * 4, 4);
                CallContext ctx = CallContext.training(Seeds.of(1));
                Variable logits = model.call(Variable.constant(xb), ctx);
                Variable loss = LOGITS_CE.compute(Variable.constant(yb), logits);
                if (withModelLosses) {
                    Variable extra = null;
                    for (Variable l : model.losses(ctx)) {
                        extra = extra == null ? l : Ops.add(extra, l);
                    }
                    modelLosses[s] = extra.value().item();
                    loss = Ops.add(loss, extra);
                }
                List<Tensor> grads = Gradients.of(loss, model.trainableWeights());
                first = first == null ? grads : first;
                optimizer.apply(grads, model.trainableWeights());
                trainAcc.update(yb, logits.value());
                stepLoss[s] = loss.value().item();
                stepAcc[s] = (float) trainAcc.result();
            }
            epochAcc[epoch] = (float) trainAcc.result();
            trainAcc.reset();
            if (xv != null) {
                for (int from = 0; from < xv.dim(0); from += 4) {
                    Variable logits = model.call(Variable.constant(xv.narrow(from, 4)), CallContext.inference());
                    valAcc.update(yv.narrow(from, 4), logits.value());
                }
                val[epoch] = (float) valAcc.result();
                valAcc.reset();
            }
        }
        return new Run(stepLoss, stepAcc, epochAcc, val, modelLosses, first);
    }

    private static void compileCe(Sequential m, Optimizer opt) {
        m.compile(opt, LOGITS_CE, Metrics.sparseCategoricalAccuracy());
    }

    private static float[] column(History h, String key) {
        List<Double> v = h.get(key);
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i).floatValue();
        }
        return out;
    }

    private static double[] column(double[] rows, int columns, int c) {
        double[] out = new double[rows.length / columns];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows[i * columns + c];
        }
        return out;
    }

    /** "End-to-end example" with SGD: the loop's per-step loss and accuracy, validation, weights; and fit's. */
    @Test
    void sgdLoopAsKerasAndAsFit() throws IOException {
        Tensor x = npy("x");
        Tensor y = npy("y");
        Sequential m = loaded(() -> embeddingModel(false), "sgd.w0");
        Run r = customLoop(m, Optimizers.sgd(0.1), x, y, 2, npy("xv"), npy("yv"), false);
        assertClose("first step's gradients (tape.gradient)", flatTensors(r.firstGrads()), want("sgd.grads0"));
        assertClose("per-step loss", r.stepLoss(), want("sgd.step_loss"));
        assertClose("per-step train accuracy", r.stepAcc(), want("sgd.step_acc"));
        assertClose("epoch train accuracy", r.epochAcc(), want("sgd.epoch_acc"));
        assertClose("epoch validation accuracy", r.valAcc(), want("sgd.val_acc"));
        assertClose("weights after the loop", flat(m.weights()), want("sgd.after"));

        Sequential f = loaded(() -> embeddingModel(false), "sgd.w0");
        compileCe(f, Optimizers.sgd(0.1));
        History h = f.fit(x, y, Fit.defaults().batchSize(4).epochs(2).shuffle(false)
                .validationData(npy("xv"), npy("yv")).verbose(0));
        double[] hist = want("sgd.fit_hist");
        assertClose("fit loss", column(h, "loss"), column(hist, 4, 0));
        assertClose("fit accuracy", column(h, "sparse_categorical_accuracy"), column(hist, 4, 1));
        assertClose("fit val_loss", column(h, "val_loss"), column(hist, 4, 2));
        assertClose("fit val_accuracy", column(h, "val_sparse_categorical_accuracy"), column(hist, 4, 3));
        assertClose("weights after fit", flat(f.weights()), want("sgd.fit_after"));
        assertClose("fit's weights as the loop's", flat(f.weights()), toDouble(flat(m.weights())));
    }

    /** The same loop with Adam on a GRU over float sequences: the loop's losses and weights, and fit's. */
    @Test
    void adamLoopAsKerasAndAsFit() throws IOException {
        Tensor x = npy("xf");
        Tensor y = npy("y");
        Sequential m = loaded(() -> gruModel(8, 3), "adam.w0");
        Run r = customLoop(m, Optimizers.adam(0.01), x, y, 2, null, null, false);
        assertClose("per-step loss", r.stepLoss(), want("adam.step_loss"));
        assertClose("weights after the loop", flat(m.weights()), want("adam.after"));

        Sequential f = loaded(() -> gruModel(8, 3), "adam.w0");
        compileCe(f, Optimizers.adam(0.01));
        History h = f.fit(x, y, Fit.defaults().batchSize(4).epochs(2).shuffle(false).verbose(0));
        double[] hist = want("adam.fit_hist");
        assertClose("fit loss", column(h, "loss"), column(hist, 2, 0));
        assertClose("fit accuracy", column(h, "sparse_categorical_accuracy"), column(hist, 2, 1));
        assertClose("weights after fit", flat(f.weights()), want("adam.fit_after"));
    }

    /** "Low-level handling of losses tracked by the model": loss + sum(model.losses), as the guide adds them. */
    @Test
    void modelLossesEnterAsInTheGuide() throws IOException {
        Tensor x = npy("x");
        Tensor y = npy("y");
        Sequential m = loaded(() -> embeddingModel(true), "reg.w0");
        Run r = customLoop(m, Optimizers.sgd(0.1), x, y, 1, null, null, true);
        assertClose("sum(model.losses) per step", r.modelLosses(), want("reg.step_model_losses"));
        assertClose("per-step loss", r.stepLoss(), want("reg.step_loss"));
        assertClose("weights after the loop", flat(m.weights()), want("reg.after"));

        Sequential f = loaded(() -> embeddingModel(true), "reg.w0");
        compileCe(f, Optimizers.sgd(0.1));
        History h = f.fit(x, y, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertClose("fit loss", column(h, "loss"), want("reg.fit_loss"));
        assertClose("weights after fit", flat(f.weights()), want("reg.fit_after"));
    }

    /**
     * A frozen layer's weight regularizer is no part of the loss (Keras's model.losses holds the trainable
     * weights' penalties only): model.losses(ctx) and fit leave the frozen LSTM's kernel penalty out.
     */
    @Test
    void frozenLayersRegularizerLeavesTheLoss() throws IOException {
        Sequential f = loaded(() -> embeddingModel(true), "reg.w0");
        f.layers().get(1).trainable(false);
        CallContext ctx = CallContext.training(Seeds.of(1));
        f.call(Variable.constant(npy("x").narrow(0, 4)), ctx);
        assertThat(f.losses(ctx)).as("the activity loss alone").hasSize(1);
        f.compile(Optimizers.sgd(0.1), LOGITS_CE);
        History h = f.fit(npy("x"), npy("y"), Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertClose("fit loss", column(h, "loss"), want("reg.frozen_loss"));
        assertClose("weights after fit", flat(f.weights()), want("reg.frozen_after"));
    }

    /** train_on_batch over the batches, then test_on_batch: losses, accuracies and weights as Keras's. */
    @Test
    void trainOnBatchAndTestOnBatch() throws IOException {
        Tensor x = npy("x");
        Tensor y = npy("y");
        Sequential m = loaded(() -> embeddingModel(false), "sgd.w0");
        compileCe(m, Optimizers.sgd(0.1));
        float[] got = new float[8];
        for (int step = 0; step < 4; step++) {
            got[2 * step] = (float) m.trainOnBatch(x.narrow(step * 4, 4), y.narrow(step * 4, 4));
            got[2 * step + 1] = (float) m.metrics().get(0).result();
        }
        assertClose("train_on_batch [loss, accuracy]", got, want("onbatch.train"));
        Evaluation e = m.testOnBatch(npy("xv"), npy("yv"));
        assertClose("test_on_batch [loss, accuracy]",
                new float[] {(float) e.loss(), (float) e.metric("sparse_categorical_accuracy")}, want("onbatch.test"));
        assertClose("weights after", flat(m.weights()), want("onbatch.after"));
    }

    /**
     * "Going lower-level" of custom_train_step_in_tensorflow.py: the train_step's body (per-sample MSE,
     * whose tape.gradient is of its sum; a Mean loss tracker and an MAE metric, reset each epoch) run as
     * fit runs it gives Keras's fit logs and weights.
     */
    @Test
    void customTrainStepAsKeras() throws IOException {
        Tensor x = npy("xf");
        Tensor y = npy("step.ys");
        Sequential m = loaded(() -> gruModel(6, 1), "step.w0");
        Optimizer sgd = Optimizers.sgd(0.05);
        Mean lossTracker = new Mean("loss");
        Metric mae = Metrics.meanAbsoluteError();
        float[] got = new float[4];
        for (int epoch = 0; epoch < 2; epoch++) {
            lossTracker.reset();
            mae.reset();
            for (int from = 0; from < 16; from += 4) {
                Tensor yb = y.narrow(from, 4);
                Variable pred = m.call(Variable.constant(x.narrow(from, 4)), CallContext.training(Seeds.of(1)));
                Variable loss = Losses.meanSquaredError().perSample(Variable.constant(yb), pred);
                assertThat(loss.shape().dims()).as("per-sample loss").containsExactly(4);
                sgd.apply(Gradients.of(loss, m.trainableWeights()), m.trainableWeights());
                lossTracker.updateState(loss.value());
                mae.update(yb, pred.value());
            }
            got[2 * epoch] = (float) lossTracker.result();
            got[2 * epoch + 1] = (float) mae.result();
        }
        assertClose("fit's [loss, mae] per epoch", got, want("step.hist"));
        assertClose("weights after", flat(m.weights()), want("step.after"));
        assertThatThrownBy(() -> m.compile(sgd, Losses.meanSquaredError(), lossTracker))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("updateState");
    }

    /**
     * The GAN-style loop with two models and two Adam optimizers, LSTMs at tiny size: the discriminator's
     * step on generated and real sequences (label noise given), then the generator's through the
     * discriminator, whose weights its gradients leave alone.
     */
    @Test
    void ganLoopWithTwoOptimizersAsKeras() throws IOException {
        Sequential gen = Sequential.of(Input.shape(4, 2), new LSTM(4).returnSequences(true), new Dense(1));
        Sequential disc = Sequential.of(Input.shape(4, 1), new LSTM(4), new Dense(1));
        setFlat(gen.weights(), want("gan.gw0"));
        setFlat(disc.weights(), want("gan.dw0"));
        Loss bce = Losses.binaryCrossentropy(true);
        Optimizer dOpt = Optimizers.adam(3e-3);
        Optimizer gOpt = Optimizers.adam(3e-3);
        Tensor real = npy("gan.real");
        Tensor z1 = npy("gan.z1");
        Tensor z2 = npy("gan.z2");
        Tensor jitter = npy("gan.jitter");
        float[] dLoss = new float[2];
        float[] gLoss = new float[2];
        for (int step = 0; step < 2; step++) {
            Variable generated = gen.call(Variable.constant(z1.narrow(step, 1).reshape(4, 4, 2)),
                    CallContext.training(Seeds.of(1)));
            Variable combined = Ops.concat(0, generated.detach(), Variable.constant(real.narrow(step * 4, 4)));
            float[] labels = jitter.narrow(step, 1).toArray();
            for (int i = 0; i < 4; i++) {
                labels[i] += 1f;
            }
            Variable d = bce.compute(Variable.constant(Tensor.of(labels, 8, 1)),
                    disc.call(combined, CallContext.training(Seeds.of(1))));
            dOpt.apply(Gradients.of(d, disc.trainableWeights()), disc.trainableWeights());
            float[] discBefore = flat(disc.weights());
            Variable g = bce.compute(Variable.constant(Tensor.of(new float[4], 4, 1)),
                    disc.call(gen.call(Variable.constant(z2.narrow(step, 1).reshape(4, 4, 2)),
                            CallContext.training(Seeds.of(1))), CallContext.training(Seeds.of(1))));
            List<Tensor> gGrads = Gradients.of(g, gen.trainableWeights());
            assertThat(disc.weights()).allSatisfy(w -> assertThat(w.variable().grad()).isNull());
            gOpt.apply(gGrads, gen.trainableWeights());
            assertThat(flat(disc.weights())).as("the discriminator, through the generator's step").isEqualTo(
                    discBefore);
            dLoss[step] = d.value().item();
            gLoss[step] = g.value().item();
        }
        assertClose("discriminator loss", dLoss, want("gan.d_loss"));
        assertClose("generator loss", gLoss, want("gan.g_loss"));
        assertClose("generator weights", flat(gen.weights()), want("gan.gafter"));
        assertClose("discriminator weights", flat(disc.weights()), want("gan.dafter"));
    }

    /**
     * Gradients.of against central differences of the loss in float32 (h = 1e-2, each derivative within
     * 2e-3 + 2e-2·|g|: the float32 loss's rounding over 2h and the O(h²) term stay below it), on 40 entries
     * spread over every weight of the Embedding → LSTM → Dense model; the weights' own grad slots stay empty.
     */
    @Test
    void gradientsMatchFiniteDifferences() throws IOException {
        Sequential m = loaded(() -> embeddingModel(true), "reg.w0");
        Tensor xb = npy("x").narrow(0, 4);
        Variable yb = Variable.constant(npy("y").narrow(0, 4));
        Supplier<Variable> loss = () -> {
            CallContext ctx = CallContext.inference();
            Variable l = LOGITS_CE.compute(yb, m.call(Variable.constant(xb), ctx));
            for (Variable extra : m.losses(ctx)) {
                l = Ops.add(l, extra);
            }
            return l;
        };
        List<Weight> weights = m.trainableWeights();
        List<Tensor> grads = Gradients.of(loss.get(), weights);
        assertThat(weights).allSatisfy(w -> assertThat(w.variable().grad()).isNull());
        double h = 1e-2;
        int checked = 0;
        for (int k = 0; k < weights.size(); k++) {
            Weight w = weights.get(k);
            float[] g = grads.get(k).toArray();
            for (int i = 0; i < g.length; i += Math.max(1, g.length / 8), checked++) {
                float[] v = w.value().toArray();
                float keep = v[i];
                v[i] = (float) (keep + h);
                w.set(Tensor.of(v, w.shape().dims()));
                double up;
                double down;
                try (var _ = io.rnn4j.layers.autograd.Autograd.noGrad()) {
                    up = loss.get().value().item();
                    v[i] = (float) (keep - h);
                    w.set(Tensor.of(v, w.shape().dims()));
                    down = loss.get().value().item();
                }
                v[i] = keep;
                w.set(Tensor.of(v, w.shape().dims()));
                double numeric = (up - down) / (2 * h);
                assertThat(Math.abs(g[i] - numeric)).as("%s[%d]: autograd %s, central difference %s", w.path(), i,
                        g[i], numeric).isLessThanOrEqualTo(2e-3 + 2e-2 * Math.abs(numeric));
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(40);
    }

    /** Bad calls of the new API say what was expected and what came. */
    @Test
    void applyRefusesMismatchedGradients() {
        Sequential m = gruModel(4, 1);
        Optimizer sgd = Optimizers.sgd(0.1);
        List<Weight> w = m.trainableWeights();
        assertThatThrownBy(() -> sgd.apply(List.of(), w)).hasMessageContaining("got 0 gradients for 5 weights");
        List<Tensor> nulls = new ArrayList<>();
        w.forEach(x -> nulls.add(null));
        assertThatThrownBy(() -> sgd.apply(nulls, w)).hasMessageContaining("No gradients provided");
        List<Tensor> wrong = new ArrayList<>(nulls);
        wrong.set(0, Tensor.of(new float[1], 1));
        assertThatThrownBy(() -> sgd.apply(wrong, w)).hasMessageContaining("has shape")
                .hasMessageContaining(w.get(0).path());
        assertThat(sgd.iterations()).isZero();
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
