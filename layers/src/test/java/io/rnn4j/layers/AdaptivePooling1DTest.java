package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.model.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * AdaptiveAveragePooling1D and AdaptiveMaxPooling1D against float64 pooling written here over
 * PyTorch's windows {@code [floor(iL/O), ceil((i+1)L/O))} (the windows Keras's two-pool gather
 * picks), shrinking and growing the steps (to 1e-6); the hand-worked windows Keras 3.15.1 printed;
 * gradients against finite differences; bad sizes refused; a .keras round trip.
 * Seed 41.
 */
class AdaptivePooling1DTest {
    private final Random r = new Random(41);

    private static float[] run(Layer l, Tensor x) {
        l.build(x.shape().tail());
        return l.call(Variable.constant(x), null, CallContext.inference()).value().toArray();
    }

    @ParameterizedTest(name = "L={0} O={1} max={2}")
    @CsvSource({"10, 4, false", "10, 4, true", "10, 3, true", "5, 3, false", "5, 7, false", "5, 8, true",
        "7, 7, false", "9, 1, true", "1, 3, false"})
    void matchesFloat64PoolingOverTorchsWindows(int steps, int out, boolean max) {
        int batch = 2;
        int channels = 3;
        Tensor x = uniform(r, -2, 2, batch, steps, channels);
        float[] xv = x.toArray();
        float[] y = run(max ? new AdaptiveMaxPooling1D(out) : new AdaptiveAveragePooling1D(out), x);
        assertThat(y).hasSize(batch * out * channels);
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < out; i++) {
                int start = (int) Math.floor((double) i * steps / out);
                int end = (int) Math.ceil((double) (i + 1) * steps / out);
                for (int c = 0; c < channels; c++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    for (int s = start; s < end; s++) {
                        double v = xv[(b * steps + s) * channels + c];
                        acc = max ? Math.max(acc, v) : acc + v;
                    }
                    double want = max ? acc : acc / (end - start);
                    assertThat((double) y[(b * out + i) * channels + c])
                            .as("sample %d window %d [%d, %d) channel %d (bar 1e-6)", b, i, start, end, c)
                            .isCloseTo(want, within(1e-6));
                }
            }
        }
    }

    @Test
    void theWindowsKeras3151Printed() {
        // keras.layers.AdaptiveAveragePooling1D(4) on arange(30).reshape(1, 10, 3), channel 0: 3, 9, 18, 24;
        // AdaptiveMaxPooling1D(4): 6, 12, 21, 27; AdaptiveAveragePooling1D(7) on arange(5): 0, .5, 1.5, 2, 2.5, 3.5, 4
        float[] ramp = new float[30];
        for (int i = 0; i < 30; i++) {
            ramp[i] = i;
        }
        Tensor x = Tensor.of(ramp, 1, 10, 3);
        float[] avg = run(new AdaptiveAveragePooling1D(4), x);
        float[] max = run(new AdaptiveMaxPooling1D(4), x);
        assertThat(new float[] {avg[0], avg[3], avg[6], avg[9]}).containsExactly(3, 9, 18, 24);
        assertThat(new float[] {max[0], max[3], max[6], max[9]}).containsExactly(6, 12, 21, 27);
        assertThat(run(new AdaptiveAveragePooling1D(7), Tensor.of(new float[] {0, 1, 2, 3, 4}, 1, 5, 1)))
                .containsExactly(0f, 0.5f, 1.5f, 2f, 2.5f, 3.5f, 4f);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        for (Layer l : new Layer[] {new AdaptiveAveragePooling1D(4), new AdaptiveMaxPooling1D(3),
            new AdaptiveAveragePooling1D(6), new AdaptiveMaxPooling1D(6)}) {
            l.build(Shape.of(5, 2));
            Variable in = Variable.parameter(uniform(r, -1, 1, 2, 5, 2));
            GradCheck.checkLayer(l.getClass().getSimpleName() + "(" + ((AdaptivePooling1D<?>) l).outputSize() + ")",
                    l, in, () -> l.call(in, null, CallContext.inference()));
        }
    }

    /** Unknown steps are taken, as Keras's compute_output_shape takes them (Keras3ActivationsReviewTest). */
    @Test
    void badSizesAreRefused() {
        assertThatThrownBy(() -> new AdaptiveAveragePooling1D(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("output_size must be >= 1, got 0");
        assertThatThrownBy(() -> Sequential.of(Input.shape(4), new AdaptiveAveragePooling1D(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(batch, steps, channels)");
    }

    @Test
    void savedAndLoadedBack(@TempDir Path dir) throws IOException {
        Sequential m = Sequential.of(Input.shape(9, 2), new AdaptiveAveragePooling1D(4), new AdaptiveMaxPooling1D(2),
                new Dense(1));
        Path file = dir.resolve("adaptive.keras");
        Models.save(m, file);
        KerasModel back = Models.load(file);
        Tensor x = uniform(r, -1, 1, 3, 9, 2);
        assertThat(back.predict(x).toArray()).as("bit for bit").containsExactly(m.predict(x).toArray());
    }
}
