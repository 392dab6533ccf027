package io.rnn4j.layers.optimizers;

import static io.rnn4j.layers.optimizers.TestWeights.kernel;
import static io.rnn4j.layers.optimizers.TestWeights.setGrad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Conv1D;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.optimizers.schedules.ExponentialDecay;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Adafactor against Keras 3.15.1's update_step (keras/src/optimizers/adafactor.py) written out here
 * twice, over five steps of seeded random gradients on weights of rank 3 (Conv1D's kernel), 1 (its
 * bias) and 2 (a Dense kernel): in float64 (bar: 1e-5 · max(1, |w|)), and in float32 in Keras's
 * expression order (bar: the same bits, on the scalar backend, whose sums accumulate in double
 * before rounding to float32, as the reference here does). Then the step-1 closed form, the slots'
 * reduced shapes and order, names, get_config, option refusals, and a state another Adafactor
 * continues from bit for bit.
 */
class AdafactorTest {
    private static final long SEED = 20261127L;
    private static final int STEPS = 5;

    /** Conv1D(4, 2) on 3 channels: kernel (2, 3, 4) and bias (4); then a Dense(2) kernel (3, 2). */
    private static List<Weight> weights(long seed) {
        Random rnd = new Random(seed);
        Conv1D conv = new Conv1D(4, 2);
        conv.build(Shape.of(5, 3));
        Dense dense = new Dense(2).useBias(false);
        dense.build(Shape.of(3));
        List<Weight> ws = new ArrayList<>(conv.weights());
        ws.addAll(dense.weights());
        for (Weight w : ws) {
            w.set(Tensor.of(random(rnd, (int) w.shape().size(), 1f), w.shape().dims()));
        }
        return ws;
    }

    private static float[] random(Random rnd, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * scale;
        }
        return v;
    }

    /** Keras's update_step for one weight, in float64 (f32 false) or in float32 in its expression order. */
    private static final class Reference {
        final int[] dims;
        final boolean f32;
        final double[] x;
        final double[] r;
        final double[] c;
        final double[] v;

        Reference(Weight w, boolean f32) {
            this.dims = w.shape().dims();
            this.f32 = f32;
            this.x = TestWeights.toDouble(w.value().toArray());
            int n = x.length;
            this.r = new double[dims.length >= 2 ? n / dims[dims.length - 1] : 0];
            this.c = new double[dims.length >= 2 ? n / dims[dims.length - 2] : 0];
            this.v = new double[n];
        }

        /** The value as the reference's precision keeps it: rounded to float32 when f32. */
        double q(double a) {
            return f32 ? (float) a : a;
        }

        /** A mean as JAX's: the sum (in double on the scalar backend) rounded, then divided by the count. */
        double mean(double sum, int count) {
            return q(q(sum) / count);
        }

        double rms(double[] a) {
            double s = 0;
            for (double e : a) {
                s += q(e * e);
            }
            return q(Math.sqrt(mean(s, a.length)));
        }

        void step(float[] grad, float lr, long t, double decay, double eps1, double eps2, double clip) {
            double tt = t;
            double rho = Math.min(lr, q(1 / q(Math.sqrt(tt))));
            double alpha = q(Math.max(q(eps2), rms(x)) * rho);
            double beta = q(1 - q(Math.pow(tt, q(decay))));
            int size = x.length;
            double[] sq = new double[size];
            for (int i = 0; i < size; i++) {
                sq[i] = q(q((double) grad[i] * grad[i]) + q(eps1));
            }
            if (dims.length >= 2) {
                int m = dims[dims.length - 2];
                int n = dims[dims.length - 1];
                int lead = size / (m * n);
                for (int a = 0; a < lead; a++) {
                    for (int i = 0; i < m; i++) {
                        double s = 0;
                        for (int j = 0; j < n; j++) {
                            s += sq[(a * m + i) * n + j];
                        }
                        r[a * m + i] = q(q(beta * r[a * m + i]) + q(q(1 - beta) * mean(s, n)));
                    }
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int i = 0; i < m; i++) {
                            s += sq[(a * m + i) * n + j];
                        }
                        c[a * n + j] = q(q(beta * c[a * n + j]) + q(q(1 - beta) * mean(s, m)));
                    }
                    double s = 0;
                    for (int i = 0; i < m; i++) {
                        s += r[a * m + i];
                    }
                    double rowMean = mean(s, m);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            v[(a * m + i) * n + j] = q(q(r[a * m + i] / rowMean) * c[a * n + j]);
                        }
                    }
                }
            } else {
                for (int i = 0; i < size; i++) {
                    v[i] = q(q(beta * v[i]) + q(q(1 - beta) * sq[i]));
                }
            }
            double[] u = new double[size];
            for (int i = 0; i < size; i++) {
                u[i] = q(grad[i] / q(Math.sqrt(v[i])));
            }
            double divisor = Math.max(1, q(rms(u) / q(clip)));
            for (int i = 0; i < size; i++) {
                x[i] = q(x[i] - q(alpha * q(u[i] / divisor)));
            }
        }
    }

    @Test
    void adafactorFollowsKeras3InFloat64AndToTheBitInFloat32() {
        // {lr, beta_2_decay, epsilon_1, epsilon_2, clip_threshold}; the second rate is above 1/sqrt(t) from t = 2
        double[][] options = {{0.05, -0.8, 1e-30, 1e-3, 1.0}, {0.8, -0.5, 1e-20, 1e-2, 0.5}};
        for (double[] o : options) {
            List<Weight> ws = weights(SEED);
            Adafactor opt = new Adafactor(o[0]);
            if (o[1] != -0.8) {
                opt.beta2Decay(o[1]).epsilon1(o[2]).epsilon2(o[3]).clipThreshold(o[4]).relativeStep(false);
            }
            List<Reference> exact = new ArrayList<>();
            List<Reference> f32 = new ArrayList<>();
            for (Weight w : ws) {
                exact.add(new Reference(w, false));
                f32.add(new Reference(w, true));
            }
            Random rnd = new Random(SEED + 1);
            for (int t = 1; t <= STEPS; t++) {
                for (int k = 0; k < ws.size(); k++) {
                    Weight w = ws.get(k);
                    // gradients of mixed scales, one exactly zero, so that rows and columns differ
                    float[] g = random(rnd, (int) w.shape().size(), k == 1 ? 0.01f : 1f);
                    g[0] = 0f;
                    setGrad(w, g);
                    exact.get(k).step(g, (float) o[0], t, o[1], o[2], o[3], o[4]);
                    f32.get(k).step(g, (float) o[0], t, o[1], o[2], o[3], o[4]);
                }
                opt.apply(ws);
                for (int k = 0; k < ws.size(); k++) {
                    float[] got = ws.get(k).value().toArray();
                    double[] want = exact.get(k).x;
                    for (int i = 0; i < got.length; i++) {
                        assertThat((double) got[i]).as("lr %s step %d weight %d [%d] against float64 (seed %d)",
                                o[0], t, k, i, SEED).isCloseTo(want[i], within(1e-5 * Math.max(1, Math.abs(want[i]))));
                        assertThat(got[i]).as("lr %s step %d weight %d [%d] against Keras's float32 expressions",
                                o[0], t, k, i).isEqualTo((float) f32.get(k).x[i]);
                    }
                }
            }
            OptimizerState s = opt.state(ws);
            for (int k = 0; k < ws.size(); k++) {
                Reference ref = f32.get(k);
                List<Tensor> slots = s.slots().get(k);
                if (ref.dims.length >= 2) {
                    assertThat(slots.get(0).toArray()).as("r of weight %d", k).containsExactly(floats(ref.r));
                    assertThat(slots.get(1).toArray()).as("c of weight %d", k).containsExactly(floats(ref.c));
                } else {
                    assertThat(slots.get(0).toArray()).as("r placeholder of the bias").containsExactly(0f);
                    assertThat(slots.get(1).toArray()).as("c placeholder of the bias").containsExactly(0f);
                }
                assertThat(slots.get(2).toArray()).as("velocity of weight %d", k).containsExactly(floats(ref.v));
            }
        }
    }

    private static float[] floats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    @Test
    void theFirstStepMovesEachElementByRmsOfTheWeightTimesMinOfRateAndOne() {
        // Step 1: β = 1 − 1^−0.8 = 0, so v = g² + ε1, u = g/|g| = ±1, rms(u) = 1 (no clipping),
        // and α = max(ε2, rms(w)) · min(lr, 1/√1): a rate of 10 gives a step of rms(w), whatever relative_step.
        for (boolean relative : new boolean[] {true, false}) {
            Weight w = kernel(3f, -4f);
            Adafactor opt = new Adafactor(10).relativeStep(relative);
            setGrad(w, new float[] {2f, -0.001f});
            opt.apply(List.of(w));
            float rmsW = (float) Math.sqrt((9 + 16) / 2.0);
            assertThat(w.value().toArray()[0]).as("relative_step %s", relative).isCloseTo(3f - rmsW, within(1e-5f));
            assertThat(w.value().toArray()[1]).as("relative_step %s", relative).isCloseTo(-4f + rmsW, within(1e-5f));
        }
        // A zero gradient gives u = 0 / √ε1 = 0: the weight stays.
        Weight still = kernel(1f, -2f);
        setGrad(still, new float[] {0f, 0f});
        new Adafactor(0.5).apply(List.of(still));
        assertThat(still.value().toArray()).containsExactly(1f, -2f);
        // A zero weight steps by ε2 · ρ, not by 0.
        Weight zero = kernel(0f, 0f);
        setGrad(zero, new float[] {1f, -1f});
        new Adafactor(0.5).apply(List.of(zero));
        assertThat(zero.value().toArray()).containsExactly(-0.001f * 0.5f, 0.001f * 0.5f);
    }

    @Test
    void slotsAreKerassFactoredShapesInKerassOrderWithScalarPlaceholdersBelowRankTwo() {
        List<Weight> ws = weights(SEED);
        Adafactor opt = new Adafactor();
        OptimizerState s = opt.state(ws);
        assertThat(s.slotNames()).containsExactly("r", "c", "velocity");
        // As Keras 3.15.1's optimizer.variables lists them after iteration and learning_rate:
        // r, c, velocity weight by weight; a rank-1 bias's r and c are scalars.
        List<Shape> want = List.of(Shape.of(2, 3), Shape.of(2, 4), Shape.of(2, 3, 4), Shape.of(), Shape.of(),
                Shape.of(4), Shape.of(3), Shape.of(2), Shape.of(3, 2));
        assertThat(s.kerasVariables().stream().map(Tensor::shape).toList()).isEqualTo(want);
        for (Weight w : ws) {
            setGrad(w, random(new Random(1), (int) w.shape().size(), 1f));
        }
        opt.apply(ws);
        assertThat(opt.state(ws).kerasVariables().stream().map(Tensor::shape).toList()).isEqualTo(want);
        // iteration, learning_rate, then 6 + 8 + 24, 1 + 1 + 4, 3 + 2 + 6 values
        assertThat(opt.kerasVariableCount()).isEqualTo(2 + 38 + 6 + 11);
    }

    @Test
    void namesDefaultsAndGetConfigAreKeras3s() {
        assertThat(Optimizers.get("adafactor")).isInstanceOf(Adafactor.class);
        assertThat(Optimizers.get("Adafactor")).as("any case, as Keras").isInstanceOf(Adafactor.class);
        assertThat(Optimizers.adafactor(0.5).learningRate()).isEqualTo(0.5);
        assertThat(Optimizers.adafactor(new ExponentialDecay(0.1, 10, 0.5)).schedule()).isNotNull();
        Adafactor a = Optimizers.adafactor();
        assertThat(a.kerasName()).isEqualTo("adafactor");
        assertThat(a.learningRate()).isEqualTo((double) 0.001f);
        KerasConfig k = a.kerasConfig().orElseThrow();
        assertThat(k.className()).isEqualTo("Adafactor");
        // As keras.optimizers.Adafactor().get_config() gives it in Keras 3.15.1, in its order.
        Map<String, Object> want = new LinkedHashMap<>();
        want.put("name", "adafactor");
        want.put("learning_rate", (double) 0.001f);
        want.put("weight_decay", null);
        want.put("clipnorm", null);
        want.put("global_clipnorm", null);
        want.put("clipvalue", null);
        want.put("use_ema", false);
        want.put("ema_momentum", 0.99);
        want.put("ema_overwrite_frequency", null);
        want.put("loss_scale_factor", null);
        want.put("gradient_accumulation_steps", null);
        want.put("beta_2_decay", -0.8);
        want.put("epsilon_1", 1e-30);
        want.put("epsilon_2", 1e-3);
        want.put("clip_threshold", 1.0);
        want.put("relative_step", true);
        assertThat(k.config()).containsExactlyEntriesOf(want);
        assertThat(new Adafactor().beta2Decay(-0.5).epsilon1(1e-20).epsilon2(0.01).clipThreshold(0.5)
                .relativeStep(false).kerasConfig().orElseThrow().config())
                .containsEntry("beta_2_decay", -0.5).containsEntry("epsilon_1", 1e-20)
                .containsEntry("epsilon_2", 0.01).containsEntry("clip_threshold", 0.5)
                .containsEntry("relative_step", false);
    }

    @Test
    void badOptionsAreRefusedNamingOptimizerOptionRangeAndValue() {
        assertThatThrownBy(() -> new Adafactor().beta2Decay(0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("adafactor: beta_2_decay must be <= 0 and finite, got 0.5");
        assertThatThrownBy(() -> new Adafactor().beta2Decay(Double.NEGATIVE_INFINITY))
                .hasMessage("adafactor: beta_2_decay must be <= 0 and finite, got -Infinity");
        assertThatThrownBy(() -> new Adafactor().epsilon1(-1e-30)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("adafactor: epsilon_1 must be >= 0 and finite, got -1.0E-30");
        assertThatThrownBy(() -> new Adafactor().epsilon2(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("adafactor: epsilon_2 must be >= 0 and finite, got NaN");
        assertThatThrownBy(() -> new Adafactor().clipThreshold(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("adafactor: clip_threshold must be > 0 and finite, got 0.0");
        assertThatThrownBy(() -> new Adafactor(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learning_rate must be >= 0 and finite, got -1.0");
        assertThatThrownBy(() -> new Adafactor().clipnorm(1).globalClipnorm(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("adafactor: only one of clipnorm, clipvalue and global_clipnorm");
    }

    @Test
    void aStateTakenMidwayContinuesToTheSameBitsInAnotherAdafactor() {
        Supplier<Adafactor> make = () -> new Adafactor(0.3).clipThreshold(0.7);
        List<Weight> a = weights(SEED);
        Adafactor first = make.get();
        Random rnd = new Random(SEED + 2);
        List<List<float[]>> grads = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            List<float[]> step = new ArrayList<>();
            for (Weight w : a) {
                step.add(random(rnd, (int) w.shape().size(), 1f));
            }
            grads.add(step);
        }
        for (int t = 0; t < 3; t++) {
            train(first, a, grads.get(t));
        }
        List<Weight> b = weights(SEED + 9);
        for (int k = 0; k < b.size(); k++) {
            b.get(k).set(a.get(k).value());
        }
        Adafactor second = make.get();
        second.loadState(b, first.state(a));
        assertThat(second.iterations()).isEqualTo(3);
        for (int t = 3; t < 5; t++) {
            train(first, a, grads.get(t));
            train(second, b, grads.get(t));
        }
        for (int k = 0; k < a.size(); k++) {
            assertThat(b.get(k).value().toArray()).as("weight %d", k).containsExactly(a.get(k).value().toArray());
        }
        assertThatThrownBy(() -> new Adam().loadState(b, first.state(a)))
                .hasMessageContaining("the state is of optimizer 'adafactor'");
        // A state whose factored slot has the full weight's shape (as another optimizer would keep it) is refused.
        OptimizerState s = first.state(a);
        List<List<Tensor>> slots = new ArrayList<>(s.slots());
        slots.set(0, List.of(a.get(0).value().copy(), slots.get(0).get(1), slots.get(0).get(2)));
        OptimizerState wrong = new OptimizerState("adafactor", 3, s.learningRate(), s.slotNames(), s.slotGroups(),
                slots);
        assertThatThrownBy(() -> make.get().loadState(b, wrong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slot 'r' of").hasMessageContaining("must have shape (2, 3), got (2, 3, 4)");
    }

    private static void train(Optimizer opt, List<Weight> ws, List<float[]> grads) {
        for (int k = 0; k < ws.size(); k++) {
            setGrad(ws.get(k), grads.get(k));
        }
        opt.apply(ws);
    }
}
