package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Sequential;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * GlobalAveragePooling1D and GlobalMaxPooling1D as Keras 3 defines them
 * (keras/src/layers/pooling/{base_global_pooling,global_average_pooling1d,global_max_pooling1d}.py):
 * forward against float64 loops written here for both data formats and keepdims (to 1e-6
 * relative), the average's masked mean (unmasked steps only; NaN for a row with every step masked,
 * as Keras's 0/0), the max ignoring a mask as Keras 3 does, no output mask, gradients against
 * float64 central differences ({@link GradCheck}), None timesteps, and refusals naming the layer.
 * Seed 1102.
 */
class GlobalPoolingTest {
    private static final long SEED = 1102;
    private final Random r = new Random(SEED);

    private static Variable run(Layer l, Tensor x, Tensor mask) {
        if (!l.isBuilt()) {
            l.build(x.shape().tail());
        }
        return l.call(Variable.constant(x), mask, CallContext.inference());
    }

    /**
     * Pooling over the steps of a (B, steps, features) or (B, features, steps) array in float64;
     * {@code mask} (B, steps) or null; max if {@code max}, else the mean of the unmasked steps.
     */
    private static double[] pooled(float[] x, int batch, int d1, int d2, boolean channelsFirst, float[] mask,
            boolean max) {
        int steps = channelsFirst ? d2 : d1;
        int features = channelsFirst ? d1 : d2;
        double[] out = new double[batch * features];
        for (int b = 0; b < batch; b++) {
            for (int f = 0; f < features; f++) {
                double acc = max ? Double.NEGATIVE_INFINITY : 0;
                double n = 0;
                for (int t = 0; t < steps; t++) {
                    double v = x[channelsFirst ? (b * d1 + f) * d2 + t : (b * d1 + t) * d2 + f];
                    double m = mask == null ? 1 : mask[b * steps + t];
                    acc = max ? Math.max(acc, v) : acc + m * v;
                    n += m;
                }
                out[b * features + f] = max ? acc : acc / n;
            }
        }
        return out;
    }

    private static void close(String what, float[] actual, double[] expected) {
        assertThat(actual).as("%s size", what).hasSize(expected.length);
        for (int i = 0; i < actual.length; i++) {
            if (Double.isNaN(expected[i])) {
                assertThat(actual[i]).as("%s element %d (Keras's 0/0)", what, i).isNaN();
            } else {
                assertThat((double) actual[i]).as("%s element %d", what, i).isCloseTo(expected[i],
                        org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, Math.abs(expected[i]))));
            }
        }
    }

    @Test
    void bothDataFormatsAndKeepdimsMatchLoops() {
        System.out.println("GlobalPoolingTest seed " + SEED);
        Tensor x = uniform(r, -2, 2, 3, 5, 4);
        float[] v = x.toArray();
        for (boolean max : new boolean[] {false, true}) {
            for (String format : new String[] {"channels_last", "channels_first"}) {
                boolean first = format.equals("channels_first");
                int features = first ? 5 : 4;
                double[] expected = pooled(v, 3, 5, 4, first, null, max);
                String what = (max ? "max " : "average ") + format;
                Layer flat = max ? new GlobalMaxPooling1D(format, false) : new GlobalAveragePooling1D(format, false);
                Variable y = run(flat, x, null);
                assertThat(flat.outputShape()).as(what).isEqualTo(Shape.of(features));
                assertThat(y.shape()).as(what).isEqualTo(Shape.of(3, features));
                close(what, y.value().toArray(), expected);
                Layer kept = max ? new GlobalMaxPooling1D(format, true) : new GlobalAveragePooling1D(format, true);
                Variable k = run(kept, x, null);
                Shape keptShape = first ? Shape.of(features, 1) : Shape.of(1, features);
                assertThat(kept.outputShape()).as(what + " keepdims").isEqualTo(keptShape);
                assertThat(k.shape().tail()).as(what + " keepdims").isEqualTo(keptShape);
                close(what + " keepdims", k.value().toArray(), expected);
            }
        }
        GlobalAveragePooling1D defaults = new GlobalAveragePooling1D();
        assertThat(defaults.dataFormat()).isEqualTo("channels_last");
        assertThat(defaults.keepdims()).isFalse();
        assertThat(defaults.name()).startsWith("global_average_pooling1d");
        assertThat(new GlobalMaxPooling1D().name()).startsWith("global_max_pooling1d");
        assertThat(new GlobalMaxPooling1D("Channels_First", false).dataFormat())
                .as("Keras lower-cases data_format").isEqualTo("channels_first");
        assertThat(new GlobalMaxPooling1D(null, false).dataFormat()).as("None: Keras's default")
                .isEqualTo("channels_last");
    }

    @Test
    void averageLeavesMaskedStepsOutAndAllMaskedRowsAreNaN() {
        Tensor x = uniform(r, -2, 2, 3, 4, 2);
        float[] m = {1, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0};
        Tensor mask = Tensor.of(m, 3, 4);
        double[] expected = pooled(x.toArray(), 3, 4, 2, false, m, false);
        assertThat(expected[2]).as("row 1 has every step masked").isNaN();
        GlobalAveragePooling1D avg = new GlobalAveragePooling1D();
        close("masked average", run(avg, x, mask).value().toArray(), expected);
        assertThat(avg.computeMask(Variable.constant(x), mask)).as("Keras's compute_mask: None").isNull();
        GlobalAveragePooling1D kept = new GlobalAveragePooling1D("channels_last", true);
        Variable k = run(kept, x, mask);
        assertThat(k.shape()).isEqualTo(Shape.of(3, 1, 2));
        close("masked average keepdims", k.value().toArray(), expected);

        Tensor xf = uniform(r, -2, 2, 3, 2, 4); // channels_first: (batch, features, steps)
        GlobalAveragePooling1D first = new GlobalAveragePooling1D("channels_first", false);
        close("masked average channels_first", run(first, xf, mask).value().toArray(),
                pooled(xf.toArray(), 3, 2, 4, true, m, false));
    }

    @Test
    void maxIgnoresAMaskAsKeras3AndPassesNoneOn() {
        Tensor x = uniform(r, -2, 2, 2, 4, 3);
        Tensor mask = Tensor.of(new float[] {1, 0, 0, 1, 0, 0, 0, 0}, 2, 4);
        GlobalMaxPooling1D max = new GlobalMaxPooling1D();
        // Keras 3 warns that the layer does not support masking and pools every step.
        List<String> logged = DroppedMaskWarningTest.loggedDuring(() -> {
            close("max with a mask", run(max, x, mask).value().toArray(),
                    pooled(x.toArray(), 2, 4, 3, false, null, true));
            close("max with a mask, again", run(max, x, mask).value().toArray(),
                    pooled(x.toArray(), 2, 4, 3, false, null, true));
            run(max, x, null);
        });
        assertThat(logged).as("Keras 3's warning, once per layer").containsExactly(
                DroppedMaskWarningTest.kerasWarning(max));
        assertThat(max.computeMask(Variable.constant(x), mask)).isNull();
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor mask = Tensor.of(new float[] {1, 1, 0, 0, 1, 1}, 2, 3);
        for (String format : new String[] {"channels_last", "channels_first"}) {
            for (boolean keep : new boolean[] {false, true}) {
                String what = format + (keep ? " keepdims" : "");
                check("GlobalAveragePooling1D " + what, new GlobalAveragePooling1D(format, keep),
                        uniform(r, -1, 1, 2, 3, 3), null);
                check("GlobalAveragePooling1D masked " + what, new GlobalAveragePooling1D(format, keep),
                        uniform(r, -1, 1, 2, 3, 3), mask);
                // Values 1/18 apart: no two steps tie within the difference step.
                check("GlobalMaxPooling1D " + what, new GlobalMaxPooling1D(format, keep),
                        Distinct.values(r, 2, 3, 3), null);
            }
        }
    }

    private static void check(String what, Layer layer, Tensor x, Tensor mask) {
        layer.build(x.shape().tail());
        Variable in = Variable.parameter(x);
        GradCheck.checkParameters(what, () -> layer.call(in, mask, CallContext.inference()), List.of(in));
    }

    @Test
    void noneTimestepsPoolAnyLength() {
        Sequential m = Sequential.of(Input.shape(Input.NONE, 3), new LSTM(4).returnSequences(true),
                new GlobalMaxPooling1D(), new Dense(2));
        assertThat(m.outputShape()).isEqualTo(Shape.of(2));
        assertThat(m.layers().get(1).outputShape()).isEqualTo(Shape.of(4));
        assertThat(m.countParams()).isEqualTo(4 * (3 + 4 + 1) * 4 + 4 * 2 + 2);
        assertThat(m.layers().get(1).countParams()).isZero();
        for (int steps : new int[] {5, 2, 1}) {
            Tensor x = uniform(r, -1, 1, 2, steps, 3);
            assertThat(m.predict(x).shape()).as("%d steps", steps).isEqualTo(Shape.of(2, 2));
            Tensor seq = m.layers().get(0).call(Variable.constant(x), null, CallContext.inference()).value();
            Tensor pooledSeq = m.layers().get(1).call(Variable.constant(seq), null, CallContext.inference()).value();
            close(steps + " steps", pooledSeq.toArray(), pooled(seq.toArray(), 2, steps, 4, false, null, true));
        }
        GlobalAveragePooling1D first = new GlobalAveragePooling1D("channels_first", false);
        Sequential cf = Sequential.of(Input.shape(3, Input.NONE), first);
        assertThat(cf.outputShape()).isEqualTo(Shape.of(3));
        Tensor x = uniform(r, -1, 1, 2, 3, 7);
        close("channels_first, 7 steps given None", cf.predict(x).toArray(), pooled(x.toArray(), 2, 3, 7, true, null,
                false));
        assertThat(first.computeOutputShapes(List.of(Shape.withUnknown(Input.NONE, 9))))
                .as("a None features axis stays None").containsExactly(Shape.withUnknown(Input.NONE));
    }

    @Test
    void embeddingMaskZeroLstmSequencesThenAverageIsTheMaskedMean() {
        Seeds.set(SEED);
        Embedding emb = new Embedding(10, 4).maskZero(true);
        LSTM lstm = new LSTM(3).returnSequences(true);
        Sequential m = Sequential.of(Input.shape(5), emb, lstm, new GlobalAveragePooling1D());
        float[] ids = {3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 9, 2, 7, 5, 5, 5, 5, 5};
        Tensor x = Tensor.of(ids, 4, 5);
        float[] y = m.predict(x).toArray();
        // The LSTM's outputs run on their own, then the mean over the steps whose id is not 0.
        Variable e = emb.call(Variable.constant(x), null, CallContext.inference());
        Tensor seq = lstm.call(e, emb.computeMask(Variable.constant(x), null), CallContext.inference()).value();
        float[] s = seq.toArray();
        double[] expected = new double[4 * 3];
        for (int b = 0; b < 4; b++) {
            for (int f = 0; f < 3; f++) {
                double sum = 0;
                int n = 0;
                for (int t = 0; t < 5; t++) {
                    if (ids[b * 5 + t] != 0) {
                        sum += s[(b * 5 + t) * 3 + f];
                        n++;
                    }
                }
                expected[b * 3 + f] = sum / n;
            }
        }
        close("Embedding(mask_zero) -> LSTM(return_sequences) -> GlobalAveragePooling1D", y, expected);
        assertThat(y[3]).as("row 1: every id is 0, Keras gives 0/0").isNaN();
    }

    @Test
    void badInputIsRefusedNamingTheLayer() {
        assertThatThrownBy(() -> new GlobalAveragePooling1D("nchw", false).named("gap"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(GlobalAveragePooling1D): "
                        + "data_format must be 'channels_last' or 'channels_first', got 'nchw'");
        assertThatThrownBy(() -> Sequential.of(Input.shape(4), new GlobalMaxPooling1D().named("gmp")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'gmp' (GlobalMaxPooling1D)")
                .hasMessageContaining("expected an input (batch, steps, features), got (None, 4)");
        Layer gap = new GlobalAveragePooling1D().named("gap");
        gap.build(Shape.of(4, 2));
        assertThatThrownBy(() -> run(gap, uniform(r, -1, 1, 2, 4), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'gap' (GlobalAveragePooling1D)")
                .hasMessageContaining("expected shape=(None, None, None), found shape=(2, 4)");
        assertThatThrownBy(() -> run(gap, uniform(r, -1, 1, 2, 4, 2), Tensor.of(new float[6], 2, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'gap' (GlobalAveragePooling1D): expected a mask (batch, steps) = (2, 4) for "
                        + "input (2, 4, 2), got (2, 3)");
        GlobalMaxPooling1D gmp = (GlobalMaxPooling1D) new GlobalMaxPooling1D().named("gmp2");
        assertThatThrownBy(() -> run(gmp, Tensor.of(new float[0], 2, 0, 3), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'gmp2' (GlobalMaxPooling1D) cannot pool an input of no steps: (2, 0, 3)");
    }
}
