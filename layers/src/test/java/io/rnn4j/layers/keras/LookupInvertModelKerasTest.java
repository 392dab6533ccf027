package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * IntegerLookup(invert=True) inside Keras 3.15.1 models (keras3151/make_lookup_invert_model.py): its
 * output is numeric, so unlike an inverted StringLookup it lives in the model. rnn4j loads Keras's
 * file (a given vocabulary in the config; an adapted one as the vocabulary asset), predicts Keras's
 * outputs for ids that hit the mask, the OOV ids, every token, ids past the vocabulary and a negative,
 * and predicts them again after saving the model and loading it back.
 */
class LookupInvertModelKerasTest {
    @ParameterizedTest(name = "lookup_invert_{0}: Keras's outputs, and again after rnn4j saves it")
    @ValueSource(strings = {"given", "adapted"})
    void predictsAsKerasAndAfterSaving(String name, @TempDir Path dir) throws IOException {
        String file = "lookup_invert_" + name;
        Tensor x = Npy.read(Keras3151.resource(file + ".x.npy")).tensor();
        double[] want = Npy.read(Keras3151.resource(file + ".y.npy")).values();
        KerasModel m = Models.load(Keras3151.resource(file + ".keras"));
        Keras3151.assertClose(file, m.predict(x).toArray(), want);
        Path saved = dir.resolve(file + ".keras");
        Models.save(m, saved);
        KerasModel back = Models.load(saved);
        Keras3151.assertClose(file + " saved by rnn4j and reloaded", back.predict(x).toArray(), want);
        assertThat(SaveTest.entry(saved, "config.json")).as("the saved config keeps invert").contains("\"invert\": true");
    }
}
