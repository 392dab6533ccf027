package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Review of the normalization/regularization layers against Keras 3.15.1 (probed on the
 * TensorFlow backend): TimeDistributed runs its layer's {@code call}, not {@code __call__}, so an
 * ActivityRegularization inside it adds no loss (time_distributed.py step_function); and
 * SpectralNormalization refuses the layers Keras's build refuses because they have no
 * {@code kernel} attribute (recurrent layers, wrappers, attention), even though their weights
 * include one named "kernel"; a SpectralNormalization's param counts are Keras's summary's (25, 20
 * trainable) and, as Keras's (probed), a frozen model's fit still writes back the normalized
 * kernel and vector_u (float64 power iteration, 1e-5 relative). Seed 73.
 */
class NormRegReviewTest {
    private final Random r = new Random(73);

    @Test
    void activityRegularizationInsideTimeDistributedAddsNoLossAsKerasTimeDistributedCallsLayerCall() {
        TimeDistributed td = new TimeDistributed(new ActivityRegularization(1.0, 0.5));
        td.build(Shape.of(3, 2));
        CallContext ctx = CallContext.training(new Random(1));
        Tensor x = uniform(r, -1, 1, 2, 3, 2);
        td.call(Variable.constant(x), null, ctx);
        assertThat(ctx.addedLosses()).as("Keras 3.15.1 adds no loss for TimeDistributed(ActivityRegularization)")
                .isEmpty();
    }

    @Test
    void aFrozenModelStillNormalizesInFitAndCountsAsKerasSummary() {
        SpectralNormalization sn = new SpectralNormalization(new Dense(5));
        Sequential s = Sequential.of(Input.shape(4, 3), sn);
        // Keras 3.15.1's summary: 25 params (kernel 15, bias 5, vector_u 5), 20 trainable
        assertThat(s.countParams()).isEqualTo(25);
        assertThat(s.countTrainableParams()).isEqualTo(20);
        s.trainable(false);
        assertThat(s.countTrainableParams()).as("all frozen, as Keras's").isZero();
        s.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        float[] kernel = sn.weights().get(0).value().toArray();
        float[] u = sn.weights().get(1).value().toArray();
        double[][] want = SpectralNormalizationTest.reference(kernel, 3, 5, u, 1);
        s.fit(uniform(r, -1, 1, 2, 4, 3), uniform(r, -1, 1, 2, 4, 5), Fit.defaults().batchSize(2).verbose(0));
        // Keras (probed): model.trainable=False, fit still assigns the normalized kernel and vector_u
        MergeLayersTest.close("frozen kernel / sigma", sn.weights().get(0).value().toArray(), want[0], 1e-5);
        MergeLayersTest.close("vector_u", sn.weights().get(1).value().toArray(), want[1], 1e-5);
    }

    @Test
    void spectralNormalizationRefusesLayersWithoutAKerasKernelAttribute() {
        for (Layer l : new Layer[] {new LSTM(2).named("lstm"), new GRU(2).named("lstm"),
                new SimpleRNN(2).named("lstm"), new Bidirectional(new LSTM(2)).named("lstm"),
                new TimeDistributed(new Dense(2)).named("lstm")}) {
            assertThatThrownBy(() -> new SpectralNormalization(l)).as(l.className())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("(SpectralNormalization): the wrapped layer 'lstm' ("
                            + l.className() + ") has no attribute 'kernel' nor 'embeddings' in Keras");
        }
    }
}
