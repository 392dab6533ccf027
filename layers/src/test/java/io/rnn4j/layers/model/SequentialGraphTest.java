package io.rnn4j.layers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A built Sequential applies its layers to its Input symbolically (as Keras 3 builds its graph)
 * without refusing what it took before: a layer returning its states passes on its output, a
 * refused add leaves the model as it was, a lazy build that failed leaves no Input behind.
 */
class SequentialGraphTest {
    private static Tensor random(Random r, int... dims) {
        return io.rnn4j.layers.GradCheck.uniform(r, -1, 1, dims);
    }

    /** Keras 3 builds Sequential([Input((5, 3)), LSTM(4, return_state=True)]) (its outputs a list). */
    @Test
    void aRecurrentLayerReturningItsStatesStillBuildsInASequential() {
        Seeds.set(51);
        Sequential s = Sequential.of(Input.shape(5, 3), new LSTM(4).returnState(true).named("r5_lstm"));
        assertThat(s.predict(random(new Random(51), 2, 5, 3)).shape()).isEqualTo(Shape.of(2, 4));
    }

    /** A layer add refuses must leave the model as it was: its output shape, the next layer's input. */
    @Test
    void aLayerRefusedByAddLeavesTheModelsOutputShapeAsItWas() {
        Seeds.set(52);
        Sequential s = Sequential.of(Input.shape(5, 3));
        try {
            s.add(new GRU(2).returnState(true).named("r5_states"));
        } catch (IllegalArgumentException refused) {
            // refusing the layer would be fine; corrupting the model is not
        }
        boolean added = !s.layers().isEmpty();
        assertThat(s.outputShape()).isEqualTo(added ? Shape.of(2) : Shape.of(5, 3));
        s.add(new Dense(1).named("r5_head"));
        assertThat(s.predict(random(new Random(52), 4, 5, 3)).shape())
                .isEqualTo(added ? Shape.of(4, 1) : Shape.of(4, 5, 1));
    }

    /** A lazy build that fails on bad data must not pin the model to that data's shape. */
    @Test
    void aLazySequentialWhoseFirstBuildFailedBuildsFromTheNextData() {
        Seeds.set(53);
        Sequential s = Sequential.of(new LSTM(4).named("r5_lazy_lstm"));
        try {
            s.predict(Tensor.zeros(2, 3)); // no time axis: the LSTM refuses it
        } catch (IllegalArgumentException expected) {
            // as before the commit
        }
        assertThat(s.predict(random(new Random(53), 2, 5, 3)).shape()).isEqualTo(Shape.of(2, 4));
        assertThat(s.inputShape()).isEqualTo(Shape.of(5, 3));
    }
}
