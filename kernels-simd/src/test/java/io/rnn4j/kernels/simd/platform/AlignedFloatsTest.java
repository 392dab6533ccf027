package io.rnn4j.kernels.simd.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Aligned buffers: every one starts on a cache line, comes zeroed, and copies land where asked. */
class AlignedFloatsTest {

    @Test
    void everyBufferStartsOnA64ByteBoundaryAndIsZeroed() {
        for (long count : new long[] {0, 1, 15, 16, 17, 1000, 65_537}) {
            MemorySegment s = AlignedFloats.allocate(count);
            assertThat(s.address() % AlignedFloats.ALIGNMENT).as("address of %d floats mod 64", count).isZero();
            assertThat(s.byteSize()).as("bytes for %d floats", count).isGreaterThanOrEqualTo(count * Float.BYTES);
            for (long i = 0; i < count; i++) {
                assertThat(s.getAtIndex(AlignedFloats.FLOAT, i)).as("float %d of %d", i, count).isZero();
            }
        }
    }

    @Test
    void copyPutsTheRunAtTheFloatIndexAndNothingElse() {
        MemorySegment s = AlignedFloats.allocate(10);
        float[] src = {9f, 1f, 2f, 3f, 9f};
        AlignedFloats.copy(src, 1, s, 4, 3);
        float[] back = s.toArray(AlignedFloats.FLOAT);
        assertThat(back).startsWith(0f, 0f, 0f, 0f, 1f, 2f, 3f, 0f, 0f, 0f);
    }

    @Test
    void aNegativeCountIsRefusedNamingIt() {
        assertThatThrownBy(() -> AlignedFloats.allocate(-3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(">= 0").hasMessageContaining("-3");
    }
}
