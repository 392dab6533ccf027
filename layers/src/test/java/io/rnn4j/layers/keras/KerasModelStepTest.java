package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Concatenate;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.model.StepRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KerasModel#stepRunner()}: a model loaded from a Keras file steps, one id at a time, to
 * what its predict gives bit for bit — Keras 3's own Embedding → SimpleRNN → Dense file (also with
 * its config edited to mask_zero, the padding then masked), and .keras files rnn4j wrote of a
 * Sequential and of a functional chain; a functional graph that is not a chain is refused naming
 * the layer. Seed 79.
 */
class KerasModelStepTest {
    private static final long SEED = 79;
    private static final String NEWS = "keras3-fakenews-embedding-simplernn/";

    /** Steps row {@code row} of {@code x} (batch, T) through a fresh runner; the output of every step. */
    private static float[][] stepRow(StepRunner s, float[] x, int steps, int row) {
        s.reset();
        float[][] out = new float[steps][s.outputSize()];
        for (int t = 0; t < steps; t++) {
            s.step(new float[] {x[row * steps + t]}, out[t]);
        }
        return out;
    }

    @Test
    void kerasOwnEmbeddingFileStepsToItsPredictionAndTheReference() throws IOException {
        KerasModel m = Models.load(Fixtures.file(NEWS + "simple_rnn_model.keras"));
        Tensor x = Npy.read(Fixtures.file(NEWS + "x.npy")).tensor();
        double[] ref = Npy.read(Fixtures.file(NEWS + "y_ref.npy")).values();
        float[] want = m.predict(x).toArray();
        float[] xv = x.toArray();
        StepRunner s = m.stepRunner();
        for (int row = 0; row < 3; row++) {
            float[] last = stepRow(s, xv, 1000, row)[999];
            assertThat(last[0]).as("sample %d: the 1000th step against predict, bit for bit", row)
                    .isEqualTo(want[row]);
            assertThat(Math.abs(last[0] - ref[row])).as("sample %d against y_ref (bar 1e-4 + 1e-4·|ref|)", row)
                    .isLessThanOrEqualTo(1e-4 + 1e-4 * Math.abs(ref[row]));
        }
    }

    @Test
    void withMaskZeroInTheConfigThePaddingIsMaskedAsPredictMasksIt(@TempDir Path tmp) throws IOException {
        Path masked = Archives.copy(Fixtures.file(NEWS + "simple_rnn_model.keras"), tmp.resolve("masked.keras"),
                Map.of("config.json", c -> c.replace("\"mask_zero\": false", "\"mask_zero\": true")));
        KerasModel m = Models.load(masked);
        assertThat(((Embedding) m.layer("embedding_17")).maskZero()).isTrue();
        // rows 1 and 2 start with 250 and 500 zeros: masked steps, the SimpleRNN's output zeros until the text
        Tensor x = Npy.read(Fixtures.file(NEWS + "x.npy")).tensor();
        float[] want = m.predict(x).toArray();
        float[] xv = x.toArray();
        StepRunner s = m.stepRunner();
        for (int row = 1; row < 3; row++) {
            float[][] out = stepRow(s, xv, 1000, row);
            assertThat(out[999][0]).as("sample %d with its padding masked", row).isEqualTo(want[row]);
            float sigmoidOfBias = out[0][0];
            assertThat(out[row * 250 - 1][0]).as("the last padding step still gives Dense(zeros)")
                    .isEqualTo(sigmoidOfBias);
        }
    }

    @Test
    void savedSequentialAndFunctionalChainsStepAfterLoading(@TempDir Path tmp) throws IOException {
        Seeds.set(SEED);
        Sequential seq = Sequential.of(Input.shape(Input.NONE), new Embedding(12, 4).maskZero(true),
                new LSTM(5).returnSequences(true), new Dense(3, "softmax"));
        Input in = Input.shape(Input.NONE);
        SymbolicTensor h = new GRU(4).returnSequences(true).apply(new Embedding(12, 3).apply(in));
        Model chain = Model.of(in, new Dense(2).apply(h));
        Models.save(seq, tmp.resolve("seq.keras"));
        Models.save(chain, tmp.resolve("chain.keras"));
        float[] ids = {3, 0, 11, 7, 0, 0, 1};
        Tensor x = Tensor.of(ids, 1, ids.length);
        for (String file : new String[] {"seq.keras", "chain.keras"}) {
            KerasModel back = Models.load(tmp.resolve(file));
            float[] want = back.predict(x).toArray();
            float[][] stepped = stepRow(back.stepRunner(), ids, ids.length, 0);
            int n = stepped[0].length;
            for (int t = 0; t < ids.length; t++) {
                assertThat(stepped[t]).as("%s step %d against predict, bit for bit", file, t)
                        .isEqualTo(Arrays.copyOfRange(want, t * n, (t + 1) * n));
            }
        }
    }

    @Test
    void aLoadedFunctionalGraphThatIsNotAChainIsRefusedNamingTheLayer(@TempDir Path tmp) throws IOException {
        Seeds.set(SEED + 1);
        Input in = Input.shape(Input.NONE);
        SymbolicTensor e = new Embedding(6, 3).apply(in);
        SymbolicTensor both = new Concatenate().named("cat").apply(new LSTM(2).returnSequences(true).apply(e),
                new GRU(2).returnSequences(true).apply(e));
        Models.save(Model.of(in, new Dense(1).apply(both)), tmp.resolve("branches.keras"));
        KerasModel back = Models.load(tmp.resolve("branches.keras"));
        assertThat(back.isSequential()).isFalse();
        assertThatThrownBy(back::stepRunner).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'cat' (Concatenate) is applied to 2 tensors")
                .hasMessageContaining("not a plain chain");
    }
}
