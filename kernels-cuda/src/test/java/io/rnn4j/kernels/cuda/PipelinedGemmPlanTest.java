package io.rnn4j.kernels.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pipelined GEMMs' launch arithmetic: tiles, grids, split-K chunks, shared memory. Runs anywhere. */
class PipelinedGemmPlanTest {
    private static final int H100_SMS = 132;
    private static final int HOPPER_SHARED = 232_448;

    @Test
    void manyTilesWithALongKTake256TilesWhenBothOrNeitherOperandIsTransposed() {
        PipelinedGemmPlan.Variant auto = PipelinedGemmPlan.Variant.AUTO;
        PipelinedGemmPlan big = PipelinedGemmPlan.of(4096, 4096, 4096, false, false, auto, true, H100_SMS);
        assertThat(big.kernel()).isEqualTo(Kernel.SGEMM_P256_NN);
        assertThat(big.tileM()).isEqualTo(256);
        assertThat(big.tileN()).isEqualTo(128);
        assertThat(big.grid(4096)).isEqualTo(new Dim3(32, 16, 1));
        assertThat(big.splits()).isEqualTo(1);
        assertThat(big.sharedBytes()).isEqualTo(4 * 3 * 16 * (260 + 128));
        assertThat(PipelinedGemmPlan.of(4096, 4096, 4096, true, true, auto, true, H100_SMS).kernel())
                .isEqualTo(Kernel.SGEMM_P256_TT);
        // Measured slower than 128 tiles at 4096^3: one operand transposed.
        assertThat(PipelinedGemmPlan.of(4096, 4096, 4096, true, false, auto, true, H100_SMS).kernel())
                .isEqualTo(Kernel.SGEMM_P128_TN);
        assertThat(PipelinedGemmPlan.of(4096, 4096, 4096, false, true, auto, true, H100_SMS).kernel())
                .isEqualTo(Kernel.SGEMM_P128_NT);
        // 13 × 8 = 104 tiles of 256×128 fill 3/4 of 132 SMs (99); k = 64 is too short.
        assertThat(PipelinedGemmPlan.of(3200, 1024, 256, false, false, auto, true, H100_SMS).kernel())
                .isEqualTo(Kernel.SGEMM_P256_NN);
        assertThat(PipelinedGemmPlan.of(3200, 1024, 64, false, false, auto, true, H100_SMS).kernel())
                .isEqualTo(Kernel.SGEMM_P128_NN);
        // 4 × 8 = 32 tiles of 256×128 (measured at 67 µs against 40 for 128 tiles).
        assertThat(PipelinedGemmPlan.of(1000, 1004, 332, false, false, auto, true, H100_SMS).tileM())
                .isNotEqualTo(256);
    }

    @Test
    void largeOutputsTake128TilesSmallOnes64() {
        assertThat(PipelinedGemmPlan.of(3200, 1024, 64, false, false, PipelinedGemmPlan.Variant.AUTO, true, H100_SMS)
                .kernel()).isEqualTo(Kernel.SGEMM_P128_NN);
        assertThat(PipelinedGemmPlan.of(300, 64, 64, true, true, PipelinedGemmPlan.Variant.AUTO, true, H100_SMS)
                .kernel()).isEqualTo(Kernel.SGEMM_P64_TT);
        assertThat(PipelinedGemmPlan.of(8, 8, 8, false, true, PipelinedGemmPlan.Variant.TF32, true, H100_SMS)
                .kernel()).isEqualTo(Kernel.SGEMM_TF32_NT);
    }

    @ParameterizedTest
    @CsvSource({
        "64, 1024, 3200, true, false",   // dW of a training case: 16 tiles of 64
        "256, 1024, 3200, true, false",  // dU
        "3200, 64, 1024, false, true",   // dx
        "64, 96, 1540, false, false",
        "128, 132, 2052, true, true"})
    void fewTilesWithALongKAreSplitIntoChunksThatCoverK(int m, int n, int k, boolean ta, boolean tb) {
        for (PipelinedGemmPlan.Variant v : PipelinedGemmPlan.Variant.values()) {
            PipelinedGemmPlan p = PipelinedGemmPlan.of(m, n, k, ta, tb, v, true, H100_SMS);
            assertThat(p.splits()).as("%s splits", v).isBetween(2, PipelinedGemmPlan.MAX_SPLITS);
            assertThat(p.kChunk() % PipelinedGemmPlan.K_STEP).as("%s chunk is whole k steps", v).isZero();
            assertThat(p.kChunk()).isGreaterThanOrEqualTo(PipelinedGemmPlan.SPLIT_MIN_K);
            assertThat((long) p.splits() * p.kChunk()).as("%s chunks cover k", v).isGreaterThanOrEqualTo(k);
            assertThat((long) (p.splits() - 1) * p.kChunk()).as("%s no empty chunk", v).isLessThan(k);
            assertThat(p.grid(m).volume()).as("%s blocks", v).isLessThanOrEqualTo(2L * H100_SMS * 2);
            PipelinedGemmPlan whole = PipelinedGemmPlan.of(m, n, k, ta, tb, v, false, H100_SMS);
            assertThat(whole.splits()).isEqualTo(1);
            assertThat(whole.kChunk()).isEqualTo(k);
        }
    }

    @Test
    void onlySplitOrRequestedPlansReplaceTheRegisterStagedKernels() {
        PipelinedGemmPlan.Variant auto = PipelinedGemmPlan.Variant.AUTO;
        assertThat(PipelinedGemmPlan.of(3200, 1024, 64, false, false, auto, true, H100_SMS).preferredOver(auto))
                .as("whole-k fp32 product on 128 tiles").isFalse();
        assertThat(PipelinedGemmPlan.of(4096, 4096, 4096, false, false, auto, true, H100_SMS).preferredOver(auto))
                .as("whole-k fp32 product on 256x128 tiles").isTrue();
        assertThat(PipelinedGemmPlan.of(64, 1024, 3200, true, false, auto, true, H100_SMS).preferredOver(auto))
                .as("split-K product").isTrue();
        assertThat(PipelinedGemmPlan.of(64, 1024, 3200, true, false, auto, false, H100_SMS).preferredOver(auto))
                .as("split-K forbidden").isFalse();
        for (PipelinedGemmPlan.Variant v : new PipelinedGemmPlan.Variant[] {PipelinedGemmPlan.Variant.TF32,
            PipelinedGemmPlan.Variant.P256, PipelinedGemmPlan.Variant.P128, PipelinedGemmPlan.Variant.P64}) {
            assertThat(PipelinedGemmPlan.of(8, 8, 8, false, false, v, true, H100_SMS).preferredOver(v)).as("%s", v)
                    .isTrue();
        }
    }

    @Test
    void shortKOrManyTilesAreNotSplit() {
        assertThat(PipelinedGemmPlan.of(64, 1024, 300, true, false, PipelinedGemmPlan.Variant.AUTO, true, H100_SMS)
                .splits()).isEqualTo(1);
        assertThat(PipelinedGemmPlan.of(4096, 4096, 4096, false, false, PipelinedGemmPlan.Variant.P64, true,
                H100_SMS).splits()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "63, 64", "64, 65", "129, 127", "1000, 4099"})
    void gridsCoverTheOutput(int m, int n) {
        for (PipelinedGemmPlan.Variant v : PipelinedGemmPlan.Variant.values()) {
            PipelinedGemmPlan p = PipelinedGemmPlan.of(m, n, 32, false, false, v, true, H100_SMS);
            Dim3 grid = p.grid(m);
            assertThat((long) grid.x() * p.tileN()).isGreaterThanOrEqualTo(n);
            assertThat((long) grid.y() * p.tileM()).isGreaterThanOrEqualTo(m);
            assertThat(p.rowsPerLaunch()).isEqualTo(m);
        }
    }

    @Test
    void veryTallOutputsAreCutIntoLaunchesAndNotSplit() {
        int m = 10_000_000;
        PipelinedGemmPlan p = PipelinedGemmPlan.of(m, 8, 4096, false, false, PipelinedGemmPlan.Variant.P128, true,
                H100_SMS);
        assertThat(p.rowsPerLaunch()).isEqualTo(LaunchConfig.MAX_GRID_YZ * 128);
        assertThat(p.rowsPerLaunch() % 4).as("A^T stays 16-byte aligned at a launch boundary").isZero();
        assertThat(p.grid(p.rowsPerLaunch()).y()).isEqualTo(LaunchConfig.MAX_GRID_YZ);
        assertThat(p.splits()).isEqualTo(1);
    }

    @Test
    void sharedMemoryMatchesTheKernelsLayoutsAndFitsHopper() {
        // gemm_pipelined.cu, 128 tiles, A stored m×k (padded) and B stored k×n: 3 stages × 16 × (132 + 128) floats.
        assertThat(PipelinedGemmPlan.fp32SharedBytes(128, 128, false, false)).isEqualTo(4 * 3 * 16 * (132 + 128));
        assertThat(PipelinedGemmPlan.fp32SharedBytes(64, 64, true, true)).isEqualTo(4 * 3 * 16 * (64 + 68));
        assertThat(PipelinedGemmPlan.fp32SharedBytes(256, 128, false, true)).isEqualTo(4 * 3 * 16 * (260 + 132));
        // gemm_tf32.cu: A [128][20], B [16][136] per stage.
        assertThat(PipelinedGemmPlan.tf32SharedBytes(false, false)).isEqualTo(4 * 3 * (128 * 20 + 16 * 136));
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                assertThat(PipelinedGemmPlan.fp32SharedBytes(256, 128, ta, tb)).isLessThanOrEqualTo(HOPPER_SHARED);
                assertThat(PipelinedGemmPlan.tf32SharedBytes(ta, tb)).isLessThanOrEqualTo(HOPPER_SHARED);
                // Two 128-tile blocks per SM (228 KiB of shared memory on sm_80 and sm_90).
                assertThat(2 * PipelinedGemmPlan.fp32SharedBytes(128, 128, ta, tb)).isLessThanOrEqualTo(163 * 1024);
            }
        }
    }

    @Test
    void partialRowsAre16ByteAligned() {
        assertThat(PipelinedGemmPlan.partialLd(61)).isEqualTo(64);
        assertThat(PipelinedGemmPlan.partialLd(64)).isEqualTo(64);
        assertThat(PipelinedGemmPlan.partialLd(1)).isEqualTo(4);
    }

    @Test
    void everyVariantIsAKernel() {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                String t = (ta ? "t" : "n") + (tb ? "t" : "n");
                assertThat(Kernel.sgemmPipelined(256, ta, tb).symbol()).isEqualTo("sgemm_p256_" + t);
                assertThat(Kernel.sgemmPipelined(128, ta, tb).symbol()).isEqualTo("sgemm_p128_" + t);
                assertThat(Kernel.sgemmPipelined(64, ta, tb).symbol()).isEqualTo("sgemm_p64_" + t);
                assertThat(Kernel.sgemmTf32(ta, tb).symbol()).isEqualTo("sgemm_tf32_" + t);
            }
        }
    }

    @Test
    void badExtentsAreRefused() {
        assertThatThrownBy(() -> PipelinedGemmPlan.of(0, 4, 4, false, false, PipelinedGemmPlan.Variant.AUTO, true,
                H100_SMS)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("m=0");
    }
}
