package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.allWeights;
import static io.rnn4j.layers.keras.Keras3151.assertWeightsAsKeras;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static io.rnn4j.layers.keras.Keras3151.values;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.model.Fit;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TimeDistributed(SpectralNormalization(Dense)) trained as Keras 3.15.1 trains it
 * (keras3151/make_activity_reg.py, TensorFlow on the CPU): Keras's TimeDistributed calls the
 * wrapper once per step, so one training step normalizes the kernel once per step (three
 * power-iteration updates here, not one); after one SGD step every weight, vector_u included, is
 * Keras's within {@code 1e-5 + 1e-5·|y|}.
 */
class NormRegReviewFilesTest {
    @Test
    void spectralNormalizationInsideTimeDistributedNormalizesOncePerStepAsKeras() throws IOException {
        KerasModel m = Models.load(resource("td_spectral.keras"), true);
        Tensor fx = Npy.read(resource("td_spectral.fit_x.npy")).tensor();
        Tensor fy = Npy.read(resource("td_spectral.fit_y.npy")).tensor();
        m.fit(fx, fy, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        List<Weight> weights = allWeights(m);
        assertWeightsAsKeras("td_spectral", "after one SGD step", weights, values(weights));
    }
}
