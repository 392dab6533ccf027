package io.rnn4j.kernels.simd.rnn;

import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;
import io.rnn4j.kernels.simd.ops.Heap;

/**
 * One call of a fused sequence kernel with its tensors unpacked to arrays and offsets (an absent
 * tensor has a null array), so the kernels index plain arrays. Forward fills the output fields,
 * backward the gradient fields; the others stay null.
 *
 * <p>Mutable, so that an {@link RnnContext} reuses one per call instead of allocating it: each
 * {@code set…} call overwrites every field, and {@link #clear()} drops the references to the
 * caller's arrays once the call is over. Written before the kernel threads start and only read by
 * them.
 */
final class RnnCall {
    RnnSpec spec;
    RnnCell cell;
    /** B, T, D, H, G·H. */
    int batch;
    int steps;
    int inputs;
    int units;
    int width;

    Tensor x;
    float[] xs;
    int xOff;
    /** (B, T) of 0/1, or null. */
    float[] mask;
    int maskOff;
    /** (B, H) recurrent dropout multipliers, or null. */
    float[] drop;
    int dropOff;
    Tensor kernel;
    Tensor recurrentKernel;
    float[] u;
    int uOff;
    /** The bias in the spec's layout, or null without bias. */
    float[] bias;
    int biasOff;
    float[] h0;
    int h0Off;
    float[] c0;
    int c0Off;
    /** The training workspace and its layout, or null for inference. */
    float[] ws;
    int wsOff;
    Workspace layout;

    // forward
    float[] out;
    int outOff;
    float[] lastH;
    int lastHOff;
    float[] lastC;
    int lastCOff;

    // backward
    float[] dOut;
    int dOutOff;
    float[] dLastH;
    int dLastHOff;
    float[] dLastC;
    int dLastCOff;
    float[] dh0;
    int dh0Off;
    float[] dc0;
    int dc0Off;

    /** An empty call, to be set by {@link #setForward} or {@link #setBackward}. */
    RnnCall() {
    }

    private void set(RnnSpec spec, Tensor x, Tensor mask, Tensor drop, RnnWeights weights, RnnState initial,
            Tensor workspace) {
        this.spec = spec;
        this.cell = spec.cell();
        this.batch = x.dim(0);
        this.steps = x.dim(1);
        this.inputs = spec.inputSize();
        this.units = spec.units();
        this.width = spec.gateWidth();
        this.x = x;
        this.xs = Heap.array(x);
        this.xOff = Heap.offset(x);
        this.mask = array(mask);
        this.maskOff = offset(mask);
        this.drop = array(drop);
        this.dropOff = offset(drop);
        this.kernel = weights.kernel();
        this.recurrentKernel = weights.recurrentKernel();
        this.u = Heap.array(recurrentKernel);
        this.uOff = Heap.offset(recurrentKernel);
        Tensor b = spec.useBias() ? weights.bias() : null;
        this.bias = array(b);
        this.biasOff = offset(b);
        this.h0 = array(initial.h());
        this.h0Off = offset(initial.h());
        this.c0 = array(initial.c());
        this.c0Off = offset(initial.c());
        this.ws = array(workspace);
        this.wsOff = offset(workspace);
        // Training only: inference allocates nothing per call.
        this.layout = workspace == null ? null : new Workspace(spec, batch, steps);
    }

    /** A new call set for forward (tests; the backend reuses its context's). */
    static RnnCall forward(RnnSpec spec, Tensor x, Tensor mask, Tensor drop, RnnWeights weights, RnnState initial,
            Tensor output, RnnState last, Tensor workspace) {
        return new RnnCall().setForward(spec, x, mask, drop, weights, initial, output, last, workspace);
    }

    /** Sets this call for forward; returns it. */
    RnnCall setForward(RnnSpec spec, Tensor x, Tensor mask, Tensor drop, RnnWeights weights, RnnState initial,
            Tensor output, RnnState last, Tensor workspace) {
        clear();
        set(spec, x, mask, drop, weights, initial, workspace);
        out = Heap.array(output);
        outOff = Heap.offset(output);
        lastH = array(last.h());
        lastHOff = offset(last.h());
        lastC = array(last.c());
        lastCOff = offset(last.c());
        return this;
    }

    /** Sets this call for backward; returns it. */
    RnnCall setBackward(RnnSpec spec, Tensor x, Tensor mask, Tensor drop, RnnWeights weights, RnnState initial,
            Tensor workspace, Tensor dOutput, RnnState dLast, RnnState dInitial) {
        clear();
        set(spec, x, mask, drop, weights, initial, workspace);
        dOut = array(dOutput);
        dOutOff = offset(dOutput);
        dLastH = array(dLast.h());
        dLastHOff = offset(dLast.h());
        dLastC = array(dLast.c());
        dLastCOff = offset(dLast.c());
        dh0 = array(dInitial.h());
        dh0Off = offset(dInitial.h());
        dc0 = array(dInitial.c());
        dc0Off = offset(dInitial.c());
        return this;
    }

    /** Drops every reference to the caller's tensors and arrays (a pooled call must not keep them alive). */
    void clear() {
        spec = null;
        cell = null;
        x = null;
        xs = null;
        mask = null;
        drop = null;
        kernel = null;
        recurrentKernel = null;
        u = null;
        bias = null;
        h0 = null;
        c0 = null;
        ws = null;
        layout = null;
        out = null;
        lastH = null;
        lastC = null;
        dOut = null;
        dLastH = null;
        dLastC = null;
        dh0 = null;
        dc0 = null;
    }

    boolean training() {
        return ws != null;
    }

    /** The input time index of processed step {@code s}. */
    int time(int s) {
        return spec.goBackwards() ? steps - 1 - s : s;
    }

    /** Whether row b uses input step t (no mask, or mask 1). */
    boolean used(int b, int t) {
        return mask == null || mask[maskOff + b * steps + t] != 0f;
    }

    /** Where row (b, t) of a per-step region of {@code rowWidth} floats starts, in {@link #ws}. */
    int wsRow(int region, int b, int t, int rowWidth) {
        return wsOff + region + (b * steps + t) * rowWidth;
    }

    private static float[] array(Tensor t) {
        return t == null ? null : Heap.array(t);
    }

    private static int offset(Tensor t) {
        return t == null ? 0 : Heap.offset(t);
    }
}
