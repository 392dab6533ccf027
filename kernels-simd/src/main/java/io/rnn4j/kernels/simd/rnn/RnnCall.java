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
 */
final class RnnCall {
    final RnnSpec spec;
    final RnnCell cell;
    /** B, T, D, H, G·H. */
    final int batch;
    final int steps;
    final int inputs;
    final int units;
    final int width;

    final Tensor x;
    final float[] xs;
    final int xOff;
    /** (B, T) of 0/1, or null. */
    final float[] mask;
    final int maskOff;
    /** (B, H) recurrent dropout multipliers, or null. */
    final float[] drop;
    final int dropOff;
    final Tensor kernel;
    final Tensor recurrentKernel;
    final float[] u;
    final int uOff;
    /** The bias in the spec's layout, or null without bias. */
    final float[] bias;
    final int biasOff;
    final float[] h0;
    final int h0Off;
    final float[] c0;
    final int c0Off;
    /** The training workspace and its layout, or null for inference. */
    final float[] ws;
    final int wsOff;
    final Workspace layout;

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

    private RnnCall(RnnSpec spec, Tensor x, Tensor mask, Tensor drop, RnnWeights weights, RnnState initial,
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
        this.layout = workspace == null ? null : new Workspace(spec, batch, steps);
    }

    static RnnCall forward(RnnSpec spec, Tensor x, Tensor mask, Tensor drop, RnnWeights weights, RnnState initial,
            Tensor output, RnnState last, Tensor workspace) {
        RnnCall c = new RnnCall(spec, x, mask, drop, weights, initial, workspace);
        c.out = Heap.array(output);
        c.outOff = Heap.offset(output);
        c.lastH = array(last.h());
        c.lastHOff = offset(last.h());
        c.lastC = array(last.c());
        c.lastCOff = offset(last.c());
        return c;
    }

    static RnnCall backward(RnnSpec spec, Tensor x, Tensor mask, Tensor drop, RnnWeights weights, RnnState initial,
            Tensor workspace, Tensor dOutput, RnnState dLast, RnnState dInitial) {
        RnnCall c = new RnnCall(spec, x, mask, drop, weights, initial, workspace);
        c.dOut = array(dOutput);
        c.dOutOff = offset(dOutput);
        c.dLastH = array(dLast.h());
        c.dLastHOff = offset(dLast.h());
        c.dLastC = array(dLast.c());
        c.dLastCOff = offset(dLast.c());
        c.dh0 = array(dInitial.h());
        c.dh0Off = offset(dInitial.h());
        c.dc0 = array(dInitial.c());
        c.dc0Off = offset(dInitial.c());
        return c;
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
