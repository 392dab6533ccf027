package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.AlphaDropout;
import io.rnn4j.layers.Attention;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.ConvLSTM1D;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Dropout;
import io.rnn4j.layers.ELU;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.GRUCell;
import io.rnn4j.layers.GaussianDropout;
import io.rnn4j.layers.GaussianNoise;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Json;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.LSTMCell;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.LayerNormalization;
import io.rnn4j.layers.LeakyReLU;
import io.rnn4j.layers.Masking;
import io.rnn4j.layers.MultiHeadAttention;
import io.rnn4j.layers.ReLU;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SimpleRNN;
import io.rnn4j.layers.SimpleRNNCell;
import io.rnn4j.layers.SpatialDropout1D;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.constraints.Constraints;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.regularizers.Regularizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Float options written as Keras users write them, as Java doubles ({@code new Dropout(0.2)},
 * {@code lstm.dropout(0.1)}), compile and keep the float32 Keras computes with; the same option
 * given as a float gives the same layer, bit for bit in training and in the saved config; out of
 * range values are refused as written, as Keras refuses the number it was given. Seed 17.
 */
class KerasStyleNumbersTest {
    private static final long SEED = 17;

    @TempDir
    Path tmp;

    private static Tensor random(int... dims) {
        SplittableRandom r = new SplittableRandom(SEED);
        float[] v = new float[Math.toIntExact(Shape.of(dims).size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.of(v, dims);
    }

    @Test
    void doubleLiteralsCompileAndKeepTheFloat32KerasComputesWith() {
        assertThat(new Dropout(0.2).rate()).isEqualTo(0.2f);
        assertThat(new SpatialDropout1D(0.3).rate()).isEqualTo(0.3f);
        assertThat(new GaussianNoise(0.1).stddev()).isEqualTo(0.1f);
        assertThat(new GaussianDropout(0.3).rate()).isEqualTo(0.3f);
        assertThat(new AlphaDropout(0.15).rate()).isEqualTo(0.15f);
        assertThat(new LeakyReLU(0.2).negativeSlope()).isEqualTo(0.2f);
        assertThat(new ELU(0.7).alpha()).isEqualTo(0.7f);
        ReLU relu = new ReLU(6.0, 0.1, 0.5);
        assertThat(List.of(relu.maxValue(), relu.negativeSlope(), relu.threshold())).containsExactly(6f, 0.1f, 0.5f);
        assertThat(new ReLU(null, 0.1, 0).maxValue()).isNull();
        assertThat(new Masking(-1.1).maskValue()).isEqualTo(-1.1f);
        assertThat(new LayerNormalization().epsilon(1e-5).epsilon()).isEqualTo(1e-5f);
        assertThat(new Attention().dropout(0.1).dropout()).isEqualTo(0.1f);
        assertThat(new MultiHeadAttention(2, 4).dropout(0.1).dropout()).isEqualTo(0.1f);
        ConvLSTM1D conv = new ConvLSTM1D(2, 3).dropout(0.1).recurrentDropout(0.2);
        assertThat(List.of(conv.dropout(), conv.recurrentDropout())).containsExactly(0.1f, 0.2f);
        LSTM lstm = new LSTM(4).dropout(0.1).recurrentDropout(0.2);
        GRU gru = new GRU(4).dropout(0.1).recurrentDropout(0.2);
        SimpleRNN rnn = new SimpleRNN(4).dropout(0.1).recurrentDropout(0.2);
        LSTMCell lstmCell = new LSTMCell(4).dropout(0.1).recurrentDropout(0.2);
        GRUCell gruCell = new GRUCell(4).dropout(0.1).recurrentDropout(0.2);
        SimpleRNNCell rnnCell = new SimpleRNNCell(4).dropout(0.1).recurrentDropout(0.2);
        assertThat(List.of(lstm.dropout(), lstm.recurrentDropout(), gru.dropout(), gru.recurrentDropout(),
                rnn.dropout(), rnn.recurrentDropout(), lstmCell.dropout(), lstmCell.recurrentDropout(),
                gruCell.dropout(), gruCell.recurrentDropout(), rnnCell.dropout(), rnnCell.recurrentDropout()))
                .as("dropout 0.1, recurrent_dropout 0.2 on every recurrent layer and cell")
                .containsExactly(0.1f, 0.2f, 0.1f, 0.2f, 0.1f, 0.2f, 0.1f, 0.2f, 0.1f, 0.2f, 0.1f, 0.2f);
    }

    /** The layer's output in training, weights and noise drawn from fixed seeds. */
    private static float[] trained(Supplier<Layer> make, Tensor x) {
        Seeds.set(SEED);
        Layer l = make.get();
        l.build(x.shape().tail());
        return l.call(Variable.constant(x), null, CallContext.training(Seeds.of(SEED + 1))).value().toArray();
    }

    @Test
    void aFloatArgumentGivesTheSameNumbersAsTheDoubleInTraining() {
        System.out.println("KerasStyleNumbersTest seed " + SEED);
        Tensor x = random(3, 5, 4);
        Map<String, List<Supplier<Layer>>> pairs = new HashMap<>();
        pairs.put("Dropout(0.3)", List.of(() -> new Dropout(0.3), () -> new Dropout(0.3f)));
        pairs.put("SpatialDropout1D(0.4)", List.of(() -> new SpatialDropout1D(0.4), () -> new SpatialDropout1D(0.4f)));
        pairs.put("GaussianNoise(0.3)", List.of(() -> new GaussianNoise(0.3), () -> new GaussianNoise(0.3f)));
        pairs.put("GaussianDropout(0.25)", List.of(() -> new GaussianDropout(0.25), () -> new GaussianDropout(0.25f)));
        pairs.put("AlphaDropout(0.2)", List.of(() -> new AlphaDropout(0.2), () -> new AlphaDropout(0.2f)));
        pairs.put("LeakyReLU(0.2)", List.of(() -> new LeakyReLU(0.2), () -> new LeakyReLU(0.2f)));
        pairs.put("ELU(0.7)", List.of(() -> new ELU(0.7), () -> new ELU(0.7f)));
        pairs.put("ReLU(2.5, 0.1, 0.3)", List.of(() -> new ReLU(2.5, 0.1, 0.3), () -> new ReLU(2.5, 0.1f, 0.3f)));
        pairs.put("LayerNormalization epsilon 0.01", List.of(() -> new LayerNormalization().epsilon(0.01),
                () -> new LayerNormalization().epsilon(0.01f)));
        pairs.put("LSTM dropout 0.3, recurrent_dropout 0.2",
                List.of(() -> new LSTM(3).returnSequences(true).dropout(0.3).recurrentDropout(0.2),
                        () -> new LSTM(3).returnSequences(true).dropout(0.3f).recurrentDropout(0.2f)));
        pairs.put("GRU dropout 0.3, recurrent_dropout 0.2",
                List.of(() -> new GRU(3).returnSequences(true).dropout(0.3).recurrentDropout(0.2),
                        () -> new GRU(3).returnSequences(true).dropout(0.3f).recurrentDropout(0.2f)));
        pairs.put("SimpleRNN dropout 0.3, recurrent_dropout 0.2",
                List.of(() -> new SimpleRNN(3).returnSequences(true).dropout(0.3).recurrentDropout(0.2),
                        () -> new SimpleRNN(3).returnSequences(true).dropout(0.3f).recurrentDropout(0.2f)));
        pairs.put("Dense with RandomUniform(-0.3, 0.2) and RandomNormal(0.1, 0.5)",
                List.of(() -> new Dense(3).kernelInitializer(Initializers.randomUniform(-0.3, 0.2))
                                .biasInitializer(Initializers.randomNormal(0.1, 0.5)),
                        () -> new Dense(3).kernelInitializer(Initializers.randomUniform(-0.3f, 0.2f))
                                .biasInitializer(Initializers.randomNormal(0.1f, 0.5f))));
        pairs.put("Dense with TruncatedNormal(0.1, 0.5) and Constant(0.7)",
                List.of(() -> new Dense(3).kernelInitializer(Initializers.truncatedNormal(0.1, 0.5))
                                .biasInitializer(Initializers.constant(0.7)),
                        () -> new Dense(3).kernelInitializer(Initializers.truncatedNormal(0.1f, 0.5f))
                                .biasInitializer(Initializers.constant(0.7f))));
        pairs.forEach((what, makers) -> {
            float[] fromDouble = trained(makers.get(0), x);
            assertThat(fromDouble).as("%s from a double, in training", what).isEqualTo(trained(makers.get(1), x));
        });
        assertThat(trained(() -> new Dropout(0.3), x)).as("dropout 0.3 drops something in training")
                .isNotEqualTo(x.toArray());
    }

    @Test
    void regularizersAndConstraintsFromDoublesAreTheFloatOnes() {
        assertThat(Regularizers.l1(0.01).kerasConfig()).isEqualTo(Regularizers.l1(0.01f).kerasConfig())
                .get().extracting(c -> c.config().get("l1")).isEqualTo(0.01);
        assertThat(Regularizers.l2(0.02).kerasConfig()).isEqualTo(Regularizers.l2(0.02f).kerasConfig());
        assertThat(Regularizers.l1l2(0.01, 0.02).kerasConfig())
                .isEqualTo(Regularizers.l1l2(0.01f, 0.02f).kerasConfig());
        Variable w = Variable.constant(random(4, 3));
        assertThat(Regularizers.l1l2(0.01, 0.02).penalty(w).value().toArray())
                .isEqualTo(Regularizers.l1l2(0.01f, 0.02f).penalty(w).value().toArray());
        assertThat(Constraints.maxNorm(1.5, 0).kerasConfig()).isEqualTo(Constraints.maxNorm(1.5f, 0).kerasConfig())
                .get().extracting(c -> c.config().get("max_value")).isEqualTo(1.5);
        Tensor a = random(4, 3);
        Tensor b = random(4, 3);
        Constraints.maxNorm(0.3, 0).apply(a);
        Constraints.maxNorm(0.3f, 0).apply(b);
        assertThat(a.toArray()).as("max_norm 0.3 from a double and from a float").isEqualTo(b.toArray());
    }

    @Test
    @SuppressWarnings("unchecked")
    void savedConfigsHoldTheNumbersAsWritten() throws IOException {
        Sequential m = Sequential.of(Input.shape(5, 4), new Masking(0.5), new LSTM(3).returnSequences(true)
                .dropout(0.1).recurrentDropout(0.2), new Dropout(0.3), new LeakyReLU(0.2));
        Path out = tmp.resolve("numbers.keras");
        Models.save(m, out);
        Map<String, Object> model = (Map<String, Object>) Json.parse(SaveTest.entry(out, "config.json"));
        Map<String, Map<String, Object>> configs = new HashMap<>();
        for (Object e : (List<Object>) ((Map<String, Object>) model.get("config")).get("layers")) {
            Map<String, Object> entry = (Map<String, Object>) e;
            configs.put((String) entry.get("class_name"), (Map<String, Object>) entry.get("config"));
        }
        assertThat(configs.get("Masking")).containsEntry("mask_value", 0.5);
        assertThat(configs.get("LSTM")).containsEntry("dropout", 0.1).containsEntry("recurrent_dropout", 0.2);
        assertThat(configs.get("Dropout")).containsEntry("rate", 0.3);
        assertThat(configs.get("LeakyReLU")).containsEntry("negative_slope", 0.2);
        KerasModel back = Models.load(out);
        assertThat(((Dropout) back.layers().get(2)).rate()).isEqualTo(0.3f);
        assertThat(((LSTM) back.layers().get(1)).recurrentDropout()).isEqualTo(0.2f);
    }

    @Test
    void outOfRangeValuesAreRefusedAsWrittenNamingLayerAndOption() {
        // Keras checks 0 <= rate <= 1 on the number given: 1 + 1e-9 is refused though its float32 is 1.
        assertThatThrownBy(() -> new Dropout(1 + 1e-9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate must be in [0, 1], got 1.000000001");
        assertThatThrownBy(() -> new GaussianNoise(-0.1)).hasMessageEndingWith("stddev must be in [0, 1], got -0.1");
        assertThatThrownBy(() -> new GaussianNoise(-0.1f)).as("a float argument is named as written too")
                .hasMessageEndingWith("stddev must be in [0, 1], got -0.1");
        assertThatThrownBy(() -> new LSTM(2).named("enc").dropout(1.5))
                .hasMessageContaining("enc").hasMessageContaining("dropout must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> new GRUCell(2).recurrentDropout(Double.NaN))
                .hasMessageContaining("recurrent_dropout must be in [0, 1], got NaN");
        assertThatThrownBy(() -> new MultiHeadAttention(2, 4).dropout(-0.5))
                .hasMessageContaining("dropout must be in [0, 1], got -0.5");
        // Keras refuses a negative slope, however small; its float32 would be -0.
        assertThatThrownBy(() -> new LeakyReLU(-1e-50)).hasMessageContaining("negative_slope must be a number >= 0");
        assertThatThrownBy(() -> new ConvLSTM1D(2, 3).dropout(Double.NaN)).hasMessageContaining("dropout");
        assertThatThrownBy(() -> new LayerNormalization().epsilon(1e-50))
                .hasMessageContaining("epsilon must be > 0 (as a float32), got 1.0E-50");
        assertThat(new ConvLSTM1D(2, 3).dropout(1.5).dropout()).as("ConvLSTM1D clamps as Keras's cell does")
                .isEqualTo(1f);
    }
}
