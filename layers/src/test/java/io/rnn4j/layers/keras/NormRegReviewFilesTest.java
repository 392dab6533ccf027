package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.model.Fit;
import java.io.IOException;
import java.util.ArrayList;
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
        List<Weight> weights = new ArrayList<>();
        for (Layer l : m.layers()) {
            weights.addAll(l.weights());
        }
        for (int i = 0; i < weights.size(); i++) {
            assertClose("td_spectral " + weights.get(i).path() + " after one SGD step",
                    weights.get(i).value().toArray(), Npy.read(resource("td_spectral.after" + i + ".npy")).values());
        }
    }
}
