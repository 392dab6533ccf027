package io.rnn4j.layers.model;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.GradCheck;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Outputs;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SimpleRNN;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Autograd;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.optimizers.Optimizers;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Models used as layers, as Keras nests them: a functional encoder applied in another graph (twice,
 * siamese), a Sequential block inside a functional model, a functional model inside a Sequential.
 * Forwards equal the inner and outer parts run one after the other (bit for bit); every weight's
 * gradient through the nesting matches float64 central differences; masks cross the model
 * boundary both ways (a masked loss equals the flat model's); freezing the inner model freezes its
 * weights; the summary shows the nested model as one row. Seed 101.
 */
class NestedModelsTest {
    private static final long SEED = 101;
    private final Random r = new Random(SEED);

    private static Model encoder() {
        Input in = Input.shape(5, 3).named("enc_in");
        SymbolicTensor h = new LSTM(4).named("enc_lstm").apply(in);
        return Model.of(in, new Dense(3, "tanh").named("enc_dense").apply(h)).named("encoder");
    }

    private static Variable sum(List<Variable> outs) {
        return Ops.sumAll(outs.get(0));
    }

    @Test
    void aFunctionalModelAppliedInAnotherGraphComputesAndTrainsAsItsParts() {
        Seeds.set(SEED);
        Model enc = encoder();
        Input x = Input.shape(5, 3).named("x");
        Dense head = new Dense(2).named("head");
        Model outer = Model.of(x, head.apply(enc.apply(x)));

        assertThat(outer.layers()).extracting(l -> l.name()).containsExactly("x", "encoder", "head");
        assertThat(outer.weights()).hasSize(enc.weights().size() + 2);
        assertThat(outer.summary()).contains("encoder (Functional)").contains(String.format("%,d", enc.countParams()));

        Tensor data = uniform(r, -1, 1, 3, 5, 3);
        float[] want;
        try (var _ = Autograd.noGrad()) {
            want = head.call(Variable.constant(enc.predict(data)), null, CallContext.inference()).value().toArray();
        }
        assertThat(outer.predict(data).toArray()).containsExactly(want);
        GradCheck.checkParameters("Dense after a nested LSTM encoder", () -> sum(outer.call(
                List.of(Variable.constant(data)), CallContext.inference())), SharedLayersTest.parameters(outer.weights()));

        // Frozen inner model: training moves only the head.
        enc.trainable(false);
        List<Tensor> encBefore = enc.getWeights();
        List<Tensor> headBefore = head.getWeights();
        outer.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        outer.trainOnBatch(List.of(data), List.of(uniform(r, -1, 1, 3, 2)));
        for (int i = 0; i < encBefore.size(); i++) {
            assertThat(enc.getWeights().get(i).toArray()).containsExactly(encBefore.get(i).toArray());
        }
        assertThat(head.getWeights().get(0).toArray()).isNotEqualTo(headBefore.get(0).toArray());
        assertThat(outer.summary()).contains("Non-trainable params: " + String.format("%,d", enc.countParams()));
    }

    @Test
    void aNestedModelAppliedTwiceIsOneSetOfWeights() {
        Seeds.set(SEED);
        Model enc = encoder();
        Input a = Input.shape(5, 3);
        Input b = Input.shape(5, 3);
        SymbolicTensor ea = enc.apply(a);
        SymbolicTensor eb = enc.apply(b);
        Model siamese = Model.of(List.of(a, b), List.of(new Dense(1).apply(new io.rnn4j.layers.Concatenate()
                .apply(ea, eb))));
        assertThat(enc.inboundNodes()).hasSize(2);
        assertThat(siamese.weights()).hasSize(enc.weights().size() + 2);
        Tensor xa = uniform(r, -1, 1, 2, 5, 3);
        Tensor xb = uniform(r, -1, 1, 2, 5, 3);
        GradCheck.checkParameters("siamese nested encoder", () -> sum(siamese.call(List.of(Variable.constant(xa),
                Variable.constant(xb)), CallContext.inference())), SharedLayersTest.parameters(siamese.weights()));
    }

    @Test
    void sequentialAndFunctionalNestEitherWay() {
        Seeds.set(SEED);
        Sequential block = Sequential.of(new SimpleRNN(4).returnSequences(true), new Dense(2)).named("block");
        Input in = Input.shape(6, 3);
        Dense last = new Dense(1).named("last");
        Model fn = Model.of(in, last.apply(block.apply(in)));
        assertThat(block.isBuilt()).isTrue();
        assertThat(block.inputShape()).isEqualTo(io.rnn4j.engine.Shape.of(6, 3));
        Tensor x = uniform(r, -1, 1, 2, 6, 3);
        float[] want;
        try (var _ = Autograd.noGrad()) {
            want = last.call(Variable.constant(block.predict(x)), null, CallContext.inference()).value().toArray();
        }
        assertThat(fn.predict(x).toArray()).containsExactly(want);
        GradCheck.checkParameters("Sequential inside a functional model", () -> sum(fn.call(
                List.of(Variable.constant(x)), CallContext.inference())), SharedLayersTest.parameters(fn.weights()));

        Model enc = encoder();
        Dense out = new Dense(1);
        Sequential outer = Sequential.of(Input.shape(5, 3), enc, out);
        assertThat(outer.layers()).containsExactly(enc, out);
        Tensor y = uniform(r, -1, 1, 2, 5, 3);
        try (var _ = Autograd.noGrad()) {
            want = out.call(Variable.constant(enc.predict(y)), null, CallContext.inference()).value().toArray();
        }
        assertThat(outer.predict(y).toArray()).containsExactly(want);
        assertThat(outer.summary()).contains("encoder (Functional)");
        GradCheck.checkParameters("functional model inside a Sequential", () -> outer.call(Variable.constant(y),
                CallContext.inference()), SharedLayersTest.parameters(outer.weights()));
    }

    @Test
    void aModelThatDoesNotFitItsPlaceIsRefused() {
        Model enc = encoder();
        assertThatThrownBy(() -> Sequential.of(Input.shape(6, 3), enc)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'encoder' was built for input [(None, 5, 3)] but follows output "
                        + "(None, 6, 3)");
        assertThatThrownBy(() -> enc.apply(Input.shape(4, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected shape=(None, 5, 3), found shape=(None, 4, 3)");
        Input a = Input.shape(2);
        Model two = Model.of(List.of(a), List.of(new Dense(1).apply(a), new Dense(1).apply(a)));
        assertThatThrownBy(() -> Sequential.of(Input.shape(2), two)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes 1 inputs and gives 2 outputs");
    }

    @Test
    void masksCrossTheModelBoundary() {
        Seeds.set(SEED);
        // Flat: Embedding(mask_zero) -> LSTM(seq) -> Dense(softmax).
        Sequential flat = Sequential.of(Input.shape(6), new Embedding(7, 3).maskZero(true),
                new LSTM(4).returnSequences(true), new Dense(3, "softmax"));
        // Nested: the same layers, the recurrent part in an inner Sequential fed the Embedding's mask.
        Input ids = Input.shape(6);
        SymbolicTensor e = new Embedding(7, 3).maskZero(true).apply(ids);
        Sequential inner = Sequential.of(new LSTM(4).returnSequences(true)).named("inner");
        Model nested = Model.of(ids, new Dense(3, "softmax").apply(inner.apply(e)));
        nested.setWeights(flat.getWeights());
        Tensor x = Tensor.of(new float[] {1, 2, 3, 0, 0, 0, 4, 5, 6, 1, 2, 0}, 2, 6);
        Tensor y = Tensor.of(new float[] {0, 1, 2, 2, 2, 2, 1, 1, 0, 0, 2, 1}, 2, 6);
        try (var _ = Autograd.noGrad()) {
            Outputs o = nested.callWithMasks(List.of(Variable.constant(x)), null, CallContext.inference());
            assertThat(o.masks().get(0)).isNotNull();
            assertThat(o.masks().get(0).toArray()).containsExactly(1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 0);
        }
        flat.compile(Optimizers.adam(), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
        nested.compile(Optimizers.adam(), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
        Evaluation ef = flat.evaluate(x, y);
        Evaluation en = nested.evaluate(List.of(x), List.of(y));
        assertThat(en.loss()).isEqualTo(ef.loss());
        assertThat(en.metric("accuracy")).isEqualTo(ef.metric("accuracy"));
    }

    @Test
    void nestedWeightsAreListedOnceEach() {
        Model enc = encoder();
        Input in = Input.shape(5, 3);
        Model wrap = Model.of(in, enc.apply(in));
        List<Weight> ws = wrap.weights();
        assertThat(ws).hasSize(enc.weights().size());
        assertThat(ws).containsExactlyElementsOf(enc.weights());
    }
}
