package io.rnn4j.layers.model;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.optimizers.Optimizers;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keras's stateful workflow: a fixed batch_shape of B constrains each batch, not the data, so fit,
 * evaluate and predict take any multiple of B samples in batches of B, the states carrying from
 * one batch to the next.
 */
class StatefulBatchesTest {
    private final Random r = new Random(31);

    private static Sequential model() {
        return Sequential.of(Input.batchShape(4, 3, 2), new LSTM(3).stateful(true), new Dense(1));
    }

    @Test
    void predictInBatchesOfTheFixedSizeCarriesTheStatesAsBatchByBatchCallsDo() {
        Sequential m = model();
        Tensor x = uniform(r, -1, 1, 8, 3, 2);
        m.resetStates();
        float[] whole = m.predict(x).toArray();  // the default batch size is the fixed one
        m.resetStates();
        float[] first = m.predict(x.narrow(0, 4), 4).toArray();
        float[] second = m.predict(x.narrow(4, 4), 4).toArray();
        float[] byBatch = new float[8];
        System.arraycopy(first, 0, byBatch, 0, 4);
        System.arraycopy(second, 0, byBatch, 4, 4);
        assertThat(whole).as("predict(8 samples) against two predict(4 samples) calls, bit for bit")
                .containsExactly(byBatch);
        assertThat(second).as("the second batch sees the first one's states").isNotEqualTo(
                m.predict(x.narrow(4, 4), 4).toArray());
    }

    @Test
    void fitAndEvaluateTakeSeveralBatchesOfTheFixedSize() {
        Sequential m = model();
        m.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        Tensor x = uniform(r, -1, 1, 12, 3, 2);
        Tensor y = uniform(r, -1, 1, 12, 1);
        float[] before = m.getWeights().get(0).toArray();
        History h = m.fit(x, y, Fit.defaults().batchSize(4).epochs(2).shuffle(false).verbose(0));
        assertThat(h.history().get("loss")).hasSize(2);
        assertThat(m.getWeights().get(0).toArray()).isNotEqualTo(before);
        assertThat(m.evaluate(x, y, 4).loss()).isFinite();
    }

    @Test
    void aFunctionalModelWithAFixedBatchShapePredictsManyBatches() {
        Input in = Input.batchShape(2, 3, 2);
        Model m = Model.of(in, new Dense(1).apply(new LSTM(3).stateful(true).apply(in)));
        List<Tensor> out = m.predict(List.of(uniform(r, -1, 1, 6, 3, 2)), 2);
        assertThat(out.get(0).shape().dims()).containsExactly(6, 1);
    }
}
