package io.rnn4j.kernels.cuda;

import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;

/**
 * The layout of this backend's training workspace (floats from its start). Every section is
 * indexed by (batch row, ORIGINAL time step), so the weight-gradient GEMMs of the backward pass
 * take all steps at once with rows aligned with x:
 * <ul>
 * <li>{@code z} (B, T, G·H): gate pre-activations, bias included (GRU's n with r applied);
 * <li>{@code aux} (B, T, H), GRU only: {@code h·U_h + b_rh} (reset_after) or {@code r·hin} (not);
 * <li>{@code hin} (B, T, H): {@code h·dropMask}, the recurrent product's input;
 * <li>{@code hprev} (B, T, H): h before the step, written when a recurrent dropout mask is given;
 * <li>{@code cprev} (B, T, H), LSTM only: c before the step.
 * </ul>
 */
record RnnWorkspace(long z, long aux, long hin, long hprev, long cprev, long size) {

    /** -1 marks a section the cell does not have. */
    static final long NONE = -1;

    static RnnWorkspace of(RnnSpec spec, int batch, int steps) {
        long bt = (long) batch * steps;
        long h = spec.units();
        long at = 0;
        long z = at;
        at += bt * spec.gateWidth();
        long aux = NONE;
        if (spec.cell() == RnnCell.GRU) {
            aux = at;
            at += bt * h;
        }
        long hin = at;
        at += bt * h;
        long hprev = at;
        at += bt * h;
        long cprev = NONE;
        if (spec.cell() == RnnCell.LSTM) {
            cprev = at;
            at += bt * h;
        }
        return new RnnWorkspace(z, aux, hin, hprev, cprev, at);
    }
}
