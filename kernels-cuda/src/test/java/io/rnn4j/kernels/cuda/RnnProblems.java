package io.rnn4j.kernels.cuda;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Tensor;
import java.util.SplittableRandom;

/** Random sequence problems for the RNN tests, and their tensors on a device. */
final class RnnProblems {
    private RnnProblems() {
    }

    /** What a test case turns on. */
    record Options(boolean mask, boolean drop, boolean initial) {
    }

    static RnnReference.Problem random(RnnSpec spec, int batch, int steps, Options o, SplittableRandom rnd) {
        RnnReference.Problem p = new RnnReference.Problem(spec, batch, steps);
        int d = spec.inputSize();
        int h = spec.units();
        int gh = spec.gateWidth();
        double scale = 1.0 / Math.sqrt(Math.max(d, h));
        p.x = values(rnd, batch * steps * d, 1.0);
        p.w = values(rnd, d * gh, 1.5 * scale);
        p.u = values(rnd, h * gh, 1.5 * scale);
        p.bias = spec.useBias() ? values(rnd, (int) spec.biasShape().size(), 0.3) : null;
        if (o.initial()) {
            p.h0 = values(rnd, batch * h, 0.8);
            p.c0 = spec.hasCellState() ? values(rnd, batch * h, 0.8) : null;
        }
        if (o.mask()) {
            p.mask = new double[batch * steps];
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < steps; t++) {
                    // Row 0 starts masked (zeros before the first real step), others lose a middle
                    // step and the last one, and some rows are masked at random.
                    boolean skip = (b == 0 && t < 2) || (b % 2 == 1 && (t == steps / 2 || t == steps - 1))
                            || (b > 1 && rnd.nextInt(4) == 0);
                    p.mask[b * steps + t] = skip ? 0 : 1;
                }
            }
        }
        if (o.drop()) {
            p.drop = new double[batch * h];
            for (int i = 0; i < p.drop.length; i++) {
                p.drop[i] = rnd.nextInt(10) < 3 ? 0 : 1 / 0.7f;
            }
        }
        return p;
    }

    /** Values in (-scale, scale), already rounded to float so that both sides see the same numbers. */
    static double[] values(SplittableRandom rnd, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextDouble(-scale, scale);
        }
        return v;
    }

    static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    static Tensor tensor(Device d, double[] v, int... dims) {
        return v == null ? null : d.tensor(floats(v), dims);
    }

    /** The problem's tensors on a device. */
    record OnDevice(Tensor x, Tensor mask, Tensor drop, RnnWeights weights, RnnState initial) {
    }

    static OnDevice on(Device d, RnnReference.Problem p) {
        RnnSpec s = p.spec;
        int b = p.batch;
        int h = s.units();
        RnnWeights w = new RnnWeights(tensor(d, p.w, s.kernelShape().dims()),
                tensor(d, p.u, s.recurrentKernelShape().dims()),
                p.bias == null ? null : tensor(d, p.bias, s.biasShape().dims()));
        return new OnDevice(tensor(d, p.x, b, p.steps, s.inputSize()), tensor(d, p.mask, b, p.steps),
                tensor(d, p.drop, b, h), w, new RnnState(tensor(d, p.h0, b, h), tensor(d, p.c0, b, h)));
    }
}
