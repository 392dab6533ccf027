package io.rnn4j.layers.examples;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.keras.Npy;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keras-io's examples/nlp/lstm_seq2seq.py ("Character-level recurrent sequence-to-sequence model", last
 * modified 2023/11/22) at a small size: instead of English → French, synthetic phrases (1 or 2 words of 1 to 3
 * letters of "abcde") → the phrase reversed, vectorized as the example ({@link CharVectors}); an encoder
 * LSTM(16, return_state) whose states start the decoder LSTM(16, return_sequences, return_state), Dense
 * softmax over the target characters, teacher forcing, rmsprop and categorical_crossentropy with "accuracy".
 * As the example, the inference models are built from the LOADED model's pieces: {@code model.input[0]},
 * {@code model.layers[2].output} (three tensors), and the trained {@code model.layers[3]} and
 * {@code model.layers[4]} called again on new state Inputs; {@link #decodeSequence} is its greedy loop.
 *
 * <p>Keras's side is keras3151/make_char_seq2seq.py (TensorFlow backend, 40 pairs, the model after 40 epochs
 * saved with its rmsprop state): the layers Keras lists, the encoder's states, the decoded strings and every
 * step's probabilities, then one more epoch ({@code validation_split=0.2}, batch 8, no shuffling) with its
 * history and weights, and the same inference models' outputs after it. Bar for Keras's numbers:
 * {@code Keras3151.assertClose}, 1e-5 + 1e-5·|y|; the decoded strings exactly (the two best characters of a
 * step are at least 9e-4 apart in Keras's run, so the argmax is not a coin toss). rnn4j's saved encoder and
 * decoder models load in Keras 3.15.1 and decode the same strings there (checked by hand, not here).
 *
 * <p>A Java-built copy learns the task: {@link #aJavaBuiltCopyLearnsToReversePhrasesItNeverSaw}.
 */
class CharSeq2SeqTest {
    private static final int LATENT_DIM = 16;
    private static final int DECODED = 8;
    private static final long SEED = 1616;
    /*
     * The Java-built copy, sized to train in about 7 s here: 600 phrases of 1 or 2 words of 1 or 2 letters of
     * "abcdef", LSTM(32) (16 learned too slowly for this budget), rmsprop(0.005), batch 16, 15 epochs. Measured with
     * these settings: 48 of 50 held-out phrases reversed exactly (loss 1.60 -> 0.097); the bar leaves room for
     * another machine's float rounding.
     */
    private static final String LETTERS = "abcdef";
    private static final int MAX_WORD = 2;
    private static final int TRAIN = 600;
    private static final int HELD_OUT = 50;
    private static final int LEARN_LATENT = 32;
    private static final double LR = 0.005;
    private static final int BATCH = 16;
    private static final int EPOCHS = 15;
    private static final double LEARN_BAR = 0.8;

    @TempDir
    Path tmp;

    /** The example's encoder_model and decoder_model. */
    record Inference(Model encoderModel, Model decoderModel) {
    }

    /**
     * The example's "Run inference (sampling)" section, line for line: the models are cut from {@code model}'s own
     * graph, so they share its layers and weights.
     */
    static Inference inferenceModels(Model model, int latentDim) {
        Input encoderInputs = model.inputs().get(0);                       // model.input[0]
        List<SymbolicTensor> encoderOut = model.layers().get(2).outputs();  // model.layers[2].output
        List<SymbolicTensor> encoderStates = List.of(encoderOut.get(1), encoderOut.get(2));
        Model encoderModel = Model.of(encoderInputs, encoderStates);

        Input decoderInputs = model.inputs().get(1);                       // model.input[1]
        // named, unlike the example's: a fresh process's next auto names ("input_layer", "input_layer_1") are the
        // loaded Inputs' own, and Keras refuses the decoder model then ("The name "input_layer_1" is used 2 times in
        // the model"), as rnn4j does; the example escapes it only by building its training model in the same process
        Input decoderStateInputH = Input.shape(latentDim).named("decoder_state_input_h");
        Input decoderStateInputC = Input.shape(latentDim).named("decoder_state_input_c");
        List<Input> decoderStatesInputs = List.of(decoderStateInputH, decoderStateInputC);
        LSTM decoderLstm = (LSTM) model.layers().get(3);
        List<SymbolicTensor> decoderOut = decoderLstm.applyAll(decoderInputs, decoderStatesInputs);
        Layer decoderDense = model.layers().get(4);
        SymbolicTensor decoderOutputs = decoderDense.apply(decoderOut.get(0));
        Model decoderModel = Model.of(List.of(decoderInputs, decoderStateInputH, decoderStateInputC),
                List.of(decoderOutputs, decoderOut.get(1), decoderOut.get(2)));
        return new Inference(encoderModel, decoderModel);
    }

    /**
     * The example's decode_sequence: encode, then feed "\t" and sample greedily one character at a time, the
     * states carried over, until "\n" or more than max_decoder_seq_length characters; each step's
     * {@code output_tokens[0, -1, :]} is added to {@code steps}.
     */
    static String decodeSequence(Inference m, CharVectors v, Tensor inputSeq, List<float[]> steps) {
        List<Tensor> statesValue = m.encoderModel().predict(List.of(inputSeq));
        float[] targetSeq = new float[v.numDecoderTokens()];
        targetSeq[v.targetIndex('\t')] = 1f;
        StringBuilder decodedSentence = new StringBuilder();
        boolean stopCondition = false;
        while (!stopCondition) {
            List<Tensor> out = m.decoderModel().predict(List.of(Tensor.of(targetSeq, 1, 1, v.numDecoderTokens()),
                    statesValue.get(0), statesValue.get(1)));
            float[] outputTokens = out.get(0).toArray();  // (1, 1, tokens): the last step is the only one
            steps.add(outputTokens);
            int sampledTokenIndex = argmax(outputTokens);
            char sampledChar = v.targetChar(sampledTokenIndex);
            decodedSentence.append(sampledChar);
            if (sampledChar == '\n' || decodedSentence.length() > v.maxDecoderSeqLength()) {
                stopCondition = true;
            }
            targetSeq = new float[v.numDecoderTokens()];
            targetSeq[sampledTokenIndex] = 1f;
            statesValue = out.subList(1, 3);
        }
        return decodedSentence.toString();
    }

    /** numpy's argmax: the first of equal largest entries. */
    static int argmax(float[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }

    /** The example's model at {@code latentDim}, its layers named as Keras names them. */
    static Model buildModel(int numEncoderTokens, int numDecoderTokens, int latentDim) {
        Input encoderInputs = Input.shape(Input.NONE, numEncoderTokens).named("input_layer");
        List<SymbolicTensor> encoder = new LSTM(latentDim).returnState(true).named("lstm").applyAll(encoderInputs);
        List<SymbolicTensor> encoderStates = encoder.subList(1, 3);
        Input decoderInputs = Input.shape(Input.NONE, numDecoderTokens).named("input_layer_1");
        List<SymbolicTensor> decoder = new LSTM(latentDim).returnSequences(true).returnState(true).named("lstm_1")
                .applyAll(decoderInputs, encoderStates);
        SymbolicTensor decoderOutputs = new Dense(numDecoderTokens, "softmax").named("dense").apply(decoder.get(0));
        return Model.of(List.of(encoderInputs, decoderInputs), decoderOutputs).named("functional");
    }

    private static List<String[]> kerasPairs() throws IOException {
        return Files.readAllLines(resource("s2s.pairs.txt")).stream().map(l -> l.split("\\|", -1)).toList();
    }

    private static Tensor npy(String name) throws IOException {
        return Npy.read(resource(name)).tensor();
    }

    private static List<String> kerasStrings(String name) throws IOException {
        // make_char_seq2seq.py writes "\n" as "$"
        return Files.readAllLines(resource(name)).stream().map(s -> s.replace('$', '\n')).toList();
    }

    @Test
    void theExamplesVectorizationGivesKerassArrays() throws IOException {
        CharVectors v = CharVectors.of(kerasPairs());
        assertThat(v.numEncoderTokens()).isEqualTo(6);
        assertThat(v.numDecoderTokens()).isEqualTo(8);
        Tensor[] data = v.vectorize(kerasPairs());
        assertThat(data[0].toArray()).as("encoder_input_data").isEqualTo(npy("s2s.enc_x.npy").toArray());
        assertThat(data[1].toArray()).as("decoder_input_data").isEqualTo(npy("s2s.dec_x.npy").toArray());
        assertThat(data[2].toArray()).as("decoder_target_data").isEqualTo(npy("s2s.dec_y.npy").toArray());
    }

    @Test
    void theLoadedModelsPiecesMakeInferenceModelsThatDecodeAsKerass() throws IOException {
        KerasModel loaded = Models.load(resource("s2s_model.keras"));
        assertThat(loaded.kerasVersion()).contains("3.15.1");
        Model model = loaded.functional();
        List<String> layers = new ArrayList<>();
        for (int i = 0; i < model.layers().size(); i++) {
            Layer l = model.layers().get(i);
            layers.add(i + " " + l.name() + " " + l.className());
        }
        assertThat(layers).as("model.layers, indexed as the example indexes them")
                .isEqualTo(Files.readAllLines(resource("s2s.layers.txt")));
        CharVectors v = CharVectors.of(kerasPairs());
        Tensor encoderInputData = npy("s2s.enc_x.npy");
        Inference m = inferenceModels(model, LATENT_DIM);
        assertStates("encoder_model.predict(encoder_input_data)", m.encoderModel().predict(List.of(encoderInputData)),
                npy("s2s.states.npy"));
        float[] want = npy("s2s.steps.npy").toArray();
        List<String> strings = kerasStrings("s2s.decoded.txt");
        int stepsMax = v.maxDecoderSeqLength() + 1;
        for (int s = 0; s < DECODED; s++) {
            List<float[]> steps = new ArrayList<>();
            String decoded = decodeSequence(m, v, encoderInputData.narrow(s, 1), steps);
            assertThat(decoded).as("decode_sequence of '%s'", kerasPairs().get(s)[0]).isEqualTo(strings.get(s));
            for (int t = 0; t < steps.size(); t++) {
                int at = (s * stepsMax + t) * v.numDecoderTokens();
                double[] keras = new double[v.numDecoderTokens()];
                for (int k = 0; k < keras.length; k++) {
                    keras[k] = want[at + k];
                }
                assertClose("pair " + s + ", step " + t + ": output_tokens[0, -1, :]", steps.get(t), keras);
            }
        }
    }

    /** Encoder states (h, c) of every sample against Keras's (samples, 2, latent). */
    private static void assertStates(String what, List<Tensor> states, Tensor keras) {
        float[] want = keras.toArray();
        int n = keras.shape().dim(0);
        for (int k = 0; k < 2; k++) {
            float[] got = states.get(k).toArray();
            double[] w = new double[n * LATENT_DIM];
            for (int s = 0; s < n; s++) {
                for (int u = 0; u < LATENT_DIM; u++) {
                    w[s * LATENT_DIM + u] = want[(s * 2 + k) * LATENT_DIM + u];
                }
            }
            assertClose(what + (k == 0 ? ", state h" : ", state c"), got, w);
        }
    }

    @Test
    void oneMoreEpochOfRmspropEndsAtKerassWeightsAndHistoryAndTheInferenceModelsFollow() throws IOException {
        KerasModel loaded = Models.load(resource("s2s_model.keras"), true);  // its rmsprop and its state
        Model model = loaded.functional();
        Inference m = inferenceModels(model, LATENT_DIM);  // built before the epoch, as in make_char_seq2seq.py
        Tensor encoderInputData = npy("s2s.enc_x.npy");
        History h = model.fit(List.of(encoderInputData, npy("s2s.dec_x.npy")), List.of(npy("s2s.dec_y.npy")),
                Fit.defaults().batchSize(8).epochs(1).validationSplit(0.2).shuffle(false).verbose(0));
        assertThat(h.history().keySet()).containsExactlyInAnyOrder("loss", "accuracy", "val_loss", "val_accuracy");
        for (String key : h.history().keySet()) {
            assertClose("history['" + key + "']", new float[] {h.get(key).get(0).floatValue()},
                    Npy.read(resource("s2s.fit_" + key + ".npy")).values());
        }
        List<Weight> weights = model.weights();
        assertThat(weights).hasSize(8);
        for (int i = 0; i < weights.size(); i++) {
            assertClose("weight " + i + " (" + weights.get(i).path() + ") after one more epoch",
                    weights.get(i).value().toArray(), Npy.read(resource("s2s.after" + i + ".npy")).values());
        }
        // the inference models hold the training model's layers, not copies: they moved with it
        assertStates("the same encoder_model after the epoch", m.encoderModel().predict(List.of(encoderInputData)),
                npy("s2s.states_after.npy"));
        CharVectors v = CharVectors.of(kerasPairs());
        List<String> strings = kerasStrings("s2s.decoded_after.txt");
        for (int s = 0; s < DECODED; s++) {
            assertThat(decodeSequence(m, v, encoderInputData.narrow(s, 1), new ArrayList<>()))
                    .as("decode_sequence of '%s' after the epoch", kerasPairs().get(s)[0]).isEqualTo(strings.get(s));
        }
    }

    @Test
    void theInferenceModelsSaveAndLoadToTheSameOutputs() throws IOException {
        Model model = Models.load(resource("s2s_model.keras")).functional();
        Inference m = inferenceModels(model, LATENT_DIM);
        Path encoderFile = tmp.resolve("encoder.keras");
        Path decoderFile = tmp.resolve("decoder.keras");
        Models.save(m.encoderModel(), encoderFile);
        Models.save(m.decoderModel(), decoderFile);
        Inference back = new Inference(Models.load(encoderFile).functional(), Models.load(decoderFile).functional());
        assertThat(back.decoderModel().countParams()).as("the decoder LSTM and Dense, 4·16·(8 + 16 + 1) + 16·8 + 8")
                .isEqualTo(1_600 + 136);
        Tensor encoderInputData = npy("s2s.enc_x.npy");
        List<Tensor> states = back.encoderModel().predict(List.of(encoderInputData));
        List<Tensor> statesBefore = m.encoderModel().predict(List.of(encoderInputData));
        for (int k = 0; k < 2; k++) {
            assertThat(states.get(k).toArray()).as("encoder state %d after save and load, bit for bit", k)
                    .isEqualTo(statesBefore.get(k).toArray());
        }
        CharVectors v = CharVectors.of(kerasPairs());
        List<String> strings = kerasStrings("s2s.decoded.txt");
        for (int s = 0; s < DECODED; s++) {
            assertThat(decodeSequence(back, v, encoderInputData.narrow(s, 1), new ArrayList<>()))
                    .as("decode_sequence with the reloaded models").isEqualTo(strings.get(s));
        }
    }

    /** {@code n} distinct phrases of 1 or 2 words of 1 to {@code maxWord} letters of "abcde", none in {@code seen}. */
    static List<String[]> phrases(SplittableRandom r, int n, String letters, int maxWord, Set<String> seen) {
        List<String[]> out = new ArrayList<>();
        while (out.size() < n) {
            int words = 1 + r.nextInt(2);
            StringBuilder b = new StringBuilder();
            for (int w = 0; w < words; w++) {
                b.append(w > 0 ? " " : "");
                int size = 1 + r.nextInt(maxWord);
                for (int i = 0; i < size; i++) {
                    b.append(letters.charAt(r.nextInt(letters.length())));
                }
            }
            String text = b.toString();
            if (seen.add(text)) {
                out.add(new String[] {text, new StringBuilder(text).reverse().toString()});
            }
        }
        return out;
    }

    @Test
    void aJavaBuiltCopyLearnsToReversePhrasesItNeverSaw() {
        System.out.println("CharSeq2SeqTest seed " + SEED);
        SplittableRandom r = new SplittableRandom(SEED);
        Set<String> seen = new LinkedHashSet<>();
        List<String[]> train = phrases(r, TRAIN, LETTERS, MAX_WORD, seen);
        List<String[]> heldOut = phrases(r, HELD_OUT, LETTERS, MAX_WORD, seen);  // `seen` keeps them apart
        List<String[]> all = new ArrayList<>(train);
        all.addAll(heldOut);
        CharVectors v = CharVectors.of(all);
        Tensor[] data = v.vectorize(train);
        Seeds.set(SEED);
        Model model = buildModel(v.numEncoderTokens(), v.numDecoderTokens(), LEARN_LATENT);
        model.compile(Optimizers.rmsprop(LR), Losses.categoricalCrossentropy(), Metrics.get("accuracy"));
        long t0 = System.nanoTime();
        History h = model.fit(List.of(data[0], data[1]), List.of(data[2]), Fit.defaults().batchSize(BATCH)
                .epochs(EPOCHS).seed(SEED).verbose(0));
        Inference m = inferenceModels(model, LEARN_LATENT);
        Tensor x = v.vectorize(heldOut)[0];
        int right = 0;
        for (int s = 0; s < heldOut.size(); s++) {
            String decoded = decodeSequence(m, v, x.narrow(s, 1), new ArrayList<>());
            right += decoded.equals(heldOut.get(s)[1] + "\n") ? 1 : 0;
        }
        double fraction = right / (double) heldOut.size();
        System.out.printf("CharSeq2SeqTest: %d epochs in %.1f s, loss %.3f -> %.3f, held-out phrases reversed "
                + "exactly: %d of %d%n", EPOCHS, (System.nanoTime() - t0) / 1e9, h.get("loss").get(0),
                h.last("loss"), right, heldOut.size());
        assertThat(fraction).as("held-out phrases decoded exactly").isGreaterThanOrEqualTo(LEARN_BAR);
    }
}
