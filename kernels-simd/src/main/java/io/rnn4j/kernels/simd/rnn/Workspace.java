package io.rnn4j.kernels.simd.rnn;

import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.kernels.simd.math.ActivationGrads;

/**
 * The training workspace's layout: regions of rows indexed by (batch row b, input step t), row
 * {@code b·T + t}, so that rows line up with x's for the weight-gradient GEMMs. Forward writes the
 * first regions; backward reads them and uses the last ones as scratch, so a workspace can be
 * back-propagated more than once.
 *
 * <ul>
 *   <li>{@code gates} (G·H): the gate activations (LSTM i, f, g, o; GRU z, r, n; SimpleRNN h);</li>
 *   <li>{@code pre} (G·H, only when an activation's gradient needs its input rather than its output,
 *       i.e. is not tanh, sigmoid or linear): the pre-activations;</li>
 *   <li>{@code hPrev} (H): h before the step (the state, not dropped);</li>
 *   <li>LSTM {@code cNew} and {@code actC} (H each): c after the step (kept through masked steps)
 *       and act(c);</li>
 *   <li>GRU {@code extra} (H): reset_after, {@code h·U_h + b1_h}; reset_before, {@code r ⊙ hd};</li>
 *   <li>backward scratch: {@code dGates} (G·H), dL/d(gate pre-activations) on the input side, and
 *       for GRU reset_after {@code dRecH} (H), the recurrent side of the h block.</li>
 * </ul>
 */
final class Workspace {
    static final int ABSENT = -1;

    final int gates;
    final int pre;
    final int hPrev;
    final int cNew;
    final int actC;
    final int extra;
    final int dGates;
    final int dRecH;
    final long size;

    Workspace(RnnSpec spec, int batch, int steps) {
        long rows = (long) batch * steps;
        long gw = rows * spec.gateWidth();
        long hw = rows * spec.units();
        long at = 0;
        gates = (int) at;
        at += gw;
        pre = needsPreActivations(spec) ? (int) at : ABSENT;
        at += pre == ABSENT ? 0 : gw;
        hPrev = (int) at;
        at += hw;
        boolean lstm = spec.cell() == RnnCell.LSTM;
        cNew = lstm ? (int) at : ABSENT;
        at += lstm ? hw : 0;
        actC = lstm ? (int) at : ABSENT;
        at += lstm ? hw : 0;
        boolean gru = spec.cell() == RnnCell.GRU;
        extra = gru ? (int) at : ABSENT;
        at += gru ? hw : 0;
        dGates = (int) at;
        at += gw;
        dRecH = gru && spec.resetAfter() ? (int) at : ABSENT;
        at += dRecH == ABSENT ? 0 : hw;
        if (at > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("rnn workspace: batch " + batch + " × " + steps + " steps of "
                    + spec.cell() + "(" + spec.units() + ") needs " + at + " floats, more than a heap tensor holds;"
                    + " use a smaller batch or shorter sequences");
        }
        size = at;
    }

    /** Whether backward needs the pre-activations, i.e. some gate's gradient is not a function of its output. */
    static boolean needsPreActivations(RnnSpec spec) {
        boolean act = !ActivationGrads.hasOutputForm(spec.activation());
        boolean rec = spec.cell() != RnnCell.SIMPLE && !ActivationGrads.hasOutputForm(spec.recurrentActivation());
        return act || rec;
    }
}
