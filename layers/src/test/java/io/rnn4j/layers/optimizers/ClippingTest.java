package io.rnn4j.layers.optimizers;

import static io.rnn4j.layers.optimizers.TestWeights.kernel;
import static io.rnn4j.layers.optimizers.TestWeights.setGrad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.layers.Weight;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keras 3's clipnorm, global_clipnorm and clipvalue, seen through SGD with learning rate 1 (the
 * weight moves by exactly the clipped gradient), against the formulas in float64. Bar: 1e-6.
 */
class ClippingTest {

    private static float[] step(Optimizer opt, Weight w, float[] g) {
        float[] before = w.value().toArray();
        setGrad(w, g);
        opt.apply(List.of(w));
        float[] after = w.value().toArray();
        float[] moved = new float[before.length];
        for (int i = 0; i < moved.length; i++) {
            moved[i] = before[i] - after[i];
        }
        return moved;
    }

    @Test
    void clipnormScalesEachGradientToTheNormAndLeavesSmallOnesAlone() {
        Weight w = kernel(0f, 0f);
        Optimizer opt = new SGD(1.0).clipnorm(1.0);
        float[] big = step(opt, w, new float[] {3f, 4f});              // norm 5 → scaled by 1/5
        assertThat(big[0]).isCloseTo(0.6f, within(1e-6f));
        assertThat(big[1]).isCloseTo(0.8f, within(1e-6f));
        float[] small = step(opt, w, new float[] {0.3f, -0.4f});       // norm 0.5 → unchanged
        assertThat(small[0]).isCloseTo(0.3f, within(1e-6f));
        assertThat(small[1]).isCloseTo(-0.4f, within(1e-6f));
        float[] zero = step(opt, w, new float[] {0f, 0f});              // Σg² = 0: no NaN
        assertThat(zero).containsExactly(0f, 0f);
        // The weight's own gradient is not clipped in place (backward may share it between weights).
        assertThat(w.variable().grad().toArray()).containsExactly(0f, 0f);
        setGrad(w, new float[] {3f, 4f});
        opt.apply(List.of(w));
        assertThat(w.variable().grad().toArray()).containsExactly(3f, 4f);
    }

    @Test
    void globalClipnormScalesAllGradientsByTheirJointNorm() {
        Weight a = kernel(0f, 0f);
        Weight b = kernel(0f);
        Optimizer opt = new SGD(1.0).globalClipnorm(2.0);
        setGrad(a, new float[] {3f, 0f});
        setGrad(b, new float[] {4f});
        opt.apply(List.of(a, b));
        double scale = 2.0 * Math.min(1 / 5.0, 1 / 2.0);                // joint norm 5
        assertThat((double) -a.value().toArray()[0]).isCloseTo(3 * scale, within(1e-6));
        assertThat((double) -b.value().toArray()[0]).isCloseTo(4 * scale, within(1e-6));

        // A non-finite joint norm makes every gradient NaN, as Keras's (norm − norm) term does.
        Weight c = kernel(1f);
        Weight d = kernel(1f);
        Optimizer nan = new SGD(1.0).globalClipnorm(1.0);
        setGrad(c, new float[] {Float.POSITIVE_INFINITY});
        setGrad(d, new float[] {1f});
        nan.apply(List.of(c, d));
        assertThat(d.value().toArray()[0]).isNaN();
    }

    @Test
    void clipvalueClipsEachElement() {
        Weight w = kernel(0f, 0f, 0f);
        float[] moved = step(new SGD(1.0).clipvalue(0.5), w, new float[] {2f, -0.25f, -7f});
        assertThat(moved).containsExactly(0.5f, -0.25f, -0.5f);
    }

    @Test
    void clippingWorksWithStatefulOptimizersToo() {
        // Adam's first step with clipnorm c: m = 0.1·g', v = 0.001·g'², w −= lr·g'/(|g'| + ε)·… on the clipped g'.
        Weight w = kernel(0f, 0f);
        Weight ref = kernel(0f, 0f);
        Adam clipped = new Adam(0.1);
        clipped.clipnorm(1.0);
        setGrad(w, new float[] {30f, 40f});
        clipped.apply(List.of(w));
        setGrad(ref, new float[] {0.6f, 0.8f});
        new Adam(0.1).apply(List.of(ref));
        float[] got = w.value().toArray();
        float[] want = ref.value().toArray();
        assertThat(got[0]).isCloseTo(want[0], within(1e-6f));
        assertThat(got[1]).isCloseTo(want[1], within(1e-6f));
    }

    @Test
    void onlyOneClippingModeAndPositiveValues() {
        assertThatThrownBy(() -> new SGD().clipnorm(1).clipvalue(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only one of clipnorm, clipvalue and global_clipnorm can be set");
        assertThatThrownBy(() -> new SGD().globalClipnorm(0)).hasMessageContaining("global_clipnorm must be > 0");
        assertThat(new SGD().clipnorm(1).clipnorm(2)).as("resetting the same mode is fine").isNotNull();
    }
}
