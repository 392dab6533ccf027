package io.rnn4j.layers;

import static io.rnn4j.layers.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * RNN(cell): the Keras cells stepped on generic ops give the fused layers' numbers — the same
 * weights, masks, go_backwards, initial states, zero_output_for_mask, dropout masks drawn from the
 * same seed, stateful calls — to 1e-5 absolute (float32 steps against the fused kernel's double
 * accumulation); and every gradient of RNN over each cell, stacked cells and a user-written cell
 * against float64 central differences ({@link GradCheck}). Seed 41.
 */
class CellsTest {
    private static final double TOL = 1e-5;
    private final Random r = new Random(41);

    /** batch 3, 7 steps: sample 0 all used, sample 1 first and last steps masked, sample 2 a hole. */
    private static Tensor mask() {
        return Tensor.of(new float[] {1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1}, 3, 7);
    }

    /** A fused layer and RNN(cell) built for (7, 5) with the same random weights (biases included). */
    private RNN twin(Recurrent<?> fused, RNN rnn) {
        fused.build(Shape.of(7, 5));
        rnn.build(Shape.of(7, 5));
        List<Tensor> ws = new ArrayList<>();
        for (Weight w : fused.weights()) {
            ws.add(uniform(r, -0.6f, 0.6f, w.shape().dims()));
        }
        fused.setWeights(ws);
        rnn.setWeights(ws);
        assertThat(rnn.weights()).extracting(Weight::name).containsExactlyElementsOf(
                fused.weights().stream().map(Weight::name).toList());
        return rnn;
    }

    private static void assertClose(String what, Variable a, Variable b) {
        assertThat(a.shape()).as("%s shape", what).isEqualTo(b.shape());
        float[] x = a.value().toArray();
        float[] y = b.value().toArray();
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs((double) x[i] - y[i]));
        }
        assertThat(worst).as("%s: max |RNN(cell) - fused| (bar %s)", what, TOL).isLessThanOrEqualTo(TOL);
    }

    /** Runs both on the same input, mask and states; compares outputs and final states. */
    private void same(String what, Recurrent<?> fused, RNN rnn, Tensor mask, boolean initial,
            Supplier<CallContext> ctx) {
        Variable x = Variable.constant(uniform(r, -1, 1, 3, 7, 5));
        List<Variable> init = null;
        if (initial) {
            init = new ArrayList<>();
            for (int s = 0; s < fused.stateCount(); s++) {
                init.add(Variable.constant(uniform(r, -1, 1, 3, fused.units())));
            }
        }
        RnnOutput a = fused.run(x, mask, init, ctx.get());
        RnnOutput b = rnn.run(x, mask, init, ctx.get());
        assertClose(what + " output", b.output(), a.output());
        assertThat(b.states()).hasSameSizeAs(a.states());
        for (int s = 0; s < a.states().size(); s++) {
            assertClose(what + " state " + s, b.states().get(s), a.states().get(s));
        }
    }

    private void allCases(String kind, Supplier<Recurrent<?>> fused, Supplier<Cell> cell) {
        Recurrent<?> f = fused.get();
        same(kind + " last", f, twin(f, new RNN(cell.get())), null, false, CallContext::inference);

        f = fused.get().returnSequences(true);
        same(kind + " sequences, masked, initial state", f, twin(f, new RNN(cell.get()).returnSequences(true)),
                mask(), true, CallContext::inference);

        f = fused.get().returnSequences(true).goBackwards(true).zeroOutputForMask(true);
        same(kind + " backwards, masked, zero output for mask", f, twin(f, new RNN(cell.get())
                .returnSequences(true).goBackwards(true).zeroOutputForMask(true)), mask(), false,
                CallContext::inference);

        f = fused.get().goBackwards(true);
        same(kind + " backwards last, masked", f, twin(f, new RNN(cell.get()).goBackwards(true)), mask(), true,
                CallContext::inference);
    }

    @Test
    void lstmCellEqualsTheFusedLstm() {
        allCases("LSTM", () -> new LSTM(4), () -> new LSTMCell(4));
        allCases("LSTM hard_sigmoid/relu", () -> new LSTM(4).recurrentActivation("hard_sigmoid").activation("relu"),
                () -> new LSTMCell(4).recurrentActivation("hard_sigmoid").activation("relu"));
    }

    @Test
    void gruCellEqualsTheFusedGruBothResetModes() {
        allCases("GRU reset_after", () -> new GRU(4), () -> new GRUCell(4));
        allCases("GRU reset_after=false", () -> new GRU(3).resetAfter(false), () -> new GRUCell(3).resetAfter(false));
        allCases("GRU no bias", () -> new GRU(3).useBias(false), () -> new GRUCell(3).useBias(false));
    }

    @Test
    void simpleRnnCellEqualsTheFusedSimpleRnn() {
        allCases("SimpleRNN", () -> new SimpleRNN(6), () -> new SimpleRNNCell(6));
        allCases("SimpleRNN sigmoid", () -> new SimpleRNN(2).activation(Activation.SIGMOID),
                () -> new SimpleRNNCell(2).activation(Activation.SIGMOID));
    }

    @Test
    void dropoutMasksAreTheFusedLayersMasksForTheSameSeed() {
        LSTM lstm = new LSTM(4).dropout(0.3f).recurrentDropout(0.4f).returnSequences(true);
        same("LSTM dropout", lstm, twin(lstm, new RNN(new LSTMCell(4).dropout(0.3f).recurrentDropout(0.4f))
                .returnSequences(true)), mask(), false, () -> CallContext.training(Seeds.of(5)));
        GRU gru = new GRU(3).dropout(0.5f).recurrentDropout(0.25f);
        same("GRU dropout", gru, twin(gru, new RNN(new GRUCell(3).dropout(0.5f).recurrentDropout(0.25f))),
                null, true, () -> CallContext.training(Seeds.of(6)));
        SimpleRNN s = new SimpleRNN(5).dropout(0.2f).recurrentDropout(0.2f).returnSequences(true);
        same("SimpleRNN dropout", s, twin(s, new RNN(new SimpleRNNCell(5).dropout(0.2f).recurrentDropout(0.2f))
                .returnSequences(true)), null, false, () -> CallContext.training(Seeds.of(7)));
        // At inference dropout does nothing.
        LSTM plain = new LSTM(4).returnSequences(true);
        same("LSTM dropout at inference", plain, twin(plain, new RNN(new LSTMCell(4).dropout(0.3f))
                .returnSequences(true)), null, false, CallContext::inference);
    }

    @Test
    void statefulCallsCarryTheStatesAsTheFusedLayerDoes() {
        LSTM lstm = new LSTM(3).stateful(true);
        RNN rnn = twin(lstm, new RNN(new LSTMCell(3)).stateful(true));
        same("stateful call 1", lstm, rnn, null, false, CallContext::inference);
        same("stateful call 2", lstm, rnn, mask(), false, CallContext::inference);
        lstm.resetStates();
        rnn.resetStates();
        same("stateful after reset", lstm, rnn, null, false, CallContext::inference);
        assertThatThrownBy(() -> rnn.run(Variable.constant(uniform(r, -1, 1, 2, 7, 5)), null, null,
                CallContext.inference())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(rnn.name() + ": stateful layer holds states for batch size 3");
    }

    @Test
    void stackedCellsAreTheCellsInTurn() {
        LSTMCell a = new LSTMCell(4);
        GRUCell b = new GRUCell(3);
        RNN stacked = new RNN(a, b).returnSequences(true).returnState(true);
        stacked.build(Shape.of(7, 5));
        assertThat(stacked.cell()).isInstanceOf(StackedRNNCells.class);
        assertThat(stacked.cell().stateSizes()).containsExactly(4, 4, 3);
        assertThat(stacked.weights()).extracting(Weight::path).containsExactly(a.name() + "/kernel",
                a.name() + "/recurrent_kernel", a.name() + "/bias", b.name() + "/kernel", b.name() + "/recurrent_kernel",
                b.name() + "/bias");
        // The same as an LSTM feeding a GRU, each returning sequences.
        LSTM first = new LSTM(4).returnSequences(true);
        GRU second = new GRU(3).returnSequences(true);
        first.build(Shape.of(7, 5));
        second.build(Shape.of(7, 4));
        List<Tensor> ws = stacked.getWeights();
        first.setWeights(ws.subList(0, 3));
        second.setWeights(ws.subList(3, 6));
        Variable x = Variable.constant(uniform(r, -1, 1, 3, 7, 5));
        RnnOutput o = stacked.run(x, mask(), null, CallContext.inference());
        RnnOutput f = first.run(x, mask(), null, CallContext.inference());
        RnnOutput g = second.run(f.output(), mask(), null, CallContext.inference());
        assertClose("stacked output", o.output(), g.output());
        assertClose("stacked h of the LSTM", o.states().get(0), f.states().get(0));
        assertClose("stacked c of the LSTM", o.states().get(1), f.states().get(1));
        assertClose("stacked h of the GRU", o.states().get(2), g.states().get(0));
    }

    /** A user-written cell: {@code h' = tanh(x·W + h·U) · (1 + s)} with a second state s' = mean of h'. */
    static class TwoStateCell extends Cell {
        private final int units;
        private Weight kernel;
        private Weight recurrent;

        TwoStateCell(int units) {
            super("two_state_cell");
            this.units = units;
        }

        @Override
        public int[] stateSizes() {
            return new int[] {units, 1};
        }

        @Override
        protected Shape build(Shape in, RandomGenerator random) {
            kernel = addWeight("kernel", Shape.of(in.dim(0), units), Initializers.glorotUniform(), random, null, null,
                    true);
            recurrent = addWeight("recurrent_kernel", Shape.of(units, units), Initializers.orthogonal(), random, null,
                    null, true);
            return Shape.of(units);
        }

        @Override
        public RnnOutput step(Variable x, List<Variable> states, CallContext ctx) {
            Variable z = Ops.add(Ops.matmul(x, kernel.variable()), Ops.matmul(states.get(0), recurrent.variable()));
            Variable h = Ops.mul(Activation.TANH.apply(z), Ops.affine(states.get(1), 1f, 1f));
            return new RnnOutput(h, List.of(h, Ops.mean(h, 1, true)));
        }
    }

    private void gradients(String what, RNN rnn, Shape sample, Tensor mask, boolean initial,
            Supplier<CallContext> ctx) {
        rnn.build(sample);
        Variable x = Variable.parameter(uniform(r, -1, 1, 2, sample.dim(0), sample.dim(1)));
        List<Variable> params = new ArrayList<>(List.of(x));
        List<Variable> init = null;
        if (initial) {
            init = new ArrayList<>();
            for (int size : rnn.cell().stateSizes()) {
                init.add(Variable.parameter(uniform(r, -1, 1, 2, size)));
            }
            params.addAll(init);
        }
        rnn.weights().forEach(w -> params.add(w.variable()));
        List<Variable> states = init;
        GradCheck.checkParameters(what, () -> {
            RnnOutput o = rnn.run(x, mask, states, ctx.get());
            List<Variable> parts = new ArrayList<>();
            parts.add(Ops.reshape(o.output(), 2, -1));
            o.states().forEach(s -> parts.add(s));
            return Ops.concat(1, parts.toArray(new Variable[0]));
        }, params);
    }

    /** Batch 2 of 3 steps: sample 1 with its first and last steps masked. */
    private static Tensor smallMask() {
        return Tensor.of(new float[] {1, 1, 1, 0, 1, 0}, 2, 3);
    }

    @Test
    void everyGradientOfRnnOverEachCell() {
        gradients("RNN(SimpleRNNCell) sequences, masked, initial state",
                new RNN(new SimpleRNNCell(3)).returnSequences(true), Shape.of(3, 2), smallMask(), true,
                CallContext::inference);
        gradients("RNN(LSTMCell) backwards, masked, initial state", new RNN(new LSTMCell(2)).goBackwards(true),
                Shape.of(3, 3), smallMask(), true, CallContext::inference);
        gradients("RNN(GRUCell) sequences, zero output for mask",
                new RNN(new GRUCell(2)).returnSequences(true).zeroOutputForMask(true), Shape.of(3, 2), smallMask(),
                false, CallContext::inference);
        gradients("RNN(GRUCell reset_after=false)", new RNN(new GRUCell(3).resetAfter(false)), Shape.of(3, 2), null,
                true, CallContext::inference);
        gradients("RNN(LSTMCell) dropout", new RNN(new LSTMCell(2).dropout(0.3f).recurrentDropout(0.3f))
                .returnSequences(true), Shape.of(3, 2), null, false, () -> CallContext.training(Seeds.of(3)));
        gradients("RNN(LSTMCell, GRUCell) stacked", new RNN(new LSTMCell(2), new GRUCell(2)), Shape.of(3, 2),
                smallMask(), true, CallContext::inference);
        gradients("RNN(user-written two-state cell)", new RNN(new TwoStateCell(2)).returnSequences(true),
                Shape.of(3, 2), smallMask(), true, CallContext::inference);
    }

    @Test
    void badCellsAndStatesAreRefusedNamingTheLayer() {
        RNN rnn = new RNN(new LSTMCell(3)).named("decoder");
        rnn.build(Shape.of(4, 2));
        Variable x = Variable.constant(uniform(r, -1, 1, 2, 4, 2));
        assertThatThrownBy(() -> rnn.run(x, null, List.of(Variable.constant(Tensor.zeros(2, 3))),
                CallContext.inference())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("decoder: initial_state must hold 2 states").hasMessageContaining("got 1");
        assertThatThrownBy(() -> rnn.run(x, null, List.of(Variable.constant(Tensor.zeros(2, 3)),
                Variable.constant(Tensor.zeros(2, 4))), CallContext.inference()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial_state[1] must be (batch, "
                        + "units) = (2, 3), got (2, 4)");
        assertThatThrownBy(() -> rnn.run(Variable.constant(uniform(r, -1, 1, 2, 4, 3)), null, null,
                CallContext.inference())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'decoder'").hasMessageContaining("(None, None, 2)");
        assertThatThrownBy(() -> rnn.cell().call(Variable.constant(Tensor.zeros(2, 2)), null, CallContext.inference()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("new RNN(cell)");
        Cell wrong = new TwoStateCell(2) {
            @Override
            public RnnOutput step(Variable in, List<Variable> states, CallContext ctx) {
                RnnOutput o = super.step(in, states, ctx);
                return new RnnOutput(o.output(), List.of(o.output()));
            }
        };
        RNN bad = new RNN(wrong);
        bad.build(Shape.of(4, 2));
        assertThatThrownBy(() -> bad.call(x, null, CallContext.inference())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two_state_cell").hasMessageContaining("state_size");
        assertThatThrownBy(() -> new RNN(new LSTMCell(2)).named("r").build(Shape.of(3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("r: expected an input (batch, "
                        + "timesteps, features)");
    }
}
