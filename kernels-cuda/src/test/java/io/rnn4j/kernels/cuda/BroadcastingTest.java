package io.rnn4j.kernels.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The broadcast struct's strides and dimension merging. Runs anywhere. */
class BroadcastingTest {

    @Test
    void stridesAreZeroAlongBroadcastAxes() {
        assertThat(Broadcasting.strides(new int[] {1, 3, 1}, new int[] {2, 3, 4})).containsExactly(0, 1, 0);
        assertThat(Broadcasting.strides(new int[] {2, 3, 4}, new int[] {2, 3, 4})).containsExactly(12, 4, 1);
    }

    @Test
    void aBiasAddOverThreeAxesMergesIntoTwo() {
        int[] out = {4, 5, 6};
        long[] s = Broadcasting.struct(out, Broadcasting.strides(out, out),
                Broadcasting.strides(new int[] {1, 1, 6}, out));
        assertThat(s[0]).as("rank").isEqualTo(2);
        assertThat(s[1]).as("outer dim").isEqualTo(20);
        assertThat(s[2]).as("inner dim").isEqualTo(6);
        assertThat(s[1 + 8]).as("a outer stride").isEqualTo(6);
        assertThat(s[1 + 8 + 1]).as("a inner stride").isEqualTo(1);
        assertThat(s[1 + 16]).as("b outer stride").isZero();
        assertThat(s[1 + 16 + 1]).as("b inner stride").isEqualTo(1);
    }

    @Test
    void sizeOneAxesDisappearAndAScalarIsOneElement() {
        int[] out = {1, 1};
        long[] s = Broadcasting.struct(out, new long[] {0, 0}, new long[] {0, 0});
        assertThat(s[0]).isEqualTo(1);
        assertThat(s[1]).isEqualTo(1);
    }

    @Test
    void alternatingBroadcastsDoNotMerge() {
        int[] out = {2, 3, 4, 5};
        long[] s = Broadcasting.struct(out, Broadcasting.strides(new int[] {2, 1, 4, 1}, out),
                Broadcasting.strides(new int[] {1, 3, 1, 5}, out));
        assertThat(s[0]).isEqualTo(4);
    }

    @Test
    void moreThanEightUnmergeableDimensionsAreRefused() {
        int[] out = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
        int[] a = {2, 1, 2, 1, 2, 1, 2, 1, 2, 1};
        int[] b = {1, 2, 1, 2, 1, 2, 1, 2, 1, 2};
        assertThatThrownBy(() -> Broadcasting.struct(out, Broadcasting.strides(a, out), Broadcasting.strides(b, out)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 8");
    }
}
