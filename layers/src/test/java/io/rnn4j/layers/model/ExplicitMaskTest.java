package io.rnn4j.layers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Masking;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.ops.KerasOps;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras's {@code layer(x, mask=m)} in the functional API, {@code applyWithMask}: the given mask
 * replaces the one the input carries, is passed on as the layer computes it, is a parent of the
 * call (graph order, connections, cuts), and saves and loads as Keras writes it.
 */
class ExplicitMaskTest {
    private static final long SEED = 77;

    @TempDir
    Path tmp;

    /** (4, 5, 3) sequences whose last {@code 4 - s} steps (sample s) are zeros, and their 1/0 mask (4, 5). */
    private static Tensor[] padded() {
        SplittableRandom r = new SplittableRandom(SEED);
        float[] x = new float[4 * 5 * 3];
        float[] m = new float[4 * 5];
        for (int s = 0; s < 4; s++) {
            for (int t = 0; t < 1 + s; t++) {
                m[s * 5 + t] = 1;
                for (int j = 0; j < 3; j++) {
                    x[(s * 5 + t) * 3 + j] = (float) r.nextGaussian();
                }
            }
        }
        return new Tensor[] {Tensor.of(x, 4, 5, 3), Tensor.of(m, 4, 5)};
    }

    private static Tensor ones() {
        float[] v = new float[4 * 5];
        java.util.Arrays.fill(v, 1f);
        return Tensor.of(v, 4, 5);
    }

    private static void copyWeights(Model from, Model to) {
        for (int i = 0; i < from.weights().size(); i++) {
            to.weights().get(i).set(from.weights().get(i).value());
        }
    }

    @Test
    void anExplicitMaskGivesWhatMaskingGivesAndIsPassedOn() {
        System.out.println("ExplicitMaskTest seed " + SEED);
        Seeds.set(SEED);
        Input x = Input.shape(5, 3);
        SymbolicTensor h = new Masking().apply(x);
        h = new GRU(4).returnSequences(true).apply(h);
        Model masking = Model.of(x, new LSTM(2).apply(h));
        Input features = Input.shape(5, 3);
        Input mask = Input.shape(5).dtype("bool");
        SymbolicTensor g = new GRU(4).returnSequences(true).applyWithMask(features, mask);
        Model explicit = Model.of(List.of(features, mask), List.of(new LSTM(2).apply(g)));
        copyWeights(masking, explicit);
        Tensor[] data = padded();
        float[] want = masking.predict(data[0]).toArray();
        assertThat(explicit.predict(List.of(data[0], data[1])).get(0).toArray())
                .as("GRU(mask=m) -> LSTM against Masking -> GRU -> LSTM").isEqualTo(want);
        Tensor ones = ones();
        assertThat(explicit.predict(List.of(data[0], ones)).get(0).toArray()).as("an all-true mask reads the zeros")
                .isNotEqualTo(want);
    }

    @Test
    void theGivenMaskReplacesTheOneTheInputCarries() {
        Seeds.set(SEED);
        Input x = Input.shape(5, 3);
        Input mask = Input.shape(5);
        SymbolicTensor masked = new Masking().apply(x);
        Model replaced = Model.of(List.of(x, mask), List.of(new GRU(3).applyWithMask(masked, mask)));
        Input y = Input.shape(5, 3);
        Model unmasked = Model.of(y, new GRU(3).apply(y));
        copyWeights(replaced, unmasked);
        Tensor[] data = padded();
        assertThat(replaced.predict(List.of(data[0], ones())).get(0).toArray())
                .as("Masking's mask replaced by an all-true one").isEqualTo(unmasked.predict(data[0]).toArray());
    }

    @Test
    void aMaskComputedInTheModelSavesAndLoadsAsAKwarg() throws IOException {
        Seeds.set(SEED);
        Input features = Input.shape(5, 3).named("features");
        Input lengths = Input.shape(5).named("steps");
        SymbolicTensor mask = KerasOps.greater(lengths, 0.5);
        SymbolicTensor h = new GRU(4).returnSequences(true).named("gru").applyWithMask(features, mask);
        Model model = Model.of(List.of(features, lengths), List.of(new Dense(1).apply(new LSTM(2).apply(h))));
        // the mask is a parent of gru's call, as in Keras: it comes before gru, and steps before features
        assertThat(model.layers().stream().map(l -> l.className()).toList()).containsExactly("InputLayer", "InputLayer",
                "Greater", "GRU", "LSTM", "Dense");
        assertThat(model.layers().get(0).name()).isEqualTo("steps");
        assertThat(model.summary()).contains("features[0][0],").containsPattern("greater(_\\d+)?\\[0\\]\\[0\\]");
        Tensor[] data = padded();
        float[] soft = data[1].toArray();
        for (int i = 0; i < soft.length; i++) {
            soft[i] = soft[i] * 0.9f;  // 0.9 > 0.5: the same mask
        }
        List<Tensor> in = List.of(data[0], Tensor.of(soft, 4, 5));
        Path file = tmp.resolve("computed_mask.keras");
        Models.save(model, file);
        Model back = Models.load(file).functional();
        assertThat(back.nodes(back.layer("gru")).get(0).mask().layer().className()).isEqualTo("Greater");
        assertThat(back.predict(in).get(0).toArray()).as("after save and load, bit for bit")
                .isEqualTo(model.predict(in).get(0).toArray());
    }

    @Test
    void aCutBeforeTheMaskedLayerAppliesItAgainWithItsMask() {
        Seeds.set(SEED);
        Input features = Input.shape(5, 3);
        Input mask = Input.shape(5);
        SymbolicTensor d = new Dense(3).named("proj").apply(features);
        GRU gru = new GRU(2);
        Model whole = Model.of(List.of(features, mask), List.of(gru.applyWithMask(d, mask)));
        Model cut = Model.of(List.of(d, mask), whole.outputs());
        Tensor[] data = padded();
        Tensor projected = whole.layer("proj").call(io.rnn4j.layers.autograd.Variable.constant(data[0]), null,
                io.rnn4j.layers.CallContext.inference()).value();
        assertThat(cut.predict(List.of(projected, data[1])).get(0).toArray())
                .isEqualTo(whole.predict(List.of(data[0], data[1])).get(0).toArray());
    }

    @Test
    void badMasksAreRefusedByName() {
        Input features = Input.shape(5, 3);
        assertThatThrownBy(() -> new GRU(2).named("g").applyWithMask(features, Input.shape(4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Layer 'g' (GRU): expected a mask of the input's leading axes, e.g. (None, 5) "
                        + "for an input of (None, 5, 3), got a mask of (None, 4)");
        assertThatThrownBy(() -> new GRU(2).named("g").applyWithMask(features, Input.shape(5, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got a mask of (None, 5, 3)");
        assertThatThrownBy(() -> new GRU(2).named("g").applyWithMask(features, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Layer 'g' (GRU): the mask is null");
        // int32 is taken (token ids, MaskingAndPaddingGuideTest); a dtype rnn4j does not compute in is refused
        assertThatThrownBy(() -> Input.shape(5).dtype("float64")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"int32\" or \"int64\", got \"float64\"");
        Input x = Input.shape(5, 1);
        SymbolicTensor mask = KerasOps.greater(new io.rnn4j.layers.Reshape(5).apply(x), 0.0);
        Model chain = Model.of(x, new Dense(1).apply(new GRU(2).named("g").applyWithMask(x, mask)));
        assertThatThrownBy(chain::stepRunner).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'g' (GRU) is applied to 2 tensors");
    }

    @Test
    void layersWhoseKerasCallTakesNoMaskRefuseOne() {
        // Keras 3.15.1: Dense()(x, mask=m) and the others raise TypeError (unexpected keyword argument 'mask')
        Input x = Input.shape(4, 3);
        Input m = Input.shape(4);
        List<io.rnn4j.layers.Layer> refused = List.of(new Dense(2), new io.rnn4j.layers.Dropout(0.5),
                new io.rnn4j.layers.GlobalMaxPooling1D());
        for (io.rnn4j.layers.Layer l : refused) {
            assertThatThrownBy(() -> l.applyWithMask(x, m)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Layer '" + l.name() + "' (" + l.className() + "): Keras's " + l.className()
                            + ".call takes no mask argument");
        }
        io.rnn4j.layers.MultiHeadAttention mha = new io.rnn4j.layers.MultiHeadAttention(1, 2);
        assertThatThrownBy(() -> mha.applyAllWithMask(List.of(x, x), m)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MultiHeadAttention.call takes no mask argument");
        io.rnn4j.layers.Concatenate cat = new io.rnn4j.layers.Concatenate();
        assertThatThrownBy(() -> cat.applyAllWithMask(List.of(x, x), m)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Concatenate.call takes no mask argument");
        assertThatThrownBy(() -> new io.rnn4j.layers.Attention().applyAllWithMask(List.of(x, x), m))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("as a list [query_mask, value_mask]");
        // the layers whose call takes one still do
        assertThat(new io.rnn4j.layers.GlobalAveragePooling1D().applyWithMask(x, m).shape().dims())
                .containsExactly(3);
    }
}
