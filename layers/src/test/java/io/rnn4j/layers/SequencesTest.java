package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Sequences.Side;
import io.rnn4j.layers.model.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keras's pad_sequences: the expected rows are what Keras 3's {@code pad_sequences} gives for the
 * same arguments (its algorithm: keep the last or first maxlen steps, place them at the end or the
 * start of a row of {@code value}).
 */
class SequencesTest {
    private static final List<float[]> IDS = List.of(new float[] {1, 2}, new float[] {3, 4, 5}, new float[0]);

    @Test
    void defaultsPadInFrontToTheLongest() {
        Tensor x = Sequences.pad(IDS);
        assertThat(x.shape()).isEqualTo(Shape.of(3, 3));
        assertThat(x.toArray()).containsExactly(0, 1, 2, 3, 4, 5, 0, 0, 0);
    }

    @Test
    void maxlenCutsAtTheSideAskedAndPadsWithTheValueGiven() {
        assertThat(Sequences.pad(IDS, 2, Side.PRE, Side.PRE, 0f).toArray()).containsExactly(1, 2, 4, 5, 0, 0);
        assertThat(Sequences.pad(IDS, 2, Side.PRE, Side.POST, 0f).toArray()).containsExactly(1, 2, 3, 4, 0, 0);
        assertThat(Sequences.pad(IDS, 4, Side.POST, Side.PRE, -1f).toArray())
                .containsExactly(1, 2, -1, -1, 3, 4, 5, -1, -1, -1, -1, -1);
        assertThat(Sequences.pad(IDS, 0, Side.PRE, Side.PRE, 0f).shape()).isEqualTo(Shape.of(3, 0));
        assertThat(Sequences.pad(List.of()).shape()).isEqualTo(Shape.of(0, 0));
    }

    @Test
    void stepsOfSeveralFeaturesKeepTheirFeaturesTogether() {
        List<float[]> steps = List.of(new float[] {1, 1, 2, 2, 3, 3}, new float[] {4, 4});
        Tensor x = Sequences.padSteps(steps, 2, 2, Side.POST, Side.PRE, 9f);
        assertThat(x.shape()).isEqualTo(Shape.of(2, 2, 2));
        assertThat(x.toArray()).containsExactly(2, 2, 3, 3, 4, 4, 9, 9);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> Sequences.padSteps(List.of(new float[3]), 2, Sequences.LONGEST, Side.PRE, Side.PRE,
                0f)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sequence 0 holds 3 values");
        assertThatThrownBy(() -> Sequences.pad(IDS, -2, Side.PRE, Side.PRE, 0f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxlen must be >= 0");
        assertThatThrownBy(() -> Sequences.pad(java.util.Arrays.asList(new float[1], null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sequence 1 is null");
        assertThatThrownBy(() -> Sequences.padSteps(IDS, 0, 3, Side.PRE, Side.PRE, 0f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("features must be >= 1");
    }

    /** Keras 3's pad_sequences docstring examples, word for word, with int[] ids. */
    @Test
    void intIdsGiveKerasDocstringExamples() {
        List<int[]> seqs = List.of(new int[] {1}, new int[] {2, 3}, new int[] {4, 5, 6});
        Tensor x = Sequences.padInts(seqs);
        assertThat(x.shape()).isEqualTo(Shape.of(3, 3));
        assertThat(x.toArray()).containsExactly(0, 0, 1, 0, 2, 3, 4, 5, 6);
        assertThat(Sequences.padInts(seqs, Sequences.LONGEST, Side.PRE, Side.PRE, -1).toArray())
                .as("value=-1").containsExactly(-1, -1, 1, -1, 2, 3, 4, 5, 6);
        assertThat(Sequences.padInts(seqs, Sequences.LONGEST, Side.POST, Side.PRE, 0).toArray())
                .as("padding='post'").containsExactly(1, 0, 0, 2, 3, 0, 4, 5, 6);
        assertThat(Sequences.padInts(seqs, 2, Side.PRE, Side.PRE, 0).toArray())
                .as("maxlen=2").containsExactly(0, 1, 2, 3, 5, 6);
    }

    /** Every maxlen, padding and truncating against the rule written out here (seed printed). */
    @Test
    void intIdsMatchAPlainReferenceForEveryOption() {
        long seed = 20_240_611L;
        System.out.println("SequencesTest seed " + seed);
        java.util.Random r = new java.util.Random(seed);
        List<int[]> seqs = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            int[] s = new int[r.nextInt(6)];
            for (int t = 0; t < s.length; t++) {
                s[t] = r.nextInt(2 * (1 << 24) + 1) - (1 << 24); // the whole exact range, ends included
            }
            seqs.add(s);
        }
        seqs.add(new int[] {1 << 24, -(1 << 24)});
        for (int maxlen : new int[] {Sequences.LONGEST, 0, 1, 3, 8}) {
            for (Side padding : Side.values()) {
                for (Side truncating : Side.values()) {
                    Tensor x = Sequences.padInts(seqs, maxlen, padding, truncating, 7);
                    double[][] want = reference(seqs, maxlen, padding, truncating, 7);
                    int len = want.length == 0 ? 0 : want[0].length;
                    assertThat(x.shape()).isEqualTo(Shape.of(seqs.size(), len));
                    float[] got = x.toArray();
                    for (int i = 0; i < want.length; i++) {
                        for (int t = 0; t < len; t++) {
                            assertThat((double) got[i * len + t]).as("maxlen %d, %s padding, %s truncating, row %d "
                                    + "step %d", maxlen, padding, truncating, i, t).isEqualTo(want[i][t]);
                        }
                    }
                }
            }
        }
    }

    /** pad_sequences spelled out: row i is value everywhere, then the kept ids placed at its start or end. */
    private static double[][] reference(List<int[]> seqs, int maxlen, Side padding, Side truncating, int value) {
        int len = maxlen;
        if (maxlen == Sequences.LONGEST) {
            len = 0;
            for (int[] s : seqs) {
                len = Math.max(len, s.length);
            }
        }
        double[][] rows = new double[seqs.size()][len];
        for (int i = 0; i < seqs.size(); i++) {
            int[] s = seqs.get(i);
            java.util.Arrays.fill(rows[i], value);
            int kept = Math.min(s.length, len);
            for (int k = 0; k < kept; k++) {
                int src = truncating == Side.PRE ? s.length - kept + k : k;
                int dst = padding == Side.PRE ? len - kept + k : k;
                rows[i][dst] = s[src];
            }
        }
        return rows;
    }

    @Test
    void intIdsFloat32CannotHoldExactlyAreRefusedByPlace() {
        assertThatThrownBy(() -> Sequences.padInts(List.of(new int[] {1, 2}, new int[] {3, (1 << 24) + 1})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pad_sequences: sequence 1 step 1 is 16777217, beyond what float32 holds exactly "
                        + "(integers within ±16777216)");
        assertThatThrownBy(() -> Sequences.padInts(List.of(new int[] {Integer.MIN_VALUE})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sequence 0 step 0 is -2147483648");
        assertThatThrownBy(() -> Sequences.padInts(List.of(new int[] {1}), 2, Side.PRE, Side.PRE, -(1 << 24) - 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value is -16777217");
        assertThatThrownBy(() -> Sequences.padInts(java.util.Arrays.asList(new int[1], null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("pad_sequences: sequence 1 is null");
        assertThatThrownBy(() -> Sequences.padInts(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pad_sequences: sequences must not be null");
        assertThatThrownBy(() -> Sequences.padInts(List.of(new int[1]), -3, Side.PRE, Side.PRE, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxlen must be >= 0 or LONGEST, got -3");
    }

    /** The point of padding: with mask_zero the padded batch gives each sequence's own last state (float32 rounding). */
    @Test
    void paddedWithAMaskEachSequenceGivesWhatItGivesAlone() {
        Seeds.set(12);
        Sequential m = Sequential.of(Input.shape(Input.NONE), new Embedding(6, 3).maskZero(true), new GRU(4));
        List<float[]> seqs = List.of(new float[] {1, 2}, new float[] {3, 4, 5, 1}, new float[] {5});
        for (Side side : Side.values()) {
            float[] batch = m.predict(Sequences.pad(seqs, Sequences.LONGEST, side, Side.PRE, 0f)).toArray();
            for (int i = 0; i < seqs.size(); i++) {
                float[] alone = m.predict(Tensor.of(seqs.get(i), 1, seqs.get(i).length)).toArray();
                for (int k = 0; k < 4; k++) {
                    assertThat(batch[i * 4 + k]).as("%s padding, sequence %d unit %d", side, i, k)
                            .isCloseTo(alone[k], org.assertj.core.data.Offset.offset(1e-6f));
                }
            }
        }
    }
}
