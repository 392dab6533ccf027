package io.rnn4j.layers.model;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.ELU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LeakyReLU;
import io.rnn4j.layers.PReLU;
import io.rnn4j.layers.ReLU;
import io.rnn4j.layers.SimpleRNN;
import io.rnn4j.layers.Softmax;
import io.rnn4j.layers.initializers.Initializers;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Stepping the activation layers gives predict's output at every step bit for bit (the same
 * device ops in the same order), over inputs that hit relu6's and the slopes' kinks; the layers
 * that need the step's position or the whole sequence (PReLU with an alpha per step, Softmax over
 * the steps) and ReLU with a threshold are refused by name. Seed 29, fixed.
 */
class ActivationStepsTest {
    private final Random r = new Random(29);

    @Test
    void eachStepEqualsPredictBitForBit() {
        Sequential m = Sequential.of(Input.shape(7, 4), new ReLU(6.0, 0.2f, 0f), new ReLU(), new Dense(5),
                new LeakyReLU(0.1f), new ReLU(null, 0.3f, 0f), new ELU(0.7f), new ELU(),
                new PReLU().sharedAxes(1).alphaInitializer(Initializers.randomUniform(-1f, 1f)),
                new ReLU(2.0, 0f, 0f), new SimpleRNN(3).returnSequences(true), new Softmax());
        Tensor x = uniform(r, -8, 8, 1, 7, 4);
        float[] xv = x.toArray();
        xv[0] = 0f;   // relu6's and the slopes' kinks, exactly
        xv[1] = 6f;
        x = Tensor.of(xv, 1, 7, 4);
        float[] whole = m.predict(x).toArray();
        StepRunner s = m.stepRunner();
        for (int t = 0; t < 7; t++) {
            float[] out = s.step(Arrays.copyOfRange(xv, t * 4, t * 4 + 4));
            assertThat(out).as("step %d", t).isEqualTo(Arrays.copyOfRange(whole, t * 3, t * 3 + 3));
        }
    }

    @Test
    void layersNeedingThePositionOrTheSequenceOrAThresholdAreRefused() {
        assertThatThrownBy(() -> Sequential.of(Input.shape(3, 2), new PReLU()).stepRunner())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PReLU")
                .hasMessageContaining("shared_axes=[1]");
        assertThatThrownBy(() -> Sequential.of(Input.shape(3, 2), new Softmax(1)).stepRunner())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Softmax")
                .hasMessageContaining("last axis");
        assertThatThrownBy(() -> Sequential.of(Input.shape(3, 2), new ReLU(null, 0f, 1f)).stepRunner())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold");
    }
}
