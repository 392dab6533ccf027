package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.internal.StringHashes;
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
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hashing and HashedCrossing against plain-Java references built here from the hash functions
 * (themselves checked bit for bit against TensorFlow in StringHashesTest): every output mode, the
 * mask value, salts, None timesteps, string and mixed columns, models that train, save and load,
 * and bad input named with the layer. Seeds are fixed (SEED).
 */
class HashingTest {
    private static final long SEED = 20261127L;

    private static Tensor call(Layer l, Tensor x) {
        l.build(x.shape().tail());
        return l.call(Variable.constant(x), null, CallContext.inference()).value();
    }

    private static Tensor ints(SplittableRandom r, int lo, int hi, int... dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(lo, hi);
        }
        return Tensor.of(v, dims);
    }

    /** The reference bin: Keras's _hash_values_to_bins, written out. */
    private static long bin(String token, int bins, boolean masked, long[] salt, boolean hasMask) {
        if (hasMask && bins > 1) {
            return masked ? 0 : 1 + StringHashes.bucket(token, bins - 1, salt);
        }
        return StringHashes.bucket(token, bins, salt);
    }

    @Test
    void intModeOnIntegerTokensHashesTheirDecimalStringsWithAndWithoutMaskAndSalt() {
        SplittableRandom r = new SplittableRandom(SEED);
        Tensor x = ints(r, -1000, 1000, 5, 7);
        x.toArray();
        float[] v = x.toArray();
        v[3] = 0;
        v[10] = 0;
        x = Tensor.of(v, 5, 7);
        for (long[] salt : new long[][] {null, {133, 137}, {-1, Long.MIN_VALUE}}) {
            for (boolean mask : new boolean[] {false, true}) {
                Hashing h = new Hashing(13);
                if (salt != null) {
                    h.salt(salt[0], salt[1]);
                }
                if (mask) {
                    h.maskValue(0);
                }
                float[] got = call(h, x).toArray();
                for (int i = 0; i < v.length; i++) {
                    assertThat(got[i]).as("token %s, salt %s, mask %s", v[i], salt == null ? "none" : salt[0], mask)
                            .isEqualTo(bin(Long.toString((long) v[i]), 13, v[i] == 0, salt, mask));
                }
            }
        }
    }

    @Test
    void vectorModesEncodeTheBins() {
        SplittableRandom r = new SplittableRandom(SEED + 1);
        Tensor x = ints(r, -50, 50, 4, 6);
        float[] v = x.toArray();
        long[] ids = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            ids[i] = StringHashes.fastBucket(Long.toString((long) v[i]), 5);
        }
        float[] multi = call(new Hashing(5).outputMode(Hashing.OutputMode.MULTI_HOT), x).toArray();
        float[] count = call(new Hashing(5).outputMode(Hashing.OutputMode.COUNT), x).toArray();
        float[] wantMulti = new float[4 * 5];
        float[] wantCount = new float[4 * 5];
        for (int b = 0; b < 4; b++) {
            for (int t = 0; t < 6; t++) {
                wantMulti[b * 5 + (int) ids[b * 6 + t]] = 1;
                wantCount[b * 5 + (int) ids[b * 6 + t]] += 1;
            }
        }
        assertThat(multi).containsExactly(wantMulti);
        assertThat(count).containsExactly(wantCount);
        Tensor oneHot = call(new Hashing(5).outputMode(Hashing.OutputMode.ONE_HOT), x);
        assertThat(oneHot.shape()).as("a new last axis").isEqualTo(Shape.of(4, 6, 5));
        for (int i = 0; i < ids.length; i++) {
            for (int k = 0; k < 5; k++) {
                assertThat(oneHot.toArray()[i * 5 + k]).isEqualTo(k == ids[i] ? 1f : 0f);
            }
        }
        Tensor column = Tensor.of(new float[] {3, -9}, 2, 1);
        assertThat(call(new Hashing(4).outputMode(Hashing.OutputMode.ONE_HOT), column).shape())
                .as("a last axis of 1 is replaced").isEqualTo(Shape.of(2, 4));
    }

    @Test
    void stringTokensAndTheMaskValue() {
        List<List<String>> rows = List.of(List.of("A", "", "日本語"), List.of("naïve", "A", ""));
        Hashing h = new Hashing(9).maskValue("").salt(5);
        Tensor y = h.applyStrings(rows);
        assertThat(y.shape()).isEqualTo(Shape.of(2, 3));
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 3; t++) {
                String s = rows.get(b).get(t);
                assertThat(y.toArray()[b * 3 + t]).as("'%s'", s).isEqualTo(bin(s, 9, s.isEmpty(), new long[] {5, 5},
                        true));
            }
        }
        assertThat(new Hashing(1).maskValue("").applyStrings(rows).toArray()).as("one bin: everything is 0")
                .containsOnly(0f);
        assertThat(new Hashing(4).outputMode(Hashing.OutputMode.ONE_HOT).applyStrings(List.of(List.of("x")))
                .shape()).isEqualTo(Shape.of(1, 4));
        assertThat(new Hashing(4).outputMode(Hashing.OutputMode.COUNT).applyStrings(rows).shape())
                .isEqualTo(Shape.of(2, 4));
    }

    @Test
    void hashedCrossingChainsFingerprintsOfStringsAndIntegersAsTheyAre() {
        HashedCrossing x = new HashedCrossing(97);
        List<String> a = List.of("red", "", "grün");
        List<Long> b = List.of(4L, -7L, 1L << 40);
        Tensor y = x.applyColumns(List.of(a, b));
        assertThat(y.shape()).isEqualTo(Shape.of(3));
        for (int i = 0; i < 3; i++) {
            long h = StringHashes.fingerprintCat64(StringHashes.fingerprintCat64(StringHashes.CROSS_HASH_KEY,
                    StringHashes.fingerprint64(StringHashes.utf8(a.get(i)))), b.get(i));
            assertThat(y.toArray()[i]).isEqualTo(Long.remainderUnsigned(h, 97));
        }
        // In a model: float32-held integers, (batch,) or (batch, 1), the same bins as the columns.
        Input p = Input.shape(1);
        Input q = Input.shape(1);
        Model m = Model.of(List.of(p, q), new HashedCrossing(97).apply(p, q));
        Tensor got = m.predict(List.of(Tensor.of(new float[] {4, -7, 12}, 3, 1),
                Tensor.of(new float[] {1, 2, 3}, 3, 1))).get(0);
        assertThat(got.shape()).isEqualTo(Shape.of(3, 1));
        assertThat(got.toArray()).containsExactly(x.applyColumns(List.of(List.of(4L, -7L, 12L), List.of(1L, 2L, 3L)))
                .toArray());
        HashedCrossing hot = new HashedCrossing(6, HashedCrossing.OutputMode.ONE_HOT);
        Tensor oneHot = hot.applyColumns(List.of(List.of(1, 2), List.of("a", "b")));
        assertThat(oneHot.shape()).isEqualTo(Shape.of(2, 6));
        assertThat(oneHot.toArray()).containsOnly(0f, 1f);
    }

    @Test
    void aModelOnNoneTimestepsTrainsThroughHashingAndSavesAndLoads() throws IOException {
        SplittableRandom r = new SplittableRandom(SEED + 2);
        Hashing h = new Hashing(20).maskValue(0).salt(3, 4);
        Sequential m = Sequential.of(Input.shape(Input.NONE), h, new Embedding(20, 4).maskZero(true), new LSTM(3),
                new Dense(1));
        assertThat(h.countParams()).as("no weights").isZero();
        assertThat(m.summary()).contains("hashing");
        m.compile(Optimizers.adam(), Losses.meanSquaredError());
        Tensor x = ints(r, 0, 40, 16, 6);
        List<Tensor> before = m.getWeights();
        m.fit(x, Tensor.of(new float[16], 16, 1), Fit.defaults().batchSize(8).epochs(2).verbose(0).seed(SEED));
        assertThat(m.getWeights().get(0).toArray()).as("the embedding learned through the hashing")
                .isNotEqualTo(before.get(0).toArray());
        Tensor shorter = ints(r, 0, 40, 3, 2);
        Tensor y = m.predict(shorter);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(m, out);
        KerasModel back = Models.load(new ByteArrayInputStream(out.toByteArray()), "hashing.keras");
        assertThat(back.predict(shorter).toArray()).as("after save and load, to the bit").isEqualTo(y.toArray());
        Hashing loaded = (Hashing) back.sequential().layers().get(0);
        assertThat(loaded.salt()).containsExactly(3, 4);
        assertThat(loaded.maskValue()).isEqualTo(0L);
    }

    @Test
    void aFunctionalModelWithHashedCrossingSavesAndLoads() throws IOException {
        Input p = Input.shape(1);
        Input q = Input.shape(1);
        SymbolicTensor crossed = new HashedCrossing(7, HashedCrossing.OutputMode.ONE_HOT).apply(p, q);
        Model m = Model.of(List.of(p, q), new Dense(2).apply(crossed));
        List<Tensor> xs = List.of(Tensor.of(new float[] {1, 2, 3}, 3, 1), Tensor.of(new float[] {4, 5, 6}, 3, 1));
        Tensor y = m.predict(xs).get(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(m, out);
        KerasModel back = Models.load(new ByteArrayInputStream(out.toByteArray()), "cross.keras");
        assertThat(back.predict(xs).get(0).toArray()).isEqualTo(y.toArray());
    }

    @Test
    void badInputIsRefusedNamingTheLayer() {
        assertThatThrownBy(() -> new Hashing(0)).hasMessageContaining("(Hashing)")
                .hasMessageContaining("The `num_bins` for `Hashing` cannot be `None` or non-positive values. "
                        + "Received: num_bins=0.");
        assertThatThrownBy(() -> new Hashing((1 << 24) + 1)).hasMessageContaining("exact up to 2^24");
        assertThatThrownBy(() -> new HashedCrossing(0)).hasMessageContaining("(HashedCrossing)")
                .hasMessageContaining("num_bins=0");
        Hashing strings = new Hashing(3).named("h").maskValue("");
        assertThatThrownBy(() -> call(strings, Tensor.of(new float[] {1}, 1, 1))).hasMessageContaining("'h'")
                .hasMessageContaining("mask_value is the string ''");
        assertThatThrownBy(() -> new Hashing(3).maskValue(0).applyStrings(List.of(List.of("a"))))
                .hasMessageContaining("mask_value is the integer 0");
        assertThatThrownBy(() -> new Hashing(3).applyStrings(List.of(List.of("a", "b"), List.of("c"))))
                .hasMessageContaining("row 1 has 1 tokens, row 0 has 2");
        assertThatThrownBy(() -> call(new Hashing(3), Tensor.of(new float[] {Float.NaN}, 1, 1)))
                .hasMessageContaining("expected integer tokens, got NaN");
        Hashing built = new Hashing(3);
        call(built, Tensor.of(new float[] {1}, 1, 1));
        assertThatThrownBy(() -> built.salt(1)).hasMessageContaining("salt cannot change after the layer is built");
        HashedCrossing x = new HashedCrossing(5).named("x");
        assertThatThrownBy(() -> x.applyColumns(List.of(List.of("a")))).hasMessageContaining("at least two inputs");
        assertThatThrownBy(() -> x.applyColumns(List.of(List.of("a"), List.of(1.5))))
                .hasMessageContaining("is a Double").hasMessageContaining("integer or string dtype");
        assertThatThrownBy(() -> x.applyColumns(List.of(List.of("a", 1L), List.of(1L, 2L))))
                .hasMessageContaining("column 0 mixes strings and integers");
        assertThatThrownBy(() -> x.applyColumns(List.of(List.of("a"), List.of(1L, 2L))))
                .hasMessageContaining("should have equal shape");
        Input p = Input.shape(2);
        Input q = Input.shape(2);
        assertThatThrownBy(() -> new HashedCrossing(5).named("wide").apply(p, q)).hasMessageContaining("'wide'")
                .hasMessageContaining("`(batch_size)` or `(batch_size, 1)`. Received: an input (None, 2)");
        Input one = Input.shape(1);
        Input none = Input.shape();
        assertThatThrownBy(() -> new HashedCrossing(5).apply(one, none)).hasMessageContaining("equal shape");
        Input a = Input.shape(1);
        Input b = Input.shape(1);
        Model fm = Model.of(List.of(a, b), new HashedCrossing(5).named("ints").apply(a, b));
        assertThatThrownBy(() -> fm.predict(List.of(Tensor.of(new float[] {1.5f}, 1, 1),
                Tensor.of(new float[] {1}, 1, 1)))).hasMessageContaining("'ints'").hasMessageContaining("holds 1.5");
    }
}
