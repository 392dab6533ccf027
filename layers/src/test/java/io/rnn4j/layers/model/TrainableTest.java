package io.rnn4j.layers.model;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.BatchNormalization;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.optimizers.Optimizers;
import io.rnn4j.layers.regularizers.Regularizers;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keras's {@code layer.trainable = False}: fit leaves a frozen layer's weights bit for bit (and a
 * frozen BatchNormalization's moving statistics) while the others move; summary counts frozen
 * weights as non-trainable; a frozen weight's regularizer adds nothing to the loss; wrappers
 * freeze the layers they wrap, before or after build. Seed 23.
 */
class TrainableTest {
    private static final long SEED = 23;
    private final Random r = new Random(SEED);

    private static List<float[]> values(Layer l) {
        return l.weights().stream().map(w -> w.value().toArray()).toList();
    }

    @Test
    void fitLeavesFrozenLayersUnchanged() {
        Seeds.set(SEED);
        LSTM lstm = new LSTM(4).returnSequences(true);
        BatchNormalization bn = new BatchNormalization();
        Dense head = new Dense(2);
        Sequential m = Sequential.of(Input.shape(5, 3), lstm, bn, new io.rnn4j.layers.Flatten(), head);
        lstm.trainable(false);
        bn.trainable(false);
        List<float[]> lstmBefore = values(lstm);
        List<float[]> bnBefore = values(bn);
        List<float[]> headBefore = values(head);
        m.compile(Optimizers.adam(0.01), Losses.meanSquaredError());
        m.fit(uniform(r, -1, 1, 8, 5, 3), uniform(r, -1, 1, 8, 2), Fit.defaults().batchSize(4).epochs(2).verbose(0));
        for (int i = 0; i < lstmBefore.size(); i++) {
            assertThat(lstm.weights().get(i).value().toArray()).as("frozen %s", lstm.weights().get(i))
                    .isEqualTo(lstmBefore.get(i));
            assertThat(lstm.weights().get(i).variable().grad()).as("no gradient for %s", lstm.weights().get(i))
                    .isNull();
        }
        for (int i = 0; i < bnBefore.size(); i++) {
            assertThat(bn.weights().get(i).value().toArray()).as("frozen %s", bn.weights().get(i))
                    .isEqualTo(bnBefore.get(i));
        }
        assertThat(head.weights().get(0).value().toArray()).as("the trainable head moved")
                .isNotEqualTo(headBefore.get(0));
    }

    @Test
    void summaryCountsFrozenWeightsAsNonTrainable() {
        Sequential m = Sequential.of(Input.shape(6), new Dense(4).trainable(false), new Dense(3));
        // 6·4 + 4 = 28 frozen, 4·3 + 3 = 15 trainable.
        assertThat(m.summary()).contains(" Total params: 43 ").contains(" Trainable params: 15 ")
                .contains(" Non-trainable params: 28 ");
        m.layers().get(0).trainable(true);
        assertThat(m.summary()).contains(" Trainable params: 43 ");
    }

    @Test
    void summaryCountsAWeightSharedWithANestedModelOnce() {
        // The Dense is the nested model's layer and the outer graph's too: 3·4 + 4 = 16 parameters.
        Dense d = new Dense(4);
        Input i = Input.shape(3);
        Model inner = Model.of(i, d.apply(i));
        Input x = Input.shape(3);
        Input y = Input.shape(3);
        Model outer = Model.of(List.of(x, y), List.of(new io.rnn4j.layers.Add().apply(inner.apply(x), d.apply(y))));
        assertThat(outer.countParams()).isEqualTo(16);
        assertThat(outer.summary()).contains(" Total params: 16 ").contains(" Trainable params: 16 ")
                .contains(" Non-trainable params: 0 ");
    }

    @Test
    void sequentialLayersNeedUniqueNames() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sequential.of(Input.shape(2),
                new Dense(2).named("x"), new Dense(2).named("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(": a layer named 'x' is already in the model; the layers of a Sequential model "
                        + "need unique names");
    }

    @Test
    void frozenWeightsAddNoRegularization() {
        Dense d = new Dense(3).kernelRegularizer(Regularizers.l2(0.5f));
        Sequential m = Sequential.of(Input.shape(4), d);
        m.compile(Optimizers.sgd(), Losses.meanSquaredError());
        Tensor x = uniform(r, -1, 1, 5, 4);
        Tensor y = uniform(r, -1, 1, 5, 3);
        double withPenalty = m.evaluate(x, y).loss();
        d.trainable(false);
        double frozen = m.evaluate(x, y).loss();
        float[] k = d.weights().get(0).value().toArray();
        double penalty = 0;
        for (float v : k) {
            penalty += 0.5 * v * v;
        }
        assertThat(withPenalty - frozen).as("the L2 penalty is left out while frozen, as Keras's trainable_weights")
                .isCloseTo(penalty, org.assertj.core.data.Offset.offset(1e-4 * (1 + penalty)));
        assertThat(d.weights().get(0).regularizer()).isNull();
    }

    @Test
    void wrappersFreezeTheLayersTheyWrap() {
        Bidirectional before = new Bidirectional(new LSTM(3));
        before.trainable(false);
        before.build(io.rnn4j.engine.Shape.of(4, 2));
        assertThat(before.weights()).isNotEmpty().noneMatch(Weight::trainable);
        assertThat(before.countTrainableParams()).isZero();

        Bidirectional after = new Bidirectional(new LSTM(3));
        after.build(io.rnn4j.engine.Shape.of(4, 2));
        after.trainable(false);
        assertThat(after.weights()).noneMatch(Weight::trainable);
        after.trainable(true);
        assertThat(after.weights()).allMatch(Weight::trainable);
        assertThat(after.forwardLayer().trainable()).isTrue();
    }
}
