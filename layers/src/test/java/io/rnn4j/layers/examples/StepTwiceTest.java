package io.rnn4j.layers.examples;

import static io.rnn4j.layers.examples.Examples.assertHistory;
import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.flat;
import static io.rnn4j.layers.keras.Keras3151.npyValues;
import static io.rnn4j.layers.keras.Keras3151.setFlat;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.keras.Keras3151;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Gradients;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import io.rnn4j.layers.regularizers.Regularizers;
import java.io.IOException;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Two behaviours checked against Keras 3.15.1 (keras3151/make_step_twice.py writes {@code twice_*}): a
 * custom train step that calls the model twice adds only the last call's activity loss in
 * {@code computeLoss} (Keras's {@code self.losses}: each top-level call clears the layers' losses), and a
 * layer both tracked by a custom layer and called in the graph has its weights listed once.
 */
class StepTwiceTest {
    private static Tensor npy(String name) throws IOException {
        return Keras3151.npy("twice_" + name + ".npy");
    }

    @Test
    void computeLossAfterTwoCallsAddsOnlyTheLastCallsActivityLossAsKeras() throws IOException {
        Sequential m = Sequential.of(Input.shape(3),
                new Dense(4, "tanh").activityRegularizer(Regularizers.l2(0.5)), new Dense(1));
        setFlat(m.weights(), npyValues("twice_w0.npy"));
        m.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        m.customSteps().trainStep((data, ctx) -> {
            ctx.call(Ops.scale(Variable.constant(data.x()), 3f).value()); // its activity loss is dropped
            Variable yPred = ctx.call(data.x());
            Variable loss = ctx.computeLoss(data.y(), yPred, null);
            ctx.optimizer().apply(Gradients.of(loss, m.trainableWeights()), m.trainableWeights());
            ctx.updateMetrics(loss, data.y(), yPred, null);
            return ctx.metricsResult();
        });
        History h = m.fit(npy("x"), npy("y"), Fit.defaults().batchSize(4).epochs(2).shuffle(false).verbose(0));
        assertHistory("two calls, compute_loss", h, npyValues("twice_hist.npy"), "loss");
        assertClose("weights after fit", flat(m.weights()), npyValues("twice_after.npy"));
    }

    /** Keras's {@code self.dense = dense} on a layer whose call is {@code self.dense(x) * 2}. */
    private static final class Wrap extends Layer {
        private final Dense dense;

        Wrap(Dense dense) {
            super("wrap");
            this.dense = addSublayer("dense", dense);
        }

        @Override
        protected Shape build(Shape in, RandomGenerator random) {
            return dense.outputShape(); // built already: the graph called it first
        }

        @Override
        protected Variable forward(Variable inputs, Tensor mask, CallContext ctx) {
            return Ops.scale(dense.call(inputs, null, ctx), 2f);
        }
    }

    @Test
    void layerTrackedByACustomLayerAndCalledInTheGraphListsItsWeightsOnceAsKeras() throws IOException {
        Dense shared = new Dense(3);
        Input in = Input.shape(3);
        Model g = Model.of(in, new Wrap(shared).apply(shared.apply(in)));
        double[] want = npyValues("twice_shared_counts.npy"); // weights, trainable weights, count_params
        assertThat(g.weights()).as("weights").hasSize((int) want[0]);
        assertThat(g.trainableWeights()).as("trainable weights").hasSize((int) want[1]);
        assertThat(g.countParams()).as("count_params").isEqualTo((long) want[2]);
    }
}
