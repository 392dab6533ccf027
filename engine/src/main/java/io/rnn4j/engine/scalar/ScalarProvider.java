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

    @Override
    public Backend create(int index) {
        return new ScalarBackend();
    }
}
