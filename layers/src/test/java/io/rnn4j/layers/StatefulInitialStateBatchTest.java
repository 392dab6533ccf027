package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keras 3's RNN.call (keras/src/layers/rnn/rnn.py) refuses a stateful layer's batch of another size
 * than its states' also when initial_state is given ("If an RNN is stateful, the batch size of the
 * input sequences must be the same as the batch size of the initial state"): LSTM, GRU, SimpleRNN and
 * RNN(cell) refuse it and keep their states' batch. Seed 43.
 */
class StatefulInitialStateBatchTest {
    private final Random r = new Random(43);

    @Test
    void aStatefulLayerRefusesAnotherBatchEvenWithInitialState() {
        List<Layer> layers = List.of(new LSTM(3).stateful(true), new GRU(3).stateful(true),
                new SimpleRNN(3).stateful(true), new RNN(new LSTMCell(3)).stateful(true));
        for (Layer l : layers) {
            l.build(Shape.of(4, 2));
            l.call(Variable.constant(GradCheck.uniform(r, -1, 1, 2, 4, 2)), null, CallContext.inference());
            Variable h = Variable.constant(Tensor.zeros(3, 3));
            List<Variable> states = l instanceof GRU || l instanceof SimpleRNN ? List.of(h) : List.of(h, h);
            Variable x = Variable.constant(GradCheck.uniform(r, -1, 1, 3, 4, 2));
            assertThatThrownBy(() -> {
                if (l instanceof RNN rnn) {
                    rnn.run(x, null, states, CallContext.inference());
                } else {
                    ((Recurrent<?>) l).run(x, null, states, CallContext.inference());
                }
            }).as(l.className()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("holds states for batch size 2, got a batch of 3");
            assertThat(l.fixedBatchSize()).as("%s keeps its states' batch", l.className()).isEqualTo(2);
        }
    }
}
