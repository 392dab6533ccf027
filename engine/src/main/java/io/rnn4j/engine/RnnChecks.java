package io.rnn4j.engine;

/** Argument checks of the fused sequence ops: every tensor's device and shape against the spec. */
final class RnnChecks {
    private RnnChecks() {
    }

    static void forward(Device d, RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask,
            RnnWeights weights, RnnState initial, Tensor output, RnnState last, Tensor workspace) {
        String op = "rnnForward(" + spec.cell() + ")";
        int[] bt = sequence(d, op, spec, x, mask, recurrentDropoutMask, weights, initial);
        Shape state = Shape.of(bt[0], spec.units());
        Checks.on(d, "output", output);
        Checks.shape(op, "output", output, Shape.of(bt[0], bt[1], spec.units()));
        RnnState lastStates = last == null ? RnnState.none() : last;
        optional(d, op, "last.h", lastStates.h(), state);
        cellState(d, op, spec, "last.c", lastStates.c(), state);
        if (workspace != null) {
            workspace(d, op, spec, workspace, bt);
        }
        disjoint(op, named("output", output, "last.h", lastStates.h(), "last.c", lastStates.c(), "workspace",
                workspace), inputs(x, mask, recurrentDropoutMask, weights, initial));
    }

    static void backward(Device d, RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask,
            RnnWeights weights, RnnState initial, Tensor workspace, Tensor dOutput, RnnState dLast, Tensor dx,
            RnnWeights dWeights, RnnState dInitial) {
        String op = "rnnBackward(" + spec.cell() + ")";
        int[] bt = sequence(d, op, spec, x, mask, recurrentDropoutMask, weights, initial);
        Shape state = Shape.of(bt[0], spec.units());
        if (workspace == null) {
            throw new IllegalArgumentException(op + ": workspace: expected the training workspace filled by "
                    + "rnnForward, got null");
        }
        workspace(d, op, spec, workspace, bt);
        optional(d, op, "dOutput", dOutput, Shape.of(bt[0], bt[1], spec.units()));
        if (dLast != null) {
            optional(d, op, "dLast.h", dLast.h(), state);
            cellState(d, op, spec, "dLast.c", dLast.c(), state);
        }
        optional(d, op, "dx", dx, x.shape());
        if (dWeights != null) {
            optional(d, op, "dWeights.kernel", dWeights.kernel(), spec.kernelShape());
            optional(d, op, "dWeights.recurrentKernel", dWeights.recurrentKernel(), spec.recurrentKernelShape());
            if (dWeights.bias() != null && !spec.useBias()) {
                throw new IllegalArgumentException(op + ": dWeights.bias: the spec has no bias, got a tensor "
                        + dWeights.bias().shape());
            }
            optional(d, op, "dWeights.bias", dWeights.bias(), spec.biasShape());
        }
        if (dInitial != null) {
            optional(d, op, "dInitial.h", dInitial.h(), state);
            cellState(d, op, spec, "dInitial.c", dInitial.c(), state);
        }
        RnnWeights dw = dWeights == null ? new RnnWeights(null, null, null) : dWeights;
        RnnState di = dInitial == null ? RnnState.none() : dInitial;
        RnnState dl = dLast == null ? RnnState.none() : dLast;
        Named[] in = inputs(x, mask, recurrentDropoutMask, weights, initial);
        Named[] more = named("workspace", workspace, "dOutput", dOutput, "dLast.h", dl.h(), "dLast.c", dl.c());
        Named[] all = java.util.Arrays.copyOf(in, in.length + more.length);
        System.arraycopy(more, 0, all, in.length, more.length);
        disjoint(op, named("dx", dx, "dWeights.kernel", dw.kernel(), "dWeights.recurrentKernel",
                dw.recurrentKernel(), "dWeights.bias", dw.bias(), "dInitial.h", di.h(), "dInitial.c", di.c()), all);
    }

    /** A tensor with the name of the argument it came as; the tensor may be null (absent). */
    private record Named(String name, Tensor tensor) {
    }

    /** Pairs (name, tensor, name, tensor, …). */
    private static Named[] named(Object... pairs) {
        Named[] out = new Named[pairs.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Named((String) pairs[2 * i], (Tensor) pairs[2 * i + 1]);
        }
        return out;
    }

    private static Named[] inputs(Tensor x, Tensor mask, Tensor recurrentDropoutMask, RnnWeights weights,
            RnnState initial) {
        RnnState i = initial == null ? RnnState.none() : initial;
        return named("x", x, "mask", mask, "recurrentDropoutMask", recurrentDropoutMask, "kernel", weights.kernel(),
                "recurrentKernel", weights.recurrentKernel(), "bias", weights.bias(), "initial.h", i.h(), "initial.c",
                i.c());
    }

    /**
     * No output may share memory with an input or with another output: the backends read inputs
     * while they write, and write outputs in their own order.
     */
    private static void disjoint(String op, Named[] outputs, Named[] inputs) {
        for (int o = 0; o < outputs.length; o++) {
            Tensor out = outputs[o].tensor();
            if (out == null) {
                continue;
            }
            for (Named in : inputs) {
                if (overlap(out, in.tensor())) {
                    throw new IllegalArgumentException(op + ": " + outputs[o].name() + " " + out.shape()
                            + " shares memory with the input " + in.name() + " " + in.tensor().shape()
                            + "; pass a separate tensor");
                }
            }
            for (int p = o + 1; p < outputs.length; p++) {
                if (overlap(out, outputs[p].tensor())) {
                    throw new IllegalArgumentException(op + ": the outputs " + outputs[o].name() + " and "
                            + outputs[p].name() + " share memory; each needs its own tensor");
                }
            }
        }
    }

    private static boolean overlap(Tensor a, Tensor b) {
        return b != null && a.storage() == b.storage() && a.size() > 0 && b.size() > 0
                && a.offset() < b.offset() + b.size() && b.offset() < a.offset() + a.size();
    }

    /** Checks what forward and backward share; returns {batch, steps}. */
    private static int[] sequence(Device d, String op, RnnSpec spec, Tensor x, Tensor mask,
            Tensor recurrentDropoutMask, RnnWeights weights, RnnState initial) {
        Checks.on(d, "x", x);
        if (x.rank() != 3 || x.dim(2) != spec.inputSize()) {
            throw new IllegalArgumentException(op + ": x must be (batch, timesteps, " + spec.inputSize()
                    + "), got " + x.shape());
        }
        int b = x.dim(0);
        int t = x.dim(1);
        Shape state = Shape.of(b, spec.units());
        optional(d, op, "mask", mask, Shape.of(b, t));
        optional(d, op, "recurrentDropoutMask", recurrentDropoutMask, state);
        if (weights == null) {
            throw new IllegalArgumentException(op + ": weights: expected kernel, recurrent kernel and bias, got null");
        }
        Checks.on(d, "kernel", weights.kernel());
        Checks.shape(op, "kernel", weights.kernel(), spec.kernelShape());
        Checks.on(d, "recurrentKernel", weights.recurrentKernel());
        Checks.shape(op, "recurrentKernel", weights.recurrentKernel(), spec.recurrentKernelShape());
        if (spec.useBias()) {
            Checks.on(d, "bias", weights.bias());
            Checks.shape(op, "bias", weights.bias(), spec.biasShape());
        } else if (weights.bias() != null) {
            throw new IllegalArgumentException(op + ": bias: the spec has use_bias=false, got a tensor "
                    + weights.bias().shape());
        }
        if (initial != null) {
            optional(d, op, "initial.h", initial.h(), state);
            cellState(d, op, spec, "initial.c", initial.c(), state);
        }
        return new int[] {b, t};
    }

    private static void optional(Device d, String op, String arg, Tensor t, Shape expected) {
        if (t != null) {
            Checks.on(d, arg, t);
            Checks.shape(op, arg, t, expected);
        }
    }

    private static void cellState(Device d, String op, RnnSpec spec, String arg, Tensor t, Shape expected) {
        if (t != null && !spec.hasCellState()) {
            throw new IllegalArgumentException(op + ": " + arg + ": " + spec.cell() + " has no cell state, got a tensor "
                    + t.shape());
        }
        optional(d, op, arg, t, expected);
    }

    private static void workspace(Device d, String op, RnnSpec spec, Tensor workspace, int[] bt) {
        Checks.on(d, "workspace", workspace);
        long need = d.backend().rnnWorkspaceSize(spec, bt[0], bt[1]);
        if (workspace.size() < need) {
            throw new IllegalArgumentException(op + ": workspace must hold " + need + " floats for batch " + bt[0]
                    + " and " + bt[1] + " steps, got " + workspace.shape());
        }
    }
}
