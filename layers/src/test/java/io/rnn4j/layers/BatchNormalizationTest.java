package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * BatchNormalization against Keras 3's formulas computed here in float64 — inference from the
 * moving statistics, training from the batch's moments (masked ones too) with the moving-average
 * update — to 1e-5 relative; every gradient (input, gamma, beta) in both modes against float64
 * central differences ({@link GradCheck}); frozen layers run in inference mode and keep their
 * statistics. Shapes (batch 2, 3 steps, 5 features) and (4, 7). Seed 11.
 */
class BatchNormalizationTest {
    private static final long SEED = 11;
    private final Random r = new Random(SEED);

    /** A BN on (steps, features) with random gamma, beta and moving statistics (variance positive). */
    private BatchNormalization built(BatchNormalization bn, int... sample) {
        bn.build(Shape.of(sample));
        int c = sample[sample.length - 1];
        List<Tensor> values = new ArrayList<>();
        for (Weight w : bn.weights()) {
            values.add(w.name().equals("moving_variance") ? uniform(r, 0.2f, 2f, c) : uniform(r, -1f, 1f, c));
        }
        bn.setWeights(values);
        return bn;
    }

    private static double[] d(Tensor t) {
        float[] f = t.toArray();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    private static double[] weight(BatchNormalization bn, String name, int c, double absent) {
        for (Weight w : bn.weights()) {
            if (w.name().equals(name)) {
                return d(w.value());
            }
        }
        double[] v = new double[c];
        java.util.Arrays.fill(v, absent);
        return v;
    }

    /** (x − mean) / sqrt(var + eps) · gamma + beta over rows of {@code c} features, in float64. */
    private static double[] normalize(double[] x, int c, double[] mean, double[] var, double[] gamma, double[] beta,
            double eps) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int j = i % c;
            y[i] = (x[i] - mean[j]) / Math.sqrt(var[j] + eps) * gamma[j] + beta[j];
        }
        return y;
    }

    private static void assertClose(String what, float[] got, double[] want) {
        assertThat(got).hasSize(want.length);
        for (int i = 0; i < want.length; i++) {
            assertThat((double) got[i]).as("%s element %d (seed %d): rnn4j %s vs float64 %s", what, i, SEED, got[i],
                    want[i]).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-5 * (1 + Math.abs(want[i]))));
        }
    }

    @Test
    void insideTimeDistributedTrainingNormalizesEachStepByItsOwnStatisticsAsKerasLoops() {
        // Batch 2, steps 2, one feature: step 0 holds {1, 3}, step 1 {10, 30}. Keras's TimeDistributed
        // calls the layer once per step: per-step moments, and the moving statistics updated twice.
        BatchNormalization bn = new BatchNormalization();
        TimeDistributed td = new TimeDistributed(bn);
        td.build(Shape.of(2, 1));
        Tensor x = Tensor.of(new float[] {1, 10, 3, 30}, 2, 2, 1);
        float[] y = td.call(Variable.constant(x), null, CallContext.training(Seeds.of(SEED))).value().toArray();
        double e = 1e-3;
        double[] want = {-1 / Math.sqrt(1 + e), -10 / Math.sqrt(100 + e), 1 / Math.sqrt(1 + e), 10 / Math.sqrt(100 + e)};
        for (int i = 0; i < 4; i++) {
            assertThat((double) y[i]).as("output %d, to 1e-6", i).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-6));
        }
        assertThat((double) weight(bn, "moving_mean", 1, 0)[0]).as("moving mean after two steps' updates")
                .isCloseTo((0 * 0.99 + 2 * 0.01) * 0.99 + 20 * 0.01, org.assertj.core.data.Offset.offset(1e-6));
        assertThat((double) weight(bn, "moving_variance", 1, 0)[0]).as("moving variance after two steps' updates")
                .isCloseTo((1 * 0.99 + 1 * 0.01) * 0.99 + 100 * 0.01, org.assertj.core.data.Offset.offset(1e-5));

        // With a mask, each step's statistics leave out its masked rows (step 1 sees only 30): the same
        // bits as the layer called on each step in turn with that step's mask.
        BatchNormalization masked = new BatchNormalization();
        TimeDistributed tdm = new TimeDistributed(masked);
        tdm.build(Shape.of(2, 1));
        Tensor mask = Tensor.of(new float[] {1, 0, 1, 1}, 2, 2);
        float[] ym = tdm.call(Variable.constant(x), mask, CallContext.training(Seeds.of(SEED))).value().toArray();
        BatchNormalization alone = new BatchNormalization();
        alone.build(Shape.of(1));
        float[] step0 = alone.call(Variable.constant(Tensor.of(new float[] {1, 3}, 2, 1)),
                Tensor.of(new float[] {1, 1}, 2), CallContext.training(Seeds.of(SEED))).value().toArray();
        float[] step1 = alone.call(Variable.constant(Tensor.of(new float[] {10, 30}, 2, 1)),
                Tensor.of(new float[] {0, 1}, 2), CallContext.training(Seeds.of(SEED))).value().toArray();
        assertThat(ym).as("masked, in time order [b0t0, b0t1, b1t0, b1t1]")
                .containsExactly(step0[0], step1[0], step0[1], step1[1]);
        assertThat(weight(masked, "moving_mean", 1, 0)).containsExactly(weight(alone, "moving_mean", 1, 0));
        assertThat(weight(masked, "moving_variance", 1, 0)).containsExactly(weight(alone, "moving_variance", 1, 0));
    }

    @Test
    void defaultsAndWeightsAreKeras3s() {
        BatchNormalization bn = new BatchNormalization();
        bn.build(Shape.of(3, 5));
        assertThat(bn.momentum()).isEqualTo(0.99);
        assertThat(bn.epsilon()).isEqualTo(1e-3);
        assertThat(bn.center()).isTrue();
        assertThat(bn.scale()).isTrue();
        assertThat(bn.weights()).extracting(Weight::name).containsExactly("gamma", "beta", "moving_mean",
                "moving_variance");
        assertThat(bn.weights()).extracting(Weight::trainable).containsExactly(true, true, false, false);
        assertThat(bn.getWeights()).extracting(t -> t.toArray()[0]).containsExactly(1f, 0f, 0f, 1f);
        assertThat(bn.countParams()).isEqualTo(20);
        assertThat(bn.countTrainableParams()).isEqualTo(10);
        BatchNormalization bare = new BatchNormalization().center(false).scale(false);
        bare.build(Shape.of(4));
        assertThat(bare.weights()).extracting(Weight::name).containsExactly("moving_mean", "moving_variance");
    }

    @Test
    void inferenceUsesTheMovingStatistics() {
        for (boolean center : new boolean[] {true, false}) {
            BatchNormalization bn = built(new BatchNormalization().center(center).scale(!center).epsilon(0.01), 3, 5);
            Tensor x = uniform(r, -2, 2, 2, 3, 5);
            double[] want = normalize(d(x), 5, weight(bn, "moving_mean", 5, 0), weight(bn, "moving_variance", 5, 1),
                    weight(bn, "gamma", 5, 1), weight(bn, "beta", 5, 0), 0.01);
            float[] before = bn.weights().get(bn.weights().size() - 1).value().toArray();
            assertClose("inference, center " + center, bn.call(Variable.constant(x), null,
                    CallContext.inference()).value().toArray(), want);
            assertThat(bn.weights().get(bn.weights().size() - 1).value().toArray()).isEqualTo(before);
        }
    }

    @Test
    void trainingUsesBatchMomentsAndMovesTheStatistics() {
        BatchNormalization bn = built(new BatchNormalization().momentum(0.9), 7);
        Tensor x = uniform(r, -2, 3, 4, 7);
        double[] xs = d(x);
        double[] mean = new double[7];
        double[] var = new double[7];
        for (int i = 0; i < xs.length; i++) {
            mean[i % 7] += xs[i] / 4;
        }
        for (int i = 0; i < xs.length; i++) {
            var[i % 7] += (xs[i] - mean[i % 7]) * (xs[i] - mean[i % 7]) / 4;
        }
        double[] oldMean = weight(bn, "moving_mean", 7, 0);
        double[] oldVar = weight(bn, "moving_variance", 7, 1);
        double[] want = normalize(xs, 7, mean, var, weight(bn, "gamma", 7, 1), weight(bn, "beta", 7, 0), 1e-3);
        float[] y = bn.call(Variable.constant(x), null, CallContext.training(Seeds.of(SEED))).value().toArray();
        assertClose("training output", y, want);
        double[] newMean = new double[7];
        double[] newVar = new double[7];
        for (int j = 0; j < 7; j++) {
            newMean[j] = oldMean[j] * 0.9 + mean[j] * 0.1;
            newVar[j] = oldVar[j] * 0.9 + var[j] * 0.1;
        }
        assertClose("moving_mean after one step", bn.weights().get(2).value().toArray(), newMean);
        assertClose("moving_variance after one step", bn.weights().get(3).value().toArray(), newVar);
    }

    @Test
    void maskedTrainingWeighsTheMomentsByTheMask() {
        BatchNormalization bn = built(new BatchNormalization(), 3, 5);
        Tensor x = uniform(r, -2, 2, 2, 3, 5);
        float[] m = {1, 1, 1, 0, 1, 0};
        double[] xs = d(x);
        double count = 4 + 1e-7;
        double[] mean = new double[5];
        double[] var = new double[5];
        for (int i = 0; i < xs.length; i++) {
            mean[i % 5] += m[i / 5] * xs[i] / count;
        }
        for (int i = 0; i < xs.length; i++) {
            double diff = m[i / 5] * xs[i] - mean[i % 5];
            var[i % 5] += m[i / 5] * diff * diff / count;
        }
        double[] want = normalize(xs, 5, mean, var, weight(bn, "gamma", 5, 1), weight(bn, "beta", 5, 0), 1e-3);
        Tensor mask = Tensor.of(m, 2, 3);
        assertClose("masked training output", bn.call(Variable.constant(x), mask,
                CallContext.training(Seeds.of(SEED))).value().toArray(), want);
        assertThat(bn.computeMask(Variable.constant(x), mask)).isSameAs(mask);
        Tensor flat = Tensor.of(new float[] {1, 1}, 2);
        assertThatThrownBy(() -> bn.call(Variable.constant(x), flat, CallContext.inference()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one dimension less than the inputs");
    }

    @Test
    void frozenLayerRunsInInferenceModeAndKeepsItsStatistics() {
        BatchNormalization bn = built(new BatchNormalization(), 3, 5);
        Tensor x = uniform(r, -2, 2, 2, 3, 5);
        float[] inference = bn.call(Variable.constant(x), null, CallContext.inference()).value().toArray();
        bn.trainable(false);
        float[] frozen = bn.call(Variable.constant(x), null, CallContext.training(Seeds.of(SEED))).value().toArray();
        assertThat(frozen).isEqualTo(inference);
        assertThat(bn.countTrainableParams()).isZero();
        bn.trainable(true);
        assertThat(bn.call(Variable.constant(x), null, CallContext.training(Seeds.of(SEED))).value().toArray())
                .isNotEqualTo(inference);
    }

    private void checkGradients(String what, BatchNormalization bn, Tensor x, Tensor mask, Supplier<CallContext> ctx) {
        Variable in = Variable.parameter(x);
        List<Variable> params = new ArrayList<>();
        params.add(in);
        for (Weight w : bn.weights()) {
            if (w.trainable()) {
                params.add(w.variable());
            }
        }
        GradCheck.checkParameters(what, () -> bn.call(in, mask, ctx.get()), params);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        checkGradients("training, (batch, steps, features)", built(new BatchNormalization(), 3, 5),
                uniform(r, -1, 1, 2, 3, 5), null, () -> CallContext.training(Seeds.of(SEED)));
        checkGradients("training, masked", built(new BatchNormalization(), 3, 5), uniform(r, -1, 1, 2, 3, 5),
                Tensor.of(new float[] {1, 1, 1, 0, 1, 0}, 2, 3), () -> CallContext.training(Seeds.of(SEED)));
        checkGradients("training, (batch, features), no center", built(new BatchNormalization().center(false), 7),
                uniform(r, -1, 1, 4, 7), null, () -> CallContext.training(Seeds.of(SEED)));
        checkGradients("inference", built(new BatchNormalization(), 3, 5), uniform(r, -1, 1, 2, 3, 5), null,
                CallContext::inference);
    }

    @Test
    void onlyTheLastAxisIsNormalized() {
        BatchNormalization last = new BatchNormalization().axis(2);
        last.build(Shape.of(3, 5));
        assertThat(last.weights().get(0).shape()).isEqualTo(Shape.of(5));
        BatchNormalization middle = new BatchNormalization().axis(1).named("bn_middle");
        assertThatThrownBy(() -> middle.build(Shape.of(3, 5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bn_middle").hasMessageContaining("only the last axis")
                .hasMessageContaining("axis=1");
        assertThat(middle.isBuilt()).isFalse();
        assertThatThrownBy(() -> new BatchNormalization().momentum(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("momentum must be in [0, 1], got 1.5");
    }
}
