package io.rnn4j.kernels.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import jcuda.Pointer;

/**
 * A kernel's parameters, written into one reused direct buffer (the driver copies them at launch,
 * so the buffer is free again when the launch returns): no Java array is pinned per argument.
 * Every value sits at an offset aligned to its size; structs are passed as 8-byte fields.
 */
final class KernelArgs {
    private static final int CAPACITY = 4096;
    private static final int MAX_ARGS = 32;

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(CAPACITY).order(ByteOrder.nativeOrder());
    private final Pointer base = Pointer.to(buffer);
    private final Pointer[] slots = new Pointer[MAX_ARGS];
    private int count;
    private int offset;

    /** Starts a new parameter list. */
    KernelArgs reset() {
        count = 0;
        offset = 0;
        return this;
    }

    private int slot(int size) {
        int at = (offset + size - 1) / size * size;
        if (at + size > CAPACITY || count == MAX_ARGS) {
            throw new IllegalStateException("kernel parameters exceed " + CAPACITY + " bytes or " + MAX_ARGS
                    + " arguments");
        }
        slots[count++] = base.withByteOffset(at);
        offset = at + size;
        return at;
    }

    /** A device address (a {@code float*}; 0 is a null pointer). */
    KernelArgs ptr(long address) {
        buffer.putLong(slot(8), address);
        return this;
    }

    KernelArgs i32(int v) {
        buffer.putInt(slot(4), v);
        return this;
    }

    KernelArgs i64(long v) {
        buffer.putLong(slot(8), v);
        return this;
    }

    KernelArgs f32(float v) {
        buffer.putFloat(slot(4), v);
        return this;
    }

    /** A struct passed by value whose fields are all 8 bytes (pointers, 64-bit integers). */
    KernelArgs struct(long[] fields) {
        int size = fields.length * 8;
        int at = (offset + 7) / 8 * 8;
        if (at + size > CAPACITY || count == MAX_ARGS) {
            throw new IllegalStateException("kernel parameters exceed " + CAPACITY + " bytes");
        }
        slots[count++] = base.withByteOffset(at);
        for (int i = 0; i < fields.length; i++) {
            buffer.putLong(at + 8 * i, fields[i]);
        }
        offset = at + size;
        return this;
    }

    /** The {@code void**} the driver takes. */
    Pointer params() {
        return Pointer.to(Arrays.copyOf(slots, count));
    }
}
