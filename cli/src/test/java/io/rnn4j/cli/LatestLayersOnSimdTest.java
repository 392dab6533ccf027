package io.rnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.ActivityRegularization;
import io.rnn4j.layers.AdaptiveAveragePooling2D;
import io.rnn4j.layers.AdaptiveMaxPooling2D;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.CenterCrop;
import io.rnn4j.layers.Conv2DTranspose;
import io.rnn4j.layers.Conv3DTranspose;
import io.rnn4j.layers.ConvLSTM2D;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.DepthwiseConv2D;
import io.rnn4j.layers.EinsumDense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.GroupNormalization;
import io.rnn4j.layers.GroupQueryAttention;
import io.rnn4j.layers.Hashing;
import io.rnn4j.layers.Lambda;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.MelSpectrogram;
import io.rnn4j.layers.MultiHeadAttention;
import io.rnn4j.layers.RandomRotation;
import io.rnn4j.layers.RandomTranslation;
import io.rnn4j.layers.RandomZoom;
import io.rnn4j.layers.Resizing;
import io.rnn4j.layers.ReversibleEmbedding;
import io.rnn4j.layers.STFTSpectrogram;
import io.rnn4j.layers.SeparableConv2D;
import io.rnn4j.layers.regularizers.Regularizers;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * {@link LayersOnSimdTest}'s check — outputs, input gradient, weight gradients and added losses on
 * the SIMD backend against the scalar one, same bar — for the layers added last: the audio
 * front-ends, EinsumDense, GroupQueryAttention (and MultiHeadAttention on its new
 * ProjectedAttention base), GroupNormalization, the 2-D depthwise / separable / transposed
 * convolutions (both depthwise paths: the shifted-view {@code Ops.depthwiseConv2d} at stride 1
 * multiplier 1, the window gather otherwise), Conv3DTranspose, the 2-D adaptive poolings, the
 * image preprocessing layers (the random ones in training, one stream for both sides, so both
 * draw the same transformation), ConvLSTM2D channels_first and under Bidirectional,
 * ReversibleEmbedding's reverse call, Hashing of integers and activity regularization.
 */
class LatestLayersOnSimdTest extends LayersOnSimdTest {
    /**
     * Two sizes: 5×6 images of 3 channels, below one vector of 128 bits (the kernels' scalar tails),
     * and 11×12 of 17, more than one vector of 512 bits plus a tail (their vector bodies).
     */
    static Stream<Case> cases() {
        return Stream.concat(cases(5, 3, 4), cases(11, 17, 6));
    }

    /** {@code first} then a reverse call of the same ReversibleEmbedding (Keras's {@code call(h, reverse=True)}). */
    private static Supplier<List<Layer>> reversed(Supplier<ReversibleEmbedding> first) {
        return () -> {
            ReversibleEmbedding e = first.get();
            return List.of(e, new Lambda(e::reverse));
        };
    }

    private static Stream<Case> cases(int s, int f, int u) {
        int[] seq = dims(B, s, f);
        int[] image = dims(B, s, s + 1, f);
        int[] imageFirst = dims(B, f, s, s + 1);
        int[] volume = dims(B, 4, s, 3, f);
        int[] audio = dims(B, 8 * s + 3);
        int[] signal = dims(B, 4 * s + 1, 2);
        float[] mask = stepMask(s);
        String size = " [" + B + "x" + s + "x" + (s + 1) + "x" + f + ", " + u + " filters]";
        return Stream.of(
                c("MelSpectrogram power_to_db", one(() -> new MelSpectrogram().fftLength(16).sequenceStride(5)
                        .numMelBins(u + 1).samplingRate(8000)), audio),
                c("MelSpectrogram hamming sequence_length 12, magnitude", one(() -> new MelSpectrogram().fftLength(16)
                        .sequenceStride(3).sequenceLength(12).window("hamming").numMelBins(u).samplingRate(4000)
                        .powerToDb(false).magExp(1)), audio),
                c("STFTSpectrogram log", one(() -> new STFTSpectrogram(8).frameStep(3)), signal),
                c("STFTSpectrogram stft channels_first same fft 16", one(() -> new STFTSpectrogram(7).mode("stft")
                        .frameStep(2).fftLength(16).padding("same").dataFormat("channels_first")),
                        dims(B, 2, 4 * s + 1)),
                c("EinsumDense abc,dce->abde (transposes) tanh", one(() -> new EinsumDense("abc,dce->abde", s, 3, u)
                        .biasAxes("de").activation("tanh")), seq),
                c("EinsumDense ab,bc->ac", one(() -> new EinsumDense("ab,bc->ac", u)), dims(B, f)),
                c("EinsumDense abc,cd->abd bias d", one(() -> new EinsumDense("abc,cd->abd", s, u).biasAxes("d")), seq),
                multi("GroupQueryAttention causal, with a key", one(() -> new GroupQueryAttention(3, 4, 2)
                        .useCausalMask(true)), Feed.UNIFORM, seq, seq, dims(B, s, f + 1)),
                masked(multi("GroupQueryAttention gate, masked, scores", one(() -> new GroupQueryAttention(2, 2, 1)
                        .useGate(true).returnAttentionScores(true)), Feed.UNIFORM, dims(B, 4, f), seq), null, mask),
                multi("MultiHeadAttention causal with a key, value_dim, output_shape", one(() ->
                        new MultiHeadAttention(2, 3).valueDim(2).outputShape(u).useCausalMask(true)), Feed.UNIFORM,
                        seq, seq, dims(B, s, f + 2)),
                c("GroupNormalization groups 2", one(() -> new GroupNormalization().groups(2)), dims(B, s, s + 1, 2 * f)),
                c("GroupNormalization groups -1 axis 1", one(() -> new GroupNormalization().groups(-1).axis(1)), seq),
                c("DepthwiseConv2D same (shifted views)", one(() -> new DepthwiseConv2D(3).padding("same")), image),
                c("DepthwiseConv2D valid dilation 2 (shifted views)", one(() -> new DepthwiseConv2D(2)
                        .dilationRate(2)), image),
                c("DepthwiseConv2D strides 2 multiplier 2 (gather)", one(() -> new DepthwiseConv2D(new int[] {3, 2},
                        Activation.TANH).strides(2).depthMultiplier(2)), image),
                c("SeparableConv2D same", one(() -> new SeparableConv2D(u, 3).padding("same")), image),
                c("SeparableConv2D strides 2 multiplier 2 without bias", one(() -> new SeparableConv2D(u - 1, 2)
                        .strides(2).depthMultiplier(2).useBias(false)), image),
                c("Conv2DTranspose strides 2 same", one(() -> new Conv2DTranspose(u, 3).strides(2).padding("same")),
                        image),
                c("Conv2DTranspose strides 2 output_padding 1 channels_first", one(() -> new Conv2DTranspose(u - 1, 3)
                        .strides(2).outputPadding(1).dataFormat("channels_first")), imageFirst),
                c("Conv3DTranspose strides (1, 2, 2) same", one(() -> new Conv3DTranspose(u, new int[] {2, 1, 2})
                        .strides(1, 2, 2).padding("same")), volume),
                c("AdaptiveAveragePooling2D (2, 3)", one(() -> new AdaptiveAveragePooling2D(2, 3)), image),
                with(c("AdaptiveMaxPooling2D (3, 2) channels_first with ties", one(() -> new AdaptiveMaxPooling2D(3, 2)
                        .dataFormat("channels_first")), imageFirst), Feed.TIES),
                c("Resizing bilinear", one(() -> new Resizing(s + 2, s - 1)), image),
                c("Resizing nearest channels_first", one(() -> new Resizing(2 * s, 3, "channels_first")
                        .interpolation("nearest")), imageFirst),
                c("Resizing bilinear crop_to_aspect_ratio", one(() -> new Resizing(3, 4).cropToAspectRatio(true)),
                        image),
                c("CenterCrop", one(() -> new CenterCrop(s - 2, s - 1)), image),
                c("CenterCrop channels_first", one(() -> new CenterCrop(3, 2, "channels_first")), imageFirst),
                training(c("RandomRotation in training", one(() -> new RandomRotation(0.2)), image)),
                training(c("RandomRotation nearest constant, own seed, channels_first", one(() -> new RandomRotation(
                        new double[] {-0.3, 0.1}, 7L, "channels_first").interpolation("nearest").fillMode("constant")
                        .fillValue(0.5)), imageFirst)),
                training(c("RandomZoom in training", one(() -> new RandomZoom(0.3)), image)),
                training(c("RandomZoom width factor, wrap", one(() -> new RandomZoom(new double[] {-0.2, 0.4},
                        new double[] {0.25}, null, null).fillMode("wrap")), image)),
                training(c("RandomTranslation in training", one(() -> new RandomTranslation(0.2, 0.3)), image)),
                training(c("RandomTranslation nearest fill, channels_first", one(() -> new RandomTranslation(
                        new double[] {-0.25, 0.1}, new double[] {0.3}, null, "channels_first").fillMode("nearest")),
                        imageFirst)),
                c("ConvLSTM2D channels_first same return_sequences", one(() -> new ConvLSTM2D(u - 1, 2)
                        .padding("same").dataFormat("channels_first").returnSequences(true)), dims(B, 3, 2, s, s - 1)),
                c("Bidirectional(ConvLSTM2D) concat return_state", one(() -> new Bidirectional(new ConvLSTM2D(u - 1, 2)
                        .padding("same").returnState(true))), dims(B, 3, s, s - 1, 2)),
                with(c("ReversibleEmbedding -> reverse call (tied)", reversed(() -> new ReversibleEmbedding(11, f)),
                        dims(B, s)), Feed.IDS),
                with(c("ReversibleEmbedding mask_zero -> reverse call (untied, logit_soft_cap 2)", reversed(() ->
                        new ReversibleEmbedding(11, f).maskZero(true).tieWeights(false).logitSoftCap(2.0)), dims(B, s)),
                        Feed.IDS),
                with(c("Hashing 11 -> Embedding", chain(() -> new Hashing(11), () -> new Embedding(11, f)), dims(B, s)),
                        Feed.IDS),
                with(c("Hashing 7 mask_value 0, salt -> Embedding", chain(() -> new Hashing(7).maskValue(0).salt(42),
                        () -> new Embedding(8, f)), dims(B, s)), Feed.IDS),
                c("Dense -> ActivityRegularization", chain(() -> new Dense(u, Activation.TANH),
                        () -> new ActivityRegularization(0.01, 0.02)), seq),
                c("Dense with activity_regularizer l1l2", one(() -> new Dense(u).activityRegularizer(
                        Regularizers.l1l2(0.03, 0.05))), seq))
                .map(c -> new Case(c.name() + size, c.layers(), c.inputs(), c.feed(), c.masks(), c.training()));
    }

    /**
     * The random affine layers' given transformations (Keras's {@code transform_images}, the public
     * {@code rotate} / {@code zoom} / {@code translate}) on 17-channel images (a 512-bit vector and a
     * tail per pixel) give the same images on both backends, bilinear and nearest, channels_last and
     * channels_first, the bar as the cases'.
     */
    @Test
    void givenAffineTransformsAgree() {
        Device scalar = Devices.get("scalar");
        Device simd = Devices.get("simd");
        Random r = new Random(SEED);
        float[] x = new float[B * 7 * 9 * 17];
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * r.nextFloat() - 1;
        }
        record Given(String name, BiFunction<Tensor, Boolean, Tensor> apply) {
        }
        List<Given> cases = List.of(
                new Given("RandomRotation.rotate 30, -45, 170 degrees", (t, first) -> new RandomRotation(
                        new double[] {0.2}, null, first ? "channels_first" : null).rotate(t, new float[] {30, -45, 170})),
                new Given("RandomZoom.zoom nearest, wrap", (t, first) -> new RandomZoom(new double[] {0.3}, null, null,
                        first ? "channels_first" : null).interpolation("nearest").fillMode("wrap").zoom(t,
                        new float[] {0.8f, 1.1f, 1.3f}, new float[] {1.25f, 0.9f, 1f})),
                new Given("RandomTranslation.translate constant 0.5", (t, first) -> new RandomTranslation(
                        new double[] {0.2}, new double[] {0.3}, null, first ? "channels_first" : null)
                        .fillMode("constant").fillValue(0.5).translate(t, new float[] {1.5f, -2f, 0.25f},
                        new float[] {-3f, 0.5f, 2.75f})));
        for (Given g : cases) {
            for (boolean first : new boolean[] {false, true}) {
                int[] dims = first ? dims(B, 17, 7, 9) : dims(B, 7, 9, 17);
                Tensor expected = g.apply.apply(scalar.tensor(x, dims), first);
                Tensor actual = g.apply.apply(simd.tensor(x, dims), first);
                float[] e = expected.toArray();
                float[] a = actual.toArray();
                assertThat(actual.shape()).isEqualTo(expected.shape());
                double scale = 0;
                for (float v : e) {
                    scale = Math.max(scale, Math.abs(v));
                }
                for (int i = 0; i < e.length; i++) {
                    assertThat((double) a[i])
                            .as("%s%s element %d (seed %d, bar %s + %s*max|scalar|)", g.name,
                                    first ? " channels_first" : "", i, SEED, ATOL, RTOL)
                            .isCloseTo(e[i], Offset.offset(ATOL + RTOL * scale));
                }
            }
        }
    }
}
