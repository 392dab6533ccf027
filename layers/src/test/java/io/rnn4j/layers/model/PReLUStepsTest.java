package io.rnn4j.layers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.PReLU;
import io.rnn4j.layers.initializers.Initializers;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Stepping a PReLU whose alpha is shared over the features too. Keras's PReLU broadcasts
 * an alpha of size 1 along every shared axis (keras/src/layers/activations/prelu.py build:
 * param_shape[i - 1] = 1; call: -alpha * relu(-x)), so predict computes these, and such an alpha
 * is the same at every step; ActivationSteps reshaped it to (1, features) and failed instead.
 * Both tests failed before ActivationSteps sized alpha by its own size ("reshape: cannot view shape
 * (1, 1) ... as [1, 4]").
 */
class PReLUStepsTest {
    private static final float[] X = {-1, 2, -3, 4, 0.5f, -0.5f, 6, -6, -2, -4, 1, 3};

    @Test
    void preluSharedOverStepsAndFeaturesStepsAsPredict() {
        Sequential m = Sequential.of(Input.shape(3, 4),
                new PReLU().sharedAxes(1, 2).alphaInitializer(Initializers.constant(0.25f)));
        float[] whole = m.predict(Tensor.of(X, 1, 3, 4)).toArray();
        StepRunner s = m.stepRunner();
        for (int t = 0; t < 3; t++) {
            assertThat(s.step(Arrays.copyOfRange(X, t * 4, t * 4 + 4))).as("step %d of PReLU(shared_axes=[1, 2])", t)
                    .isEqualTo(Arrays.copyOfRange(whole, t * 4, t * 4 + 4));
        }
    }

    @Test
    void preluWithOneAlphaAfterAnLstmStepsAsPredict() {
        Sequential m = Sequential.of(Input.shape(3, 4), new LSTM(5),
                new PReLU().sharedAxes(1).alphaInitializer(Initializers.constant(0.25f)));
        float[] whole = m.predict(Tensor.of(X, 1, 3, 4)).toArray();
        StepRunner s = m.stepRunner();
        float[] last = null;
        for (int t = 0; t < 3; t++) {
            last = s.step(Arrays.copyOfRange(X, t * 4, t * 4 + 4));
        }
        assertThat(last).as("the last step of LSTM(5) -> PReLU(shared_axes=[1]) (alpha of shape (1,))")
                .isEqualTo(whole);
    }
}
