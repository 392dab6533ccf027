package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * IntegerLookup, CategoryEncoding and Discretization on random inputs against plain-Java references
 * written here (a hash map of ids, counting loops, a linear scan of the boundaries), on None
 * timesteps, inside models that fit (no gradient reaches their input: they have no trainable
 * weights, so no gradient check applies), saved and loaded by rnn4j, and refusing bad input with
 * the layer's name. Keras's own numbers are checked in NumericPreprocessingKerasTest.
 */
class NumericPreprocessingTest {
    private static final long SEED = 20261127L;

    private static Tensor call(Layer l, Tensor x) {
        if (!l.isBuilt()) {
            l.build(x.shape().tail());
        }
        return l.call(Variable.constant(x), null, CallContext.inference()).value();
    }

    private static Tensor ints(SplittableRandom r, int lo, int hi, int... dims) {
        float[] v = new float[(int) Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(lo, hi);
        }
        return Tensor.of(v, dims);
    }

    @Test
    void categoryEncodingCountsAsAHandWrittenLoop() {
        System.out.println("NumericPreprocessingTest seed " + SEED);
        SplittableRandom r = new SplittableRandom(SEED);
        Tensor x = ints(r, 0, 9, 5, 7); // ids 7 and 8 are past num_tokens=7: dropped
        float[] v = x.toArray();
        for (CategoryEncoding.OutputMode mode : CategoryEncoding.OutputMode.values()) {
            float[] got = call(new CategoryEncoding(7, mode), x).toArray();
            int per = mode == CategoryEncoding.OutputMode.ONE_HOT ? 1 : 7;
            double[] want = new double[mode == CategoryEncoding.OutputMode.ONE_HOT ? 5 * 7 * 7 : 5 * 7];
            for (int b = 0; b < 5; b++) {
                for (int t = 0; t < 7; t++) {
                    int id = (int) v[b * 7 + t];
                    if (id >= 7) {
                        continue;
                    }
                    if (per == 1) {
                        want[(b * 7 + t) * 7 + id] = 1;
                    } else {
                        want[b * 7 + id] = mode == CategoryEncoding.OutputMode.COUNT ? want[b * 7 + id] + 1 : 1;
                    }
                }
            }
            assertThat(got).as("%s, exact", mode).hasSize(want.length);
            for (int i = 0; i < want.length; i++) {
                assertThat((double) got[i]).as("%s value %d, exact", mode, i).isEqualTo(want[i]);
            }
        }
    }

    @Test
    void discretizationBinsAsALinearScanOfFloat32Boundaries() {
        SplittableRandom r = new SplittableRandom(SEED + 1);
        double[] bounds = {-1.3, -0.1, 0.1, 0.1, 0.7, 2.0}; // a repeated boundary leaves an empty bin
        float[] v = new float[6 * 9];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 5 == 0 ? (float) bounds[i % bounds.length] : (float) (r.nextGaussian() * 1.5);
        }
        v[1] = Float.NaN; // Bucketize: NaN is at or above no boundary's "<", so it lands in the last bin
        Tensor x = Tensor.of(v, 6, 9);
        float[] got = call(Discretization.withBoundaries(bounds), x).toArray();
        for (int i = 0; i < v.length; i++) {
            int want = 0;
            for (double b : bounds) {
                want += Float.isNaN(v[i]) || v[i] >= (float) b ? 1 : 0;
            }
            assertThat(got[i]).as("value %s (exact bin)", v[i]).isEqualTo(want);
        }
        float[] counts = call(Discretization.withBoundaries(bounds).outputMode(Discretization.OutputMode.COUNT), x)
                .toArray();
        for (int b = 0; b < 6; b++) {
            float total = 0;
            for (int k = 0; k < 7; k++) {
                total += counts[b * 7 + k];
            }
            assertThat(total).as("row %d: every value counted once", b).isEqualTo(9);
        }
    }

    @Test
    void integerLookupAdaptsAndLooksUpAsAHashMapBuiltHere() {
        SplittableRandom r = new SplittableRandom(SEED + 2);
        Tensor data = ints(r, -5, 60, 30, 8);
        float[] d = data.toArray();
        Map<Long, Integer> counts = new HashMap<>();
        for (float t : d) {
            counts.merge((long) t, 1, Integer::sum);
        }
        counts.remove(-1L); // the OOV token
        counts.remove(0L); // the mask token
        List<Long> order = new ArrayList<>(counts.keySet());
        order.sort((a, b) -> counts.get(a).equals(counts.get(b)) ? Long.compare(b, a) : counts.get(b) - counts.get(a));
        List<Long> kept = order.subList(0, 20 - 2);
        IntegerLookup l = new IntegerLookup().maskToken(0L).maxTokens(20);
        l.adapt(data);
        List<Long> want = new ArrayList<>(List.of(0L, -1L));
        want.addAll(kept);
        assertThat(l.vocabulary()).isEqualTo(want);
        Tensor x = ints(r, -5, 70, 4, 11);
        float[] got = call(l, x).toArray();
        float[] xv = x.toArray();
        for (int i = 0; i < xv.length; i++) {
            long t = (long) xv[i];
            int id = t == 0 ? 0 : kept.contains(t) ? 2 + kept.indexOf(t) : 1;
            assertThat(got[i]).as("token %d", t).isEqualTo(id);
        }
        IntegerLookup inverse = new IntegerLookup().maskToken(0L).invert(true);
        inverse.setVocabulary(want, null);
        assertThat(call(inverse, Tensor.of(got, 4, 11)).toArray()).as("invert gives the token back, OOV as -1")
                .isEqualTo(map(xv, t -> t == 0 || kept.contains((long) t) ? t : -1));
    }

    private static float[] map(float[] v, java.util.function.DoubleUnaryOperator f) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) f.applyAsDouble(v[i]);
        }
        return out;
    }

    @Test
    void aModelOnNoneTimestepsFitsThroughTheLookupAndSavesAndLoads() throws IOException {
        SplittableRandom r = new SplittableRandom(SEED + 3);
        IntegerLookup lookup = new IntegerLookup().maskToken(0L);
        lookup.adapt(ints(r, 0, 30, 40, 6));
        Sequential m = Sequential.of(Input.shape(Input.NONE), lookup,
                new Embedding(lookup.vocabularySize(), 4).maskZero(true), new LSTM(3), new Dense(1));
        assertThat(lookup.countParams()).as("no weights").isZero();
        assertThat(m.summary()).contains("integer_lookup");
        m.compile(Optimizers.adam(), Losses.meanSquaredError());
        Tensor x = ints(r, 0, 40, 16, 6);
        Tensor y = Tensor.of(new float[16], 16, 1);
        List<Tensor> before = m.getWeights();
        m.fit(x, y, Fit.defaults().batchSize(8).epochs(2).verbose(0).seed(SEED));
        assertThat(m.getWeights().get(0).toArray()).as("the embedding learned through the lookup")
                .isNotEqualTo(before.get(0).toArray());
        Tensor shorter = ints(r, 0, 40, 3, 2);
        Tensor y2 = m.predict(shorter);
        assertThat(y2.shape()).isEqualTo(Shape.of(3, 1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(m, out);
        KerasModel back = Models.load(new ByteArrayInputStream(out.toByteArray()), "lookup.keras");
        assertThat(back.predict(shorter).toArray()).as("after save and load, to the bit").isEqualTo(y2.toArray());
        IntegerLookup loaded = (IntegerLookup) back.sequential().layers().get(0);
        assertThat(loaded.vocabulary()).isEqualTo(lookup.vocabulary());
    }

    @Test
    void aFunctionalModelWithDiscretizationAndCategoryEncodingSavesAndLoads() throws IOException {
        SplittableRandom r = new SplittableRandom(SEED + 4);
        float[] values = new float[200];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) r.nextGaussian();
        }
        Discretization bins = Discretization.withBins(5).named("bins");
        bins.adapt(Tensor.of(values, 200));
        assertThat(bins.binBoundaries()).hasSize(4).isSorted();
        Input in = Input.shape(3);
        SymbolicTensor h = new CategoryEncoding(5, CategoryEncoding.OutputMode.COUNT).apply(bins.apply(in));
        Model m = Model.of(in, new Dense(2).apply(h));
        Tensor x = Tensor.of(new float[] {-2, 0, 2, 0.1f, 0.2f, 0.3f}, 2, 3);
        Tensor y = m.predict(x);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(m, out);
        KerasModel back = Models.load(new ByteArrayInputStream(out.toByteArray()), "bins.keras");
        assertThat(back.predict(x).toArray()).isEqualTo(y.toArray());
    }

    @Test
    void badInputIsRefusedNamingTheLayer() {
        CategoryEncoding ce = new CategoryEncoding(4, CategoryEncoding.OutputMode.COUNT).named("ce");
        assertThatThrownBy(() -> call(ce, Tensor.of(new float[] {1, 2.5f}, 1, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ce'")
                .hasMessageContaining("expected integer ids, got 2.5");
        assertThatThrownBy(() -> call(new CategoryEncoding(4).named("neg"), Tensor.of(new float[] {1, -1}, 1, 2)))
                .hasMessageContaining("'neg'").hasMessageContaining("must be non-negative");
        assertThatThrownBy(() -> new CategoryEncoding(0)).hasMessageContaining("`num_tokens` must be >= 1");
        assertThatThrownBy(() -> new CategoryEncoding(3).named("flat").build(Shape.of()))
                .hasMessageContaining("'flat'").hasMessageContaining("reshape to (batch, 1)");
        assertThatThrownBy(() -> new CategoryEncoding(3, CategoryEncoding.OutputMode.ONE_HOT).named("oh")
                .build(Shape.withUnknown(Shape.UNKNOWN))).hasMessageContaining("'oh'").hasMessageContaining("None");

        IntegerLookup l = new IntegerLookup().named("ids");
        assertThatThrownBy(() -> call(l, Tensor.of(new float[] {1}, 1, 1))).hasMessageContaining("'ids'")
                .hasMessageContaining("no vocabulary");
        l.setVocabulary(List.of(3L, 4L), null);
        assertThatThrownBy(() -> call(l, Tensor.of(new float[] {Float.NaN}, 1, 1)))
                .hasMessageContaining("expected integer tokens, got NaN");
        assertThat(call(l, Tensor.of(new float[] {3.7f, -0.5f}, 1, 2)).toArray()).as("cast toward zero, as tf.cast")
                .containsExactly(1, 0);
        assertThatThrownBy(() -> new IntegerLookup().named("two").numOovIndices(-1))
                .hasMessageContaining("'two'").hasMessageContaining("`num_oov_indices` must be greater than or "
                        + "equal to 0. Received: num_oov_indices=-1");
        assertThatThrownBy(() -> new IntegerLookup().named("salted").salt(3))
                .hasMessageContaining("'salted'").hasMessageContaining("`salt` can only be used when "
                        + "`oov_method='farmhash'`. Received: oov_method=floormod");
        assertThatThrownBy(() -> new IntegerLookup().outputMode(IntegerLookup.OutputMode.COUNT).invert(true))
                .hasMessageContaining("`output_mode` must be `'int'` when `invert` is true");
        assertThatThrownBy(() -> new IntegerLookup().setVocabulary(List.of(1L << 25), null))
                .hasMessageContaining("exact up to ±2^24");
        IntegerLookup strict = new IntegerLookup().numOovIndices(0).named("strict");
        strict.setVocabulary(List.of(5L, 6L), null);
        assertThatThrownBy(() -> call(strict, Tensor.of(new float[] {7}, 1, 1)))
                .hasMessageContaining("'strict'").hasMessageContaining("all inputs should be in vocabulary");
        IntegerLookup given = new IntegerLookup().vocabularyArgument(List.of(1L), null);
        assertThatThrownBy(() -> given.adapt(Tensor.of(new float[] {1}, 1))).hasMessageContaining("Cannot adapt");
        IntegerLookup counted = new IntegerLookup().outputMode(IntegerLookup.OutputMode.COUNT);
        counted.setVocabulary(List.of(1L, 2L), null);
        counted.build(Shape.of(3));
        assertThatThrownBy(() -> counted.setVocabulary(List.of(1L), null))
                .hasMessageContaining("the vocabulary size cannot be changed after the layer is called");

        assertThatThrownBy(() -> Discretization.withBoundaries(1, 0).named("unsorted"))
                .hasMessageContaining("Expected sorted boundaries");
        assertThatThrownBy(() -> Discretization.withBoundaries(0).adapt(Tensor.of(new float[] {1}, 1)))
                .hasMessageContaining("Cannot adapt a Discretization layer that has been initialized with "
                        + "`bin_boundaries`");
        assertThatThrownBy(() -> call(Discretization.withBins(3).named("raw"), Tensor.of(new float[] {1}, 1, 1)))
                .hasMessageContaining("'raw'").hasMessageContaining("call `adapt(dataset)`");
        assertThatThrownBy(() -> Discretization.withBins(3).adapt(Tensor.of(new float[] {1, Float.NaN}, 2)))
                .hasMessageContaining("finite");
    }

    @Test
    void anIncomingMaskIsDroppedAsKerasDoesForLayersWithoutMasking() {
        Tensor x = Tensor.of(new float[] {1, 2}, 1, 2);
        Tensor mask = Tensor.of(new float[] {1, 0}, 1, 2);
        for (Layer l : List.<Layer>of(new CategoryEncoding(3), Discretization.withBoundaries(1.5))) {
            l.build(x.shape().tail());
            l.call(Variable.constant(x), mask, CallContext.inference());
            assertThat(l.computeMask(Variable.constant(x), mask)).as(l.className()).isNull();
        }
    }
}
