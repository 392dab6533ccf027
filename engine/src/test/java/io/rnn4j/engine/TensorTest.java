package io.rnn4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.scalar.ScalarBackend;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Tensor views: reshape, narrow, slice and timeStep share storage where they say so, at the right
 * offsets (also views of views), and refuse impossible requests with messages that name the shape;
 * element access, moving between devices, copies and closing.
 */
class TensorTest {
    private static final Device D = Devices.get("scalar");

    /** A tensor holding 0, 1, 2, … in row-major order, so every element names its own flat index. */
    private static Tensor iota(int... dims) {
        Tensor t = D.zeros(dims);
        float[] v = new float[(int) t.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        D.write(v, t);
        return t;
    }

    @Test
    void reshapeIsAViewInAnyShapeOfTheSameSize() {
        Tensor t = iota(2, 3, 4);
        Tensor r = t.reshape(4, -1);
        assertThat(r.shape()).isEqualTo(Shape.of(4, 6));
        assertThat(r.storage()).isSameAs(t.storage());
        assertThat(r.toArray()).containsExactly(t.toArray());
        assertThat(t.reshape(-1).shape()).isEqualTo(Shape.of(24));
        assertThat(t.reshape(2, -1, 3).shape()).isEqualTo(Shape.of(2, 4, 3));
        assertThat(iota(1).reshape().shape()).isEqualTo(Shape.of());
        D.fill(r.narrow(3, 1), -1f);
        assertThat(t.get(1, 2, 3)).as("a write through the reshaped view").isEqualTo(-1f);
        assertThat(D.zeros(0, 3).reshape(3, 0, 5).size()).isZero();
    }

    @Test
    void reshapeOfAViewKeepsItsOffset() {
        Tensor rows = iota(4, 6).narrow(1, 2);
        assertThat(rows.reshape(3, 4).toArray()).containsExactly(6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17);
    }

    @Test
    void reshapeRefusesImpossibleShapes() {
        Tensor t = iota(2, 3);
        assertThatThrownBy(() -> t.reshape(4, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("reshape", "(2, 3)", "6 elements", "[4, 2]");
        assertThatThrownBy(() -> t.reshape(-1, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("at most one dimension may be -1", "[-1, -1]");
        assertThatThrownBy(() -> t.reshape(-2, -3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll(">= 0 (or one -1)", "[-2, -3]");
        assertThatThrownBy(() -> t.reshape(4, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("cannot view shape (2, 3)", "[4, -1]");
        assertThatThrownBy(() -> D.zeros(0, 3).reshape(0, -1)).as("a -1 next to a 0 could be anything")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, -1]");
        assertThatThrownBy(() -> t.reshape(1 << 30, 1 << 30, 1 << 30)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot view shape (2, 3)");
        assertThatThrownBy(() -> t.reshape((int[]) null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void narrowAndSliceAreViewsAtTheRightOffsets() {
        Tensor t = iota(5, 2, 3);
        Tensor mid = t.narrow(1, 3);
        assertThat(mid.shape()).isEqualTo(Shape.of(3, 2, 3));
        assertThat(mid.offset()).isEqualTo(6);
        Tensor inner = mid.narrow(1, 1);
        assertThat(inner.offset()).as("narrow of a narrow adds the offsets").isEqualTo(12);
        assertThat(inner.toArray()).containsExactly(12, 13, 14, 15, 16, 17);
        assertThat(t.narrow(5, 0).size()).as("an empty narrow at the end").isZero();
        Tensor row = t.slice(4);
        assertThat(row.shape()).isEqualTo(Shape.of(2, 3));
        assertThat(row.toArray()).containsExactly(24, 25, 26, 27, 28, 29);
        assertThat(row.slice(1).slice(2).item()).as("slices down to rank 0").isEqualTo(29f);
        D.fill(mid.slice(0), 0.5f);
        assertThat(t.get(1, 1, 2)).as("a write through a slice of a narrow").isEqualTo(0.5f);
        assertThat(t.get(2, 0, 0)).isEqualTo(12f);
    }

    @Test
    void narrowAndSliceRefuseRowsOutsideTheAxis() {
        Tensor t = iota(4, 2);
        assertThatThrownBy(() -> t.narrow(3, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("narrow", "[3, 5)", "[0, 4)", "(4, 2)");
        assertThatThrownBy(() -> t.narrow(-1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[-1, 0)");
        assertThatThrownBy(() -> t.narrow(0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.narrow(2, Integer.MAX_VALUE)).as("start + length overflowing int")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 2147483649)");
        assertThatThrownBy(() -> iota(1).reshape().narrow(0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("rank >= 1", "()");
        assertThatThrownBy(() -> t.slice(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("slice", "[0, 4)", "got 4");
    }

    @Test
    void timeStepOfABatchOfOneIsAView() {
        Tensor seq = iota(3, 4, 5).narrow(1, 1); // batch 1, starting at element 20
        for (int t = 0; t < 4; t++) {
            Tensor step = seq.timeStep(t);
            assertThat(step.shape()).isEqualTo(Shape.of(1, 5));
            assertThat(step.storage()).isSameAs(seq.storage());
            float first = 20 + 5 * t;
            assertThat(step.toArray()).containsExactly(first, first + 1, first + 2, first + 3, first + 4);
        }
        D.fill(seq.timeStep(2), -1f);
        assertThat(seq.get(0, 2, 4)).as("a write through the step view").isEqualTo(-1f);
    }

    @Test
    void timeStepOfABatchIsACopyOfEachRowsStep() {
        int b = 3;
        int steps = 4;
        int f = 5;
        Tensor seq = iota(b + 1, steps, f).narrow(1, b); // a view: offsets must be honoured
        for (int t = 0; t < steps; t++) {
            Tensor step = seq.timeStep(t);
            assertThat(step.shape()).isEqualTo(Shape.of(b, f));
            float[] got = step.toArray();
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < f; j++) {
                    assertThat(got[i * f + j]).as("step %d, batch row %d, feature %d", t, i, j)
                            .isEqualTo((float) (((i + 1) * steps + t) * f + j));
                }
            }
            assertThat(step.storage()).as("a copy").isNotSameAs(seq.storage());
        }
        D.fill(seq.timeStep(0), -1f);
        assertThat(seq.get(0, 0, 0)).as("writes to the copy do not reach the sequence").isEqualTo(20f);
    }

    @Test
    void timeStepRefusesOtherRanksAndSteps() {
        assertThatThrownBy(() -> iota(2, 3).timeStep(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("timeStep", "(batch, timesteps, features)", "(2, 3)");
        assertThatThrownBy(() -> iota(2, 3, 4).timeStep(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("step must be in [0, 3)", "(2, 3, 4)", "got 3");
        assertThatThrownBy(() -> iota(1, 3, 4).timeStep(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got -1");
    }

    @Test
    void elementAccess() {
        Tensor t = iota(2, 3);
        assertThat(t.get(1, 2)).isEqualTo(5f);
        assertThatThrownBy(() -> t.get(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("expected 2 indices", "(2, 3)", "[1]");
        assertThatThrownBy(() -> t.get(2, 0)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("[2, 0]");
        assertThat(iota(1, 1).item()).isEqualTo(0f);
        assertThatThrownBy(t::item).isInstanceOf(IllegalStateException.class).hasMessageContaining("(2, 3)");
        assertThat(t.rank()).isEqualTo(2);
        assertThat(t.dim(-1)).isEqualTo(3);
        assertThat(t.size()).isEqualTo(6);
    }

    @Test
    void toCopiesAcrossDevicesAndCopyIsIndependent() {
        Device other = Devices.wrap(new ScalarBackend());
        Tensor t = iota(2, 3);
        assertThat(t.to(D)).isSameAs(t);
        Tensor there = t.narrow(1, 1).to(other);
        assertThat(there.device()).isSameAs(other);
        assertThat(there.toArray()).containsExactly(3, 4, 5);
        assertThatThrownBy(() -> t.to(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target must be a device");
        Tensor c = t.copy();
        D.fill(c, 9f);
        assertThat(t.toArray()).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void factoriesUseTheDefaultDevice() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        assertThat(t.device()).isSameAs(Devices.defaultDevice());
        assertThat(t.toArray()).containsExactly(1, 2, 3, 4);
        assertThat(Tensor.zeros(3).toArray()).containsExactly(0, 0, 0);
        assertThatThrownBy(() -> Tensor.of(new float[3], 2, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("(2, 2) needs 4 values", "got 3");
    }

    @Test
    void toStringShowsShapeDeviceAndTheFirstElements() {
        assertThat(iota(2, 2)).hasToString("Tensor(2, 2) on scalar [0.0, 1.0, 2.0, 3.0]");
        assertThat(iota(10).toString()).startsWith("Tensor(10,) on scalar [0.0, 1.0").endsWith("7.0, ...]");
    }

    @Test
    void closingTheOwnerFreesTheStorageAndClosingAViewDoesNot() {
        Tensor t = iota(4);
        AtomicInteger computed = new AtomicInteger();
        t.storage().derived("k", computed::incrementAndGet);
        t.narrow(0, 2).close();
        t.storage().derived("k", computed::incrementAndGet);
        assertThat(computed).as("a view's close leaves the storage (and its caches) alone").hasValue(1);
        t.close();
        t.storage().derived("k", computed::incrementAndGet);
        assertThat(computed).as("the owner's close frees the storage's caches").hasValue(2);
    }

    @Test
    void aWriteMakesTheDerivedValueStaleAndItsRefreshIsGivenTheOldOne() {
        Tensor t = iota(4);
        java.util.List<Object> given = new java.util.ArrayList<>();
        Object first = t.storage().derivedFrom("k", old -> {
            given.add(String.valueOf(old));
            return "v0";
        });
        Object again = t.storage().derivedFrom("k", old -> "never");
        t.storage().markWritten();
        Object after = t.storage().derivedFrom("k", old -> {
            given.add(String.valueOf(old));
            return "v1";
        });
        assertThat(List.of(first, again, after)).as("cached until the write, then refreshed").containsExactly("v0",
                "v0", "v1");
        assertThat(given).as("what refresh was given: nothing, then the stale value").containsExactly("null", "v0");
    }
}
