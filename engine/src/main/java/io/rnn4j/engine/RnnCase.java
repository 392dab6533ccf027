package io.rnn4j.engine;

import java.util.SplittableRandom;

/**
 * The fixed benchmark cases of {@code shared/rnn-cases.md}: shapes, deterministic weights and inputs,
 * and the float64 checksums every backend, benchmark and peer must reproduce.
 */
public enum RnnCase {
    S1(RnnCell.SIMPLE, 1, 100, 32, 128, false, -16.1584, -2.77851),
    S3(RnnCell.SIMPLE, 64, 50, 64, 256, false, -2075.98, -16.3169),
    L1(RnnCell.LSTM, 1, 100, 32, 128, false, 17.1453, 0.903905),
    L2(RnnCell.LSTM, 1, 100, 64, 256, false, 16.9878, 1.58958),
    L3(RnnCell.LSTM, 64, 50, 64, 256, false, 354.198, 9.25378),
    L4(RnnCell.LSTM, 64, 50, 64, 256, true, 354.198, 9.25378),
    G1(RnnCell.GRU, 1, 100, 32, 128, false, -25.7064, 1.38198),
    G2(RnnCell.GRU, 1, 100, 64, 256, false, 34.4392, 1.13136),
    G3(RnnCell.GRU, 64, 50, 64, 256, false, 3710.27, 80.6183),
    G4(RnnCell.GRU, 64, 50, 64, 256, true, 3710.27, 80.6183);

    public final RnnCell cell;
    public final int batch;
    public final int steps;
    public final int inputSize;
    public final int units;
    /** Whether the case measures forward + backward of sum(outputs). */
    public final boolean training;
    /** The sum of all outputs (B, T, H), from a float64 computation. */
    public final double expectedSum;
    /** The sum over the batch of the last step's h. */
    public final double expectedLastH;

    RnnCase(RnnCell cell, int batch, int steps, int inputSize, int units, boolean training, double expectedSum,
            double expectedLastH) {
        this.cell = cell;
        this.batch = batch;
        this.steps = steps;
        this.inputSize = inputSize;
        this.units = units;
        this.training = training;
        this.expectedSum = expectedSum;
        this.expectedLastH = expectedLastH;
    }

    /** Keras's defaults for the cell (tanh, sigmoid, bias, GRU reset_after=true). */
    public RnnSpec spec() {
        return RnnSpec.of(cell, inputSize, units);
    }

    /**
     * The expected sums of the gradients of L = sum(outputs) w.r.t. W, U, b and x (training cases;
     * TensorFlow and PyTorch agree on them), or null for an inference case.
     */
    public double[] expectedGradientSums() {
        return switch (this) {
            case L4 -> new double[] {31562.5, 42219.8, 368772, -8091.40};
            case G4 -> new double[] {59025.7, 421631, 1.08108e+06, -14926.9};
            default -> null;
        };
    }

    /** W, U and the bias, in that order, each row-major, from {@code SplittableRandom(42)} in (-0.1, 0.1). */
    public float[][] weightValues() {
        RnnSpec s = spec();
        SplittableRandom rnd = new SplittableRandom(42);
        float[][] w = {
            new float[(int) s.kernelShape().size()],
            new float[(int) s.recurrentKernelShape().size()],
            new float[(int) s.biasShape().size()]};
        for (float[] a : w) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rnd.nextDouble(-0.1, 0.1);
            }
        }
        return w;
    }

    /** The weights as tensors on {@code device}. */
    public RnnWeights weights(Device device) {
        RnnSpec s = spec();
        float[][] w = weightValues();
        return new RnnWeights(device.tensor(w[0], s.kernelShape().dims()),
                device.tensor(w[1], s.recurrentKernelShape().dims()), device.tensor(w[2], s.biasShape().dims()));
    }

    /** The input x (B, T, D), row-major, from {@code SplittableRandom(7)} in (-1, 1). */
    public float[] inputValues() {
        SplittableRandom rnd = new SplittableRandom(7);
        float[] x = new float[batch * steps * inputSize];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        return x;
    }

    /** The input as a tensor on {@code device}. */
    public Tensor input(Device device) {
        return device.tensor(inputValues(), batch, steps, inputSize);
    }

    /** {sum of all outputs, sum of the last step's h over the batch} of an output (B, T, H). */
    public static double[] checksums(float[] output, int batch, int steps, int units) {
        double sum = 0;
        double last = 0;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                for (int h = 0; h < units; h++) {
                    float v = output[(b * steps + t) * units + h];
                    sum += v;
                    if (t == steps - 1) {
                        last += v;
                    }
                }
            }
        }
        return new double[] {sum, last};
    }
}
