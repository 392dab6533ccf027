package io.rnn4j.layers;

import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializer;
import java.util.List;

/**
 * Keras's LSTMCell: {@code z = x·W + h·U + b} split into gate blocks i, f, c, o;
 * {@code c' = σr(z_f)·c + σr(z_i)·σ(z_c)}, {@code h' = σr(z_o)·σ(c')}; states h, c; output h'.
 * Weights kernel (D, 4H), recurrent_kernel (H, 4H), bias (4H) with unit_forget_bias on (the forget
 * block starts at 1) — the fused {@link LSTM}'s layout. See {@link GateCell} for the options.
 */
public final class LSTMCell extends GateCell<LSTMCell> {
    private boolean unitForgetBias = true;

    /**
     * Keras's {@code LSTMCell(units)} with Keras's defaults for every other option.
     *
     * @param units Keras's units: the size of the state and the output
     * @throws IllegalArgumentException for units below 1
     */
    public LSTMCell(int units) {
        super("lstm_cell", units);
    }

    /** Keras's recurrent_activation: the gates' activation, default sigmoid. */
    public LSTMCell recurrentActivation(Activation a) {
        return setRecurrentActivation(a);
    }

    /** @throws IllegalArgumentException for an unknown name, naming this cell */
    public LSTMCell recurrentActivation(String kerasName) {
        return setRecurrentActivation(Activations.named(kerasName, name()));
    }

    /** Keras's unit_forget_bias: the forget gate's bias block starts at 1 (default true). */
    public LSTMCell unitForgetBias(boolean on) {
        requireNotBuilt("unit_forget_bias");
        this.unitForgetBias = on;
        return this;
    }

    /** Keras's unit_forget_bias (default true). */
    public boolean unitForgetBias() {
        return unitForgetBias;
    }

    @Override
    LSTMCell newOfSameKind() {
        return new LSTMCell(units());
    }

    @Override
    void copyOwnOptions(LSTMCell target) {
        target.setRecurrentActivation(recurrentActivation());
        target.unitForgetBias(unitForgetBias);
    }

    @Override
    int gates() {
        return 4;
    }

    @Override
    Initializer effectiveBiasInitializer(Initializer configured) {
        return unitForgetBias ? LSTM.unitForgetBias(configured, units()) : configured;
    }

    @Override
    public int[] stateSizes() {
        return new int[] {units(), units()};
    }

    @Override
    public RnnOutput step(Variable x, List<Variable> states, CallContext ctx) {
        int h = units();
        Variable z = Ops.add(Ops.matmul(droppedInput(x, ctx), kernel()),
                Ops.matmul(droppedState(states.get(0), ctx), recurrentKernel()));
        if (bias() != null) {
            z = Ops.add(z, bias());
        }
        Variable[] g = Ops.split(z, 1, h, h, h, h);
        Variable i = recurrentActivation().apply(g[0]);
        Variable f = recurrentActivation().apply(g[1]);
        Variable c = Ops.add(Ops.mul(f, states.get(1)), Ops.mul(i, activation().apply(g[2])));
        Variable o = recurrentActivation().apply(g[3]);
        Variable out = Ops.mul(o, activation().apply(c));
        return new RnnOutput(out, List.of(out, c));
    }
}
