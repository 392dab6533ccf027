package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights files rnn4j wrote before {@code .weights.h5} (header RNN4JWTS) still load with
 * loadWeights: {@code rnn4j-weights-v1/lstm_dense.bin}, written by the old WeightsFile.save (see
 * its README), gives back the values it was written with, into a Sequential and into a functional
 * model of the same weights; a truncated or corrupt copy, one of a newer format version, or one
 * that does not fit the model is refused naming what is wrong, and the model is left unchanged.
 */
class Rnn4jWeightsFileTest {
    @TempDir
    Path tmp;

    private static Path file() throws URISyntaxException {
        return Path.of(Rnn4jWeightsFileTest.class.getResource("rnn4j-weights-v1/lstm_dense.bin").toURI());
    }

    private static Sequential model(int units) {
        return Sequential.of(Input.shape(3, 2), new LSTM(units).returnSequences(true), new Dense(2));
    }

    /** The README's values: element j of weight k is (k + 1)/8 - j/32 · (j even ? 1 : -1), exact in float32. */
    private static float expected(int k, int j) {
        return (float) ((k + 1) * 0.125 - j * 0.03125 * (j % 2 == 0 ? 1 : -1));
    }

    private static void assertReadmeValues(List<Tensor> weights) {
        assertThat(weights).extracting(t -> Arrays.toString(t.shape().dims()))
                .containsExactly("[2, 12]", "[3, 12]", "[12]", "[3, 2]", "[2]");
        for (int k = 0; k < weights.size(); k++) {
            float[] v = weights.get(k).toArray();
            for (int j = 0; j < v.length; j++) {
                assertThat(v[j]).as("weight %d element %d", k, j).isEqualTo(expected(k, j));
            }
        }
    }

    @Test
    void anOldRnn4jFileLoadsIntoASequentialAndAFunctionalModel() throws Exception {
        Seeds.set(301);
        Sequential s = model(3);
        s.loadWeights(file());
        assertReadmeValues(s.getWeights());

        Input in = Input.shape(3, 2);
        SymbolicTensor h = new LSTM(3).returnSequences(true).apply(in);
        Model f = Model.of(in, new Dense(2).apply(h));
        f.loadWeights(file());
        assertReadmeValues(f.getWeights());
        Tensor x = Tensor.of(new float[] {0.5f, -1f, 0.25f, 2f, -0.75f, 1.5f}, 1, 3, 2);
        assertThat(f.predict(x).toArray()).isEqualTo(s.predict(x).toArray());
    }

    @Test
    void badCopiesAndModelsItDoesNotFitAreRefusedLeavingTheModelUnchanged() throws Exception {
        Seeds.set(302);
        byte[] good = Files.readAllBytes(file());
        Sequential target = model(3);
        List<Tensor> before = target.getWeights();
        Path copy = tmp.resolve("old.bin");

        Files.write(copy, Arrays.copyOf(good, good.length - 13));
        assertThatThrownBy(() -> target.loadWeights(copy)).isInstanceOf(KerasFileException.class)
                .hasMessageStartingWith(copy + ": rnn4j weights file: truncated or corrupt");
        Files.write(copy, Arrays.copyOf(good, 10));
        assertThatThrownBy(() -> target.loadWeights(copy)).hasMessageContaining("truncated (10 bytes)");
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 1;
        Files.write(copy, flipped);
        assertThatThrownBy(() -> target.loadWeights(copy)).hasMessageContaining("checksum mismatch");
        byte[] newer = good.clone();
        ByteBuffer.wrap(newer).putInt(8, 2);
        Files.write(copy, newer);
        assertThatThrownBy(() -> target.loadWeights(copy)).hasMessageContaining("format version 2")
                .hasMessageContaining("written by a newer rnn4j");
        assertThatThrownBy(() -> model(4).loadWeights(file())).isInstanceOf(KerasFileException.class)
                .hasMessageContaining("weight 0 ('lstm/kernel' in the file) has shape [2, 12], but the model's")
                .hasMessageContaining("(a model of another architecture?)");
        Sequential lstmOnly = Sequential.of(Input.shape(3, 2), new LSTM(3));
        assertThatThrownBy(() -> lstmOnly.loadWeights(file())).hasMessageContaining("it holds 5 weights, the model "
                + "has 3");
        for (int i = 0; i < before.size(); i++) {
            assertThat(target.getWeights().get(i).toArray()).isEqualTo(before.get(i).toArray());
        }
    }
}
