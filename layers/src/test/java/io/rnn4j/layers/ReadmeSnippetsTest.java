package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Ctc;
import io.rnn4j.layers.losses.Loss;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Mean;
import io.rnn4j.layers.metrics.Metric;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Gradients;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.ops.KerasOps;
import io.rnn4j.layers.optimizers.Optimizer;
import io.rnn4j.layers.optimizers.Optimizers;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The README's API paragraphs written as a Keras user writes them from the README's text alone: each
 * test compiles the README's names and signatures, and each assertion's message is the README claim
 * it checks. Seeds are fixed (Seeds.set / Seeds.of) in each test.
 */
class ReadmeSnippetsTest {

    private static Tensor gaussian(long seed, int... dims) {
        RandomGenerator r = Seeds.of(seed);
        float[] v = new float[Math.toIntExact(Shape.of(dims).size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.of(v, dims);
    }

    @Test
    void stringLookupInvertTurnsIdsIntoStrings() {
        // Keras: StringLookup(vocabulary=["a", "b", "c"], invert=True)(np.array([[1, 2, 3], [0, 9, 2]]))
        // gives [[b'a', b'b', b'c'], [b'[UNK]', b'[UNK]', b'b']] (TensorFlow 2.21, Keras 3.15.1)
        StringLookup chars = new StringLookup().invert(true);
        chars.setVocabulary(List.of("a", "b", "c"));
        assertThat(chars.applyIds(Tensor.of(new float[] {1, 2, 3, 0, 9, 2}, 2, 3)))
                .as("applyIds turns a (batch, n) tensor of ids into rows of strings, any id outside the learned "
                        + "tokens the OOV token")
                .isEqualTo(List.of(List.of("a", "b", "c"), List.of("[UNK]", "[UNK]", "b")));
    }

    /** Python's {@code self.lstm = layers.LSTM(4)} and {@code self.dense = layers.Dense(2)} in a custom layer. */
    static final class Block extends Layer {
        private final LSTM lstm;
        private final Dense dense;

        Block() {
            super("block");
            this.lstm = addSublayer("lstm", new LSTM(4));
            this.dense = addSublayer("dense", new Dense(2));
        }

        @Override
        protected Shape build(Shape shape, RandomGenerator random) {
            lstm.build(shape, device(), random);
            dense.build(lstm.outputShape(), device(), random);
            return dense.outputShape();
        }

        @Override
        protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
            return dense.call(lstm.call(x, null, ctx), null, ctx);
        }
    }

    @Test
    void customLayerOwningSublayersCountsTrainsAndFreezesThem() {
        Seeds.set(11);
        Block block = new Block();
        Sequential m = Sequential.of(Input.shape(5, 3), block);
        assertThat(block.weights().stream().map(Weight::name).toList())
                .as("a sub-layer's weights follow the layer's own in weights()")
                .containsExactly("kernel", "recurrent_kernel", "bias", "kernel", "bias");
        assertThat(m.countParams()).as("sub-layers' weights are counted with the layer's")
                .isEqualTo(3 * 16 + 4 * 16 + 16 + 4 * 2 + 2);
        m.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        List<Tensor> before = block.getWeights();
        m.fit(gaussian(12, 4, 5, 3), gaussian(13, 4, 2), Fit.defaults().epochs(1).batchSize(4).verbose(0));
        assertThat(block.getWeights().get(0).toArray()).as("sub-layers' weights are trained")
                .isNotEqualTo(before.get(0).toArray());
        block.trainable(false);
        assertThat(block.trainableWeights()).as("sub-layers' weights are frozen with the layer").isEmpty();
    }

    @Test
    void explicitMaskReplacesTheMaskAndOnlyMaskTakingLayersAcceptIt() {
        Seeds.set(21);
        Input frames = Input.shape(6, 3);
        Input mask = Input.shape(6).dtype("bool");
        GRU gru = new GRU(4).returnSequences(true);
        var pooled = new GlobalAveragePooling1D().apply(gru.applyWithMask(frames, mask));
        Model model = Model.of(List.of(frames, mask), pooled);
        Tensor x = gaussian(22, 1, 6, 3);
        Tensor y = model.predict(List.of(x, Tensor.of(new float[] {1, 1, 1, 0, 0, 0}, 1, 6))).get(0);

        Input first3 = Input.shape(3, 3);
        Model shorter = Model.of(first3, new GlobalAveragePooling1D().apply(gru.apply(first3)));
        Tensor x3 = Tensor.of(Arrays.copyOf(x.toArray(), 9), 1, 3, 3);
        assertThat(y.toArray()).as("the mask (any value other than 0 true) is passed on as Keras passes it: the "
                + "masked steps count neither in the GRU nor in the pooling")
                .containsExactly(shorter.predict(x3).toArray(), offset(1e-6f));
        assertThat(new GRU(4).applyWithMask(frames, KerasOps.greater(mask, 0)).shape().dims())
                .as("the mask may be any tensor of the model (KerasOps.greater(x, 0))").containsExactly(4);
        assertThatThrownBy(() -> new Dense(2).applyWithMask(frames, mask))
                .as("Dense refuses a mask by name, as Keras raises TypeError")
                .hasMessageContaining("Dense.call takes no mask argument");
    }

    @Test
    void ctcBatchCostIsTfKerasBackendCtcBatchCost() {
        // keras.src.legacy.backend.ctc_batch_cost (TensorFlow 2.21): 0.92130363 with input_length 3 and
        // label_length 2; 1.6094376 with input_length 2 and label_length 1
        Tensor probs = Tensor.of(new float[] {0.6f, 0.3f, 0.1f, 0.2f, 0.7f, 0.1f, 0.1f, 0.1f, 0.8f}, 1, 3, 3);
        Tensor labels = Tensor.of(new float[] {0, 1}, 1, 2);
        Variable loss = Losses.ctcBatchCost().compute(Variable.constant(labels), Variable.constant(probs));
        assertThat(loss.value().item()).as("Losses.ctcBatchCost() is tf.keras's backend.ctc_batch_cost")
                .isCloseTo(0.92130363f, offset(1e-5f));
        Variable per = Ctc.batchCost(labels, Variable.constant(probs), new int[] {2}, new int[] {1});
        assertThat(per.value().toArray()[0]).as("Ctc.batchCost takes per-sample lengths, the rest of each row ignored")
                .isCloseTo(1.6094376f, offset(1e-5f));
    }

    @Test
    void customTrainingLoopRunsOnAFunctionalModelAsWritten() {
        Seeds.set(31);
        Input in = Input.shape(4);
        Model model = Model.of(in, new Dense(3).apply(new Dense(8, "relu").apply(in)));
        Loss lossFn = Losses.get("sparse_categorical_crossentropy");
        Optimizer optimizer = Optimizers.adam();
        Metric accuracy = Metrics.sparseCategoricalAccuracy();
        Tensor xBatch = gaussian(32, 8, 4);
        Tensor yBatch = Tensor.of(new float[] {0, 1, 2, 0, 1, 2, 0, 1}, 8);
        List<Tensor> before = model.getWeights();

        CallContext ctx = CallContext.training(Seeds.next());
        Variable logits = model.call(Variable.constant(xBatch), ctx);
        Variable loss = lossFn.compute(Variable.constant(yBatch), logits);
        for (Variable extra : model.losses(ctx)) {
            loss = Ops.add(loss, extra);
        }
        List<Tensor> grads = Gradients.of(loss, model.trainableWeights());
        optimizer.apply(grads, model.trainableWeights());
        accuracy.update(yBatch, logits.value());

        assertThat(model.getWeights().get(0).toArray()).as("optimizer.apply(grads, vars) steps the weights")
                .isNotEqualTo(before.get(0).toArray());
        assertThat(accuracy.result()).as("update_state; result()").isBetween(0.0, 1.0);
        Input other = Input.shape(4);
        Model twoOutputs = Model.of(other, List.of(new Dense(1).apply(other), new Dense(1).apply(other)));
        assertThatThrownBy(() -> twoOutputs.call(Variable.constant(xBatch), CallContext.inference()))
                .hasMessageContaining("gives 2 outputs");
    }

    @Test
    void customStepsRunInFitAndAMeanTracksByHand() {
        Seeds.set(41);
        Sequential model = Sequential.of(Input.shape(3), new Dense(1));
        model.compile(Optimizers.sgd(0.1), Losses.meanSquaredError(), Metrics.meanAbsoluteError());
        int[] calls = {0};
        model.customSteps().trainStep((data, ctx) -> {
            calls[0]++;
            Variable yPred = ctx.call(data.x());
            Variable loss = ctx.computeLoss(data.y(), yPred, data.sampleWeight());
            ctx.optimizer().apply(Gradients.of(loss, model.trainableWeights()), model.trainableWeights());
            ctx.updateMetrics(loss, data.y(), yPred, data.sampleWeight());
            return ctx.metricsResult();
        });
        History h = model.fit(gaussian(42, 16, 3), gaussian(43, 16, 1),
                Fit.defaults().batchSize(4).epochs(2).verbose(0));
        assertThat(calls[0]).as("fit runs the custom train step per batch").isEqualTo(8);
        assertThat(h.history()).as("the returned map is the batch's logs").containsKeys("loss", "mae");
        Mean tracker = new Mean("loss");
        tracker.updateState(Tensor.of(new float[] {1, 2, 3}, 3));
        assertThat(tracker.result()).as("new Mean(\"loss\") is keras.metrics.Mean").isEqualTo(2.0);
    }

    @Test
    void apiGuidesStepByStep() {
        Seeds.set(51);
        Sequential model = Sequential.of(Input.shape(4), new Dense(3, "relu"), new Dense(2, "relu"), new Dense(1));
        model.pop();
        assertThat(model.predict(gaussian(52, 2, 4)).shape().dims())
                .as("model.pop() removes the last layer (its output follows)").containsExactly(2, 2);
        Model features = Model.of(model.inputs(), model.layers().stream().map(Layer::output).toList());
        assertThat(features.predict(List.of(gaussian(53, 2, 4)))).as("Model.of(...Layer::output) extracts features")
                .hasSize(2);

        Input title = Input.shape(5).named("title");
        Input body = Input.shape(6).named("body");
        var joined = new Concatenate().apply(title, body);
        var priority = new Dense(1, "sigmoid").named("priority").apply(joined);
        var department = new Dense(3, "softmax").named("department").apply(joined);
        Model multi = Model.of(List.of(title, body), List.of(priority, department));
        Loss bce = Losses.binaryCrossentropy();
        Loss cce = Losses.categoricalCrossentropy();
        multi.compile(Optimizers.adam(), Map.of("priority", bce, "department", cce),
                Map.of("priority", 1.0, "department", 0.2));
        Tensor t = gaussian(54, 8, 5);
        Tensor b = gaussian(55, 8, 6);
        Tensor p = Tensor.of(new float[] {0, 1, 0, 1, 0, 1, 0, 1}, 8, 1);
        Tensor d = Tensor.of(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0},
                8, 3);
        History h = multi.fit(Map.of("body", b, "title", t), Map.of("department", d, "priority", p),
                Fit.defaults().epochs(1).batchSize(4).verbose(0));
        assertThat(h.history()).as("a multi-output model fits with dicts keyed by Input and output name")
                .containsKeys("priority_loss", "department_loss");
        List<Tensor> out = multi.predict(Map.of("title", t, "body", b));
        assertThat(out.get(0).toArray()).as("predict by name equals predict in Input order")
                .containsExactly(multi.predict(List.of(t, b)).get(0).toArray());
        assertThatThrownBy(() -> multi.predict(Map.of("title", t))).as("a missing name is refused, naming both")
                .hasMessageContaining("[title, body]").hasMessageContaining("missing [body]");

        KerasModel again = Models.fromJson(Models.toJson(multi));
        again.functional().setWeights(multi.getWeights());
        assertThat(again.predict(List.of(t, b)).get(1).toArray())
                .as("Models.fromJson(Models.toJson(model)) and setWeights(getWeights()) give the same model")
                .containsExactly(out.get(1).toArray());

        Input x = Input.shape(4);
        List<SymbolicTensor> lstmOut = new LSTM(2).returnState(true).applyAll(
                KerasOps.expandDims(x, -1));
        assertThat(Model.of(x, lstmOut).layers().stream().filter(l -> l instanceof LSTM).findFirst().orElseThrow()
                .outputs()).as("an LSTM with return_state's outputs() are all three tensors").hasSize(3);
    }
}
