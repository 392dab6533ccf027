package io.rnn4j.bench;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.RnnCase;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;
import java.util.Locale;

/**
 * One fixed case of {@code shared/rnn-cases.md} set up on one device: its weights and input, the
 * output, and for training the workspace and gradients. {@link #verify} runs it once and checks the
 * checksums, so a benchmark never times a wrong answer.
 */
public final class CaseData implements AutoCloseable {
    /** float32 sums over thousands of outputs agree with the float64 reference to about 1e-4. */
    static final double TOLERANCE = 1e-3;

    public final RnnCase rnnCase;
    public final Device device;
    public final RnnSpec spec;
    public final RnnWeights weights;
    public final Tensor x;
    public final Tensor output;
    /** Training only: what forward saves for backward, the upstream gradient (all ones) and the gradients. */
    public final Tensor workspace;
    public final Tensor dOutput;
    public final Tensor dx;
    public final RnnWeights dWeights;

    public CaseData(RnnCase rnnCase, Device device, boolean training) {
        if (training && !rnnCase.training) {
            // Its gradient sums are not in rnn-cases.md, so verify() could not check a training run.
            throw new IllegalArgumentException(rnnCase + " is an inference case; the training cases are "
                    + java.util.Arrays.stream(RnnCase.values()).filter(c -> c.training).toList());
        }
        this.rnnCase = rnnCase;
        this.device = device;
        this.spec = rnnCase.spec();
        this.weights = rnnCase.weights(device);
        this.x = rnnCase.input(device);
        this.output = device.zeros(rnnCase.batch, rnnCase.steps, rnnCase.units);
        if (training) {
            long ws = device.rnnWorkspaceSize(spec, rnnCase.batch, rnnCase.steps);
            this.workspace = device.zeros(Math.toIntExact(Math.max(ws, 1)));
            this.dOutput = device.full(output.shape(), 1f);
            this.dx = device.zeros(x.shape());
            this.dWeights = new RnnWeights(device.zeros(spec.kernelShape()),
                    device.zeros(spec.recurrentKernelShape()), device.zeros(spec.biasShape()));
        } else {
            this.workspace = null;
            this.dOutput = null;
            this.dx = null;
            this.dWeights = null;
        }
    }

    /**
     * {@code rnnCase} on {@code device} (names as in the benchmarks' {@code @Param}s), run once and
     * checked by {@link #verify}: what a case benchmark's setup does.
     *
     * @throws IllegalStateException when the device cannot run here or a checksum is wrong
     */
    public static CaseData verified(String rnnCase, String device, boolean training) {
        CaseData data = new CaseData(RnnCase.valueOf(rnnCase), Backends.device(device), training);
        try {
            data.verify();
        } catch (RuntimeException e) {
            data.close();
            throw e;
        }
        return data;
    }

    /**
     * The whole sequence forward (saving the workspace when training); returns the output. On an
     * asynchronous device the work may still be running: a benchmark follows with
     * {@link Device#synchronize()}.
     */
    public Tensor forward() {
        device.rnnForward(spec, x, null, null, weights, null, output, null, workspace);
        return output;
    }

    /** BPTT of sum(outputs) after {@link #forward}; returns dL/dW (the other gradients are written too). */
    public Tensor backward() {
        device.rnnBackward(spec, x, null, null, weights, null, workspace, dOutput, null, dx, dWeights, null);
        return dWeights.kernel();
    }

    /**
     * Runs the case once and checks the output checksums (and, for training, the gradient sums)
     * against rnn-cases.md; prints them. Throws {@link IllegalStateException} on a mismatch.
     */
    public void verify() {
        forward();
        double[] sums = RnnCase.checksums(output.toArray(), rnnCase.batch, rnnCase.steps, rnnCase.units);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s on %s: sum=%.6g lastH=%.6g", rnnCase,
                device.name(), sums[0], sums[1]));
        check("sum", sums[0], rnnCase.expectedSum);
        check("lastH", sums[1], rnnCase.expectedLastH);
        if (workspace != null) {
            backward();
            double[] expected = rnnCase.expectedGradientSums();
            Tensor[] grads = {dWeights.kernel(), dWeights.recurrentKernel(), dWeights.bias(), dx};
            String[] names = {"dW", "dU", "db", "dx"};
            for (int i = 0; i < grads.length; i++) {
                double s = sum(grads[i].toArray());
                line.append(String.format(Locale.ROOT, " Σ%s=%.6g", names[i], s));
                check("Σ" + names[i], s, expected[i]);
            }
        }
        System.out.println(line + " (rnn-cases.md agrees)");
    }

    private void check(String what, double actual, double expected) {
        requireChecksum(rnnCase + " on " + device.name(), what, actual, "rnn-cases.md says", expected);
    }

    /**
     * Throws {@link IllegalStateException} unless {@code actual} is within {@link #TOLERANCE}
     * (relative) of {@code expected}; the message names the run, the checksum and where the
     * expectation comes from ({@code source}, e.g. "rnn-cases.md says").
     */
    static void requireChecksum(String run, String what, double actual, String source, double expected) {
        if (!(Math.abs(actual - expected) <= TOLERANCE * Math.max(1.0, Math.abs(expected)))) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s: %s is %.6g, %s %.6g (relative tolerance %.0e): not benchmarking a wrong result", run, what,
                    actual, source, expected, TOLERANCE));
        }
    }

    static double sum(float[] v) {
        double s = 0;
        for (float f : v) {
            s += f;
        }
        return s;
    }

    @Override
    public void close() {
        for (Tensor t : new Tensor[] {weights.kernel(), weights.recurrentKernel(), weights.bias(), x, output,
            workspace, dOutput, dx}) {
            if (t != null) {
                t.close();
            }
        }
        if (dWeights != null) {
            dWeights.kernel().close();
            dWeights.recurrentKernel().close();
            dWeights.bias().close();
        }
    }
}
