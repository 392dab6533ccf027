package io.rnn4j.layers.examples;

import static io.rnn4j.layers.keras.Keras3151.npyValues;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.keras.Keras3151;
import java.io.IOException;

/**
 * The {@code apig_<name>.npy} arrays that keras3151/make_api_guides.py writes for the ports of keras-io's
 * functional API, Sequential model and saving guides.
 */
final class ApiGuideFixtures {
    private ApiGuideFixtures() {
    }

    /** The tensor Keras was given or computed, {@code apig_<name>.npy}. */
    static Tensor npy(String name) throws IOException {
        return Keras3151.npy("apig_" + name + ".npy");
    }

    /** Keras's values of {@code apig_<name>.npy}, to compare with. */
    static double[] want(String name) throws IOException {
        return npyValues("apig_" + name + ".npy");
    }
}
