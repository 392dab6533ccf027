package io.rnn4j.cli.data;

import java.nio.ByteBuffer;

/** The numeric element types a {@code .npy} file may hold, and how each becomes float32. */
enum ElementType {
    F2(2), F4(4), F8(8), I1(1), I2(2), I4(4), I8(8), U1(1), U2(2), U4(4), U8(8), B1(1);

    /** Bytes per element. */
    final int size;

    ElementType(int size) {
        this.size = size;
    }

    /** The type for a dtype string without its byte-order character ("f4", "i8", "b1"), or null. */
    static ElementType of(String kindAndSize) {
        return switch (kindAndSize) {
            case "f2" -> F2;
            case "f4" -> F4;
            case "f8" -> F8;
            case "i1" -> I1;
            case "i2" -> I2;
            case "i4" -> I4;
            case "i8" -> I8;
            case "u1" -> U1;
            case "u2" -> U2;
            case "u4" -> U4;
            case "u8" -> U8;
            case "b1" -> B1;
            default -> null;
        };
    }

    /** Reads {@code count} elements from {@code buf} (byte order already set) as float32. */
    float[] decode(ByteBuffer buf, int count) {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = switch (this) {
                case F2 -> Float.float16ToFloat(buf.getShort());
                case F4 -> buf.getFloat();
                case F8 -> (float) buf.getDouble();
                case I1 -> buf.get();
                case I2 -> buf.getShort();
                case I4 -> buf.getInt();
                case I8 -> buf.getLong();
                case U1 -> buf.get() & 0xff;
                case U2 -> buf.getShort() & 0xffff;
                case U4 -> buf.getInt() & 0xffffffffL;
                case U8 -> unsignedLongToFloat(buf.getLong());
                case B1 -> buf.get() != 0 ? 1f : 0f;
            };
        }
        return out;
    }

    private static float unsignedLongToFloat(long v) {
        return v >= 0 ? v : (float) ((v >>> 1) * 2.0 + (v & 1));
    }
}
