package io.rnn4j.layers.keras;

import io.rnn4j.layers.Masking;
import java.lang.reflect.Field;

/**
 * Reads layer options that the layers module does not expose yet. A stopgap: it goes once the
 * layers module has {@code Masking.maskValue()} (asked of its owner).
 */
final class Introspection {
    private Introspection() {
    }

    static float maskValue(Masking m) {
        try {
            Field f = Masking.class.getDeclaredField("maskValue");
            f.setAccessible(true);
            return f.getFloat(m);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read mask_value of layer '" + m.name() + "': " + e, e);
        }
    }
}
