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
