package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every layer's gradients — with respect to its input and every weight — against float64 central
 * differences ({@link GradCheck} states the bar), on small awkward shapes (batch 2, 3 steps, odd
 * widths), including masks, go_backwards, dropout (a fixed mask per call), initial states and
 * returned states. Seed 7.
 */
class LayerGradientTest {
    private final Random r = new Random(7);

    /** Checks d(output)/d(input and weights) of a built layer. */
    private void check(String what, Layer layer, Tensor x, Supplier<CallContext> ctx, Tensor mask) {
        Variable in = Variable.parameter(x);
        List<Variable> params = new ArrayList<>();
        params.add(in);
        for (Weight w : layer.weights()) {
            params.add(w.variable());
        }
        GradCheck.checkParameters(what, () -> layer.call(in, mask, ctx.get()), params);
    }

    private void check(String what, Layer layer, Shape sample, Tensor mask) {
        layer.build(sample);
        int[] dims = new int[sample.rank() + 1];
        dims[0] = 2;
        System.arraycopy(sample.dims(), 0, dims, 1, sample.rank());
        check(what, layer, uniform(r, -1, 1, dims), CallContext::inference, mask);
    }

    /** Batch 2 of 3 steps: sample 0 fully used, sample 1 with its first step and last step masked. */
    private static Tensor mask() {
        return Tensor.of(new float[] {1, 1, 1, 0, 1, 0}, 2, 3);
    }

    @Test
    void dense() {
        check("Dense tanh on (batch, features)", new Dense(3, Activation.TANH), Shape.of(5), null);
        check("Dense softmax on (batch, steps, features)", new Dense(4, Activation.SOFTMAX), Shape.of(3, 2), null);
        check("Dense without bias", new Dense(2).useBias(false), Shape.of(3), null);
    }

    @Test
    void denseAndRecurrentWithTheActivationsKeras3Added() {
        // the smooth ones (and celu, whose slope is continuous at alpha 1); the engine contract checks
        // every activation's derivative, kinks included
        for (String a : new String[] {"gelu", "mish", "log_sigmoid", "squareplus", "tanh_shrink", "celu",
            "log_softmax"}) {
            check("Dense " + a, new Dense(3, a), Shape.of(4), null);
        }
        check("LSTM mish, hard_silu, masked", new LSTM(3).activation("mish").recurrentActivation("hard_silu"),
                Shape.of(3, 2), mask());
        check("GRU gelu, log_sigmoid", new GRU(2).activation("gelu").recurrentActivation("log_sigmoid"),
                Shape.of(3, 2), null);
    }

    @Test
    void simpleRnn() {
        check("SimpleRNN last", new SimpleRNN(3), Shape.of(3, 2), null);
        check("SimpleRNN sequences, backwards, masked", new SimpleRNN(2).returnSequences(true).goBackwards(true),
                Shape.of(3, 3), mask());
        check("SimpleRNN sigmoid without bias", new SimpleRNN(3).activation(Activation.SIGMOID).useBias(false),
                Shape.of(3, 2), mask());
    }

    @Test
    void lstm() {
        check("LSTM last", new LSTM(3), Shape.of(3, 2), null);
        check("LSTM sequences, masked", new LSTM(2).returnSequences(true), Shape.of(3, 3), mask());
        check("LSTM backwards, masked, zero output for mask",
                new LSTM(2).returnSequences(true).goBackwards(true).zeroOutputForMask(true), Shape.of(3, 1), mask());
        check("LSTM last with zero output for mask", new LSTM(2).zeroOutputForMask(true), Shape.of(3, 2), mask());
    }

    @Test
    void gru() {
        check("GRU reset_after last", new GRU(3), Shape.of(3, 2), null);
        check("GRU reset_after=false sequences, masked", new GRU(2).resetAfter(false).returnSequences(true),
                Shape.of(3, 3), mask());
        check("GRU backwards without bias", new GRU(3).goBackwards(true).useBias(false), Shape.of(3, 2), null);
    }

    @Test
    void dropoutAndRecurrentDropoutInTraining() {
        // A fresh generator of the same seed per call: the same masks in every pass of the check.
        LSTM lstm = new LSTM(3).dropout(0.3f).recurrentDropout(0.4f).returnSequences(true);
        lstm.build(Shape.of(3, 2));
        check("LSTM dropout + recurrent_dropout", lstm, uniform(r, -1, 1, 2, 3, 2),
                () -> CallContext.training(Seeds.of(11)), null);
        GRU gru = new GRU(2).dropout(0.5f).recurrentDropout(0.25f);
        gru.build(Shape.of(3, 3));
        check("GRU dropout + recurrent_dropout", gru, uniform(r, -1, 1, 2, 3, 3),
                () -> CallContext.training(Seeds.of(12)), mask());
        Dropout d = new Dropout(0.5f);
        d.build(Shape.of(4));
        check("Dropout", d, uniform(r, -1, 1, 2, 4), () -> CallContext.training(Seeds.of(13)), null);
    }

    @Test
    void initialAndReturnedStates() {
        LSTM lstm = new LSTM(2).returnState(true);
        lstm.build(Shape.of(3, 2));
        Variable x = Variable.parameter(uniform(r, -1, 1, 2, 3, 2));
        Variable h0 = Variable.parameter(uniform(r, -1, 1, 2, 2));
        Variable c0 = Variable.parameter(uniform(r, -1, 1, 2, 2));
        List<Variable> params = new ArrayList<>(List.of(x, h0, c0));
        lstm.weights().forEach(w -> params.add(w.variable()));
        GradCheck.checkParameters("LSTM initial state in, final c out", () -> {
            RnnOutput o = lstm.run(x, null, List.of(h0, c0), CallContext.inference());
            return Ops.concat(1, o.output(), o.states().get(1));
        }, params);
    }

    @Test
    void bidirectionalEveryMergeMode() {
        for (MergeMode mode : new MergeMode[] {MergeMode.CONCAT, MergeMode.SUM, MergeMode.MUL, MergeMode.AVE}) {
            check("Bidirectional(GRU) " + mode, new Bidirectional(new GRU(2).returnSequences(true), mode),
                    Shape.of(3, 2), mask());
        }
        check("Bidirectional(LSTM) last", new Bidirectional(new LSTM(2)), Shape.of(3, 2), mask());
    }

    @Test
    void shapeAndLookupLayers() {
        Embedding e = new Embedding(5, 3).maskZero(true);
        e.build(Shape.of(4));
        Tensor ids = Tensor.of(new float[] {1, 4, 0, 4, 2, 2, 3, 0}, 2, 4);
        GradCheck.checkParameters("Embedding", () -> e.call(Variable.constant(ids), null, CallContext.inference()),
                List.of(e.weights().get(0).variable()));
        check("TimeDistributed(Dense)", new TimeDistributed(new Dense(2, Activation.TANH)), Shape.of(3, 4), null);
        check("RepeatVector", new RepeatVector(3), Shape.of(2), null);
        check("Flatten", new Flatten(), Shape.of(3, 2), null);
        check("Reshape", new Reshape(-1, 2), Shape.of(2, 3), null);
        check("Activation softmax", new ActivationLayer(Activation.SOFTMAX), Shape.of(5), null);
        check("Masking", new Masking(0.5f), Shape.of(3, 2), null);
    }
}
