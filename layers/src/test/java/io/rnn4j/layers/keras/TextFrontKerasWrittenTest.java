package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keras's {@code model.fit(texts, y)} and {@code evaluate(texts, y)} on a model whose string input
 * goes into its text front, against Keras 3.15.1 (keras3151/make_textfront.py: a TextVectorization
 * with output_sequence_length → Embedding(mask_zero) → LSTM → Dense, a tf_idf TextVectorization →
 * Dense → Dense, a one_hot StringLookup on one token per row → Dense → Dense; one SGD(0.5) epoch,
 * batches of 4, unshuffled, mse): predictText before, the epoch's loss, evaluateText after and
 * predictText after, each within Keras3151's bar (1e-5 + 1e-5·|y|, float32 rounding).
 */
class TextFrontKerasWrittenTest {

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}: fitText and evaluateText on raw strings as Keras's fit and evaluate")
    @ValueSource(strings = {"seq_lstm", "seq_tf_idf", "seq_lookup"})
    void fitsAndEvaluatesOnStringsAsKeras(String name) throws IOException {
        Map<String, Object> f = (Map<String, Object>) Json.parse(Files.readString(resource("textfront.json")));
        List<String> texts = (List<String>) f.get("texts");
        if (name.equals("seq_lookup")) { // one token per row: each text's first word ("none" if none), as the script
            texts = texts.stream().map(t -> t.isEmpty() ? "none" : t.split(" ", -1)[0]).toList();
        }
        Map<String, Object> want = (Map<String, Object>) f.get(name);
        Tensor labels = Tensor.of(doubles((List<Double>) f.get("labels")), texts.size(), 1);

        KerasModel m = Models.load(resource("textfront_" + name + ".keras"));
        assertClose(name + " predictText before the epoch", m.predictText(texts).toArray(),
                values(want.get("y")));
        m.sequential().compile(Optimizers.sgd(0.5), Losses.meanSquaredError());
        History h = m.fitText(texts, labels, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertClose(name + " fitText's epoch loss", new float[] {(float) h.last("loss")},
                new double[] {(Double) want.get("fit_loss")});
        assertClose(name + " evaluateText's loss after the epoch",
                new float[] {(float) m.evaluateText(texts, labels).loss()},
                new double[] {(Double) want.get("eval_loss")});
        float[] after = m.predictText(texts).toArray();
        assertClose(name + " predictText after the epoch", after, values(want.get("y_after")));
        assertThat(after).as("%s: the epoch changed the model", name).isNotEqualTo(m.predictText(texts.reversed())
                .toArray());
    }

    @SuppressWarnings("unchecked")
    private static double[] values(Object list) {
        return ((List<Double>) list).stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static float[] doubles(List<Double> l) {
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = l.get(i).floatValue();
        }
        return out;
    }
}
