package io.rnn4j.cli.bench;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.RnnCase;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import java.util.Arrays;

/**
 * One fixed case on one device: its weights and input built as rnn-cases.md prescribes, then
 * warm-up runs, then timed runs, then the checksums of the output.
 *
 * <p>An inference case times {@code rnnForward}; a training case times {@code rnnForward} with the
 * training workspace followed by {@code rnnBackward} of L = sum(outputs) (so dL/doutput = 1).
 * Each timed run ends with {@link Device#synchronize()}, which waits for a device that runs
 * asynchronously (CUDA) and returns at once on a CPU backend, whose ops finish before they return.
 */
public final class CaseBenchmark implements AutoCloseable {
    private final RnnCase rnnCase;
    private final Device device;
    private final RnnSpec spec;
    private final RnnWeights weights;
    private final Tensor x;
    private final Tensor output;
    private final Tensor workspace;
    private final Tensor dOutput;
    private final Tensor dx;
    private final RnnWeights dWeights;

    public CaseBenchmark(RnnCase rnnCase, Device device) {
        this.rnnCase = rnnCase;
        this.device = device;
        this.spec = rnnCase.spec();
        this.weights = rnnCase.weights(device);
        this.x = rnnCase.input(device);
        this.output = device.zeros(rnnCase.batch, rnnCase.steps, rnnCase.units);
        if (rnnCase.training) {
            long ws = device.rnnWorkspaceSize(spec, rnnCase.batch, rnnCase.steps);
            this.workspace = device.zeros(Shape.of(Math.toIntExact(ws)));
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

    /** One run of the case, ending when the device has finished it. */
    public void runOnce() {
        device.rnnForward(spec, x, null, null, weights, null, output, null, workspace);
        if (rnnCase.training) {
            device.rnnBackward(spec, x, null, null, weights, null, workspace, dOutput, null, dx, dWeights, null);
        }
        device.synchronize();
    }

    /**
     * Warms up for at least {@code warmupSeconds} (and at least one run: the JIT compiles vector
     * code only after it has run a while), then times {@code runs} runs.
     */
    public BenchResult measure(double warmupSeconds, int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("bench: runs must be >= 1, got " + runs);
        }
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        do {
            runOnce();
        } while (System.nanoTime() < warmupEnd);
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            runOnce();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        double[] sums = RnnCase.checksums(output.toArray(), rnnCase.batch, rnnCase.steps, rnnCase.units);
        double[] gradSums = null;
        if (rnnCase.training) {
            gradSums = new double[] {sum(dWeights.kernel()), sum(dWeights.recurrentKernel()), sum(dWeights.bias()),
                sum(dx)};
        }
        return new BenchResult(rnnCase, device.name(), median(ms), Arrays.stream(ms).min().orElseThrow(), runs,
                sums[0], sums[1], gradSums);
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static double sum(Tensor t) {
        double s = 0;
        for (float f : t.toArray()) {
            s += f;
        }
        return s;
    }

    @Override
    public void close() {
        for (Tensor t : new Tensor[] {weights.kernel(), weights.recurrentKernel(), weights.bias(), x, output, workspace,
            dOutput, dx}) {
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
