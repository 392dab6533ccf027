package io.rnn4j.layers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.Flatten;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Masking;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SimpleRNN;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.TimeDistributed;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras's {@code Input(shape=(None, features))}: one model takes sequences of any length. The bar:
 * on every length its outputs equal (bit for bit, same weights, same kernels) those of a model
 * built for that fixed length, and a decoder run one step at a time from a model sharing the
 * trained layers (Keras's seq2seq inference recipe) gives the teacher-forced model's numbers to
 * float32 rounding.
 */
class VariableLengthTest {
    private static final int SEED = 4711;

    @TempDir
    Path tmp;

    /** Values uniform in [-1, 1): the models compared see the same arbitrary data. */
    private static Tensor random(Random r, int... dims) {
        return io.rnn4j.layers.GradCheck.uniform(r, -1, 1, dims);
    }

    @Test
    void aModelOfNoneTimestepsGivesOnEveryLengthWhatAFixedLengthModelGives() {
        Seeds.set(SEED);
        Sequential any = Sequential.of(Input.shape(Input.NONE, 3), new LSTM(4).returnSequences(true),
                new GRU(5).returnSequences(true), new Dense(2, Activation.TANH));
        assertThat(any.inputShape()).hasToString("(None, 3)");
        assertThat(any.outputShape()).hasToString("(None, 2)");
        assertThat(any.summary()).contains("(None, None, 4)").contains("(None, None, 2)");
        Random r = new Random(SEED);
        for (int t : new int[] {1, 5, 9}) {
            Sequential fixed = Sequential.of(Input.shape(t, 3), new LSTM(4).returnSequences(true),
                    new GRU(5).returnSequences(true), new Dense(2, Activation.TANH));
            fixed.setWeights(any.getWeights());
            Tensor x = random(r, 7, t, 3);
            Tensor y = any.predict(x, 3);
            assertThat(y.shape()).isEqualTo(Shape.of(7, t, 2));
            assertThat(y.toArray()).as("length %d, seed %d", t, SEED).isEqualTo(fixed.predict(x, 3).toArray());
        }
        assertThat(any.predict(random(r, 0, 4, 3)).shape()).isEqualTo(Shape.of(0, 4, 2));
    }

    @Test
    void wrappersMasksAndEmbeddingsTakeNoneTimesteps() {
        Seeds.set(SEED + 1);
        Sequential tokens = Sequential.of(Input.shape(Input.NONE), new Embedding(12, 4).maskZero(true),
                new Bidirectional(new SimpleRNN(3).returnSequences(true)),
                new TimeDistributed(new Dense(2)), new GRU(3));
        assertThat(tokens.summary()).contains("(None, None, 4)").contains("(None, None, 6)").contains("(None, 3)");
        Tensor ids = Tensor.of(new float[] {3, 5, 0, 0, 7, 1, 2, 11}, 2, 4);
        Tensor padded = Tensor.of(new float[] {3, 5, 0, 0, 0, 0, 7, 1, 2, 11, 0, 0}, 2, 6);
        // trailing padding is masked, so a longer padded batch gives the same last state
        float[] a = tokens.predict(ids).toArray();
        float[] b = tokens.predict(padded).toArray();
        for (int i = 0; i < a.length; i++) {
            assertThat(b[i]).as("masked padding, value %d", i).isCloseTo(a[i], org.assertj.core.data.Offset.offset(1e-6f));
        }

        Sequential masked = Sequential.of(Input.shape(Input.NONE, 2), new Masking(0f), new LSTM(3));
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 0, 0}, 1, 3, 2);
        Tensor shorter = Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2);
        assertThat(masked.predict(x).toArray()).isEqualTo(masked.predict(shorter).toArray());
    }

    @Test
    void fitTakesEachDatasetsLengthAndRefusesLabelsOfAnotherBeforeAnyUpdate() {
        Seeds.set(SEED + 2);
        Sequential m = Sequential.of(Input.shape(Input.NONE, 2), new SimpleRNN(4).returnSequences(true),
                new Dense(1));
        m.compile(Optimizers.adam(0.01), Losses.meanSquaredError());
        Random r = new Random(SEED + 2);
        for (int t : new int[] {5, 8}) {
            Tensor x = random(r, 16, t, 2);
            Tensor y = random(r, 16, t, 1);
            History h = m.fit(x, y, Fit.defaults().batchSize(8).epochs(3).verbose(0));
            assertThat(h.last("loss")).as("length %d", t).isLessThan(h.get("loss").get(0));
            assertThat(m.evaluate(x, y).loss()).isFinite();
        }
        List<Tensor> before = m.getWeights();
        Tensor x = random(r, 16, 6, 2);
        assertThatThrownBy(() -> m.fit(x, random(r, 16, 7, 1), Fit.defaults().batchSize(8).epochs(1).verbose(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(16, 7, 1)")
                .hasMessageContaining("(16, 6, 1)");
        assertThatThrownBy(() -> m.evaluate(x, random(r, 16, 5, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(16, 6, 1)");
        for (int i = 0; i < before.size(); i++) {
            assertThat(m.getWeights().get(i).toArray()).as("weight %d unchanged", i).isEqualTo(before.get(i).toArray());
        }
    }

    /**
     * Keras's lstm_seq2seq inference recipe: the trained decoder layers reused in a model of one
     * step (inputs of None timesteps and the previous state), run token by token.
     */
    @Test
    void aOneStepDecoderSharingTheTrainedLayersGivesTheTeacherForcedOutputs() {
        decodeStepByStep(Input.NONE, Input.NONE);
    }

    /** As Keras: layers built for 6 timesteps take 1 in a new model (their weights need only the features). */
    @Test
    void layersTrainedOnAFixedLengthRunInADecoderOfOneStep() {
        decodeStepByStep(6, 1);
    }

    private static void decodeStepByStep(int trainingLength, int stepLength) {
        Seeds.set(SEED + 3);
        int vocab = 9;
        int units = 8;
        var source = Input.shape(trainingLength).named("source");
        var target = Input.shape(trainingLength).named("target");
        List<SymbolicTensor> encoded = new LSTM(units).returnState(true).named("encoder")
                .applyAll(new Embedding(vocab, 5).apply(source));
        Embedding targetEmbedding = new Embedding(vocab, 5);
        LSTM decoderLstm = new LSTM(units).returnSequences(true).returnState(true).named("decoder");
        Dense next = new Dense(vocab, Activation.SOFTMAX).named("next");
        List<SymbolicTensor> decoded = decoderLstm.applyAll(targetEmbedding.apply(target),
                encoded.subList(1, 3));
        Model training = Model.of(List.of(source, target), List.of(next.apply(decoded.get(0))));
        training.compile(Optimizers.adam(0.02), Losses.sparseCategoricalCrossentropy());
        Random r = new Random(SEED + 3);
        int n = 32;
        int len = 6;
        float[] src = new float[n * len];
        float[] dst = new float[n * len];
        float[] tgt = new float[n * len];
        for (int i = 0; i < src.length; i++) {
            src[i] = 1 + r.nextInt(vocab - 1);
            tgt[i] = 1 + r.nextInt(vocab - 1);
            dst[i] = i % len == 0 ? 0 : tgt[i - 1];
        }
        training.fit(List.of(Tensor.of(src, n, len), Tensor.of(dst, n, len)), List.of(Tensor.of(tgt, n, len)),
                Fit.defaults().batchSize(16).epochs(2).verbose(0));

        Model encoder = Model.of(List.of(source), encoded.subList(1, 3));
        var h = Input.shape(units).named("h");
        var c = Input.shape(units).named("c");
        var oneToken = Input.shape(stepLength).named("token");
        List<SymbolicTensor> step = decoderLstm.applyAll(targetEmbedding.apply(oneToken), List.of(h, c));
        Model decoder = Model.of(List.of(oneToken, h, c), List.of(next.apply(step.get(0)), step.get(1), step.get(2)));

        int m = 3;
        Tensor s = Tensor.of(java.util.Arrays.copyOf(src, m * len), m, len);
        Tensor d = Tensor.of(java.util.Arrays.copyOf(dst, m * len), m, len);
        float[] forced = training.predict(List.of(s, d)).get(0).toArray();
        List<Tensor> state = encoder.predict(List.of(s));
        for (int t = 0; t < len; t++) {
            float[] tokens = new float[m];
            for (int i = 0; i < m; i++) {
                tokens[i] = dst[i * len + t];
            }
            List<Tensor> out = decoder.predict(List.of(Tensor.of(tokens, m, 1), state.get(0), state.get(1)));
            assertThat(out.get(0).shape()).isEqualTo(Shape.of(m, 1, vocab));
            float[] p = out.get(0).toArray();
            for (int i = 0; i < m; i++) {
                for (int k = 0; k < vocab; k++) {
                    assertThat(p[i * vocab + k]).as("sample %d step %d class %d (float32 rounding), seed %d", i, t, k,
                            SEED + 3).isCloseTo(forced[(i * len + t) * vocab + k],
                            org.assertj.core.data.Offset.offset(2e-6f));
                }
            }
            state = List.of(out.get(1), out.get(2));
        }
    }

    @Test
    void aKerasFileKeepsNoneTimesteps() throws IOException {
        Seeds.set(SEED + 4);
        Sequential m = Sequential.of(Input.shape(Input.NONE, 2), new GRU(3).returnSequences(true), new Dense(1));
        Path out = tmp.resolve("any-length.keras");
        Models.save(m, out);
        KerasModel back = Models.load(out);
        assertThat(back.inputShape(0)).hasToString("(None, 2)");
        Tensor x = random(new Random(SEED + 4), 2, 7, 2);
        assertThat(back.predict(x).toArray()).isEqualTo(m.predict(x).toArray());
    }

    @Test
    void aStepRunnerOfANoneTimestepsModelStepsAsPredict() {
        Seeds.set(SEED + 5);
        Sequential m = Sequential.of(Input.shape(Input.NONE, 2), new LSTM(3), new Dense(2));
        Tensor x = random(new Random(SEED + 5), 1, 4, 2);
        StepRunner s = m.stepRunner();
        float[] xv = x.toArray();
        float[] last = null;
        for (int t = 0; t < 4; t++) {
            last = s.step(new float[] {xv[2 * t], xv[2 * t + 1]});
        }
        float[] want = m.predict(x).toArray();
        for (int i = 0; i < want.length; i++) {
            assertThat(last[i]).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void whereASizeIsNeededNoneIsRefusedNamingTheLayerAndAxis() {
        assertThatThrownBy(() -> Sequential.of(Input.shape(4, Input.NONE), new LSTM(3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'lstm")
                .hasMessageContaining("axis 2").hasMessageContaining("(None, 4, None)");
        assertThatThrownBy(() -> Sequential.of(Input.shape(Input.NONE, 3), new Flatten(), new Dense(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Dense")
                .hasMessageContaining("(None, None)");
        assertThatThrownBy(() -> Input.shape(0, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(">= 1 or Input.NONE").hasMessageContaining("[0, 3]");
        // Keras 3's Sequential (not its functional models) runs other sizes where no weight needs them:
        // built for 5 steps, predict takes 6; the LSTM refuses other features, naming itself.
        Sequential fixed = Sequential.of(Input.shape(5, 3), new LSTM(2));
        assertThat(fixed.predict(Tensor.zeros(1, 6, 3)).shape()).isEqualTo(io.rnn4j.engine.Shape.of(1, 2));
        assertThatThrownBy(() -> fixed.predict(Tensor.zeros(1, 6, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Input of layer 'lstm").hasMessageContaining("expected shape=(None, None, 3)")
                .hasMessageContaining("(1, 6, 4)");
        assertThatThrownBy(() -> fixed.predict(Tensor.zeros(1, 6))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected shape=(None, 5, 3)").hasMessageContaining("(1, 6)");
        Sequential tenSteps = Sequential.of(Input.shape(10, 3), new LSTM(2));
        assertThatThrownBy(() -> tenSteps.apply(Input.shape(1, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected shape=(None, 10, 3), found shape=(None, 1, 3)")
                .hasMessageContaining("Input.shape(Input.NONE, ...)");
        LSTM trained = new LSTM(2);
        trained.apply(Input.shape(10, 3));
        assertThatThrownBy(() -> trained.apply(Input.shape(1, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected shape=(None, None, 3), found shape=(None, 1, 4)");
        Sequential any = Sequential.of(Input.shape(Input.NONE, 3), new LSTM(2));
        assertThatThrownBy(() -> any.predict(Tensor.zeros(1, 6, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected shape=(None, None, 3)").hasMessageContaining("(1, 6, 4)");
    }
}
