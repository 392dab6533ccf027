package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Review of the normalization/regularization layers against Keras 3.15.1 (probed on the
 * TensorFlow backend): TimeDistributed runs its layer's {@code call}, not {@code __call__}, so an
 * ActivityRegularization inside it adds no loss (time_distributed.py step_function); and
 * SpectralNormalization refuses the layers Keras's build refuses because they have no
 * {@code kernel} attribute (recurrent layers, wrappers, attention), even though their weights
 * include one named "kernel". Seed 73.
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
