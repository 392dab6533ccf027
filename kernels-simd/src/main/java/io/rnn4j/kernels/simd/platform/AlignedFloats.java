package io.rnn4j.kernels.simd.platform;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Float buffers off the heap, aligned to a cache line, for the operands kernels stream vector by
 * vector (packed weights, GEMM packing buffers).
 *
 * <p>Why: a Java array's elements start 16 bytes into an object the collector places on 8-byte
 * boundaries, so a 64-byte vector load from an array almost always straddles two cache lines. On
 * the reference machine (Xeon, AVX-512) a sum over 256 KB in L2 measured 108 GB/s from such an array
 * or an unaligned segment and 193 GB/s from a 64-byte-aligned one (1 MB: 106 against 192); over 32 KB
 * in L1, 176–190 against 263. The streaming kernels are bound by exactly those loads, so their packed
 * operands live here, where the address is fixed and aligned. Memory is freed by the collector once
 * the segment is unreachable ({@link Arena#ofAuto()}).
 */
public final class AlignedFloats {
    /** The alignment in bytes: one cache line, and one 512-bit vector. */
    public static final long ALIGNMENT = 64;
    /** The byte order of every vector load and store on these buffers. */
    public static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** One float, for scalar access. */
    public static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ORDER);

    private AlignedFloats() {
    }

    /**
     * A zeroed buffer of {@code count} floats whose first element is 64-byte aligned.
     *
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public static MemorySegment allocate(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("aligned floats: expected a count >= 0, got " + count);
        }
        return Arena.ofAuto().allocate(Math.max(1, count) * Float.BYTES, ALIGNMENT);
    }

    /** Copies {@code length} floats of {@code src} from {@code srcOff} to float index {@code dstIndex}. */
    public static void copy(float[] src, int srcOff, MemorySegment dst, long dstIndex, int length) {
        MemorySegment.copy(src, srcOff, dst, FLOAT, dstIndex * Float.BYTES, length);
    }
}
