package io.rnn4j.engine.scalar;

import io.rnn4j.engine.spi.Backend;
import io.rnn4j.engine.spi.BackendProvider;

/** Registers the scalar backend: always available, lowest priority. */
public final class ScalarProvider implements BackendProvider {
    @Override
    public String kind() {
        return "scalar";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability probe() {
        return Availability.yes();
    }

    /** The scalar device has one instance, index 0 ("scalar" or "scalar:0"). */
    @Override
    public Backend create(int index) {
        if (index != 0) {
            throw new IllegalArgumentException("device: scalar has one device, scalar:0 (or just scalar); got scalar:"
                    + index);
        }
        return new ScalarBackend();
    }
}
