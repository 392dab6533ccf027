package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/**
 * Keras's GRUCell, gate blocks z, r, h: with reset_after (the default) {@code x·W + b_in} and
 * {@code h·U + b_rec} are split into blocks, {@code z = σr(x_z + r_z)}, {@code r = σr(x_r + r_r)},
 * {@code n = σ(x_h + r·r_h)}; without it {@code n = σ(x_h + (r·h)·U_h)}. Then
 * {@code h' = z·h + (1 − z)·n}. Weights kernel (D, 3H), recurrent_kernel (H, 3H), bias (2, 3H) with
 * reset_after (input row, recurrent row) else (3H) — the fused {@link GRU}'s layout. See
 * {@link GateCell} for the options.
 */
public final class GRUCell extends GateCell<GRUCell> {
    private boolean resetAfter = true;

    /**
     * Keras's {@code GRUCell(units)} with Keras's defaults for every other option.
     *
     * @param units Keras's units: the size of the state and the output
     * @throws IllegalArgumentException for units below 1
     */
    public GRUCell(int units) {
        super("gru_cell", units);
    }

    /** Keras's recurrent_activation: the gates' activation, default sigmoid. */
    public GRUCell recurrentActivation(Activation a) {
        return setRecurrentActivation(a);
    }

    /** @throws IllegalArgumentException for an unknown name, naming this cell */
    public GRUCell recurrentActivation(String kerasName) {
        return setRecurrentActivation(Activations.named(kerasName, name()));
    }

    /** Keras's reset_after: apply the reset gate after the recurrent product (default true). */
    public GRUCell resetAfter(boolean on) {
        requireNotBuilt("reset_after");
        this.resetAfter = on;
        return this;
    }

    /** Keras's reset_after (default true). */
    public boolean resetAfter() {
        return resetAfter;
    }

    @Override
    GRUCell newOfSameKind() {
        return new GRUCell(units());
    }

    @Override
    void copyOwnOptions(GRUCell target) {
        target.setRecurrentActivation(recurrentActivation());
        target.resetAfter(resetAfter);
    }

    @Override
    int gates() {
        return 3;
    }

    @Override
    Shape biasShape() {
        return resetAfter ? Shape.of(2, 3 * units()) : Shape.of(3 * units());
    }

    @Override
    public int[] stateSizes() {
        return new int[] {units()};
    }

    @Override
    public RnnOutput step(Variable x, List<Variable> states, CallContext ctx) {
        int u = units();
        Variable h = states.get(0);
        // The input's dropout mask is drawn before the state's, as the fused layer draws them.
        Variable xd = droppedInput(x, ctx);
        Variable hd = droppedState(h, ctx);
        Variable inputBias = null;
        Variable recurrentBias = null;
        if (bias() != null) {
            if (resetAfter) {
                Variable[] rows = Ops.split(bias(), 0, 1, 1);
                inputBias = rows[0];
                recurrentBias = rows[1];
            } else {
                inputBias = bias();
            }
        }
        Variable mx = Ops.matmul(xd, kernel());
        if (inputBias != null) {
            mx = Ops.add(mx, inputBias);
        }
        Variable[] xs = Ops.split(mx, 1, u, u, u);
        Variable z;
        Variable r;
        Variable recurrentH;
        if (resetAfter) {
            Variable inner = Ops.matmul(hd, recurrentKernel());
            if (recurrentBias != null) {
                inner = Ops.add(inner, recurrentBias);
            }
            Variable[] rs = Ops.split(inner, 1, u, u, u);
            z = recurrentActivation().apply(Ops.add(xs[0], rs[0]));
            r = recurrentActivation().apply(Ops.add(xs[1], rs[1]));
            recurrentH = Ops.mul(r, rs[2]);
        } else {
            Variable[] us = Ops.split(recurrentKernel(), 1, 2 * u, u);
            Variable[] rs = Ops.split(Ops.matmul(hd, us[0]), 1, u, u);
            z = recurrentActivation().apply(Ops.add(xs[0], rs[0]));
            r = recurrentActivation().apply(Ops.add(xs[1], rs[1]));
            recurrentH = Ops.matmul(Ops.mul(r, hd), us[1]);
        }
        Variable n = activation().apply(Ops.add(xs[2], recurrentH));
        // h' = z·h + (1 − z)·n, with h itself (not the dropped h), as the fused kernel does.
        Variable out = Ops.add(Ops.mul(z, h), Ops.mul(Ops.affine(z, -1f, 1f), n));
        return new RnnOutput(out, List.of(out));
    }
}
