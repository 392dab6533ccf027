package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras 3.15.1 files whose layers are called with an explicit {@code mask=} (make_explicit_mask.py):
 * recurrent layers (go_backwards, Bidirectional), TimeDistributed and GlobalAveragePooling1D given a
 * float mask holding 0.5s (Keras casts it to bool), masks computed by operations, and a model whose
 * output carries the mask, so that Keras weights its loss by it.
 */
class ExplicitMaskKerasTest {
    @TempDir
    Path tmp;

    private static Tensor npy(String name) throws IOException {
        return Npy.read(resource(name)).tensor();
    }

    private static List<Tensor> inputs() throws IOException {
        return List.of(npy("emask.x0.npy"), npy("emask.x1.npy"));
    }

    @Test
    void recurrentPoolingAndTimeDistributedLayersTakeTheMaskAsKerasAndSaveBothWays() throws IOException {
        Model model = Models.load(resource("emask.keras")).functional();
        double[] want = Npy.read(resource("emask.y.npy")).values();
        float[] y = model.predict(inputs()).get(0).toArray();
        Keras3151.report("emask", y, want);
        assertClose("emask", y, want);
        for (String file : List.of("emask_rnn4j.keras")) {
            Models.save(model, tmp.resolve(file));
            assertThat(Models.load(tmp.resolve(file)).functional().predict(inputs()).get(0).toArray())
                    .as("after rnn4j's %s, bit for bit", file).isEqualTo(y);
        }
    }

    @Test
    void masksComputedByOperationsAreReadAsOperations() throws IOException {
        Model model = Models.load(resource("emaskops.keras")).functional();
        double[] want = Npy.read(resource("emaskops.y.npy")).values();
        assertClose("emaskops", model.predict(inputs()).get(0).toArray(), want);
        Models.save(model, tmp.resolve("emaskops_rnn4j.keras"));
        assertClose("emaskops saved by rnn4j", Models.load(tmp.resolve("emaskops_rnn4j.keras")).functional()
                .predict(inputs()).get(0).toArray(), want);
    }

    @Test
    void theOutputsMaskWeightsTheLossAsInKeras() throws IOException {
        Model model = Models.load(resource("emaskloss.keras"), true).functional();
        List<Tensor> x = List.of(npy("emask.x0.npy"), npy("emaskloss.x1.npy"));
        List<Tensor> t = List.of(npy("emaskloss.t.npy"));
        assertClose("emaskloss predictions", model.predict(x).get(0).toArray(),
                Npy.read(resource("emaskloss.y.npy")).values());
        assertClose("evaluate()'s loss", new float[] {(float) model.evaluate(x, t, 4).loss()},
                Npy.read(resource("emaskloss.eval.npy")).values());
        List<Weight> weights = model.weights();
        List<float[]> before = Keras3151.values(weights);
        model.fit(x, t, Fit.defaults().batchSize(2).epochs(1).shuffle(false).verbose(0));
        assertThat(Keras3151.assertWeightsAsKeras("emaskloss", "after one epoch", weights, before))
                .as("how far the epoch moved a weight").isGreaterThan(1e-3);
    }
}
