package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.inputs;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static io.rnn4j.layers.keras.Keras3151.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Sequential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * .keras files written by Keras 3.15.1 itself (KERAS_BACKEND=jax; keras3151/make_models.py, a fixed seed
 * per model), one small model per group of layers rnn4j loads: the recurrent layers and their options,
 * Bidirectional in each merge mode, RNN over StackedRNNCells, Embedding(mask_zero) before masked layers
 * (Sequential, and functional, where Keras records the mask as {@code mask=<tensor>} kwargs), Masking,
 * TimeDistributed, the convolutions, ConvLSTM1D, the poolings, the attentions with masks, the
 * normalizations, the preprocessing layers, dropout and noise, the merges and Dot, the shaping layers,
 * GetItem, the activation layers, and a model compiled with Adam, a loss and metrics (AUC, Precision,
 * Recall, SensitivityAtSpecificity, F1Score) trained one epoch; then options (dropouts, regularizers,
 * constraints), nested and shared models, a model of two outputs, a Sequential built without an Input, a
 * Bidirectional with its own backward layer, causal attention, whose evaluate and next epoch are Keras's too. manifest.txt lists each model and its
 * number of inputs; NAME.x0.npy... are its inputs, NAME.y.npy Keras's predict output.
 *
 * <p>The bar is 1e-5 + 1e-5·|y|: Keras computed with JAX on the CPU in float32, whose rounding
 * (fused operations, summation order of XLA's dots) differs from rnn4j's in the last places, as
 * TensorFlow's does.
 */
class KerasWritten3151Test {

    static Stream<String> models() throws IOException {
        // make_models.py's, then the other scripts' (make_activations.py: every activation Keras 3
        // added, in Dense, Activation, the recurrent layers, Bidirectional and Conv1D; make_adaptive.py)
        return Stream.of("manifest.txt", "manifest-activations.txt", "manifest-adaptive.txt",
                "manifest-channels-first.txt", "manifest-adaptive-tf.txt",
                "manifest-normalization.txt", "manifest-normalization-axes.txt")
                .flatMap(f -> {
                    try {
                        return Files.readAllLines(resource(f)).stream();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).filter(l -> !l.isBlank());
    }

    /** The outputs as make_models.py writes them: for each sample, each output's values in turn. */
    private static float[] bySample(List<Tensor> ys, int batch) {
        int total = ys.stream().mapToInt(t -> t.toArray().length).sum();
        float[] out = new float[total];
        int at = 0;
        for (int s = 0; s < batch; s++) {
            for (Tensor t : ys) {
                float[] a = t.toArray();
                int per = a.length / batch;
                System.arraycopy(a, s * per, out, at, per);
                at += per;
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void aKeras3151WrittenModelLoadsAndPredictsAsKeras(String line) throws IOException {
        String[] f = line.trim().split(" ");
        String name = f[0];
        List<Tensor> xs = inputs(name, Integer.parseInt(f[1]));
        KerasModel m;
        try {
            m = Models.load(resource(name + ".keras"));
        } catch (RuntimeException e) {
            System.out.println("KerasWritten3151Test " + name + ": refused: " + e);
            throw e;
        }
        assertThat(m.kerasVersion()).contains("3.15.1");
        assertClose(name, bySample(m.predict(xs), xs.get(0).shape().dim(0)),
                Npy.read(resource(name + ".y.npy")).values());
    }

    @Test
    void keras3151SaveWeightsLoadIntoTheSameModelBuiltInJava() throws IOException {
        Sequential m = Sequential.of(Input.shape(5, 3), new LSTM(4).returnSequences(true).unitForgetBias(false),
                new LSTM(2));
        Models.loadWeights(m, resource("lstm_seq.weights.h5"));
        assertClose("lstm_seq.weights.h5", m.predict(Npy.read(resource("lstm_seq.x0.npy")).tensor()).toArray(),
                Npy.read(resource("lstm_seq.y.npy")).values());
    }

    @Test
    void aKeras3151CompiledModelCompilesFromItsConfigEvaluatesAndTrainsOnFromItsAdamStateAsKeras()
            throws IOException {
        KerasModel m = Models.load(resource("compiled.keras"), true);
        assertThat(m.hasOptimizerState()).as("Adam's state after one epoch").isTrue();
        Tensor x = Npy.read(resource("compiled.x0.npy")).tensor();
        assertClose("compiled", m.predict(x).toArray(), Npy.read(resource("compiled.y.npy")).values());
        Tensor fx = Npy.read(resource("compiled.fit_x.npy")).tensor();
        Tensor fy = Npy.read(resource("compiled.fit_y.npy")).tensor();
        // The loss and each metric of the file's compile_config, under Keras's names and with its values.
        Map<String, Double> got = m.evaluate(fx, fy).asMap();
        for (String line : Files.readAllLines(resource("compiled.eval.txt"))) {
            String[] kv = line.split(" ");
            double want = Double.parseDouble(kv[1]);
            assertThat(got).as("evaluate's entries").containsKey(kv[0]);
            assertThat(Math.abs(got.get(kv[0]) - want)).as("evaluate %s: rnn4j %s, Keras 3.15.1 %s", kv[0],
                    got.get(kv[0]), want).isLessThanOrEqualTo(1e-5 + 1e-5 * Math.abs(want));
        }
        // One more epoch goes on from the restored Adam moments and iteration count, as Keras's did.
        m.fit(fx, fy, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertClose("compiled after one more epoch", m.predict(x).toArray(),
                Npy.read(resource("compiled.y_after.npy")).values());
    }

    @Test
    void keras3AddedActivationsTrainAsKerasTrainsThemForOneEpochOfSgd() throws IOException {
        // gelu, mish, squareplus, log_sigmoid, hard_silu and tanh_shrink, one Dense each: their
        // gradients (and so the weights after the epoch) are Keras's
        KerasModel m = Models.load(resource("act_trained.keras"), true);
        Tensor fx = Npy.read(resource("act_trained.fit_x.npy")).tensor();
        Tensor fy = Npy.read(resource("act_trained.fit_y.npy")).tensor();
        m.fit(fx, fy, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertClose("act_trained after one epoch", m.predict(Npy.read(resource("act_trained.x0.npy")).tensor())
                .toArray(), Npy.read(resource("act_trained.y_after.npy")).values());
    }

    /**
     * cf_trained: the gradients through channels_first's swaps, the convolutions and the poolings;
     * norm_trained: through RMSNormalization and UnitNormalization between recurrent layers.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cf_trained", "norm_trained"})
    void aModelTrainsAsKerasTrainsItForOneEpochOfSgd(String name) throws IOException {
        KerasModel m = Models.load(resource(name + ".keras"), true);
        Tensor fx = Npy.read(resource(name + ".fit_x.npy")).tensor();
        Tensor fy = Npy.read(resource(name + ".fit_y.npy")).tensor();
        m.fit(fx, fy, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertClose(name + " after one epoch", m.predict(Npy.read(resource(name + ".x0.npy")).tensor()).toArray(),
                Npy.read(resource(name + ".y_after.npy")).values());
    }
}
