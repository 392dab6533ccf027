package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.model.StepRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The activations Keras 3 added (keras/src/activations/activations.py), by the names a layer's
 * {@code activation} takes: their values at -3, -1, -0.5, 0, 0.5, 1 and 3 as Keras 3.15.1 printed
 * them (JAX backend, float32), within 1e-6; glu, sparsemax and threshold refused saying why; in the
 * recurrent layers (not log_softmax), in the step runner and through a .keras round trip. Seed 23.
 */
class KerasActivationsTest {
    private static final float[] X = {-3f, -1f, -0.5f, 0f, 0.5f, 1f, 3f};

    static Stream<Arguments> kerasValues() {
        return Stream.of(
            Arguments.of("relu6", new double[] {0.0, 0.0, 0.0, 0.0, 0.5, 1.0, 3.0}),
            Arguments.of("leaky_relu", new double[] {-0.6000000238418579, -0.20000000298023224, -0.10000000149011612,
                0.0, 0.5, 1.0, 3.0}),
            Arguments.of("gelu", new double[] {-0.0040496960282325745, -0.15865527093410492, -0.1542687714099884, 0.0,
                0.3457312285900116, 0.8413447141647339, 2.995950222015381}),
            Arguments.of("mish", new double[] {-0.14564745128154755, -0.3034014403820038, -0.22074377536773682, 0.0,
                0.37524524331092834, 0.8650984764099121, 2.9865355491638184}),
            Arguments.of("hard_silu", new double[] {-0.0, -0.3333333432674408, -0.2083333432674408, 0.0,
                0.2916666865348816, 0.6666666865348816, 3.0}),
            Arguments.of("hard_swish", new double[] {-0.0, -0.3333333432674408, -0.2083333432674408, 0.0,
                0.2916666865348816, 0.6666666865348816, 3.0}),
            Arguments.of("celu", new double[] {-0.9502129554748535, -0.6321205496788025, -0.39346933364868164, 0.0, 0.5,
                1.0, 3.0}),
            Arguments.of("hard_tanh", new double[] {-1.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.0}),
            Arguments.of("log_sigmoid", new double[] {-3.0485873222351074, -1.3132617473602295, -0.9740769863128662,
                -0.6931471824645996, -0.4740769863128662, -0.3132616877555847, -0.04858735203742981}),
            Arguments.of("tanh_shrink", new double[] {-2.0049452781677246, -0.23840582370758057,
                -0.037882834672927856, 0.0, 0.037882834672927856, 0.23840582370758057, 2.0049452781677246}),
            Arguments.of("soft_shrink", new double[] {-2.5, -0.5, 0.0, 0.0, 0.0, 0.5, 2.5}),
            Arguments.of("hard_shrink", new double[] {-3.0, -1.0, 0.0, 0.0, 0.0, 1.0, 3.0}),
            Arguments.of("squareplus", new double[] {0.30277562141418457, 0.6180340051651001, 0.7807763814926147, 1.0,
                1.2807763814926147, 1.6180340051651, 3.3027756214141846}),
            Arguments.of("sparse_plus", new double[] {0.0, 0.0, 0.0625, 0.25, 0.5625, 1.0, 3.0}),
            Arguments.of("sparse_sigmoid", new double[] {0.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0}),
            Arguments.of("log_softmax", new double[] {-6.276266574859619, -4.276266574859619, -3.776266574859619,
                -3.276266574859619, -2.776266574859619, -2.276266574859619, -0.27626651525497437}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kerasValues")
    void valuesAreKeras3151sWithin1e6(String name, double[] keras) {
        ActivationLayer layer = new ActivationLayer(name);
        layer.build(io.rnn4j.engine.Shape.of(X.length));
        float[] y = layer.call(Variable.constant(Tensor.of(X, 1, X.length)), null, CallContext.inference()).value()
                .toArray();
        for (int i = 0; i < X.length; i++) {
            assertThat((double) y[i]).as("%s(%s): Keras 3.15.1 gives %s (bar 1e-6)", name, X[i], keras[i])
                    .isCloseTo(keras[i], within(1e-6));
        }
        assertThat(Activation.of(name).kerasName()).as("the name Keras writes back")
                .isEqualTo(name.equals("hard_swish") ? "hard_silu" : name);
    }

    @Test
    void gluSparsemaxAndThresholdAreRefusedSayingWhy() {
        assertThatThrownBy(() -> new Dense(4, "glu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("glu", "halves the last axis");
        assertThatThrownBy(() -> new ActivationLayer("sparsemax")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("sparsemax", "sort");
        assertThatThrownBy(() -> new Dense(4, "threshold")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("threshold", "default_value");
        assertThatThrownBy(() -> new Dense(4, "gelu_tanh")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("unknown activation 'gelu_tanh'", "gelu", "hard_swish", "log_softmax");
    }

    @Test
    void aRecurrentLayerTakesAnyElementwiseActivationButNotLogSoftmax() {
        assertThatThrownBy(() -> Sequential.of(Input.shape(3, 2), new GRU(2).activation("log_softmax")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("log_softmax is not an elementwise activation");
        Sequential m = Sequential.of(Input.shape(3, 2), new LSTM(3).activation("gelu").recurrentActivation("hard_silu"));
        float[] y = m.predict(GradCheck.uniform(new Random(23), -1, 1, 2, 3, 2)).toArray();
        for (float v : y) {
            assertThat(Float.isFinite(v)).as("LSTM(gelu, hard_silu) output %s is finite", v).isTrue();
        }
    }

    @Test
    void theStepRunnerStepsAsPredictWithLogSoftmaxAndMish() {
        Sequential m = Sequential.of(Input.shape(5, 3), new LSTM(4).activation("mish").returnSequences(true),
                new Dense(3, "log_softmax"));
        Tensor x = GradCheck.uniform(new Random(23), -1, 1, 1, 5, 3);
        float[] whole = m.predict(x).toArray();
        float[] xv = x.toArray();
        StepRunner s = m.stepRunner();
        float[] out = new float[3];
        for (int t = 0; t < 5; t++) {
            s.step(new float[] {xv[t * 3], xv[t * 3 + 1], xv[t * 3 + 2]}, out);
            for (int j = 0; j < 3; j++) {
                assertThat((double) out[j]).as("step %d [%d] (bar 1e-6)", t, j).isCloseTo(whole[t * 3 + j],
                        within(1e-6));
            }
        }
    }

    @Test
    void savedAndLoadedBackUnderKerasNames(@TempDir Path dir) throws IOException {
        Sequential m = Sequential.of(Input.shape(4), new Dense(5, "gelu"), new Dense(5, "hard_swish"),
                new ActivationLayer("squareplus"), new Dense(3, "log_softmax"));
        Path file = dir.resolve("m.keras");
        Models.save(m, file);
        KerasModel back = Models.load(file);
        Tensor x = GradCheck.uniform(new Random(23), -2, 2, 3, 4);
        assertThat(back.predict(x).toArray()).as("the loaded copy predicts bit for bit").containsExactly(
                m.predict(x).toArray());
    }
}
