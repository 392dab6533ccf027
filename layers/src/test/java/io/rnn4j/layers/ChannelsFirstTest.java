package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.model.Sequential;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * data_format "channels_first" in the 1D convolutions, poolings and Flatten: bit for bit the channels_last
 * layer's output on the swapped input, swapped back (same weights); input and weight gradients
 * against finite differences through the swaps ({@link GradCheck}); None steps; the option kept
 * through a .keras round trip; refusals naming the layer. Keras's own numbers are checked on
 * Keras-written files (KerasWritten3151Test, make_channels_first.py). Seed 71.
 */
class ChannelsFirstTest {
    private static final long SEED = 71;
    private final Random r = new Random(SEED);

    private record Case(String what, Supplier<Layer> make, Function<Layer, Layer> channelsFirst) {
    }

    private static List<Case> cases() {
        return List.of(
                new Case("Conv1D same tanh", () -> new Conv1D(4, 3, "tanh").padding("same"),
                        l -> ((Conv1D) l).dataFormat("channels_first")),
                new Case("Conv1D strided grouped", () -> new Conv1D(6, 3).strides(2).groups(2),
                        l -> ((Conv1D) l).dataFormat("CHANNELS_FIRST")),
                new Case("Conv1D causal dilated", () -> new Conv1D(3, 2).padding("causal").dilationRate(2),
                        l -> ((Conv1D) l).dataFormat("channels_first")),
                new Case("Conv1DTranspose", () -> new Conv1DTranspose(3, 3).strides(2).padding("same"),
                        l -> ((Conv1DTranspose) l).dataFormat("channels_first")),
                new Case("SeparableConv1D", () -> new SeparableConv1D(5, 3, "tanh").depthMultiplier(2),
                        l -> ((SeparableConv1D) l).dataFormat("channels_first")),
                new Case("DepthwiseConv1D", () -> new DepthwiseConv1D(2).depthMultiplier(2),
                        l -> ((DepthwiseConv1D) l).dataFormat("channels_first")),
                new Case("MaxPooling1D same", () -> new MaxPooling1D(2, 2).padding("same"),
                        l -> ((MaxPooling1D) l).dataFormat("channels_first")),
                new Case("AveragePooling1D same", () -> new AveragePooling1D(3, 2).padding("same"),
                        l -> ((AveragePooling1D) l).dataFormat("channels_first")),
                new Case("AdaptiveMaxPooling1D", () -> new AdaptiveMaxPooling1D(3),
                        l -> ((AdaptiveMaxPooling1D) l).dataFormat("channels_first")),
                new Case("AdaptiveAveragePooling1D", () -> new AdaptiveAveragePooling1D(4),
                        l -> ((AdaptiveAveragePooling1D) l).dataFormat("channels_first")));
    }

    /** {@code (batch, a, b)} to {@code (batch, b, a)}, by hand. */
    private static Tensor swapped(Tensor x) {
        int batch = x.dim(0);
        int a = x.dim(1);
        int b = x.dim(2);
        float[] in = x.toArray();
        float[] out = new float[in.length];
        for (int n = 0; n < batch; n++) {
            for (int i = 0; i < a; i++) {
                for (int j = 0; j < b; j++) {
                    out[(n * b + j) * a + i] = in[(n * a + i) * b + j];
                }
            }
        }
        return Tensor.of(out, batch, b, a);
    }

    private static Tensor run(Layer l, Tensor x) {
        return l.call(Variable.constant(x), null, CallContext.inference()).value();
    }

    @Test
    void channelsFirstIsTheChannelsLastLayerBetweenSwapsBitForBit() {
        int channels = 4;
        int steps = 11;
        for (Case c : cases()) {
            Layer last = c.make().get();
            Layer first = c.channelsFirst().apply(c.make().get());
            last.build(Shape.of(steps, channels), Devices.defaultDevice(), new SplittableRandom(SEED));
            first.build(Shape.of(channels, steps), Devices.defaultDevice(), new SplittableRandom(SEED));
            for (int i = 0; i < last.weights().size(); i++) {
                first.weights().get(i).set(last.weights().get(i).value());
            }
            assertThat(first.outputShape()).as("%s: output shape", c.what())
                    .isEqualTo(ChannelsFirst.swapped(last.outputShape()));
            Tensor x = uniform(r, -2, 2, 3, channels, steps);
            Tensor want = swapped(run(last, swapped(x)));
            Tensor got = run(first, x);
            assertThat(got.shape()).as("%s: call's shape", c.what()).isEqualTo(want.shape());
            assertThat(got.toArray()).as("%s: bit for bit", c.what()).isEqualTo(want.toArray());
        }
    }

    @Test
    void flattenChannelsFirstFlattensInChannelsLastOrder() {
        Flatten f = new Flatten().dataFormat("channels_first");
        f.build(Shape.of(3, 4));
        Tensor x = uniform(r, -1, 1, 2, 3, 4);
        assertThat(run(f, x).toArray()).as("rank 3: the swapped input's values")
                .isEqualTo(swapped(x).toArray());
        Flatten f4 = new Flatten().dataFormat("channels_first");
        f4.build(Shape.of(2, 3, 4));
        Tensor x4 = uniform(r, -1, 1, 2, 2, 3, 4);
        float[] v = x4.toArray();
        float[] want = new float[v.length];
        int i = 0;
        for (int n = 0; n < 2; n++) { // axes (0, 2, 3, 1), as Keras's transpose
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 4; b++) {
                    for (int c = 0; c < 2; c++) {
                        want[i++] = v[((n * 2 + c) * 3 + a) * 4 + b];
                    }
                }
            }
        }
        assertThat(run(f4, x4).toArray()).as("rank 4").isEqualTo(want);
        Flatten f2 = new Flatten().dataFormat("channels_first");
        f2.build(Shape.of(5));
        Tensor x2 = uniform(r, -1, 1, 2, 5);
        assertThat(run(f2, x2).toArray()).as("rank 2: nothing moves").isEqualTo(x2.toArray());
        Variable in = Variable.parameter(spread(24, 2, 3, 4));
        GradCheck.checkLayer("channels_first Flatten", f, in, () -> f.call(in, null, CallContext.inference()));
    }

    @Test
    void gradientsThroughTheSwapsMatchFiniteDifferences() {
        for (Case c : cases()) {
            Layer layer = c.channelsFirst().apply(c.make().get());
            // its own seed: drawn from the shared generator, the weights depended on which tests ran before
            layer.build(Shape.of(4, 7), Devices.defaultDevice(), new SplittableRandom(SEED));
            Variable in = Variable.parameter(spread(2 * 4 * 7, 2, 4, 7));
            GradCheck.checkLayer("channels_first " + c.what(), layer, in,
                    () -> layer.call(in, null, CallContext.inference()));
        }
    }

    /**
     * Distinct values 0.03 apart in a shuffled order: no two within the finite differences' step of
     * each other, so no max pooling's choice flips between the two sides of a difference.
     */
    private Tensor spread(int n, int... dims) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = -1 + 0.03f * i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Tensor.of(v, dims);
    }

    @Test
    void noneStepsGiveNoneAndAnyLengthRuns() {
        Sequential m = Sequential.of(Input.shape(2, Input.NONE),
                new Conv1D(3, 3).padding("same").dataFormat("channels_first"),
                new MaxPooling1D(2).dataFormat("channels_first"),
                new AdaptiveAveragePooling1D(2).dataFormat("channels_first"));
        assertThat(m.layers().get(0).outputShape()).isEqualTo(Shape.withUnknown(3, Shape.UNKNOWN));
        assertThat(m.layers().get(1).outputShape()).isEqualTo(Shape.withUnknown(3, Shape.UNKNOWN));
        assertThat(m.predict(uniform(r, -1, 1, 2, 2, 9)).shape()).isEqualTo(Shape.of(2, 3, 2));
        assertThat(m.predict(uniform(r, -1, 1, 1, 2, 4)).shape()).isEqualTo(Shape.of(1, 3, 2));
    }

    @Test
    void theDataFormatComesBackFromAKerasArchiveWithTheSamePredictions() throws Exception {
        Sequential m = Sequential.of(Input.shape(3, 10),
                new Conv1D(4, 3, "tanh").padding("same").dataFormat("channels_first"),
                new AveragePooling1D(2).dataFormat("channels_first"),
                new SeparableConv1D(2, 2).dataFormat("channels_first"),
                new Conv1DTranspose(2, 2).dataFormat("channels_first"),
                new DepthwiseConv1D(2).dataFormat("channels_first"),
                new AdaptiveMaxPooling1D(2).dataFormat("channels_first"),
                new Flatten().dataFormat("channels_first"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(m, out);
        KerasModel back = Models.load(new ByteArrayInputStream(out.toByteArray()), "cf.keras");
        for (Layer l : back.layers()) {
            String format = switch (l) {
                case Conv1DBase<?> k -> k.dataFormat();
                case Pooling1D<?> p -> p.dataFormat();
                case AdaptivePooling1D<?> p -> p.dataFormat();
                case Flatten f -> f.dataFormat();
                default -> "channels_first";
            };
            assertThat(format).as(l.name()).isEqualTo("channels_first");
        }
        Tensor x = uniform(r, -1, 1, 2, 3, 10);
        assertThat(back.predict(x).toArray()).isEqualTo(m.predict(x).toArray());
    }

    @Test
    void refusalsNameTheLayerAndWhatCame() {
        assertThatThrownBy(() -> new Conv1D(2, 3).named("k").dataFormat("NCW"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'k' (Conv1D): data_format must be 'channels_last' or 'channels_first', got 'NCW'");
        assertThatThrownBy(() -> new MaxPooling1D(2).named("p").dataFormat("first"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Layer 'p' (MaxPooling1D)");
        assertThatThrownBy(() -> new Conv1D(2, 3).named("k").dataFormat("channels_first").build(Shape.of(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(batch, channels, steps)");
        assertThatThrownBy(() -> new Conv1D(2, 3).named("k").dataFormat("channels_first")
                .build(Shape.withUnknown(Shape.UNKNOWN, 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a known size on axis 1");
        Conv1D built = new Conv1D(2, 3).named("k");
        built.build(Shape.of(5, 2));
        assertThatThrownBy(() -> built.dataFormat("channels_first")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("data_format");
        Conv1D cf = new Conv1D(2, 3).named("k").dataFormat("channels_first");
        cf.build(Shape.withUnknown(2, Shape.UNKNOWN));
        assertThatThrownBy(() -> run(cf, uniform(r, -1, 1, 1, 3, 6))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Input of layer 'k' (Conv1D) is incompatible with the layer: expected shape=(None, 2, "
                        + "None), found shape=(1, 3, 6)");
        assertThatThrownBy(() -> new Conv1D(4, 3).named("g").groups(2).dataFormat("channels_first")
                .build(Shape.of(3, 8))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'g' (Conv1D): the input's channels must be divisible by groups, got 3 channels "
                        + "(input (None, 3, 8)) and groups=2");
    }
}
