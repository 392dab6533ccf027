package io.rnn4j.layers.model;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Activation;
import io.rnn4j.layers.Attention;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Concatenate;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Embedding;
import io.rnn4j.layers.GRU;
import io.rnn4j.layers.GRUCell;
import io.rnn4j.layers.GradCheck;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.LayerNormalization;
import io.rnn4j.layers.MergeMode;
import io.rnn4j.layers.RNN;
import io.rnn4j.layers.RnnOutput;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.optimizers.Optimizers;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The functional Model: Keras's example, layer and weight order, summary, initial_state and
 * return_state wired through the graph, masks carried along it, two inputs and two outputs that
 * fit and evaluate (the logged losses checked against the formula), the whole graph's gradients
 * against float64 central differences, and predict from several threads. Seed 61.
 */
class ModelTest {
    private final Random r = new Random(61);

    @Test
    void theBriefsExampleBuildsPredictsAndSummarises() {
        var in = Input.shape(10, 8).named("in");
        var h = new LSTM(32).returnSequences(true).named("lstm").apply(in);
        var out = new Dense(1).named("dense").apply(h);
        var model = Model.of(List.of(in), List.of(out)).named("example");
        assertThat(model.layers()).extracting(Layer::name).containsExactly("in", "lstm", "dense");
        assertThat(model.outputShapes()).containsExactly(Shape.of(10, 1));
        assertThat(model.countParams()).isEqualTo(4 * 32 * (8 + 32 + 1) + 33);
        Tensor y = model.predict(uniform(r, -1, 1, 3, 10, 8));
        assertThat(y.shape()).isEqualTo(Shape.of(3, 10, 1));
        // A chain: Keras's three-column table, Inputs listed.
        assertThat(model.summary()).isEqualTo("""
                Model: "example"
                ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━┓
                ┃ Layer (type)                        ┃ Output Shape                ┃          Param # ┃
                ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━┩
                │ in (InputLayer)                     │ (None, 10, 8)               │                0 │
                ├─────────────────────────────────────┼─────────────────────────────┼──────────────────┤
                │ lstm (LSTM)                         │ (None, 10, 32)              │            5,248 │
                ├─────────────────────────────────────┼─────────────────────────────┼──────────────────┤
                │ dense (Dense)                       │ (None, 10, 1)               │               33 │
                └─────────────────────────────────────┴─────────────────────────────┴──────────────────┘
                 Total params: 5,281 (20.63 KB)
                 Trainable params: 5,281 (20.63 KB)
                 Non-trainable params: 0 (0.00 B)
                """);
    }

    @Test
    void summaryOfAGraphHasKerassConnectedToColumn() {
        // Expected text: Keras's layout (108 columns at 30/56/74%) as the rich library renders these rows.
        var encIn = Input.shape(6, 3).named("encoder_input");
        var decIn = Input.shape(4, 2).named("decoder_input");
        List<SymbolicTensor> enc = new LSTM(5).returnState(true).returnSequences(true).named("encoder")
                .applyAll(encIn);
        var dec = new LSTM(5).returnSequences(true).named("decoder").apply(decIn, enc.subList(1, 3));
        var context = new Attention().named("attention").apply(dec, enc.get(0));
        var joined = new Concatenate().named("concatenate").apply(dec, context);
        var out = new Dense(7, "softmax").named("a_dense_layer_with_a_long_name").apply(joined);
        Model m = Model.of(List.of(encIn, decIn), List.of(out)).named("seq2seq");
        assertThat(m.summary()).isEqualTo("Model: \"seq2seq\"\n" + """
                ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
                ┃ Layer (type)                  ┃ Output Shape              ┃         Param # ┃ Connected to               ┃
                ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
                │ encoder_input (InputLayer)    │ (None, 6, 3)              │               0 │ -                          │
                ├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
                │ decoder_input (InputLayer)    │ (None, 4, 2)              │               0 │ -                          │
                ├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
                │ encoder (LSTM)                │ [(None, 6, 5), (None, 5), │             180 │ encoder_input[0][0]        │
                │                               │ (None, 5)]                │                 │                            │
                ├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
                │ decoder (LSTM)                │ (None, 4, 5)              │             160 │ decoder_input[0][0],       │
                │                               │                           │                 │ encoder[0][1],             │
                │                               │                           │                 │ encoder[0][2]              │
                ├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
                │ attention (Attention)         │ (None, 4, 5)              │               0 │ decoder[0][0],             │
                │                               │                           │                 │ encoder[0][0]              │
                ├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
                │ concatenate (Concatenate)     │ (None, 4, 10)             │               0 │ decoder[0][0],             │
                │                               │                           │                 │ attention[0][0]            │
                ├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
                │ a_dense_layer_with_a_long_na… │ (None, 4, 7)              │              77 │ concatenate[0][0]          │
                │ (Dense)                       │                           │                 │                            │
                └───────────────────────────────┴───────────────────────────┴─────────────────┴────────────────────────────┘
                 Total params: 417 (1.63 KB)
                 Trainable params: 417 (1.63 KB)
                 Non-trainable params: 0 (0.00 B)
                """);
    }

    @Test
    void aChainGivesSequentialsNumbersWithTheSameWeights() {
        Sequential seq = Sequential.of(Input.shape(5, 3), new GRU(4).returnSequences(true), new LayerNormalization(),
                new LSTM(3), new Dense(2, Activation.TANH));
        var in = Input.shape(5, 3);
        var h = new GRU(4).returnSequences(true).apply(in);
        h = new LayerNormalization().apply(h);
        h = new LSTM(3).apply(h);
        var model = Model.of(in, new Dense(2, Activation.TANH).apply(h));
        assertThat(model.weights()).extracting(Weight::name)
                .containsExactlyElementsOf(seq.weights().stream().map(Weight::name).toList());
        model.setWeights(seq.getWeights());
        Tensor x = uniform(r, -1, 1, 7, 5, 3);
        assertThat(model.predict(x).toArray()).containsExactly(seq.predict(x).toArray());
    }

    @Test
    void layersAndWeightsComeInKerassOrder() {
        // Keras's map_graph: depth = longest path to the output; by depth descending, ties in the order
        // a depth-first walk from the output first meets the layers (out, cat, d1, a, d3, d2, b).
        var a = Input.shape(3).named("a");
        var b = Input.shape(2).named("b");
        var x1 = new Dense(4).named("d1").apply(a);
        var x2 = new Dense(4).named("d2").apply(b);
        var x3 = new Dense(4).named("d3").apply(x2);
        var out = new Dense(1).named("out").apply(new Concatenate().named("cat").apply(x1, x3));
        Model m = Model.of(List.of(a, b), List.of(out));
        assertThat(m.layers()).extracting(Layer::name).containsExactly("b", "a", "d2", "d1", "d3", "cat", "out");
        assertThat(m.weights()).extracting(Weight::path).containsExactly("d2/kernel", "d2/bias", "d1/kernel",
                "d1/bias", "d3/kernel", "d3/bias", "out/kernel", "out/bias");
        assertThat(m.summary()).contains("┃ Connected to ").contains("│ cat (Concatenate)             │ (None, 8)  ")
                .contains("│ d1[0][0], d3[0][0]         │").contains("│ b (InputLayer)                │ (None, 2)  ");
    }

    @Test
    void initialAndReturnedStatesAreWiredThroughTheGraph() {
        var encIn = Input.shape(6, 3);
        var decIn = Input.shape(4, 2);
        LSTM encoder = new LSTM(5).returnState(true);
        List<SymbolicTensor> enc = encoder.applyAll(encIn);
        assertThat(enc).extracting(SymbolicTensor::shape).containsExactly(Shape.of(5), Shape.of(5), Shape.of(5));
        LSTM decoder = new LSTM(5).returnSequences(true);
        var dec = decoder.apply(decIn, enc.subList(1, 3));
        RNN cellDecoder = new RNN(new GRUCell(5)).returnSequences(true).returnState(true);
        List<SymbolicTensor> second = cellDecoder.applyAll(dec, List.of(enc.get(0)));
        Dense head = new Dense(2);
        var out = head.apply(second.get(0));
        Model m = Model.of(List.of(encIn, decIn), List.of(out, second.get(1)));
        Tensor xe = uniform(r, -1, 1, 3, 6, 3);
        Tensor xd = uniform(r, -1, 1, 3, 4, 2);
        List<Tensor> y = m.predict(List.of(xe, xd));

        CallContext ctx = CallContext.inference();
        RnnOutput e = encoder.run(Variable.constant(xe), null, null, ctx);
        RnnOutput d = decoder.run(Variable.constant(xd), null, e.states(), ctx);
        RnnOutput g = cellDecoder.run(d.output(), null, List.of(e.output()), ctx);
        assertThat(y.get(0).toArray()).containsExactly(head.call(g.output(), null, ctx).value().toArray());
        assertThat(y.get(1).toArray()).containsExactly(g.states().get(0).value().toArray());
    }

    @Test
    void bidirectionalTakesAndGivesBothDirectionsStates() {
        var x = Input.shape(5, 3);
        Bidirectional first = new Bidirectional(new LSTM(4).returnSequences(true).returnState(true));
        List<SymbolicTensor> a = first.applyAll(x);
        assertThat(a).extracting(SymbolicTensor::shape).containsExactly(Shape.of(5, 8), Shape.of(4), Shape.of(4),
                Shape.of(4), Shape.of(4));
        Bidirectional second = new Bidirectional(new GRU(4).returnState(true), MergeMode.SUM);
        List<SymbolicTensor> b = second.applyAll(a.get(0), List.of(a.get(1), a.get(3)));
        assertThat(b).extracting(SymbolicTensor::shape).containsExactly(Shape.of(4), Shape.of(4), Shape.of(4));
        Model m = Model.of(List.of(x), List.of(b.get(0), b.get(2)));
        Tensor in = uniform(r, -1, 1, 2, 5, 3);
        List<Tensor> y = m.predict(List.of(in));
        CallContext ctx = CallContext.inference();
        List<Variable> ra = first.run(Variable.constant(in), null, null, ctx);
        List<Variable> rb = second.run(ra.get(0), null, List.of(ra.get(1), ra.get(3)), ctx);
        assertThat(y.get(0).toArray()).containsExactly(rb.get(0).value().toArray());
        assertThat(y.get(1).toArray()).containsExactly(rb.get(2).value().toArray());
    }

    @Test
    void masksTravelAlongTheGraph() {
        // Encoder ids with padding 0 (mask_zero), decoder ids too: the attention weights must be 0 at
        // padded encoder steps (value mask) and the context 0 at padded decoder steps (query mask).
        var src = Input.shape(5).named("src");
        var tgt = Input.shape(3).named("tgt");
        var encoded = new GRU(4).returnSequences(true).apply(new Embedding(6, 3).maskZero(true).apply(src));
        var decoded = new GRU(4).returnSequences(true).apply(new Embedding(6, 3).maskZero(true).apply(tgt));
        List<SymbolicTensor> att = new Attention().returnAttentionScores(true).applyAll(decoded, encoded);
        Model m = Model.of(List.of(src, tgt), List.of(att.get(0), att.get(1)));
        Tensor ids = Tensor.of(new float[] {1, 2, 3, 0, 0, 4, 5, 1, 2, 0}, 2, 5);
        Tensor dec = Tensor.of(new float[] {2, 0, 3, 1, 1, 0}, 2, 3);
        List<Tensor> y = m.predict(List.of(ids, dec));
        float[] context = y.get(0).toArray();
        float[] weights = y.get(1).toArray();
        float[] src0 = ids.toArray();
        float[] tgt0 = dec.toArray();
        for (int n = 0; n < 2; n++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 5; j++) {
                    float w = weights[(n * 3 + i) * 5 + j];
                    if (src0[n * 5 + j] == 0) {
                        assertThat(w).as("weight of padded source step %d,%d,%d", n, i, j).isEqualTo(0f);
                    }
                }
                for (int c = 0; c < 4; c++) {
                    if (tgt0[n * 3 + i] == 0) {
                        assertThat(context[(n * 3 + i) * 4 + c]).as("context at padded target step").isEqualTo(0f);
                    } else {
                        assertThat(context[(n * 3 + i) * 4 + c]).isNotEqualTo(0f);
                    }
                }
            }
        }
    }

    /** Two inputs (a sequence, a vector) and two outputs (a regression, a 3-class softmax). */
    private Model twoByTwo() {
        var seq = Input.shape(6, 2).named("seq");
        var vec = Input.shape(3).named("vec");
        var h = new GRU(8).apply(seq);
        var both = new Concatenate().apply(h, vec);
        var reg = new Dense(1).named("reg").apply(both);
        var cls = new Dense(3, Activation.SOFTMAX).named("cls").apply(new Dense(8, "relu").apply(both));
        return Model.of(List.of(seq, vec), List.of(reg, cls));
    }

    /** Targets: reg = sum of the sequence's last step + mean of the vector; cls = argmax of the vector. */
    private static Tensor[] twoByTwoData(Random r, int n) {
        Tensor seq = uniform(r, -1, 1, n, 6, 2);
        Tensor vec = uniform(r, -1, 1, n, 3);
        float[] s = seq.toArray();
        float[] v = vec.toArray();
        float[] reg = new float[n];
        float[] cls = new float[n * 3];
        for (int i = 0; i < n; i++) {
            reg[i] = s[(i * 6 + 5) * 2] + s[(i * 6 + 5) * 2 + 1] + (v[i * 3] + v[i * 3 + 1] + v[i * 3 + 2]) / 3;
            int best = 0;
            for (int c = 1; c < 3; c++) {
                best = v[i * 3 + c] > v[i * 3 + best] ? c : best;
            }
            cls[i * 3 + best] = 1;
        }
        return new Tensor[] {seq, vec, Tensor.of(reg, n, 1), Tensor.of(cls, n, 3)};
    }

    @Test
    void twoInputsAndTwoOutputsFitAndEvaluate() {
        Seeds.set(61);
        Model m = twoByTwo();
        m.compile(Optimizers.adam(0.01), List.of(Losses.meanSquaredError(), Losses.categoricalCrossentropy()),
                List.of(1.0, 0.5), List.of(List.of(Metrics.meanAbsoluteError()),
                        List.of(Metrics.categoricalAccuracy())));
        Tensor[] train = twoByTwoData(r, 256);
        Tensor[] val = twoByTwoData(r, 64);
        History h = m.fit(List.of(train[0], train[1]), List.of(train[2], train[3]), Fit.defaults().batchSize(32).epochs(12)
                .validationData(List.of(val[0], val[1]), List.of(val[2], val[3])).seed(3).verbose(0));
        // Keras 3's order (Trainer.metrics): the loss, the compiled metrics, then each output's loss.
        assertThat(h.history().keySet()).containsExactly("loss", "reg_mae", "cls_categorical_accuracy", "reg_loss",
                "cls_loss", "val_loss", "val_reg_mae", "val_cls_categorical_accuracy", "val_reg_loss",
                "val_cls_loss");
        System.out.printf("two-by-two: loss per epoch %s, val accuracy %s%n", h.get("loss"),
                h.get("val_cls_categorical_accuracy"));
        assertThat(h.last("loss")).as("training loss falls to under half its first epoch's").isLessThan(
                0.5 * h.get("loss").get(0));
        assertThat(h.last("val_cls_categorical_accuracy")).as("argmax of 3 learned (chance 1/3)").isGreaterThan(0.7);

        Evaluation e = m.evaluate(List.of(val[0], val[1]), List.of(val[2], val[3]));
        assertThat(e.asMap().keySet()).containsExactly("loss", "reg_mae", "cls_categorical_accuracy", "reg_loss",
                "cls_loss");
        assertThat(e.loss()).isEqualTo(h.last("val_loss"));
        // The logged numbers are Keras's formulas over the predictions.
        List<Tensor> p = m.predict(List.of(val[0], val[1]));
        float[] reg = p.get(0).toArray();
        float[] cls = p.get(1).toArray();
        float[] yReg = val[2].toArray();
        float[] yCls = val[3].toArray();
        double mse = 0;
        double mae = 0;
        double ce = 0;
        for (int i = 0; i < 64; i++) {
            mse += (reg[i] - yReg[i]) * (reg[i] - yReg[i]) / 64.0;
            mae += Math.abs(reg[i] - yReg[i]) / 64.0;
            for (int c = 0; c < 3; c++) {
                ce -= yCls[i * 3 + c] * Math.log(Math.min(Math.max(cls[i * 3 + c], 1e-7), 1 - 1e-7)) / 64.0;
            }
        }
        assertThat(e.metric("reg_loss")).isCloseTo(mse, within(1e-5 * Math.max(1, mse)));
        assertThat(e.metric("reg_mae")).isCloseTo(mae, within(1e-5));
        assertThat(e.metric("cls_loss")).isCloseTo(ce, within(1e-5 * Math.max(1, ce)));
        assertThat(e.loss()).as("loss = 1.0 * reg_loss + 0.5 * cls_loss").isCloseTo(mse + 0.5 * ce,
                within(1e-5 * Math.max(1, mse + ce)));
    }

    @Test
    void oneLossForEveryOutputWithoutWeights() {
        Model m = twoByTwo();
        m.compile(Optimizers.sgd(), Losses.meanAbsoluteError());
        Tensor[] d = twoByTwoData(r, 10);
        // equal batches: over a partial last batch Keras (TensorFlow) averages each output's loss per batch
        // and the total per sample, so the sum holds only with equal batches, as in Keras
        Evaluation e = m.evaluate(List.of(d[0], d[1]), List.of(d[2], d[3]), 5);
        assertThat(e.loss()).isCloseTo(e.metric("reg_loss") + e.metric("cls_loss"), within(1e-6));
        double before = e.loss();
        double first = m.trainOnBatch(List.of(d[0], d[1]), List.of(d[2], d[3]));
        assertThat(first).isCloseTo(before, within(1e-6));
    }

    @Test
    void theWholeGraphsGradientsMatchFiniteDifferences() {
        var seq = Input.shape(3, 2);
        var vec = Input.shape(2);
        List<SymbolicTensor> enc = new GRU(2).returnSequences(true).returnState(true).applyAll(seq);
        var dec = new LSTM(2).returnSequences(true).apply(seq, List.of(enc.get(1), new Dense(2).apply(vec)));
        var context = new Attention().useScale(true).apply(dec, enc.get(0));
        var joined = new LayerNormalization().apply(new Concatenate().apply(dec, context));
        var out = new Dense(1, Activation.TANH).apply(joined);
        Model m = Model.of(List.of(seq, vec), List.of(out, enc.get(1)));
        Variable xs = Variable.parameter(uniform(r, -1, 1, 2, 3, 2));
        Variable xv = Variable.parameter(uniform(r, -1, 1, 2, 2));
        List<Variable> params = new ArrayList<>(List.of(xs, xv));
        m.weights().forEach(w -> params.add(w.variable()));
        GradCheck.checkParameters("functional encoder-decoder with attention", () -> {
            List<Variable> y = m.call(List.of(xs, xv), CallContext.inference());
            return Ops.concat(1, Ops.reshape(y.get(0), 2, 3), y.get(1));
        }, params);
    }

    @Test
    void predictFromManyThreadsGivesTheSameNumbers() throws Exception {
        Model m = twoByTwo();
        Tensor[] d = twoByTwoData(r, 40);
        List<Tensor> expected = m.predict(List.of(d[0], d[1]), 7);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Tensor>>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> m.predict(List.of(d[0], d[1]), 5)));
            }
            for (Future<List<Tensor>> f : futures) {
                List<Tensor> got = f.get();
                assertThat(got.get(0).toArray()).containsExactly(expected.get(0).toArray());
                assertThat(got.get(1).toArray()).containsExactly(expected.get(1).toArray());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
