package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The keras3151/ fixtures that Keras 3.15.1 wrote, and the bar the tests hold rnn4j's outputs to. */
final class Keras3151 {
    private Keras3151() {
    }

    /** A file of the keras3151/ test resources. */
    static Path resource(String name) {
        try {
            return Path.of(Keras3151.class.getResource("keras3151/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** rnn4j's outputs against Keras's, each within 1e-5 + 1e-5·|y|. */
    static void assertClose(String what, float[] y, double[] want) {
        assertThat(y).as("%s: output size", what).hasSize(want.length);
        for (int i = 0; i < y.length; i++) {
            assertThat(Math.abs(y[i] - want[i]))
                    .as("%s output %d: rnn4j %s, Keras 3.15.1 %s (bar 1e-5 + 1e-5·|y|)", what, i, y[i], want[i])
                    .isLessThanOrEqualTo(1e-5 + 1e-5 * Math.abs(want[i]));
        }
    }
}
