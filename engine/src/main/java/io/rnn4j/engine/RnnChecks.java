package io.rnn4j.engine;

/**
 * Argument checks of the fused sequence ops: every tensor's device and shape against the spec, and
 * no output sharing memory with an input or another output.
 *
 * <p>A batch-1 streaming step calls these once per timestep, so the success path allocates
 * nothing: shapes are compared dimension by dimension rather than against {@link Shape} objects,
 * the op's name ({@code "rnnForward(LSTM)"}) and the expected shapes are built only for the message
 * of a check that fails, and the memory checks walk the arguments as they came rather than
 * gathering them into arrays.
 */
final class RnnChecks {
    private RnnChecks() {
    }

    static void forward(Device d, RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask,
            RnnWeights weights, RnnState initial, Tensor output, RnnState last, Tensor workspace) {
        sequence(d, true, spec, x, mask, recurrentDropoutMask, weights, initial);
        int b = x.dim(0);
        int t = x.dim(1);
        int h = spec.units();
        Checks.on(d, "output", output);
        shape(true, spec, "output", output, b, t, h);
        Tensor lastH = last == null ? null : last.h();
        Tensor lastC = last == null ? null : last.c();
        optional(d, true, spec, "last.h", lastH, b, h);
        cellState(d, true, spec, "last.c", lastC, b, h);
        if (workspace != null) {
            workspace(d, true, spec, workspace, b, t);
        }
        // Each output against every input, then against the outputs after it (the order of the checks
        // decides which of several overlaps a message names).
        Tensor ih = initial == null ? null : initial.h();
        Tensor ic = initial == null ? null : initial.c();
        notAnInput(true, spec, "output", output, x, mask, recurrentDropoutMask, weights, ih, ic);
        outputsApart(true, spec, "output", output, "last.h", lastH);
        outputsApart(true, spec, "output", output, "last.c", lastC);
        outputsApart(true, spec, "output", output, "workspace", workspace);
        notAnInput(true, spec, "last.h", lastH, x, mask, recurrentDropoutMask, weights, ih, ic);
        outputsApart(true, spec, "last.h", lastH, "last.c", lastC);
        outputsApart(true, spec, "last.h", lastH, "workspace", workspace);
        notAnInput(true, spec, "last.c", lastC, x, mask, recurrentDropoutMask, weights, ih, ic);
        outputsApart(true, spec, "last.c", lastC, "workspace", workspace);
        notAnInput(true, spec, "workspace", workspace, x, mask, recurrentDropoutMask, weights, ih, ic);
    }

    static void backward(Device d, RnnSpec spec, Tensor x, Tensor mask, Tensor recurrentDropoutMask,
            RnnWeights weights, RnnState initial, Tensor workspace, Tensor dOutput, RnnState dLast, Tensor dx,
            RnnWeights dWeights, RnnState dInitial) {
        sequence(d, false, spec, x, mask, recurrentDropoutMask, weights, initial);
        int b = x.dim(0);
        int t = x.dim(1);
        int h = spec.units();
        if (workspace == null) {
            throw new IllegalArgumentException(op(false, spec)
                    + ": workspace: expected the training workspace filled by rnnForward, got null");
        }
        workspace(d, false, spec, workspace, b, t);
        if (dOutput != null) {
            Checks.on(d, "dOutput", dOutput);
            shape(false, spec, "dOutput", dOutput, b, t, h);
        }
        Tensor dLastH = dLast == null ? null : dLast.h();
        Tensor dLastC = dLast == null ? null : dLast.c();
        optional(d, false, spec, "dLast.h", dLastH, b, h);
        cellState(d, false, spec, "dLast.c", dLastC, b, h);
        if (dx != null) {
            Checks.on(d, "dx", dx);
            if (!dx.shape().equals(x.shape())) {
                Checks.shape(op(false, spec), "dx", dx, x.shape());
            }
        }
        Tensor dKernel = dWeights == null ? null : dWeights.kernel();
        Tensor dRecurrent = dWeights == null ? null : dWeights.recurrentKernel();
        Tensor dBias = dWeights == null ? null : dWeights.bias();
        if (dKernel != null) {
            Checks.on(d, "dWeights.kernel", dKernel);
            kernelShape(false, spec, "dWeights.kernel", dKernel);
        }
        if (dRecurrent != null) {
            Checks.on(d, "dWeights.recurrentKernel", dRecurrent);
            recurrentKernelShape(false, spec, "dWeights.recurrentKernel", dRecurrent);
        }
        if (dBias != null && !spec.useBias()) {
            throw new IllegalArgumentException(op(false, spec) + ": dWeights.bias: the spec has no bias, got a tensor "
                    + dBias.shape());
        }
        if (dBias != null) {
            Checks.on(d, "dWeights.bias", dBias);
            biasShape(false, spec, "dWeights.bias", dBias);
        }
        Tensor dh0 = dInitial == null ? null : dInitial.h();
        Tensor dc0 = dInitial == null ? null : dInitial.c();
        optional(d, false, spec, "dInitial.h", dh0, b, h);
        cellState(d, false, spec, "dInitial.c", dc0, b, h);
        Tensor ih = initial == null ? null : initial.h();
        Tensor ic = initial == null ? null : initial.c();
        notABackwardInput(spec, "dx", dx, x, mask, recurrentDropoutMask, weights, ih, ic, workspace, dOutput, dLastH,
                dLastC);
        outputsApart(false, spec, "dx", dx, "dWeights.kernel", dKernel);
        outputsApart(false, spec, "dx", dx, "dWeights.recurrentKernel", dRecurrent);
        outputsApart(false, spec, "dx", dx, "dWeights.bias", dBias);
        outputsApart(false, spec, "dx", dx, "dInitial.h", dh0);
        outputsApart(false, spec, "dx", dx, "dInitial.c", dc0);
        notABackwardInput(spec, "dWeights.kernel", dKernel, x, mask, recurrentDropoutMask, weights, ih, ic, workspace,
                dOutput, dLastH, dLastC);
        outputsApart(false, spec, "dWeights.kernel", dKernel, "dWeights.recurrentKernel", dRecurrent);
        outputsApart(false, spec, "dWeights.kernel", dKernel, "dWeights.bias", dBias);
        outputsApart(false, spec, "dWeights.kernel", dKernel, "dInitial.h", dh0);
        outputsApart(false, spec, "dWeights.kernel", dKernel, "dInitial.c", dc0);
        notABackwardInput(spec, "dWeights.recurrentKernel", dRecurrent, x, mask, recurrentDropoutMask, weights, ih, ic,
                workspace, dOutput, dLastH, dLastC);
        outputsApart(false, spec, "dWeights.recurrentKernel", dRecurrent, "dWeights.bias", dBias);
        outputsApart(false, spec, "dWeights.recurrentKernel", dRecurrent, "dInitial.h", dh0);
        outputsApart(false, spec, "dWeights.recurrentKernel", dRecurrent, "dInitial.c", dc0);
        notABackwardInput(spec, "dWeights.bias", dBias, x, mask, recurrentDropoutMask, weights, ih, ic, workspace,
                dOutput, dLastH, dLastC);
        outputsApart(false, spec, "dWeights.bias", dBias, "dInitial.h", dh0);
        outputsApart(false, spec, "dWeights.bias", dBias, "dInitial.c", dc0);
        notABackwardInput(spec, "dInitial.h", dh0, x, mask, recurrentDropoutMask, weights, ih, ic, workspace, dOutput,
                dLastH, dLastC);
        outputsApart(false, spec, "dInitial.h", dh0, "dInitial.c", dc0);
        notABackwardInput(spec, "dInitial.c", dc0, x, mask, recurrentDropoutMask, weights, ih, ic, workspace, dOutput,
                dLastH, dLastC);
    }

    /** The op's name for messages, {@code "rnnForward(LSTM)"}: built only when a check fails. */
    private static String op(boolean forward, RnnSpec spec) {
        return (forward ? "rnnForward(" : "rnnBackward(") + spec.cell() + ")";
    }

    // ---- memory: no output may share memory with an input or with another output ----

    /**
     * {@code out} (when present) shares no memory with an input of the sequence: the backends read
     * inputs while they write, and write outputs in their own order.
     */
    private static void notAnInput(boolean forward, RnnSpec spec, String name, Tensor out, Tensor x, Tensor mask,
            Tensor recurrentDropoutMask, RnnWeights weights, Tensor ih, Tensor ic) {
        if (out == null) {
            return;
        }
        apartFromInput(forward, spec, name, out, "x", x);
        apartFromInput(forward, spec, name, out, "mask", mask);
        apartFromInput(forward, spec, name, out, "recurrentDropoutMask", recurrentDropoutMask);
        apartFromInput(forward, spec, name, out, "kernel", weights.kernel());
        apartFromInput(forward, spec, name, out, "recurrentKernel", weights.recurrentKernel());
        apartFromInput(forward, spec, name, out, "bias", weights.bias());
        apartFromInput(forward, spec, name, out, "initial.h", ih);
        apartFromInput(forward, spec, name, out, "initial.c", ic);
    }

    /** {@link #notAnInput} for backward, whose inputs also include the workspace and the upstream gradients. */
    private static void notABackwardInput(RnnSpec spec, String name, Tensor out, Tensor x, Tensor mask,
            Tensor recurrentDropoutMask, RnnWeights weights, Tensor ih, Tensor ic, Tensor workspace, Tensor dOutput,
            Tensor dLastH, Tensor dLastC) {
        if (out == null) {
            return;
        }
        notAnInput(false, spec, name, out, x, mask, recurrentDropoutMask, weights, ih, ic);
        apartFromInput(false, spec, name, out, "workspace", workspace);
        apartFromInput(false, spec, name, out, "dOutput", dOutput);
        apartFromInput(false, spec, name, out, "dLast.h", dLastH);
        apartFromInput(false, spec, name, out, "dLast.c", dLastC);
    }

    private static void apartFromInput(boolean forward, RnnSpec spec, String outName, Tensor out, String inName,
            Tensor in) {
        if (overlap(out, in)) {
            throw new IllegalArgumentException(op(forward, spec) + ": " + outName + " " + out.shape()
                    + " shares memory with the input " + inName + " " + in.shape() + "; pass a separate tensor");
        }
    }

    private static void outputsApart(boolean forward, RnnSpec spec, String aName, Tensor a, String bName, Tensor b) {
        if (a != null && overlap(a, b)) {
            throw new IllegalArgumentException(op(forward, spec) + ": the outputs " + aName + " and " + bName
                    + " share memory; each needs its own tensor");
        }
    }

    private static boolean overlap(Tensor a, Tensor b) {
        return b != null && a.storage() == b.storage() && a.size() > 0 && b.size() > 0
                && a.offset() < b.offset() + b.size() && b.offset() < a.offset() + a.size();
    }

    // ---- devices and shapes ----

    /** Checks what forward and backward share: x, mask, dropout mask, weights and initial states. */
    private static void sequence(Device d, boolean forward, RnnSpec spec, Tensor x, Tensor mask,
            Tensor recurrentDropoutMask, RnnWeights weights, RnnState initial) {
        Checks.notNull(forward ? "rnn forward" : "rnn backward", "spec", spec);
        Checks.on(d, "x", x);
        if (x.rank() != 3 || x.dim(2) != spec.inputSize()) {
            throw new IllegalArgumentException(op(forward, spec) + ": x must be (batch, timesteps, "
                    + spec.inputSize() + "), got " + x.shape());
        }
        int b = x.dim(0);
        int t = x.dim(1);
        optional(d, forward, spec, "mask", mask, b, t);
        optional(d, forward, spec, "recurrentDropoutMask", recurrentDropoutMask, b, spec.units());
        if (weights == null) {
            throw new IllegalArgumentException(op(forward, spec)
                    + ": weights: expected kernel, recurrent kernel and bias, got null");
        }
        Checks.on(d, "kernel", weights.kernel());
        kernelShape(forward, spec, "kernel", weights.kernel());
        Checks.on(d, "recurrentKernel", weights.recurrentKernel());
        recurrentKernelShape(forward, spec, "recurrentKernel", weights.recurrentKernel());
        if (spec.useBias()) {
            Checks.on(d, "bias", weights.bias());
            biasShape(forward, spec, "bias", weights.bias());
        } else if (weights.bias() != null) {
            throw new IllegalArgumentException(op(forward, spec) + ": bias: the spec has use_bias=false, got a tensor "
                    + weights.bias().shape());
        }
        if (initial != null) {
            optional(d, forward, spec, "initial.h", initial.h(), b, spec.units());
            cellState(d, forward, spec, "initial.c", initial.c(), b, spec.units());
        }
    }

    /** An optional (rows, cols) tensor: absent, or on the device with that shape. */
    private static void optional(Device d, boolean forward, RnnSpec spec, String arg, Tensor t, int rows, int cols) {
        if (t != null) {
            Checks.on(d, arg, t);
            shape(forward, spec, arg, t, rows, cols);
        }
    }

    /** A cell state (rows, cols): absent, or allowed by the cell and as {@link #optional}. */
    private static void cellState(Device d, boolean forward, RnnSpec spec, String arg, Tensor t, int rows, int cols) {
        if (t != null && !spec.hasCellState()) {
            throw new IllegalArgumentException(op(forward, spec) + ": " + arg + ": " + spec.cell()
                    + " has no cell state, got a tensor " + t.shape());
        }
        optional(d, forward, spec, arg, t, rows, cols);
    }

    private static void workspace(Device d, boolean forward, RnnSpec spec, Tensor workspace, int batch, int steps) {
        Checks.on(d, "workspace", workspace);
        long need = d.backend().rnnWorkspaceSize(spec, batch, steps);
        if (workspace.size() < need) {
            throw new IllegalArgumentException(op(forward, spec) + ": workspace must hold " + need
                    + " floats for batch " + batch + " and " + steps + " steps, got " + workspace.shape());
        }
    }

    /** {@code spec.kernelShape()}, (D, G·H), compared without building it. */
    private static void kernelShape(boolean forward, RnnSpec spec, String arg, Tensor t) {
        if (!has(t, spec.inputSize(), spec.gateWidth())) {
            Checks.shape(op(forward, spec), arg, t, spec.kernelShape());
        }
    }

    /** {@code spec.recurrentKernelShape()}, (H, G·H), compared without building it. */
    private static void recurrentKernelShape(boolean forward, RnnSpec spec, String arg, Tensor t) {
        if (!has(t, spec.units(), spec.gateWidth())) {
            Checks.shape(op(forward, spec), arg, t, spec.recurrentKernelShape());
        }
    }

    /** {@code spec.biasShape()}, (2, G·H) with reset_after else (G·H), compared without building it. */
    private static void biasShape(boolean forward, RnnSpec spec, String arg, Tensor t) {
        boolean ok = spec.resetAfter() ? has(t, 2, spec.gateWidth()) : t.rank() == 1 && t.dim(0) == spec.gateWidth();
        if (!ok) {
            Checks.shape(op(forward, spec), arg, t, spec.biasShape());
        }
    }

    private static void shape(boolean forward, RnnSpec spec, String arg, Tensor t, int rows, int cols) {
        if (!has(t, rows, cols)) {
            Checks.shape(op(forward, spec), arg, t, Shape.of(rows, cols));
        }
    }

    private static void shape(boolean forward, RnnSpec spec, String arg, Tensor t, int d0, int d1, int d2) {
        if (t.rank() != 3 || t.dim(0) != d0 || t.dim(1) != d1 || t.dim(2) != d2) {
            Checks.shape(op(forward, spec), arg, t, Shape.of(d0, d1, d2));
        }
    }

    private static boolean has(Tensor t, int rows, int cols) {
        return t.rank() == 2 && t.dim(0) == rows && t.dim(1) == cols;
    }
}
