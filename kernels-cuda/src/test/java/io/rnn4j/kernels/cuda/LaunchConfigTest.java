package io.rnn4j.kernels.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Grid arithmetic: every element covered, CUDA's limits respected. Runs anywhere. */
class LaunchConfigTest {
    private static final int H100_SMS = 132;

    @ParameterizedTest
    @ValueSource(longs = {1, 255, 256, 257, 4099, 1_000_000, 10_000_000_000L})
    void elementwiseGridsCoverOrGridStrideOverEveryElement(long n) {
        int blocks = LaunchConfig.elementwiseBlocks(n, H100_SMS);
        assertThat(blocks).isBetween(1, H100_SMS * LaunchConfig.BLOCKS_PER_SM);
        // Covered in one pass, or capped (the kernels grid-stride).
        assertThat((long) blocks * LaunchConfig.ELEMENTWISE_THREADS >= n
                || blocks == H100_SMS * LaunchConfig.BLOCKS_PER_SM).isTrue();
    }

    @Test
    void anEmptyElementwiseLaunchIsRefused() {
        assertThatThrownBy(() -> LaunchConfig.elementwiseBlocks(0, H100_SMS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n must be >= 1, got 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1,1,1", "1,3200,1024", "1,819200,1", "7,5,3", "100000,3,1", "70000,10,2", "2,1,1000"})
    void reductionChunksCoverTheAxisExactlyOnce(String shape) {
        String[] p = shape.split(",");
        long outer = Long.parseLong(p[0]);
        long n = Long.parseLong(p[1]);
        long inner = Long.parseLong(p[2]);
        LaunchConfig.ReducePlan plan = LaunchConfig.reducePlan(outer, n, inner, H100_SMS);
        assertThat((long) plan.chunks() * plan.chunkLen()).as("chunks cover n").isGreaterThanOrEqualTo(n);
        assertThat((long) (plan.chunks() - 1) * plan.chunkLen()).as("no empty chunk").isLessThan(Math.max(n, 1));
        assertThat((long) plan.gridX() * plan.tx()).as("grid.x covers inner").isGreaterThanOrEqualTo(inner);
        assertThat(plan.tx() * plan.ty()).isLessThanOrEqualTo(256);
        assertThat(plan.gridY()).isBetween(1, LaunchConfig.MAX_GRID_YZ);
        assertThat(plan.chunks()).isBetween(1, LaunchConfig.MAX_GRID_YZ);
    }

    @Test
    void aBiasGradientReductionIsSplitToKeepTheGpuBusy() {
        // 64 batch x 50 steps rows summed into 1024 columns: 32 column blocks alone would idle most SMs.
        LaunchConfig.ReducePlan plan = LaunchConfig.reducePlan(1, 3200, 1024, H100_SMS);
        assertThat((long) plan.gridX() * plan.gridY() * plan.chunks()).isGreaterThanOrEqualTo(2L * H100_SMS);
    }

    @Test
    void largeProblemsTake128TilesSmallOnes64() {
        assertThat(LaunchConfig.gemmPlan(4096, 4096, false, false, true, H100_SMS).tile()).isEqualTo(128);
        assertThat(LaunchConfig.gemmPlan(4096, 4096, false, false, true, H100_SMS).kernel())
                .isEqualTo(Kernel.SGEMM_128_NN_V4);
        assertThat(LaunchConfig.gemmPlan(3200, 1024, false, false, true, H100_SMS).tile()).isEqualTo(128);
        assertThat(LaunchConfig.gemmPlan(100, 1024, true, false, false, H100_SMS).kernel())
                .isEqualTo(Kernel.SGEMM_64_TN);
        assertThat(LaunchConfig.gemmPlan(1, 1, false, true, false, H100_SMS).kernel()).isEqualTo(Kernel.SGEMM_64_NT);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 63, 64, 65, 127, 128, 129, 1000})
    void gemmGridsCoverTheOutput(int size) {
        LaunchConfig.GemmPlan plan = LaunchConfig.gemmPlan(size, size + 3, false, false, false, H100_SMS);
        assertThat((long) plan.gridX() * plan.tile()).isGreaterThanOrEqualTo(size + 3);
        assertThat((long) plan.gridY() * plan.tile()).isGreaterThanOrEqualTo(Math.min(size, plan.rowsPerLaunch()));
        assertThat(plan.rowsPerLaunch()).isEqualTo(size);
    }

    @Test
    void veryTallGemmsAreSplitIntoLaunchesWithinTheGridLimit() {
        int m = 20_000_000;
        LaunchConfig.GemmPlan plan = LaunchConfig.gemmPlan(m, 8, false, false, false, H100_SMS);
        assertThat(plan.gridY()).isLessThanOrEqualTo(LaunchConfig.MAX_GRID_YZ);
        assertThat(plan.rowsPerLaunch()).isEqualTo(LaunchConfig.MAX_GRID_YZ * plan.tile());
        // Splitting at rowsPerLaunch keeps a transposed A 16-byte aligned: the offset is a multiple of 4 floats.
        assertThat(plan.rowsPerLaunch() % 4).isZero();
    }

    @Test
    void the16ByteGemmPathNeedsAlignedAddressesStridesAndExtents() {
        assertThat(LaunchConfig.gemmVectorizable(64, 64, 64, false, false, 0, 64, 256, 64, 512, 64)).isTrue();
        assertThat(LaunchConfig.gemmVectorizable(64, 64, 64, false, false, 4, 64, 256, 64, 512, 64))
                .as("A misaligned").isFalse();
        assertThat(LaunchConfig.gemmVectorizable(64, 64, 63, false, false, 0, 64, 256, 64, 512, 64))
                .as("k not a multiple of 4 with A stored m×k").isFalse();
        assertThat(LaunchConfig.gemmVectorizable(64, 64, 63, true, false, 0, 64, 256, 64, 512, 64))
                .as("k odd does not matter when A is read along m and B along n").isTrue();
        assertThat(LaunchConfig.gemmVectorizable(64, 64, 63, true, true, 0, 64, 256, 64, 512, 64))
                .as("k odd with B stored n×k").isFalse();
        assertThat(LaunchConfig.gemmVectorizable(64, 61, 64, true, true, 0, 64, 256, 64, 512, 64))
                .as("n odd: only C's tail stores go scalar").isTrue();
        assertThat(LaunchConfig.gemmVectorizable(64, 64, 64, false, false, 0, 66, 256, 64, 512, 64))
                .as("lda not a multiple of 4").isFalse();
    }

    @Test
    void everyGemmVariantIsAKernel() {
        for (int tile : new int[] {64, 128}) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (boolean v : new boolean[] {false, true}) {
                        Kernel k = Kernel.sgemm(tile, ta, tb, v);
                        assertThat(k.symbol()).isEqualTo("sgemm_" + tile + "_" + (ta ? "t" : "n") + (tb ? "t" : "n")
                                + (v ? "_v4" : ""));
                    }
                }
            }
        }
    }

    @Test
    void dim3RefusesEmptyExtents() {
        assertThatThrownBy(() -> new Dim3(0, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got (0,1,1)");
        assertThat(Dim3.of(3, 4).volume()).isEqualTo(12);
    }
}
