package io.rnn4j.layers.model;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.ActivationLayer;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.MergeMode;
import io.rnn4j.layers.SimpleRNN;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.optimizers.Optimizers;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bad input gets an IllegalArgumentException that names the layer (or model) and says what was
 * expected and what came — before anything is trained or written.
 */
class BadInputTest {
    private final Random r = new Random(29);

    @Test
    void wrongInputShapeForABuiltModel() {
        Sequential m = Sequential.of(Input.shape(10, 1), new SimpleRNN(4).named("rnn_in"), new Dense(1));
        assertThatThrownBy(() -> m.predict(uniform(r, -1, 1, 3, 10, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'rnn_in'").hasMessageContaining("(None, None, 1)").hasMessageContaining("(3, 10, 2)");
        m.compile(Optimizers.adam(), Losses.meanSquaredError());
        assertThatThrownBy(() -> m.fit(uniform(r, -1, 1, 3, 9, 2), uniform(r, -1, 1, 3, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(None, None, 1)");
        assertThatThrownBy(() -> m.fit(uniform(r, -1, 1, 3, 9), uniform(r, -1, 1, 3, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(None, 10, 1)");
    }

    @Test
    void labelsOfTheWrongShapeAreRefusedBeforeTraining() {
        Sequential m = Sequential.of(Input.shape(5, 2), new GRU(3), new Dense(2).named("head"));
        m.compile(Optimizers.adam(), Losses.meanSquaredError(), Metrics.meanAbsoluteError());
        List<Tensor> before = m.getWeights();
        Tensor x = uniform(r, -1, 1, 8, 5, 2);
        assertThatThrownBy(() -> m.fit(x, uniform(r, -1, 1, 8, 3), Fit.defaults().verbose(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(8, 2)").hasMessageContaining("(8, 3)").hasMessageContaining("'head'");
        assertThatThrownBy(() -> m.fit(x, uniform(r, -1, 1, 7, 2), Fit.defaults().verbose(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one row per input sample");
        assertThatThrownBy(() -> m.evaluate(x, uniform(r, -1, 1, 8, 2, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(8, 2)");
        List<Tensor> after = m.getWeights();
        for (int i = 0; i < before.size(); i++) {
            assertThat(after.get(i).toArray()).as("weight %d untouched", i).containsExactly(before.get(i).toArray());
        }
    }

    @Test
    void aStatefulLayerFedAnotherBatchSize() {
        LSTM lstm = new LSTM(3).stateful(true).named("memory");
        Sequential m = Sequential.of(Input.shape(4, 2), lstm, new Dense(1));
        m.predict(uniform(r, -1, 1, 4, 4, 2));
        assertThatThrownBy(() -> m.predict(uniform(r, -1, 1, 2, 4, 2), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(m.name() + ".predict: the model takes batches of exactly 4 samples "
                        + "(stateful layer 'memory' holds states for batch size 4)")
                .hasMessageContaining("batches of 2");
        Sequential fixed = Sequential.of(Input.batchShape(4, 4, 2), new GRU(2).stateful(true));
        assertThatThrownBy(() -> fixed.predict(uniform(r, -1, 1, 3, 4, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch size 4");
    }

    @Test
    void batchesAFixedBatchSizeCannotTakeAreRefusedBeforeAnyRuns() {
        Sequential m = Sequential.of(Input.batchShape(4, 3, 2), new LSTM(3).stateful(true).named("memory"),
                new Dense(1));
        m.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        List<Tensor> before = m.getWeights();
        Tensor x10 = uniform(r, -1, 1, 10, 3, 2);
        Tensor y10 = uniform(r, -1, 1, 10, 1);
        // Two full batches would train before the short third one failed: refused up front instead.
        assertThatThrownBy(() -> m.fit(x10, y10, Fit.defaults().batchSize(4).shuffle(false).verbose(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(m.name() + ".fit: the model takes batches of exactly 4 samples (Input '")
                .hasMessageEndingWith("' has batch_shape), but 10 samples in batches of 4 leave a last batch of 2; "
                        + "pass a multiple of 4 samples");
        assertThatThrownBy(() -> m.fit(x10.narrow(0, 8), y10.narrow(0, 8), Fit.defaults().batchSize(8).verbose(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("make batches of 8")
                .hasMessageContaining("pass batch size 4");
        assertThatThrownBy(() -> m.evaluate(x10, y10, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(m.name() + ".evaluate: the model takes batches of exactly 4");
        assertThatThrownBy(() -> m.predict(x10, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(m.name() + ".predict: the model takes batches of exactly 4");
        assertThatThrownBy(() -> m.fit(x10.narrow(0, 8), y10.narrow(0, 8), Fit.defaults().batchSize(4).verbose(0)
                .validationData(x10.narrow(0, 6), y10.narrow(0, 6))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fit (validation data)")
                .hasMessageContaining("last batch of 2");
        List<Tensor> after = m.getWeights();
        for (int i = 0; i < before.size(); i++) {
            assertThat(after.get(i).toArray()).as("weight %d untouched", i).containsExactly(before.get(i).toArray());
        }
        // A stateful layer without a batch_shape takes the first batch's size: every batch must match it.
        Sequential free = Sequential.of(Input.shape(3, 2), new GRU(2).stateful(true).named("carry"), new Dense(1));
        free.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        List<Tensor> freeBefore = free.getWeights();
        assertThatThrownBy(() -> free.fit(x10, y10, Fit.defaults().batchSize(4).shuffle(false).verbose(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(stateful layer 'carry' keeps its states from one batch to the next)")
                .hasMessageContaining("last batch of 2");
        assertThat(free.getWeights().get(0).toArray()).containsExactly(freeBefore.get(0).toArray());
    }

    @Test
    void bidirectionalLayersThatASequentialOrTheMergeCannotTake() {
        assertThatThrownBy(() -> Sequential.of(Input.shape(6, 3),
                new Bidirectional(new LSTM(4).named("fw"), MergeMode.SUM, new LSTM(3).goBackwards(true).named("bw"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(": forward and backward layers must give outputs of one shape, got (None, 4) "
                        + "from 'forward_fw' and (None, 3) from 'bw'");
        assertThatThrownBy(() -> Sequential.of(Input.shape(6, 3),
                new Bidirectional(new GRU(4), MergeMode.NONE).named("both")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'both' has merge_mode none and gives two outputs");
    }

    @Test
    void anUnknownActivationName() {
        assertThatThrownBy(() -> new Dense(3, "tanhh")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("dense(_\\d+)?: unknown activation 'tanhh'; expected one of .*relu.*");
        assertThatThrownBy(() -> new LSTM(3).named("enc").activation("rellu"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("enc: unknown activation 'rellu'");
        assertThatThrownBy(() -> new GRU(3).named("dec").recurrentActivation("sigmoidd"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("dec: unknown activation");
        assertThatThrownBy(() -> new ActivationLayer("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("activation");
    }

    @Test
    void otherRefusals() {
        assertThatThrownBy(() -> Sequential.of(Input.shape(3, 2), new LSTM(2).activation("softmax")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("softmax is not an elementwise");
        Sequential m = Sequential.of(Input.shape(3, 2), new Bidirectional(new LSTM(2).named("enc")));
        assertThatThrownBy(() -> m.setWeights(List.of(Tensor.zeros(2, 8))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 6 weights");
        List<Tensor> ws = m.getWeights();
        ws.set(1, Tensor.zeros(3, 8));
        assertThatThrownBy(() -> m.setWeights(ws)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("forward_enc/recurrent_kernel").hasMessageContaining("(2, 8)");
        Sequential emb = Sequential.of(Input.shape(3), new Embedding(4, 2).named("words"));
        assertThatThrownBy(() -> emb.predict(Tensor.of(new float[] {1, 4, 0}, 1, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("words: ids must be integers in [0, 4)");
        assertThatThrownBy(() -> new SimpleRNN(2).dropout(1.5f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dropout must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> m.fit(uniform(r, -1, 1, 2, 3, 2), uniform(r, -1, 1, 2, 4)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("compile");
    }
}
