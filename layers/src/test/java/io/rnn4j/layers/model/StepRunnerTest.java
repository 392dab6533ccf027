package io.rnn4j.layers.model;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.ActivationLayer;
import io.rnn4j.layers.AlphaDropout;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.GaussianDropout;
import io.rnn4j.layers.GaussianNoise;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.SimpleRNN;
import io.rnn4j.layers.SpatialDropout1D;
import io.rnn4j.layers.TimeDistributed;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Stepping a model one time step at a time gives, at each step, what predict gives for that step. Seed 31. */
class StepRunnerTest {
    private final Random r = new Random(31);

    @Test
    void eachStepEqualsTheSequenceOutputAtThatStep() {
        Sequential m = Sequential.of(Input.shape(6, 3), new GaussianNoise(0.1f), new LSTM(4).returnSequences(true),
                new SpatialDropout1D(0.3f), new GRU(3).returnSequences(true).resetAfter(false), new Dropout(0.5f),
                new GaussianDropout(0.2f), new AlphaDropout(0.1f),
                new SimpleRNN(5).returnSequences(true), new TimeDistributed(new Dense(4, Activation.TANH)),
                new Dense(2), new ActivationLayer(Activation.SOFTMAX));
        Tensor x = uniform(r, -1, 1, 1, 6, 3);
        float[] whole = m.predict(x).toArray();
        float[] xv = x.toArray();
        StepRunner s = m.stepRunner();
        assertThat(s.inputSize()).isEqualTo(3);
        assertThat(s.outputSize()).isEqualTo(2);
        float[] out = new float[2];
        for (int pass = 0; pass < 2; pass++) {
            for (int t = 0; t < 6; t++) {
                s.step(new float[] {xv[t * 3], xv[t * 3 + 1], xv[t * 3 + 2]}, out);
                for (int j = 0; j < 2; j++) {
                    assertThat((double) out[j]).as("pass %d step %d [%d]", pass, t, j)
                            .isCloseTo(whole[t * 2 + j], within(1e-6));
                }
            }
            s.reset();
        }
    }

    @Test
    void aLastOutputModelStepsToItsPrediction() {
        Sequential m = Sequential.of(Input.shape(5, 2), new GRU(4), new Dense(1));
        Tensor x = uniform(r, -1, 1, 1, 5, 2);
        float[] xv = x.toArray();
        StepRunner s = m.stepRunner();
        float[] last = null;
        for (int t = 0; t < 5; t++) {
            last = s.step(new float[] {xv[2 * t], xv[2 * t + 1]});
        }
        assertThat((double) last[0]).isCloseTo(m.predict(x).toArray()[0], within(1e-6));
    }

    @Test
    void layersThatNeedTheWholeSequenceCannotStep() {
        assertThatThrownBy(() -> Sequential.of(Input.shape(3, 2), new Bidirectional(new LSTM(2))).stepRunner())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot run step by step");
        assertThatThrownBy(() -> Sequential.of(Input.shape(3, 2), new LSTM(2).goBackwards(true).named("rev"))
                .stepRunner()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'rev' goes backwards");
        StepRunner s = Sequential.of(Input.shape(3, 2), new LSTM(2)).stepRunner();
        assertThatThrownBy(() -> s.step(new float[3], new float[2])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 2 features");
    }
}
