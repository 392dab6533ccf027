package io.rnn4j.engine.testing;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;

/**
 * Runs an {@link RnnProblem} through a device's fused kernels and brings everything back to the
 * host: the outputs and final states of forward, and every gradient of the problem's loss from
 * backward. Shared by the recurrent contract tests of all backends.
 */
public final class RnnRun {
    private RnnRun() {
    }

    /** Forward results: output (B, T, H), final h, final c (null but for LSTM). */
    public record Forward(float[] output, float[] lastH, float[] lastC) {
    }

    /** Gradients of the loss w.r.t. x, W, U, bias (null without), h0 and c0 (null but for LSTM). */
    public record Gradients(float[] dx, float[] dKernel, float[] dRecurrentKernel, float[] dBias, float[] dh0,
            float[] dc0) {
    }

    /** Forward; with {@code training} it fills a workspace (and returns the same results). */
    public static Forward forward(Device d, RnnProblem p, boolean training) {
        RnnProblem.Tensors in = p.on(d);
        Tensor workspace = training ? d.zeros((int) d.rnnWorkspaceSize(p.spec, p.batch, p.steps)) : null;
        return runForward(d, p, in, workspace);
    }

    /** Forward into a fresh workspace, then backward with the problem's upstream gradients. */
    public static Gradients backward(Device d, RnnProblem p) {
        RnnProblem.Tensors in = p.on(d);
        RnnSpec spec = p.spec;
        Tensor workspace = d.zeros((int) d.rnnWorkspaceSize(spec, p.batch, p.steps));
        runForward(d, p, in, workspace);
        int h = spec.units();
        Tensor dx = d.zeros(p.batch, p.steps, spec.inputSize());
        RnnWeights dw = new RnnWeights(d.zeros(spec.kernelShape()), d.zeros(spec.recurrentKernelShape()),
                spec.useBias() ? d.zeros(spec.biasShape()) : null);
        RnnState dInitial = new RnnState(d.zeros(p.batch, h), spec.hasCellState() ? d.zeros(p.batch, h) : null);
        d.rnnBackward(spec, in.x(), in.mask(), in.dropout(), in.weights(), in.initial(), workspace, in.dOutput(),
                in.dLast(), dx, dw, dInitial);
        return new Gradients(dx.toArray(), dw.kernel().toArray(), dw.recurrentKernel().toArray(),
                dw.bias() == null ? null : dw.bias().toArray(), dInitial.h().toArray(),
                dInitial.c() == null ? null : dInitial.c().toArray());
    }

    private static Forward runForward(Device d, RnnProblem p, RnnProblem.Tensors in, Tensor workspace) {
        int h = p.spec.units();
        Tensor output = d.zeros(p.batch, p.steps, h);
        RnnState last = new RnnState(d.zeros(p.batch, h), p.spec.hasCellState() ? d.zeros(p.batch, h) : null);
        d.rnnForward(p.spec, in.x(), in.mask(), in.dropout(), in.weights(), in.initial(), output, last, workspace);
        return new Forward(output.toArray(), last.h().toArray(), last.c() == null ? null : last.c().toArray());
    }
}
