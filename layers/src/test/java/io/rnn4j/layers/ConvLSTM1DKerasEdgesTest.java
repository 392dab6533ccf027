package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ConvLSTM1D and the masks and states Keras 3 gives it (keras/src/layers/rnn/rnn.py,
 * keras/src/layers/core/masking.py): a stateful layer refuses a batch of another size even with
 * initial_state, and Masking refuses a (batch, time, steps, channels) input, whose Keras mask is per
 * spatial position (batch, time, steps), which no layer here takes (ConvLSTM1D takes (batch, time)
 * masks). Seed 31.
 */
class ConvLSTM1DKerasEdgesTest {
    private final Random r = new Random(31);

    /** Keras reduces over the last axis only; rnn4j refuses the input instead of reducing over more. */
    @Test
    void maskingOfAFourDimensionalInputIsRefusedNotReducedOverEveryAxis() {
        assertThatThrownBy(() -> Sequential.of(Input.shape(4, 4, 3), new Masking(), new ConvLSTM1D(2, 3)))
                .hasMessageContaining("expected an input (batch, timesteps, features), got (None, 4, 4, 3)")
                .hasMessageContaining("per-position mask of a rank-4 input is not reproduced");
    }

    /**
     * Keras 3's RNN.call checks a stateful layer's batch after initial_state is resolved: "If an RNN
     * is stateful, the batch size of the input sequences must be the same as the batch size of the
     * initial state" (expected 2, received 3), whether or not initial_state is given.
     */
    @Test
    void aStatefulLayerRefusesAnotherBatchSizeEvenWithInitialState() {
        ConvLSTM1D layer = new ConvLSTM1D(2, 3).stateful(true).named("s");
        layer.build(Shape.of(4, 5, 2));
        layer.call(Variable.constant(uniform(r, -1, 1, 2, 4, 5, 2)), null, CallContext.inference());
        Variable state = Variable.constant(Tensor.zeros(3, 3, 2));
        assertThatThrownBy(() -> layer.run(Variable.constant(uniform(r, -1, 1, 3, 4, 5, 2)), null,
                List.of(state, state), CallContext.inference())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Layer 's' (ConvLSTM1D)").hasMessageContaining("2").hasMessageContaining("3");
        assertThat(layer.fixedBatchSize()).as("the states' batch is kept").isEqualTo(2);
    }
}
