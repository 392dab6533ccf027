package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * SpatialDropout2D and SpatialDropout3D as Keras 3's
 * {@code layers/regularization/spatial_dropout.py}: the exact identity at inference and at rate 0;
 * in training each (sample, channel) map is kept whole, scaled by TensorFlow's {@code 1 / (1 - rate)},
 * or dropped whole, in channels_last and channels_first, the fraction dropped within 5 standard
 * errors of the rate; the same seed draws the same channels; rate 1 gives zeros; the gradient
 * matches float64 finite differences with the noise fixed (seed 13); the mask passes on; bad
 * options and ranks are refused by name. Seeds 11 (inputs), 13 and 21 (noise), fixed.
 */
class SpatialDropoutNDTest {
    private final Random r = new Random(11);

    private static Tensor run(Layer l, Tensor x, CallContext ctx) {
        return l.call(Variable.constant(x), null, ctx).value();
    }

    private static SpatialDropout layer(int rank, double rate, String format) {
        return rank == 2 ? new SpatialDropout2D(rate).dataFormat(format)
                : new SpatialDropout3D(rate).dataFormat(format);
    }

    @Test
    void inferenceAndRateZeroAreTheExactIdentity() {
        for (int rank : new int[] {2, 3}) {
            int[] dims = rank == 2 ? new int[] {2, 3, 4, 5} : new int[] {2, 3, 4, 2, 5};
            Tensor x = uniform(r, -3, 3, dims);
            SpatialDropout l = layer(rank, 0.5, null);
            l.build(x.shape().tail());
            Variable in = Variable.constant(x);
            assertThat(l.call(in, null, CallContext.inference())).as("%s at inference returns its input", l)
                    .isSameAs(in);
            SpatialDropout zero = layer(rank, 0, "channels_first");
            zero.build(x.shape().tail());
            assertThat(run(zero, x, CallContext.training(Seeds.of(13))).toArray()).as("%s, rate 0, training", zero)
                    .isEqualTo(x.toArray());
        }
    }

    @Test
    void trainingDropsWholeChannelMapsWithTheRateAndScalesTheRest() {
        float rate = 0.3f;
        float scale = (float) (1 / (1 - KerasConfig.decimal(rate)));  // TensorFlow's scale, cast once
        int batch = 100;
        int channels = 20;
        for (int rank : new int[] {2, 3}) {
            for (boolean first : new boolean[] {false, true}) {
                int[] spatial = rank == 2 ? new int[] {3, 4} : new int[] {2, 3, 2};
                int[] dims = new int[rank + 2];
                dims[0] = batch;
                dims[first ? 1 : rank + 1] = channels;
                System.arraycopy(spatial, 0, dims, first ? 2 : 1, rank);
                int positions = Arrays.stream(spatial).reduce(1, (a, b) -> a * b);
                float[] ones = new float[batch * channels * positions];
                Arrays.fill(ones, 1f);
                SpatialDropout l = layer(rank, rate, first ? "channels_first" : "channels_last");
                l.build(Shape.of(dims).tail());
                float[] out = run(l, Tensor.of(ones, dims), CallContext.training(Seeds.of(21))).toArray();
                int dropped = 0;
                for (int b = 0; b < batch; b++) {
                    for (int c = 0; c < channels; c++) {
                        float v = out[index(b, c, 0, first, channels, positions)];
                        assertThat(v).as("%s sample %d channel %d: 0 or 1/(1-rate)", l, b, c).isIn(0f, scale);
                        for (int p = 1; p < positions; p++) {
                            assertThat(out[index(b, c, p, first, channels, positions)])
                                    .as("%s sample %d channel %d position %d: the whole map is kept or dropped", l,
                                            b, c, p).isEqualTo(v);
                        }
                        dropped += v == 0f ? 1 : 0;
                    }
                }
                int n = batch * channels;
                double error = Math.sqrt(rate * (1.0 - rate) / n);
                assertThat((double) dropped / n).as("%s: the fraction of maps dropped, seed 21 (5 standard errors)",
                        l).isCloseTo(rate, org.assertj.core.data.Offset.offset(5 * error));
            }
        }
    }

    /** The flat index of (sample b, channel c, spatial position p) in either layout. */
    private static int index(int b, int c, int p, boolean first, int channels, int positions) {
        return first ? (b * channels + c) * positions + p : (b * positions + p) * channels + c;
    }

    @Test
    void theSameSeedDrawsTheSameChannelsAndRateOneGivesZeros() {
        Tensor x = uniform(r, -1, 1, 4, 3, 3, 2, 6);
        SpatialDropout3D l = new SpatialDropout3D(0.5);
        l.build(x.shape().tail());
        float[] a = run(l, x, CallContext.training(Seeds.of(13))).toArray();
        assertThat(run(l, x, CallContext.training(Seeds.of(13))).toArray()).as("seed 13 twice").isEqualTo(a);
        assertThat(run(l, x, CallContext.training(Seeds.of(21))).toArray()).as("seeds 13 and 21").isNotEqualTo(a);
        SpatialDropout2D all = new SpatialDropout2D(1.0).dataFormat("channels_first");
        all.build(Shape.of(2, 3, 4));
        assertThat(run(all, uniform(r, -1, 1, 3, 2, 3, 4), CallContext.training(Seeds.of(13))).toArray())
                .as("rate 1 drops every channel (TensorFlow's zeros_like)").containsOnly(0f);
    }

    @Test
    void gradientsMatchFiniteDifferencesWithTheNoiseFixed() {
        for (SpatialDropout l : List.of(new SpatialDropout2D(0.4),
                new SpatialDropout3D(0.4).dataFormat("channels_first"))) {
            int[] dims = l instanceof SpatialDropout2D ? new int[] {3, 2, 3, 4} : new int[] {3, 4, 2, 3, 2};
            l.build(Shape.of(dims).tail());
            Variable in = Variable.parameter(uniform(r, -1, 1, dims));
            GradCheck.checkParameters(l + " in training, seed 13",
                    () -> l.call(in, null, CallContext.training(Seeds.of(13))), List.of(in));
        }
    }

    @Test
    void theMaskPassesOn() {
        Tensor mask = Tensor.of(new float[] {1, 0, 1, 1, 0, 1}, 1, 2, 3);
        SpatialDropout2D l = new SpatialDropout2D(0.5);
        l.build(Shape.of(2, 3, 4));
        assertThat(l.computeMask(Variable.constant(uniform(r, -1, 1, 1, 2, 3, 4)), mask)).isSameAs(mask);
    }

    @Test
    void badOptionsAndRanksAreRefusedByName() {
        assertThatThrownBy(() -> new SpatialDropout2D(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(": rate must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> new SpatialDropout3D(0.2).dataFormat("channels_middle"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(SpatialDropout3D): data_format");
        SpatialDropout2D two = new SpatialDropout2D(0.2).named("d");
        assertThatThrownBy(() -> two.build(Shape.of(3, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'd' (SpatialDropout2D): expected an input (batch, rows, cols, channels), got "
                        + "(None, 3, 4)");
        SpatialDropout3D three = new SpatialDropout3D(0.2).dataFormat("channels_first");
        three.named("d3");
        assertThatThrownBy(() -> three.build(Shape.of(3, 4, 5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'd3' (SpatialDropout3D): expected an input (batch, channels, dim1, dim2, dim3), "
                        + "got (None, 3, 4, 5)");
    }
}
