package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import io.rnn4j.layers.regularizers.Regularizers;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Keras's {@code activity_regularizer} on any layer, as Keras 3.15.1's Layer.__call__ applies it
 * (layer.py): after the call, each output's penalty divided by its batch size is added as a loss.
 * Checked against float64 sums (1e-6 relative): a Dense's loss and its gradient through the added
 * loss (finite differences); one loss per output of an LSTM with return_state (output, h, c) and
 * per direction of a Bidirectional, none inside a TimeDistributed, the reverse call of a
 * ReversibleEmbedding; evaluate's and fit's logged loss (the batch-size-weighted mean over batches
 * of 4, 4 and 2 of weighted mse + activity loss, as Keras's loss tracker; numbers probed on the
 * TensorFlow backend), a nested model's layer's loss in the outer model's, and refusals. Seed 79.
 */
class ActivityRegularizerTest {
    private final Random r = new Random(79);

    /** (l1·Σ|y| + l2·Σy²) / batch in double, the factors rounded to float32 as Keras casts them. */
    static double penalty(float[] y, int batch, double l1, double l2) {
        double a = 0;
        double s = 0;
        for (float e : y) {
            a += Math.abs(e);
            s += (double) e * e;
        }
        return ((float) l1 * a + (float) l2 * s) / batch;
    }

    private static void near(String what, double got, double want) {
        assertThat(got).as(what).isCloseTo(want, Offset.offset(1e-6 * Math.max(1, Math.abs(want))));
    }

    @Test
    void aDenseAddsThePenaltyOfItsOutputOverTheBatchWithItsGradient() {
        Dense d = new Dense(3);
        d.activityRegularizer(Regularizers.l1l2(0.01, 0.02));
        d.build(Shape.withUnknown(Shape.UNKNOWN, 4));
        Tensor x = uniform(r, -2, 2, 2, 5, 4);
        CallContext ctx = CallContext.training(new Random(1));
        Variable y = d.call(Variable.constant(x), null, ctx);
        assertThat(ctx.addedLosses()).hasSize(1);
        near("(l1·Σ|y| + l2·Σy²) / batch", ctx.addedLosses().get(0).value().item(),
                penalty(y.value().toArray(), 2, 0.01, 0.02));
        GradCheck.check("Dense activity loss", v -> {
            CallContext c = CallContext.inference();
            d.call(v[0], null, c);
            return Ops.reshape(c.addedLosses().get(0), 1);
        }, uniform(r, -2, 2, 3, 2, 4));
        CallContext once = CallContext.inference();
        d.callAll(List.of(Variable.constant(x)), null, once);
        assertThat(once.addedLosses()).as("the functional call adds it once").hasSize(1);
        CallContext none = CallContext.inference();
        Dense plain = new Dense(3);
        plain.build(Shape.of(5, 4));
        plain.callAll(List.of(Variable.constant(x)), null, none);
        assertThat(none.addedLosses()).as("no activity_regularizer by default").isEmpty();
    }

    @Test
    void everyOutputOfAnLstmWithReturnStateAndEachBidirectionalDirection() {
        LSTM lstm = new LSTM(2).returnState(true);
        lstm.activityRegularizer(Regularizers.l1(1.0));
        lstm.build(Shape.of(3, 2));
        Tensor x = uniform(r, -1, 1, 2, 3, 2);
        CallContext ctx = CallContext.inference();
        List<Variable> out = lstm.callAll(List.of(Variable.constant(x)), null, ctx);
        assertThat(ctx.addedLosses()).as("output, h and c, as Keras's tree.flatten(outputs)").hasSize(3);
        for (int i = 0; i < 3; i++) {
            near("output " + i, ctx.addedLosses().get(i).value().item(), penalty(out.get(i).value().toArray(), 2, 1, 0));
        }
        LSTM inner = new LSTM(2);
        inner.activityRegularizer(Regularizers.l2(0.5));
        Bidirectional bi = new Bidirectional(inner, MergeMode.CONCAT, null);
        bi.build(Shape.of(3, 2));
        CallContext bc = CallContext.inference();
        Variable merged = bi.call(Variable.constant(x), null, bc);
        assertThat(bc.addedLosses()).as("one per direction's layer (its copy keeps the regularizer)").hasSize(2);
        float[] m = merged.value().toArray();
        float[] forward = new float[4];
        float[] backward = new float[4];
        for (int b = 0; b < 2; b++) {
            System.arraycopy(m, b * 4, forward, b * 2, 2);
            System.arraycopy(m, b * 4 + 2, backward, b * 2, 2);
        }
        near("forward", bc.addedLosses().get(0).value().item(), penalty(forward, 2, 0, 0.5));
        near("backward", bc.addedLosses().get(1).value().item(), penalty(backward, 2, 0, 0.5));

        Dense d = new Dense(2);
        d.activityRegularizer(Regularizers.l1(1.0));
        TimeDistributed td = new TimeDistributed(d);
        td.build(Shape.of(3, 2));
        CallContext tc = CallContext.inference();
        td.call(Variable.constant(x), null, tc);
        assertThat(tc.addedLosses()).as("Keras's TimeDistributed runs layer.call: no activity loss").isEmpty();
    }

    @Test
    void evaluateAndFitLogTheBatchSizeWeightedMeanOfLossPlusActivityLoss() {
        Dense hidden = new Dense(4);
        hidden.activityRegularizer(Regularizers.l1l2(0.1, 0.05));
        Dense head = new Dense(1);
        Sequential s = Sequential.of(Input.shape(3), hidden, head);
        s.compile(Optimizers.sgd(0.0), Losses.meanSquaredError());
        Tensor x = uniform(r, -1, 1, 10, 3);
        Tensor y = uniform(r, -1, 1, 10, 1);
        Tensor w = uniform(r, 0.5f, 2f, 10);
        float[] k1 = hidden.weights().get(0).value().toArray();
        float[] b1 = hidden.weights().get(1).value().toArray();
        float[] k2 = head.weights().get(0).value().toArray();
        float[] b2 = head.weights().get(1).value().toArray();
        float[] xs = x.toArray();
        float[] ys = y.toArray();
        float[] ws = w.toArray();
        double total = 0;
        for (int from = 0; from < 10; from += 4) {
            int n = Math.min(4, 10 - from);
            double mse = 0;
            double act = 0;
            for (int i = from; i < from + n; i++) {
                double p = b2[0];
                for (int j = 0; j < 4; j++) {
                    double h = b1[j];
                    for (int k = 0; k < 3; k++) {
                        h += xs[i * 3 + k] * k1[k * 4 + j];
                    }
                    act += (float) 0.1 * Math.abs(h) + (float) 0.05 * h * h;
                    p += h * k2[j];
                }
                mse += ws[i] * (p - ys[i]) * (p - ys[i]);
            }
            total += (mse / n + act / n) * n; // Keras's Mean tracker weighs each batch by its size
        }
        double want = total / 10;
        near("evaluate(batch 4, sample weights)", s.evaluate(x, y, w, 4).loss(), want);
        double fitted = s.fit(x, y, Fit.defaults().batchSize(4).epochs(1).shuffle(false).sampleWeight(w)
                .verbose(0)).last("loss");
        assertThat(fitted).as("fit's logged loss (SGD(0) leaves the weights)").isCloseTo(want, Offset.offset(1e-5));
    }

    @Test
    void aLayerInsideANestedModelAddsItsLossToTheOuterModelsLoss() {
        Dense inner = new Dense(2);
        inner.activityRegularizer(Regularizers.l1(0.3));
        Sequential nested = Sequential.of(Input.shape(3), inner);
        Input in = Input.shape(3);
        Dense head = new Dense(1);
        Model m = Model.of(in, head.apply(nested.apply(in)));
        m.compile(Optimizers.sgd(0.0), Losses.meanSquaredError());
        Tensor x = uniform(r, -1, 1, 5, 3);
        Tensor y = uniform(r, -1, 1, 5, 1);
        float[] p = m.predict(x).toArray();
        double mse = 0;
        for (int i = 0; i < 5; i++) {
            mse += Math.pow(p[i] - y.toArray()[i], 2) / 5;
        }
        // Keras (probed): the nested model's layer losses are in the outer model's losses
        near("mse + the nested Dense's activity loss", m.evaluate(List.of(x), List.of(y)).loss(),
                mse + penalty(nested.predict(x).toArray(), 5, 0.3, 0));
    }

    @Test
    void aReversibleEmbeddingsReverseCallAddsTheLogitsPenalty() {
        Input ids = Input.shape(Input.NONE);
        ReversibleEmbedding emb = new ReversibleEmbedding(6, 3);
        emb.activityRegularizer(Regularizers.l2(0.1));
        SymbolicTensor h = emb.apply(ids);
        Model m = Model.of(ids, emb.applyReverse(h));
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 0}, 2, 3);
        Tensor logits = m.predict(t);
        Variable embedded = emb.call(Variable.constant(t), null, CallContext.inference());
        m.compile(Optimizers.sgd(0.0), Losses.meanSquaredError());
        double mse = 0;
        for (float v : logits.toArray()) {
            mse += (double) v * v;
        }
        double want = mse / logits.size() + penalty(embedded.value().toArray(), 2, 0, 0.1)
                + penalty(logits.toArray(), 2, 0, 0.1);
        near("mse + forward call's + reverse call's activity loss", m.evaluate(List.of(t),
                List.of(Tensor.zeros(2, 3, 6))).loss(), want);
    }

    @Test
    void modelsAndActivityRegularizationRefuseIt() {
        assertThatThrownBy(() -> new ActivityRegularization(0.1, 0).named("ar")
                .activityRegularizer(Regularizers.l1(0.1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'ar' (ActivityRegularization): takes no activity_regularizer");
        Sequential s = Sequential.of(Input.shape(2), new Dense(1)).named("seq");
        assertThatThrownBy(() -> s.activityRegularizer(Regularizers.l1(0.1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'seq' (Sequential): rnn4j does not apply an activity_regularizer on a model");
    }
}
