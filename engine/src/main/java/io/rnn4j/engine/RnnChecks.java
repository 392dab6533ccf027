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
        Checks.distinct(op, output, x);
        if (last != null) {
            optional(d, op, "last.h", last.h(), state);
            cellState(d, op, spec, "last.c", last.c(), state);
        }
        if (workspace != null) {
            workspace(d, op, spec, workspace, bt);
        }
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
