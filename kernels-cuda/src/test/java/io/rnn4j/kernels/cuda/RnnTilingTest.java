package io.rnn4j.kernels.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.RnnCase;
import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Sequence-kernel launch shapes and the workspace layout. Runs anywhere. */
class RnnTilingTest {
    private static final int H100_SMS = 132;
    private static final int HOPPER_SHARED = 232_448;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 8, 9, 64, 1000})
    void stepGridsCoverEveryRowAndUnitWithinDefaultSharedMemory(int batch) {
        for (int units : new int[] {1, 31, 32, 33, 256, 1000}) {
            Dim3 block = RnnTiling.stepBlock(batch);
            Dim3 grid = RnnTiling.stepGrid(batch, units);
            assertThat((long) grid.x() * block.x()).isGreaterThanOrEqualTo(units);
            assertThat((long) grid.y() * block.y()).isGreaterThanOrEqualTo(batch);
            assertThat(block.volume()).isLessThanOrEqualTo(256);
            for (int gates = 1; gates <= 4; gates++) {
                assertThat(RnnTiling.forwardStepSharedBytes(block, gates)).isLessThanOrEqualTo(48 * 1024);
            }
            assertThat(RnnTiling.backwardStepSharedBytes(block)).isLessThanOrEqualTo(48 * 1024);
        }
    }

    @ParameterizedTest
    @EnumSource(value = RnnCase.class, names = {"S1", "L1", "L2", "G1", "G2", "L3", "G3", "S3"})
    void theFixedCasesFitThePersistentKernelOnHopper(RnnCase c) {
        String[] why = new String[1];
        RnnTiling.PersistentPlan plan = RnnTiling.persistentPlan(c.spec(), c.batch, H100_SMS, HOPPER_SHARED, why);
        assertThat(plan).as("plan for %s (%s)", c, why[0]).isNotNull();
        assertThat((long) plan.groups() * plan.rowsPerGroup()).isGreaterThanOrEqualTo(c.batch);
        assertThat((long) (plan.groups() - 1) * plan.rowsPerGroup()).isLessThan(c.batch);
        assertThat(plan.threads()).isBetween(32, RnnTiling.PERSIST_MAX_THREADS);
        assertThat(plan.threads() % 32).isZero();
        assertThat(plan.sharedBytes()).isLessThanOrEqualTo(HOPPER_SHARED);
        assertThat(plan.grid().x()).isEqualTo(plan.groups() * RnnTiling.PERSIST_CLUSTER);
        // Every (column group, k slice) pair has a thread.
        int unitsPerBlock = (c.units + 7) / 8;
        int groups = (c.cell.gates() * unitsPerBlock + 3) / 4;
        assertThat(groups * plan.slicesPow2()).isLessThanOrEqualTo(plan.threads());
        assertThat(plan.slicesPow2() * RnnTiling.PERSIST_K).isGreaterThanOrEqualTo(c.units);
    }

    @ParameterizedTest
    @EnumSource(value = RnnCase.class, names = {"S1", "L1", "L2", "G1", "G2", "L3", "G3", "S3"})
    void theFixedCasesFitTheFusedPersistentKernelWithAGroupPerUnit(RnnCase c) {
        String[] why = new String[1];
        RnnTiling.PersistentPlan plan = RnnTiling.persistentPlan(c.spec(), c.batch, H100_SMS, HOPPER_SHARED, true,
                why);
        assertThat(plan).as("fused plan for %s (%s)", c, why[0]).isNotNull();
        int unitsPerBlock = (c.units + 7) / 8;
        assertThat(unitsPerBlock * plan.slicesPow2()).isLessThanOrEqualTo(plan.threads());
        assertThat(plan.threads() - unitsPerBlock * plan.slicesPow2()).isLessThan(32);
        assertThat(plan.sharedBytes()).isEqualTo(4 * (int) RnnTiling.fusedSharedFloats(plan.rowsPerGroup(),
                c.units, c.cell.gates(), plan.slicesPow2()));
        assertThat(plan.grid().x()).isEqualTo(8 * plan.groups());
        assertThat(plan.kernel()).isEqualTo(RnnSequence.Persistent.FUSED);
        // One row per cluster for the latency cases (where the fused kernel is chosen), four for batch 64.
        assertThat(plan.rowsPerGroup()).isEqualTo(c.batch == 1 ? 1 : 4);
    }

    @Test
    void smallBatchesRunOneWarpPerUnit() {
        assertThat(RnnTiling.stepUsesWarps(1)).isTrue();
        assertThat(RnnTiling.stepUsesWarps(8)).isTrue();
        assertThat(RnnTiling.stepUsesWarps(9)).isFalse();
        assertThat(RnnTiling.warpGrid(129).x() * RnnTiling.warpBlock().y()).isGreaterThanOrEqualTo(129);
        assertThat(RnnTiling.warpBlock().x()).isEqualTo(32);
    }

    @Test
    void theSgemmBackwardTakesTiledBatchesWithoutDropoutOrGruResetBefore() {
        RnnSpec lstm = RnnSpec.of(RnnCell.LSTM, 64, 256);
        assertThat(RnnSequence.gemmBackwardFits(lstm, 64, false)).as("L4's shape").isTrue();
        assertThat(RnnSequence.gemmBackwardFits(RnnSpec.of(RnnCell.GRU, 64, 256), 64, false)).as("G4's shape")
                .isTrue();
        assertThat(RnnSequence.gemmBackwardFits(RnnSpec.of(RnnCell.SIMPLE, 5, 7), 9, false)).isTrue();
        assertThat(RnnSequence.gemmBackwardFits(lstm, RnnTiling.STEP_WARP_MAX_BATCH, false))
                .as("a batch the warp-per-unit kernels take").isFalse();
        assertThat(RnnSequence.gemmBackwardFits(lstm, 64, true)).as("recurrent dropout").isFalse();
        assertThat(RnnSequence.gemmBackwardFits(RnnSpec.of(RnnCell.GRU, 64, 256).withResetAfter(false), 64, false))
                .as("GRU with reset_before").isFalse();
    }

    @Test
    void anLstmOf256UnitsUsesAll512ThreadsOfACluster() {
        RnnTiling.PersistentPlan plan = RnnTiling.persistentPlan(RnnCase.L2.spec(), 1, H100_SMS, HOPPER_SHARED, null);
        assertThat(plan.threads()).isEqualTo(512);
        assertThat(plan.groups()).isEqualTo(1);
        assertThat(plan.slicesPow2()).isEqualTo(16);
    }

    @Test
    void shapesThatDoNotFitFallBackToPerStepKernelsWithAReason() {
        String[] why = new String[1];
        assertThat(RnnTiling.persistentPlan(RnnSpec.of(RnnCell.GRU, 8, 64).withResetAfter(false), 1, H100_SMS,
                HOPPER_SHARED, why)).isNull();
        assertThat(why[0]).contains("reset_after=false");
        assertThat(RnnTiling.persistentPlan(RnnSpec.of(RnnCell.LSTM, 8, 512), 1, H100_SMS, HOPPER_SHARED, why))
                .isNull();
        assertThat(why[0]).contains("registers");
        assertThat(RnnTiling.persistentPlan(RnnSpec.of(RnnCell.SIMPLE, 8, 600), 1, H100_SMS, HOPPER_SHARED, why))
                .isNull();
        assertThat(why[0]).contains("units 600");
        assertThat(RnnTiling.persistentPlan(RnnSpec.of(RnnCell.LSTM, 8, 128), 4096, H100_SMS, HOPPER_SHARED, why))
                .isNull();
        assertThat(why[0]).contains("rows per cluster");
        assertThat(RnnTiling.persistentPlan(RnnSpec.of(RnnCell.LSTM, 8, 256), 256, H100_SMS, 48 * 1024, why))
                .isNull();
        assertThat(why[0]).contains("shared memory");
    }

    @ParameterizedTest
    @EnumSource(value = RnnCase.class, names = {"S1", "L1", "G1"})
    void theBatchOneCasesOf128UnitsFitOneSmWithAGroupPerUnit(RnnCase c) {
        String[] why = new String[1];
        RnnTiling.PersistentPlan plan = RnnTiling.blockPlan(c.spec(), c.batch, H100_SMS, HOPPER_SHARED, why);
        assertThat(plan).as("one-SM plan for %s (%s)", c, why[0]).isNotNull();
        assertThat(plan.kernel()).isEqualTo(RnnSequence.Persistent.BLOCK);
        assertThat(plan.grid().x()).isEqualTo(c.batch);
        int kValues = RnnTiling.blockKValues(c.cell);
        assertThat(plan.slicesPow2() * kValues).isGreaterThanOrEqualTo(c.units);
        assertThat((plan.slicesPow2() / 2) * kValues).isLessThan(c.units);
        assertThat(plan.threads()).isEqualTo(c.units * plan.slicesPow2())
                .isLessThanOrEqualTo(RnnTiling.blockMaxThreads(c.cell));
        assertThat(plan.sharedBytes()).isEqualTo(4 * (int) RnnTiling.blockSharedFloats(c.cell, c.units,
                plan.threads(), plan.slicesPow2()));
        // 512 threads of an LSTM keep 16 of their 32 k values x 4 gates in registers: 128 KB of U in shared memory.
        if (c.cell == RnnCell.LSTM) {
            assertThat(plan.sharedBytes()).isBetween(128 * 1024, 150 * 1024);
        }
    }

    @Test
    void theOneSmKernelRefusesWhatDoesNotFitOneSmWithAReason() {
        String[] why = new String[1];
        assertThat(RnnTiling.blockPlan(RnnSpec.of(RnnCell.LSTM, 8, 129), 1, H100_SMS, HOPPER_SHARED, why)).isNull();
        assertThat(why[0]).contains("units 129").contains("512");
        assertThat(RnnTiling.blockPlan(RnnSpec.of(RnnCell.GRU, 8, 64), H100_SMS + 1, H100_SMS, HOPPER_SHARED, why))
                .isNull();
        assertThat(why[0]).contains("batch 133 > 132 SMs");
        assertThat(RnnTiling.blockPlan(RnnSpec.of(RnnCell.GRU, 8, 64).withResetAfter(false), 1, H100_SMS,
                HOPPER_SHARED, why)).isNull();
        assertThat(why[0]).contains("reset_after=false");
        // An A100's 163 KB take the LSTM of 128 units; a 100 KB budget does not.
        assertThat(RnnTiling.blockPlan(RnnCase.L1.spec(), 1, 108, 166_912, why)).isNotNull();
        assertThat(RnnTiling.blockPlan(RnnCase.L1.spec(), 1, 108, 100 * 1024, why)).isNull();
        assertThat(why[0]).contains("shared memory");
        assertThat(RnnTiling.blockPlan(RnnSpec.of(RnnCell.SIMPLE, 8, 128), 1, H100_SMS, HOPPER_SHARED, why).threads())
                .isEqualTo(1024);
    }

    @Test
    void thePersistentKernelPropertyTakesItsFourValuesAndRefusesOthersByName() {
        assertThat(RnnSequence.Persistent.parse("auto")).isEqualTo(RnnSequence.Persistent.AUTO);
        assertThat(RnnSequence.Persistent.parse(" Block ")).isEqualTo(RnnSequence.Persistent.BLOCK);
        assertThat(RnnSequence.Persistent.parse("FUSED")).isEqualTo(RnnSequence.Persistent.FUSED);
        assertThat(RnnSequence.Persistent.parse("staged")).isEqualTo(RnnSequence.Persistent.STAGED);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RnnSequence.Persistent.parse("fusd"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rnn4j.cuda.persistentKernel: expected auto, block, fused or staged, got 'fusd'");
    }

    @Test
    void theBackendsSwitchPropertiesTakeTrueOrFalseAndRefuseOthersByName() {
        String name = "rnn4j.cuda.test.switch";
        try {
            System.clearProperty(name);
            assertThat(CudaBackend.booleanProperty(name, true)).isTrue();
            System.setProperty(name, " FALSE ");
            assertThat(CudaBackend.booleanProperty(name, true)).isFalse();
            System.setProperty(name, "True");
            assertThat(CudaBackend.booleanProperty(name, false)).isTrue();
            System.setProperty(name, "no");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> CudaBackend.booleanProperty(name, true))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(name + ": expected true or false, got 'no'");
        } finally {
            System.clearProperty(name);
        }
    }

    @Test
    void workspaceSectionsAreDisjointAndSizedPerCell() {
        int b = 3;
        int t = 5;
        int h = 7;
        RnnWorkspace lstm = RnnWorkspace.of(RnnSpec.of(RnnCell.LSTM, 2, h), b, t);
        assertThat(lstm.size()).isEqualTo((long) b * t * 7 * h);
        assertThat(lstm.aux()).isEqualTo(RnnWorkspace.NONE);
        assertThat(lstm.cprev()).isEqualTo((long) b * t * 6 * h);
        RnnWorkspace gru = RnnWorkspace.of(RnnSpec.of(RnnCell.GRU, 2, h), b, t);
        assertThat(gru.size()).isEqualTo((long) b * t * 6 * h);
        assertThat(gru.cprev()).isEqualTo(RnnWorkspace.NONE);
        assertThat(new long[] {gru.z(), gru.aux(), gru.hin(), gru.hprev()})
                .containsExactly(0, (long) b * t * 3 * h, (long) b * t * 4 * h, (long) b * t * 5 * h);
        RnnWorkspace simple = RnnWorkspace.of(RnnSpec.of(RnnCell.SIMPLE, 2, h), b, t);
        assertThat(simple.size()).isEqualTo((long) b * t * 3 * h);
    }

    @Test
    void argumentStructsHaveTheKernelsFieldCounts() {
        RnnSpec spec = RnnSpec.of(RnnCell.LSTM, 3, 4);
        long[] f = RnnArgs.forward(spec, 2, 5, 1, 2, 3, 4, 5, 6, 7, 8, RnnArgs.WorkspaceAddresses.NONE);
        assertThat(f).hasSize(RnnArgs.FORWARD_FIELDS);
        assertThat(f[13]).as("B").isEqualTo(2);
        assertThat(f[14]).as("T").isEqualTo(5);
        assertThat(f[15]).as("H").isEqualTo(4);
        assertThat(f[16]).as("act = tanh").isEqualTo(1);
        assertThat(f[17]).as("ract = sigmoid").isEqualTo(2);
        long[] bw = RnnArgs.backward(spec, 2, 5, 1, 2, 3, 4, RnnArgs.WorkspaceAddresses.NONE, 5, 6, 7, 8, 9);
        assertThat(bw).hasSize(RnnArgs.BACKWARD_FIELDS);
        assertThat(bw[14]).as("B").isEqualTo(2);
        long[] p = RnnArgs.persistent(f, 11, 12, 13, 14, 4, 16);
        assertThat(p).hasSize(RnnArgs.PERSISTENT_FIELDS);
        assertThat(p[RnnArgs.FORWARD_FIELDS + 5]).isEqualTo(16);
    }
}
