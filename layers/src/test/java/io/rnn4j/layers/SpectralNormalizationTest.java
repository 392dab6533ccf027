package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static io.rnn4j.layers.MergeLayersTest.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * SpectralNormalization: weights in Keras's order (kernel, vector_u, bias; vector_u non-trainable,
 * drawn TruncatedNormal(0.02)), inference equal to the wrapped layer's, a training call writing
 * back the kernel divided by a float64 power-iteration estimate of its largest singular value and
 * the new vector_u (to 1e-5 relative), the kernel's gradient taken at the normalised kernel (not
 * through the normalisation), an all-zero kernel left alone, an Embedding's table, None timesteps
 * and bad settings refused by name. Seed 67.
 */
class SpectralNormalizationTest {
    private final Random r = new Random(67);

    /** {kernel / σ, u} after {@code iterations} power-iteration steps from u, in double; kernel (m, n) row-major. */
    static double[][] reference(float[] kernel, int m, int n, float[] u0, int iterations) {
        double[] u = new double[n];
        for (int j = 0; j < n; j++) {
            u[j] = u0[j];
        }
        double[] v = new double[m];
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < m; i++) {
                v[i] = 0;
                for (int j = 0; j < n; j++) {
                    v[i] += u[j] * kernel[i * n + j];
                }
            }
            normalize(v);
            for (int j = 0; j < n; j++) {
                u[j] = 0;
                for (int i = 0; i < m; i++) {
                    u[j] += v[i] * kernel[i * n + j];
                }
            }
            normalize(u);
        }
        double sigma = 0;
        for (int j = 0; j < n; j++) {
            double vw = 0;
            for (int i = 0; i < m; i++) {
                vw += v[i] * kernel[i * n + j];
            }
            sigma += vw * u[j];
        }
        double[] k = new double[kernel.length];
        for (int i = 0; i < k.length; i++) {
            k[i] = kernel[i] / sigma;
        }
        return new double[][] {k, u};
    }

    private static void normalize(double[] x) {
        double s = 0;
        for (double e : x) {
            s += e * e;
        }
        double inv = 1 / Math.sqrt(Math.max(s, 1e-14));
        for (int i = 0; i < x.length; i++) {
            x[i] *= inv;
        }
    }

    private SpectralNormalization built(Layer inner, int iterations, int... sample) {
        SpectralNormalization sn = new SpectralNormalization(inner).powerIterations(iterations);
        sn.build(Shape.of(sample));
        List<Weight> ws = sn.weights();
        sn.setWeights(ws.stream().map(w -> uniform(r, -1, 1, w.shape().dims())).toList());
        return sn;
    }

    @Test
    void weightsInKerasOrderAndInferenceIsTheWrappedLayer() {
        Dense d = new Dense(3);
        SpectralNormalization sn = new SpectralNormalization(d);
        assertThat(sn.powerIterations()).as("Keras's default power_iterations").isEqualTo(1);
        sn.build(Shape.of(5, 4));
        assertThat(sn.weights()).extracting(Weight::name).containsExactly("kernel", "vector_u", "bias");
        assertThat(sn.weights().get(1).shape()).isEqualTo(Shape.of(1, 3));
        assertThat(sn.weights().get(1).trainable()).isFalse();
        float[] u = sn.weights().get(1).value().toArray();
        for (float e : u) {
            assertThat(Math.abs(e)).as("TruncatedNormal(stddev 0.02) draws within 2 stddev").isLessThanOrEqualTo(0.04f);
        }
        assertThat(u).as("vector_u is drawn, not zeros").isNotEqualTo(new float[3]);
        assertThat(sn.countParams()).isEqualTo(4 * 3 + 3 + 3);
        assertThat(sn.countTrainableParams()).isEqualTo(4 * 3 + 3);
        Tensor x = uniform(r, -1, 1, 2, 5, 4);
        float[] kernel = sn.weights().get(0).value().toArray();
        assertThat(sn.call(Variable.constant(x), null, CallContext.inference()).value().toArray())
                .as("inference: the wrapped Dense on the kernel as it is").isEqualTo(
                        d.call(Variable.constant(x), null, CallContext.inference()).value().toArray());
        assertThat(sn.weights().get(0).value().toArray()).as("inference leaves the kernel").isEqualTo(kernel);
        assertThat(sn.computeMask(Variable.constant(x), Tensor.of(new float[10], 2, 5))).as("the mask is dropped")
                .isNull();
    }

    @Test
    void trainingWritesBackTheNormalizedKernelAndVectorU() {
        for (int iterations : new int[] {1, 3}) {
            SpectralNormalization sn = built(new Dense(3), iterations, 4);
            float[] kernel = sn.weights().get(0).value().toArray();
            float[] u = sn.weights().get(1).value().toArray();
            double[][] want = reference(kernel, 4, 3, u, iterations);
            Tensor x = uniform(r, -1, 1, 2, 4);
            Variable y = sn.call(Variable.constant(x), null, CallContext.training(new Random(1)));
            close(iterations + " iterations: kernel / sigma", sn.weights().get(0).value().toArray(), want[0], 1e-5);
            close(iterations + " iterations: vector_u", sn.weights().get(1).value().toArray(), want[1], 1e-5);
            // the output is the Dense's on the normalised kernel
            double[] dense = new double[6];
            float[] k = sn.weights().get(0).value().toArray();
            float[] b = sn.weights().get(2).value().toArray();
            float[] xs = x.toArray();
            for (int s = 0; s < 2; s++) {
                for (int o = 0; o < 3; o++) {
                    dense[s * 3 + o] = b[o];
                    for (int i = 0; i < 4; i++) {
                        dense[s * 3 + o] += xs[s * 4 + i] * (double) k[i * 3 + o];
                    }
                }
            }
            close("the training output", y.value().toArray(), dense, 1e-5);
        }
    }

    @Test
    void theKernelsGradientIsTakenAtTheNormalizedKernelNotThroughIt() {
        SpectralNormalization sn = built(new Dense(2), 1, 3);
        Tensor x = uniform(r, -1, 1, 4, 3);
        Tensor g = uniform(r, -1, 1, 4, 2);
        Weight kernel = sn.weights().get(0);
        kernel.variable().zeroGrad();
        Variable y = sn.call(Variable.constant(x), null, CallContext.training(new Random(1)));
        Ops.sumAll(Ops.mul(y, Variable.constant(g))).backward();
        // d Σ g·(x·K + b) / dK = xᵀ·g, whatever K is: no term through σ(K)
        double[] want = new double[6];
        float[] xs = x.toArray();
        float[] gs = g.toArray();
        for (int i = 0; i < 3; i++) {
            for (int o = 0; o < 2; o++) {
                for (int s = 0; s < 4; s++) {
                    want[i * 2 + o] += xs[s * 3 + i] * (double) gs[s * 2 + o];
                }
            }
        }
        close("kernel gradient", kernel.variable().grad().toArray(), want, 1e-5);
        assertThat(sn.weights().get(1).variable().grad()).as("vector_u gets no gradient").isNull();
        // the wrapped layer's gradients in inference, against finite differences (vector_u takes none)
        Variable in = Variable.parameter(x);
        GradCheck.checkParameters("SpectralNormalization(Dense) inference", () -> sn.call(in, null,
                CallContext.inference()), List.of(in, kernel.variable(), sn.weights().get(2).variable()));
    }

    @Test
    void anAllZeroKernelIsLeftAsItIs() {
        SpectralNormalization sn = built(new Dense(2), 1, 3);
        sn.weights().get(0).set(Tensor.zeros(3, 2));
        float[] u = sn.weights().get(1).value().toArray();
        sn.call(Variable.constant(uniform(r, -1, 1, 2, 3)), null, CallContext.training(new Random(1)));
        assertThat(sn.weights().get(0).value().toArray()).containsOnly(0f);
        assertThat(sn.weights().get(1).value().toArray()).isEqualTo(u);
    }

    @Test
    void anEmbeddingsTableAndNoneTimesteps() {
        SpectralNormalization sn = new SpectralNormalization(new Embedding(6, 3));
        Sequential s = Sequential.of(Input.shape(Input.NONE), sn);
        assertThat(sn.weights()).extracting(Weight::name).containsExactly("embeddings", "vector_u");
        assertThat(sn.weights().get(1).shape()).isEqualTo(Shape.of(1, 3));
        float[] table = sn.weights().get(0).value().toArray();
        float[] u = sn.weights().get(1).value().toArray();
        double[][] want = reference(table, 6, 3, u, 1);
        for (int t : new int[] {2, 5}) {
            assertThat(s.predict(Tensor.of(new float[2 * t], 2, t)).shape()).isEqualTo(Shape.of(2, t, 3));
        }
        sn.call(Variable.constant(Tensor.of(new float[] {1, 2, 3}, 1, 3)), null, CallContext.training(new Random(1)));
        close("embeddings / sigma", sn.weights().get(0).value().toArray(), want[0], 1e-5);

        // Keras 3.15.1 wraps a Conv1D(3, 2) on 2 channels: kernel (2, 2, 3), vector_u (1, 3), bias (3)
        SpectralNormalization conv = new SpectralNormalization(new Conv1D(3, 2));
        conv.build(Shape.of(3, 2));
        assertThat(conv.weights()).extracting(Weight::name).containsExactly("kernel", "vector_u", "bias");
        assertThat(conv.weights().get(1).shape()).isEqualTo(Shape.of(1, 3));
    }

    @Test
    void badSettingsAreRefusedNamingTheLayer() {
        assertThatThrownBy(() -> new SpectralNormalization(new Dense(2)).named("sn").powerIterations(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sn' (SpectralNormalization): power_iterations must be > 0, got 0");
        assertThatThrownBy(() -> new SpectralNormalization(new Flatten().named("flat")).named("sn2")
                .build(Shape.of(3, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sn2' (SpectralNormalization): the wrapped layer 'flat' (Flatten) has no "
                        + "weight 'kernel' nor 'embeddings'");
        SpectralNormalization sn = new SpectralNormalization(new Dense(2)).named("sn3");
        Sequential s = Sequential.of(Input.shape(4), sn);
        assertThatThrownBy(() -> s.predict(Tensor.zeros(2, 5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sn3");
    }
}
