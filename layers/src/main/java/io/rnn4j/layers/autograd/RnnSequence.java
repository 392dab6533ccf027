package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;

/**
 * A whole recurrent sequence as ONE node (DESIGN.md), as cuDNN does it: forward is the device's
 * fused {@code rnnForward} (filling a training workspace when recording), backward its fused
 * {@code rnnBackward}. Never a chain of per-step nodes.
 *
 * <p>Inputs: x (B, T, D), kernel, recurrent kernel, bias (null without), initial h and c (null for
 * zeros). Outputs: the output sequence (B, T, H) in processing order, the final h, and the final c
 * (LSTM only; null otherwise). The mask and the recurrent-dropout mask are constants.
 */
final class RnnSequence extends MultiFunction {
    private final RnnSpec spec;
    private final Tensor mask;
    private final Tensor recurrentDropoutMask;

    RnnSequence(RnnSpec spec, Tensor mask, Tensor recurrentDropoutMask) {
        super(3);
        this.spec = spec;
        this.mask = mask;
        this.recurrentDropoutMask = recurrentDropoutMask;
    }

    @Override
    protected Tensor[] forward(Tensor... in) {
        Tensor x = in[0];
        Device d = x.device();
        int b = x.dim(0);
        int t = x.dim(1);
        Tensor output = d.zeros(Shape.of(b, t, spec.units()));
        Tensor lastH = d.zeros(Shape.of(b, spec.units()));
        Tensor lastC = spec.hasCellState() ? d.zeros(Shape.of(b, spec.units())) : null;
        Tensor workspace = null;
        if (recording()) {
            long size = d.rnnWorkspaceSize(spec, b, t);
            workspace = d.zeros(Shape.of(Math.toIntExact(size)));
        }
        d.rnnForward(spec, x, mask, recurrentDropoutMask, weights(in), new RnnState(in[4], in[5]), output,
                new RnnState(lastH, lastC), workspace);
        save(workspace);
        return new Tensor[] {output, lastH, lastC};
    }

    @Override
    protected Tensor[] backward(Tensor[] g) {
        Tensor[] in = new Tensor[6];
        for (int i = 0; i < in.length; i++) {
            in[i] = inputs[i] == null ? null : inputs[i].value();
        }
        Device d = in[0].device();
        Tensor dx = needsGrad(0) ? d.zeros(in[0].shape()) : null;
        Tensor dKernel = needsGrad(1) ? d.zeros(spec.kernelShape()) : null;
        Tensor dRecurrent = needsGrad(2) ? d.zeros(spec.recurrentKernelShape()) : null;
        Tensor dBias = needsGrad(3) ? d.zeros(spec.biasShape()) : null;
        Tensor dH0 = needsGrad(4) ? d.zeros(in[4].shape()) : null;
        Tensor dC0 = needsGrad(5) ? d.zeros(in[5].shape()) : null;
        d.rnnBackward(spec, in[0], mask, recurrentDropoutMask, weights(in), new RnnState(in[4], in[5]), saved(0),
                g[0], new RnnState(g[1], g[2]), dx, new RnnWeights(dKernel, dRecurrent, dBias),
                new RnnState(dH0, dC0));
        return new Tensor[] {dx, dKernel, dRecurrent, dBias, dH0, dC0};
    }

    private static RnnWeights weights(Tensor[] in) {
        return new RnnWeights(in[1], in[2], in[3]);
    }
}
