package io.rnn4j.layers.optimizers;

import static io.rnn4j.layers.optimizers.TestWeights.setGrad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Weight;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * state()/loadState(): an optimizer restored from another's state continues exactly as the
 * original would (bit for bit); refusals leave the optimizer untouched; the Keras variable order.
 */
class OptimizerStateTest {
    private static final float[][] GRADS = {{0.5f, -2f}, {0.4f, -1f}, {-0.3f, 3f}, {0.1f, 0.1f}, {1f, -1f}};

    private static Weight[] model() {
        return TestWeights.kernelAndBias(new float[] {1f, -1f}, new float[] {0.5f, 0.25f});
    }

    private static void train(Optimizer opt, Weight[] ws, int from, int to) {
        for (int t = from; t < to; t++) {
            setGrad(ws[0], GRADS[t]);
            setGrad(ws[1], GRADS[GRADS.length - 1 - t]);
            opt.apply(List.of(ws));
        }
    }

    @Test
    void aRestoredOptimizerContinuesBitForBit() {
        List<Supplier<Optimizer>> kinds = List.of(() -> new Adam(0.01).amsgrad(true),
                () -> new SGD(0.1).momentum(0.9).nesterov(true), () -> new RMSprop(0.01).momentum(0.5).centered(true),
                () -> new Adagrad(0.1), () -> new AdamW(0.01));
        for (Supplier<Optimizer> kind : kinds) {
            Weight[] original = model();
            Optimizer a = kind.get();
            train(a, original, 0, 3);
            OptimizerState state = a.state(List.of(original));

            Weight[] copy = model();
            copy[0].set(original[0].value());
            copy[1].set(original[1].value());
            Optimizer b = kind.get();
            b.loadState(List.of(copy), state);
            assertThat(b.iterations()).isEqualTo(3);

            train(a, original, 3, 5);
            train(b, copy, 3, 5);
            assertThat(copy[0].value().toArray()).as(a.kerasName()).containsExactly(original[0].value().toArray());
            assertThat(copy[1].value().toArray()).as(a.kerasName()).containsExactly(original[1].value().toArray());
        }
    }

    @Test
    void aStateBeforeAnyUpdateHoldsTheInitialSlots() {
        OptimizerState s = new Adagrad().state(List.of(model()));
        assertThat(s.iterations()).isZero();
        assertThat(s.slotNames()).containsExactly("accumulator");
        assertThat(s.slots().get(1).get(0).toArray()).containsExactly(0.1f, 0.1f);
        assertThat(s.learningRate()).isEqualTo((double) 0.001f);
    }

    @Test
    void kerasVariableOrderInterleavesWithinAGroup() {
        Weight[] ws = model();
        Adam adam = new Adam().amsgrad(true);
        train(adam, ws, 0, 1);
        OptimizerState s = adam.state(List.of(ws));
        assertThat(s.slotGroups()).containsExactly(List.of("momentum", "velocity"), List.of("velocity_hat"));
        List<Tensor> vars = s.kerasVariables();
        // m0 v0 m1 v1 v̂0 v̂1
        assertThat(vars).containsExactly(s.slots().get(0).get(0), s.slots().get(0).get(1), s.slots().get(1).get(0),
                s.slots().get(1).get(1), s.slots().get(0).get(2), s.slots().get(1).get(2));
        OptimizerState back = OptimizerState.fromKerasVariables(s.optimizer(), s.iterations(), s.learningRate(),
                s.slotNames(), s.slotGroups(), 2, vars);
        assertThat(back.slots()).isEqualTo(s.slots());
    }

    @Test
    void aMismatchedStateIsRefusedAndNothingChanges() {
        Weight[] ws = model();
        Adam adam = new Adam(0.01);
        train(adam, ws, 0, 2);
        OptimizerState good = adam.state(List.of(ws));
        Adam fresh = new Adam(0.5);
        assertThatThrownBy(() -> new SGD().loadState(List.of(ws), good))
                .hasMessageContaining("the state is of optimizer 'adam'");
        assertThatThrownBy(() -> new Adam().amsgrad(true).loadState(List.of(ws), good))
                .hasMessageContaining("expected slots [momentum, velocity, velocity_hat]");
        assertThatThrownBy(() -> fresh.loadState(List.of(ws[0]), good))
                .hasMessageContaining("expected slots for 1 trainable weights, the state has 2");
        OptimizerState badShape = new OptimizerState("adam", 2, 0.01, good.slotNames(), good.slotGroups(),
                List.of(good.slots().get(0), List.of(Tensor.zeros(3), Tensor.zeros(3))));
        assertThatThrownBy(() -> fresh.loadState(List.of(ws), badShape)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must have shape (2,), got (3,)");
        assertThat(fresh.iterations()).isZero();
        assertThat(fresh.learningRate()).isEqualTo((double) 0.5f);
    }
}
