package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * SpatialDropout1D, GaussianNoise, GaussianDropout and AlphaDropout as Keras 3's
 * {@code layers/regularization}: the exact identity at inference; in training the statistics of
 * the noise (mean and variance over many draws, within 5 standard errors computed from the
 * sample's own moments and size), SpatialDropout1D's whole-channel pattern and AlphaDropout's two
 * exact output values; the gradient equals the multiplier the forward applied and matches float64
 * finite differences with the noise fixed; masks pass on; None timesteps; bad options refused.
 * Seeds 7 (inputs) and 13, 21, 29, 37 (noise), fixed.
 */
class NoiseLayersTest {
    private static final double SIGMAS = 5;
    private final Random r = new Random(7);

    /** Mean, variance and the standard errors of both, from the sample itself. */
    private record Moments(double mean, double variance, double meanError, double varianceError) {
        static Moments of(double[] v) {
            int n = v.length;
            double mean = 0;
            for (double x : v) {
                mean += x;
            }
            mean /= n;
            double m2 = 0;
            double m4 = 0;
            for (double x : v) {
                double d = (x - mean) * (x - mean);
                m2 += d;
                m4 += d * d;
            }
            m2 /= n;
            m4 /= n;
            // The sample variance's standard error is sqrt((m4 - m2^2) / n) for any distribution.
            return new Moments(mean, m2, Math.sqrt(m2 / n), Math.sqrt((m4 - m2 * m2) / n));
        }

        void check(String what, double wantMean, double wantVariance) {
            assertThat(mean).as("%s: mean %s vs %s within %s standard errors (%s)", what, mean, wantMean, SIGMAS,
                    meanError).isCloseTo(wantMean, org.assertj.core.data.Offset.offset(SIGMAS * meanError));
            assertThat(variance).as("%s: variance %s vs %s within %s standard errors (%s)", what, variance,
                    wantVariance, SIGMAS, varianceError).isCloseTo(wantVariance,
                    org.assertj.core.data.Offset.offset(SIGMAS * varianceError));
        }
    }

    private static Tensor run(Layer l, Tensor x, CallContext ctx) {
        return l.call(Variable.constant(x), null, ctx).value();
    }

    private static Tensor full(float value, int... dims) {
        return Tensor.of(filled(value, Math.toIntExact(Shape.of(dims).size())), dims);
    }

    private static float[] filled(float value, int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, value);
        return v;
    }

    private List<Layer> all() {
        return List.of(new SpatialDropout1D(0.4f), new GaussianNoise(0.3f), new GaussianDropout(0.25f),
                new AlphaDropout(0.2f));
    }

    @Test
    void inferenceIsTheExactIdentityAndSoIsARateOfZero() {
        Tensor x = uniform(r, -3, 3, 3, 5, 4);
        for (Layer l : all()) {
            l.build(Shape.of(5, 4));
            Variable in = Variable.constant(x);
            assertThat(l.call(in, null, CallContext.inference())).as("%s at inference returns its input", l)
                    .isSameAs(in);
        }
        for (Layer l : List.of(new SpatialDropout1D(0f), new GaussianNoise(0f), new GaussianDropout(0f),
                new AlphaDropout(0f))) {
            l.build(Shape.of(5, 4));
            assertThat(run(l, x, CallContext.training(Seeds.of(13))).toArray())
                    .as("%s with rate/stddev 0 in training", l).isEqualTo(x.toArray());
        }
    }

    @Test
    void spatialDropout1dDropsWholeChannelsWithTheRateAndScalesTheRest() {
        float rate = 0.3f;
        int b = 200;
        int t = 6;
        int f = 25;
        SpatialDropout1D l = new SpatialDropout1D(rate);
        l.build(Shape.of(t, f));
        float[] out = run(l, full(1f, b, t, f), CallContext.training(Seeds.of(21))).toArray();
        float scale = (float) (1 / (1 - KerasConfig.decimal(rate)));  // TensorFlow's scale, cast once
        double[] channel = new double[b * f];
        double[] dropped = new double[b * f];
        for (int s = 0; s < b; s++) {
            for (int c = 0; c < f; c++) {
                float first = out[(s * t) * f + c];
                assertThat(first).as("sample %d channel %d: 0 or 1/(1-rate)", s, c).isIn(0f, scale);
                for (int k = 1; k < t; k++) {
                    assertThat(out[(s * t + k) * f + c]).as("sample %d channel %d step %d: the whole channel is "
                            + "kept or dropped", s, c, k).isEqualTo(first);
                }
                channel[s * f + c] = first;
                dropped[s * f + c] = first == 0f ? 1 : 0;
            }
        }
        // A Bernoulli(rate) draw per channel: mean rate, variance rate(1-rate); the output has mean 1.
        Moments.of(dropped).check("SpatialDropout1D dropped channels, seed 21", rate, rate * (1.0 - rate));
        Moments.of(channel).check("SpatialDropout1D channel multipliers, seed 21", 1.0, rate / (1.0 - rate));
    }

    @Test
    void gaussianNoiseAddsZeroMeanNoiseOfTheStddev() {
        float stddev = 0.7f;
        GaussianNoise l = new GaussianNoise(stddev);
        l.build(Shape.of(40, 50));
        Tensor x = uniform(r, -2, 2, 20, 40, 50);
        float[] in = x.toArray();
        float[] out = run(l, x, CallContext.training(Seeds.of(29))).toArray();
        double[] noise = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            noise[i] = (double) out[i] - in[i];
        }
        Moments.of(noise).check("GaussianNoise(0.7) noise, seed 29", 0.0, (double) stddev * stddev);
    }

    @Test
    void gaussianDropoutMultipliesByOneCentredNoiseOfKerasDeviation() {
        float rate = 0.4f;
        GaussianDropout l = new GaussianDropout(rate);
        l.build(Shape.of(40, 50));
        Tensor x = uniform(r, 0.5f, 2, 20, 40, 50);
        float[] in = x.toArray();
        float[] out = run(l, x, CallContext.training(Seeds.of(37))).toArray();
        double[] noise = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            noise[i] = (double) out[i] / in[i];
        }
        // Keras: normal(mean 1, stddev sqrt(rate / (1 - rate))), so variance rate / (1 - rate).
        Moments.of(noise).check("GaussianDropout(0.4) multiplier, seed 37", 1.0, 0.4 / 0.6);
    }

    @Test
    void alphaDropoutGivesKerasAffineValuesAndKeepsZeroMeanUnitVariance() {
        float rate = 0.2f;
        double alphaP = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946;
        double a = 1 / Math.sqrt((1 - 0.2) * (1 + 0.2 * alphaP * alphaP));
        double bias = -a * alphaP * 0.2;
        AlphaDropout l = new AlphaDropout(rate);
        l.build(Shape.of(100, 50));
        int n = 20 * 100 * 50;
        float[] in = new float[n];
        Random g = new Random(7);
        for (int i = 0; i < n; i++) {
            in[i] = (float) g.nextGaussian();
        }
        float[] out = run(l, Tensor.of(in, 20, 100, 50), CallContext.training(Seeds.of(13))).toArray();
        double[] dropped = new double[n];
        double[] y = new double[n];
        double droppedValue = a * alphaP + bias;
        for (int i = 0; i < n; i++) {
            double kept = a * in[i] + bias;
            boolean isKept = Math.abs(out[i] - kept) <= 1e-6 * (1 + Math.abs(kept));
            boolean isDropped = Math.abs(out[i] - droppedValue) <= 1e-6;
            assertThat(isKept || isDropped).as("element %d: %s is a·x + b = %s or a·alpha' + b = %s", i, out[i],
                    kept, droppedValue).isTrue();
            dropped[i] = isKept ? 0 : 1;
            y[i] = out[i];
        }
        Moments.of(dropped).check("AlphaDropout dropped elements, seed 13", rate, rate * (1.0 - rate));
        // The point of alpha dropout: a zero-mean unit-variance input stays so.
        Moments.of(y).check("AlphaDropout output of N(0, 1) input, seed 13", 0.0, 1.0);
    }

    /** The multiplier each layer applied, read from the forward pass itself, is the gradient. */
    @Test
    void gradientIsTheMultiplierTheForwardApplied() {
        Tensor x = uniform(r, -1, 1, 3, 4, 5);
        for (Layer l : all()) {
            l.build(Shape.of(4, 5));
            Supplier<CallContext> ctx = () -> CallContext.training(Seeds.of(13));
            // The layers are affine in x for a fixed draw: out(1) - out(0) is the multiplier.
            float[] one = run(l, full(1f, 3, 4, 5), ctx.get()).toArray();
            float[] zero = run(l, full(0f, 3, 4, 5), ctx.get()).toArray();
            Variable in = Variable.parameter(x);
            Ops.sumAll(l.call(in, null, ctx.get())).backward();
            float[] grad = in.grad().toArray();
            for (int i = 0; i < grad.length; i++) {
                assertThat(grad[i]).as("%s: d sum(out) / dx at %d", l, i)
                        .isCloseTo(one[i] - zero[i], org.assertj.core.data.Offset.offset(1e-6f));
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesWithTheNoiseFixed() {
        for (Layer l : all()) {
            l.build(Shape.of(3, 4));
            Variable in = Variable.parameter(uniform(r, -1, 1, 2, 3, 4));
            GradCheck.checkParameters(l.className() + " in training, seed 13",
                    () -> l.call(in, null, CallContext.training(Seeds.of(13))), List.of(in));
        }
    }

    @Test
    void masksPassOnAsKerasSupportsMasking() {
        Tensor mask = Tensor.of(new float[] {1, 1, 0, 1, 0, 0}, 2, 3);
        Variable x = Variable.constant(uniform(r, -1, 1, 2, 3, 4));
        for (Layer l : all()) {
            l.build(Shape.of(3, 4));
            assertThat(l.computeMask(x, mask)).as("%s passes the mask on", l).isSameAs(mask);
            assertThat(l.computeMask(x, null)).as("%s without a mask", l).isNull();
        }
        // End to end: an LSTM after Embedding(mask_zero) -> SpatialDropout1D -> GaussianNoise sees the mask,
        // as without them; Permute (Keras: no masking support) drops it, even as the identity permutation.
        Seeds.set(7);
        Embedding embedding = new Embedding(9, 2).maskZero(true);
        LSTM lstm = new LSTM(3);
        Sequential with = Sequential.of(Input.shape(4), embedding, new SpatialDropout1D(0.5f), new GaussianNoise(0.5f),
                lstm);
        Sequential plain = Sequential.of(Input.shape(4), embedding, lstm);
        Sequential dropped = Sequential.of(Input.shape(4), embedding, new Permute(1, 2), lstm);
        Tensor ids = Tensor.of(new float[] {3, 4, 0, 0, 5, 6, 7, 8}, 2, 4);
        assertThat(with.predict(ids).toArray()).as("the LSTM's output with the mask passed through")
                .isEqualTo(plain.predict(ids).toArray());
        assertThat(dropped.predict(ids).toArray()).as("the LSTM's output with the mask dropped by Permute")
                .isNotEqualTo(plain.predict(ids).toArray());
    }

    @Test
    void noneTimestepsTakeAnyLengthInTrainingAndInference() {
        for (Layer l : all()) {
            Sequential m = Sequential.of(Input.shape(Input.NONE, 3), l);
            assertThat(m.outputShape()).isEqualTo(Shape.withUnknown(Input.NONE, 3));
            for (int t : new int[] {1, 5}) {
                Tensor x = uniform(r, -1, 1, 2, t, 3);
                assertThat(m.predict(x).toArray()).as("%s, %d steps, inference", l, t).isEqualTo(x.toArray());
                assertThat(m.call(Variable.constant(x), CallContext.training(Seeds.of(13))).shape())
                        .as("%s, %d steps, training", l, t).isEqualTo(Shape.of(2, t, 3));
            }
        }
    }

    @Test
    void trainingThroughFitRunsTheNoise() {
        Seeds.set(11);
        Sequential m = Sequential.of(Input.shape(5, 3), new GaussianNoise(0.1f), new SpatialDropout1D(0.2f),
                new LSTM(4).returnSequences(true), new GaussianDropout(0.2f), new AlphaDropout(0.1f), new LSTM(2));
        m.compile(Optimizers.adam(0.01), Losses.meanSquaredError());
        double loss = m.fit(uniform(r, -1, 1, 8, 5, 3), uniform(r, -1, 1, 8, 2), Fit.defaults().batchSize(4).epochs(2)
                .verbose(0)).last("loss");
        assertThat(loss).as("training loss").isFinite();
        assertThat(m.countParams()).as("the noise layers have no weights").isEqualTo(
                m.layers().get(2).countParams() + m.layers().get(5).countParams());
    }

    @Test
    void badOptionsAndInputsAreRefusedNamingTheLayer() {
        for (float bad : new float[] {-0.1f, 1.0001f, 1.5f, Float.NaN}) {
            assertThatThrownBy(() -> new SpatialDropout1D(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageMatching("spatial_dropout1d(_\\d+)?: rate must be in \\[0, 1\\], got " + bad);
            assertThatThrownBy(() -> new GaussianDropout(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageMatching("gaussian_dropout(_\\d+)?: rate must be in \\[0, 1\\], got " + bad);
            assertThatThrownBy(() -> new AlphaDropout(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageMatching("alpha_dropout(_\\d+)?: rate must be in \\[0, 1\\], got " + bad);
        }
        for (float bad : new float[] {-0.1f, 1.5f, Float.NaN}) {
            assertThatThrownBy(() -> new GaussianNoise(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageMatching("gaussian_noise(_\\d+)?: stddev must be in \\[0, 1\\], got " + bad);
        }
        assertThat(new GaussianNoise(1f).stddev()).as("Keras 3 takes stddev 1").isEqualTo(1f);
        SpatialDropout1D s = new SpatialDropout1D(0.5f);
        assertThatThrownBy(() -> s.build(Shape.of(4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer '" + s.name() + "' (SpatialDropout1D): expected an input (batch, timesteps, "
                        + "features), got (None, 4)");
        s.build(Shape.of(3, 4));
        assertThatThrownBy(() -> run(s, uniform(r, -1, 1, 2, 12), CallContext.inference()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + s.name()
                        + "' (SpatialDropout1D) is incompatible with the layer: expected shape=(None, None, None)");
        GaussianNoise g = new GaussianNoise(0.5f);
        g.build(Shape.of(3));
        assertThatThrownBy(() -> run(g, uniform(r, -1, 1, 2, 3), new CallContext(true, null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(g.name() + ": training needs a random stream in the CallContext");
    }
}
