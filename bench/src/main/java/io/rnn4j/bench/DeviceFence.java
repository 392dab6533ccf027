package io.rnn4j.bench;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;

/**
 * Waits until a device has finished writing a tensor, so that a benchmark times the work and not
 * just its launch. The CPU backends finish each op before returning; a GPU backend may only queue
 * it, and the engine's API has no explicit synchronize, so the fence reads one element back (a
 * blocking device-to-host copy of 4 bytes: a few microseconds, counted in the GPU's time).
 */
final class DeviceFence {
    private final Device device;
    private final boolean async;
    private final float[] one = new float[1];

    DeviceFence(Device device) {
        this.device = device;
        String name = device.name();
        this.async = !(name.equals("scalar") || name.equals("simd"));
    }

    /** Returns {@code t} once the device has written it. */
    Tensor await(Tensor t) {
        if (async && t.size() > 0) {
            device.backend().read(t.storage(), t.offset(), one, 0, 1);
        }
        return t;
    }
}
