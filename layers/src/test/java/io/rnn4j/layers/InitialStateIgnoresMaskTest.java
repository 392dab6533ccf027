package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.model.Model;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keras 3 fills a call's mask only when the call has one tensor argument (layer.py,
 * Layer.__call__): a recurrent layer given initial_state runs unmasked on a masked input, while the
 * mask still goes on with return_sequences (checked on a file Keras 3.15.1 wrote, keras3151/
 * mask_initial_state, in KerasWritten3151Test). Here on GRU, LSTM, RNN(cell) and Bidirectional: a
 * masked input with initial_state gives what the same layer gives on the unmasked input. Seed 59.
 */
class InitialStateIgnoresMaskTest {
    @Test
    void aRecurrentLayerGivenInitialStateRunsUnmaskedAsKeras3() {
        Tensor ids = Tensor.of(new float[] {0, 0, 1, 2, 3, 4, 5, 6, 0, 0}, 2, 5);
        Tensor h = Tensor.of(new float[] {0.3f, -0.1f, 0.2f, 0.3f, -0.1f, 0.2f}, 2, 3);
        for (int kind = 0; kind < 4; kind++) {
            Seeds.set(59);
            Input tok = Input.shape(5);
            Input h0 = Input.shape(3);
            Embedding masked = new Embedding(10, 4).maskZero(true);
            Layer rnn = switch (kind) {
                case 0 -> new GRU(3).returnSequences(true);
                case 1 -> new LSTM(3).returnSequences(true);
                case 2 -> new RNN(new SimpleRNNCell(3)).returnSequences(true);
                default -> new Bidirectional(new GRU(3).returnSequences(true), MergeMode.SUM);
            };
            List<Input> states = kind == 1 ? List.of(h0, Input.shape(3)) : kind == 3 ? List.of(h0, Input.shape(3))
                    : List.of(h0);
            SymbolicTensor x = masked.apply(tok);
            List<SymbolicTensor> args = new ArrayList<>(List.of(x));
            states.forEach(s -> args.add(s.symbolic()));
            SymbolicTensor out = rnn.applyAll(args).get(0);
            List<Input> inputs = new ArrayList<>(List.of(tok));
            inputs.addAll(states);
            Model m = Model.of(inputs, List.of(out));
            List<Tensor> feed = new ArrayList<>(List.of(ids));
            states.forEach(s -> feed.add(h));
            float[] withMask = m.predict(feed).get(0).toArray();
            // The same recurrent layer (shared) after an Embedding of the same weights and no mask.
            Embedding unmasked = new Embedding(10, 4);
            List<SymbolicTensor> plainArgs = new ArrayList<>(List.of(unmasked.apply(tok)));
            states.forEach(s -> plainArgs.add(s.symbolic()));
            unmasked.setWeights(masked.getWeights());
            Model plain = Model.of(inputs, rnn.applyAll(plainArgs).get(0));
            float[] without = plain.predict(feed).get(0).toArray();
            assertThat(withMask).as("%s with initial_state: Keras 3 applies no mask", rnn.className())
                    .isEqualTo(without);
            assertThat(withMask[0]).as("%s: the pre-padded first step is computed, not held at zero",
                    rnn.className()).isNotEqualTo(0f);
        }
    }
}
