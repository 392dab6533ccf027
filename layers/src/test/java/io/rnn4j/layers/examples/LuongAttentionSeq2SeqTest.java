package io.rnn4j.layers.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.ActivationLayer;
import io.rnn4j.layers.Concatenate;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Dot;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.TimeDistributed;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Luong-attention seq2seq of the best-known Keras tutorial of it, "Attention-based
 * Sequence-to-Sequence in Keras" (wanasit/katakana, notebooks/Attention-based Sequence-to-Sequence in
 * Keras.ipynb: English names to katakana): Embedding(54, 64, mask_zero=True) → LSTM(64,
 * return_sequences=True) as the encoder, Embedding(89, 64, mask_zero=True) → LSTM(64,
 * return_sequences=True) started from the encoder's last output as the decoder, then
 * {@code dot([decoder, encoder], axes=[2, 2])} → Activation("softmax", name="attention") →
 * {@code dot([attention, encoder], axes=[2, 1])} → concatenate([context, decoder]) →
 * TimeDistributed(Dense(64, tanh)) → TimeDistributed(Dense(89, softmax)), adam and
 * categorical_crossentropy, 20 steps in and out.
 *
 * <p>The notebook prints the tensors' shapes (attention (?, 20, 20), context (?, 20, 64), the
 * concatenation (?, 20, 128), the output (?, 20, 89)) but no summary: the parameter counts checked
 * are Keras's formulas (Embeddings 54·64 and 89·64, each LSTM 4·(64·128 + 64) = 33,024, the Dense
 * layers 128·64 + 64 and 64·89 + 89; 89,241 in all).
 *
 * <p>Two things are written otherwise, because rnn4j's functional API has no tensor slicing: the
 * tutorial's {@code encoder[:, -1, :]} is the encoder's {@code return_state} h (its last output,
 * padded steps keeping the previous output as Keras's masked LSTM does: checked below), so the
 * encoder LSTM has three outputs where Keras 3 shows one and a GetItem node.
 *
 * <p>Data: "names" of 4 to 20 letter ids in 1..53, zero-padded, and their "katakana", letter id
 * {@code 1 + (3·id mod 88)} at the same step: attention has to find the step. Seed 37.
 */
class LuongAttentionSeq2SeqTest {
    private static final long SEED = 37;
    private static final int INPUT_LENGTH = 20;
    private static final int OUTPUT_LENGTH = 20;
    private static final int INPUT_DICT_SIZE = 54;
    private static final int OUTPUT_DICT_SIZE = 89;
    private static final int START = 1;

    @TempDir
    Path tmp;

    /** The model, and the encoder's sequence and last output, to check them against each other. */
    record Built(Model model, Input encoderInput, Input decoderInput, SymbolicTensor encoder,
            SymbolicTensor encoderLast, SymbolicTensor attention) {
    }

    static Built build() {
        Input encoderInput = Input.shape(INPUT_LENGTH).named("input_layer");
        Input decoderInput = Input.shape(OUTPUT_LENGTH).named("input_layer_1");
        SymbolicTensor embedded = new Embedding(INPUT_DICT_SIZE, 64).maskZero(true).named("embedding")
                .apply(encoderInput);
        List<SymbolicTensor> enc = new LSTM(64).returnSequences(true).returnState(true).named("lstm")
                .applyAll(embedded);
        SymbolicTensor encoder = enc.get(0);
        SymbolicTensor encoderLast = enc.get(1);
        SymbolicTensor decoder = new Embedding(OUTPUT_DICT_SIZE, 64).maskZero(true).named("embedding_1")
                .apply(decoderInput);
        decoder = new LSTM(64).returnSequences(true).named("lstm_1").apply(decoder,
                List.of(encoderLast, encoderLast));
        SymbolicTensor attention = new Dot(2, 2).named("dot").apply(decoder, encoder);
        attention = new ActivationLayer("softmax").named("attention").apply(attention);
        SymbolicTensor context = new Dot(2, 1).named("dot_1").apply(attention, encoder);
        SymbolicTensor combined = new Concatenate().named("concatenate").apply(context, decoder);
        SymbolicTensor output = new TimeDistributed(new Dense(64, "tanh")).named("time_distributed").apply(combined);
        output = new TimeDistributed(new Dense(OUTPUT_DICT_SIZE, "softmax")).named("time_distributed_1")
                .apply(output);
        Model model = Model.of(List.of(encoderInput, decoderInput), output).named("functional");
        return new Built(model, encoderInput, decoderInput, encoder, encoderLast, attention);
    }

    @Test
    void summaryHasTheTutorialsShapesAndKerasParameterCounts() {
        String summary = build().model().summary();
        System.out.println(summary);
        assertThat(Examples.rows(summary)).containsExactlyInAnyOrder(
                List.of("input_layer (InputLayer)", "(None, 20)", "0"),
                List.of("input_layer_1 (InputLayer)", "(None, 20)", "0"),
                List.of("embedding (Embedding)", "(None, 20, 64)", "3,456"),
                List.of("embedding_1 (Embedding)", "(None, 20, 64)", "5,696"),
                List.of("lstm (LSTM)", "[(None, 20, 64), (None, 64), (None, 64)]", "33,024"),
                List.of("lstm_1 (LSTM)", "(None, 20, 64)", "33,024"),
                List.of("dot (Dot)", "(None, 20, 20)", "0"),
                List.of("attention (Activation)", "(None, 20, 20)", "0"),
                List.of("dot_1 (Dot)", "(None, 20, 64)", "0"),
                List.of("concatenate (Concatenate)", "(None, 20, 128)", "0"),
                List.of("time_distributed (TimeDistributed)", "(None, 20, 64)", "8,256"),
                List.of("time_distributed_1 (TimeDistributed)", "(None, 20, 89)", "5,785"));
        assertThat(Examples.totals(summary)).containsExactly("Total params: 89,241 (348.60 KB)",
                "Trainable params: 89,241 (348.60 KB)", "Non-trainable params: 0 (0.00 B)");
    }

    /** Encoder ids, decoder inputs (START, then the targets shifted right) and one-hot targets. */
    static Tensor[] names(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] enc = new float[n * INPUT_LENGTH];
        float[] dec = new float[n * OUTPUT_LENGTH];
        float[] target = new float[n * OUTPUT_LENGTH * OUTPUT_DICT_SIZE];
        for (int s = 0; s < n; s++) {
            int length = 4 + r.nextInt(INPUT_LENGTH - 4 + 1);
            int[] out = new int[OUTPUT_LENGTH];
            for (int t = 0; t < length; t++) {
                int id = 1 + r.nextInt(INPUT_DICT_SIZE - 1);
                enc[s * INPUT_LENGTH + t] = id;
                out[t] = 1 + (3 * id) % (OUTPUT_DICT_SIZE - 1);
            }
            for (int t = 0; t < OUTPUT_LENGTH; t++) {
                dec[s * OUTPUT_LENGTH + t] = t == 0 ? START : out[t - 1];
                target[(s * OUTPUT_LENGTH + t) * OUTPUT_DICT_SIZE + out[t]] = 1;
            }
        }
        return new Tensor[] {Tensor.of(enc, n, INPUT_LENGTH), Tensor.of(dec, n, OUTPUT_LENGTH),
                Tensor.of(target, n, OUTPUT_LENGTH, OUTPUT_DICT_SIZE)};
    }

    @Test
    void encodersLastOutputIsItsStateHAsTheTutorialsSliceWouldGive() {
        Seeds.set(SEED + 10);
        Built b = build();
        Model probe = Model.of(List.of(b.encoderInput()), List.of(b.encoder(), b.encoderLast()));
        Tensor[] data = names(SEED + 10, 6);
        List<Tensor> out = probe.predict(List.of(data[0]));
        float[] seq = out.get(0).toArray();
        float[] last = out.get(1).toArray();
        for (int s = 0; s < 6; s++) {
            for (int u = 0; u < 64; u++) {
                assertThat(last[s * 64 + u]).as("sample %d unit %d: encoder[:, -1, :] == h", s, u)
                        .isEqualTo(seq[(s * INPUT_LENGTH + INPUT_LENGTH - 1) * 64 + u]);
            }
        }
    }

    @Test
    void trainsThenRoundTripsThroughKerasFileBitForBit() throws IOException {
        System.out.println("LuongAttentionSeq2SeqTest seed " + SEED);
        Seeds.set(SEED);
        Built b = build();
        Model model = b.model();
        Tensor[] train = names(SEED, 48);
        Tensor[] val = names(SEED + 1, 16);
        model.compile(Optimizers.adam(), Losses.categoricalCrossentropy());
        History h = model.fit(List.of(train[0], train[1]), List.of(train[2]), Fit.defaults().batchSize(16).epochs(12)
                .validationData(List.of(val[0], val[1]), List.of(val[2])).verbose(2).seed(SEED));
        List<Double> loss = h.get("loss");
        System.out.println("LuongAttentionSeq2SeqTest history " + h.history());
        assertThat(loss.get(loss.size() - 1)).as("training loss falls: %s", loss).isLessThan(0.9 * loss.get(0));

        // Dot passes no mask on, as Keras 3's: the softmax spreads over every encoder step, padding included.
        Model attention = Model.of(List.of(b.encoderInput(), b.decoderInput()), b.attention());
        float[] a = attention.predict(List.of(val[0], val[1])).get(0).toArray();
        for (int row = 0; row < 16 * OUTPUT_LENGTH; row++) {
            double sum = 0;
            for (int j = 0; j < INPUT_LENGTH; j++) {
                sum += a[row * INPUT_LENGTH + j];
                assertThat(a[row * INPUT_LENGTH + j]).as("attention to every encoder step").isPositive();
            }
            assertThat(sum).as("attention row %d sums to 1", row).isCloseTo(1.0, within(1e-5));
        }

        Path out = tmp.resolve("katakana.keras");
        Models.save(model, out);
        KerasModel loaded = Models.load(out);
        loaded.compileFromConfig();
        Model back = loaded.functional();
        assertThat(Examples.rows(back.summary())).containsExactlyInAnyOrderElementsOf(
                Examples.rows(build().model().summary()));
        List<Tensor> x = List.of(val[0], val[1]);
        assertThat(back.predict(x).get(0).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(model.predict(x).get(0).toArray());
        assertThat(back.evaluate(x, List.of(val[2])).loss()).as("masked loss of the loaded model, compiled from its file")
                .isEqualTo(model.evaluate(x, List.of(val[2])).loss());
    }
}
