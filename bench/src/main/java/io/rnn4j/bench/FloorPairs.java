package io.rnn4j.bench;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.RnnCase;
import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code bench/floor}: how far each batch-1 case runs above its cache-streaming floor, with the case
 * and every part of its floor timed in turn in short windows of the same minutes, so that a shared
 * machine's slow and fast minutes fall on both sides of each ratio (in separate JMH runs they do
 * not: on this project's machine L1 ran at 197 µs in some minutes and 221 µs in others while the
 * stream kept its speed).
 *
 * <p>The floor of a case with T steps, H units, G gate blocks and I inputs: U read T times (the
 * {@link CacheFloorBench} pass over 4·G·H² aligned bytes), the gate activations at the rate the
 * SIMD backend's unary ops reach on the whole sequence's worth of floats in one call each (LSTM
 * 3H sigmoid and 2H tanh a step, GRU 2H and H, SimpleRNN H tanh; one call, so that no per-call
 * overhead pads the floor), and the input projection's 2·T·I·G·H flops at the FMA peak
 * ({@link FmaPeakBench}). Each round times every part for a window and takes medians; the ratio of
 * a round is the case over the sum, and the report gives their median, least and greatest.
 *
 * <pre>
 * bench/floor [--cases L1,L2,G1,G2] [--rounds 40] [--window-ms 50]
 * </pre>
 */
public final class FloorPairs {
    /** Where the timed loops' results go, so that the JIT keeps them. */
    static volatile float blackhole;

    private FloorPairs() {
    }

    public static void main(String[] args) {
        List<RnnCase> cases = List.of(RnnCase.L1, RnnCase.L2, RnnCase.G1, RnnCase.G2);
        int rounds = 40;
        long windowNanos = 50_000_000L;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--cases" -> cases = Arrays.stream(args[i + 1].split(",")).map(String::trim)
                        .map(RnnCase::valueOf).toList();
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--window-ms" -> windowNanos = Long.parseLong(args[i + 1]) * 1_000_000L;
                default -> throw new IllegalArgumentException("floor: unknown option " + args[i]
                        + "; known: --cases, --rounds, --window-ms");
            }
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("floor: option " + args[args.length - 1] + " has no value");
        }
        if (rounds < 1 || windowNanos < 1) {
            throw new IllegalArgumentException("floor: expected --rounds >= 1 and --window-ms >= 1, got " + rounds
                    + " and " + windowNanos / 1_000_000L);
        }
        String why = Backends.unavailableReason("simd");
        if (why != null) {
            throw new IllegalStateException("floor: the simd device cannot run here: " + why);
        }
        Device simd = Backends.device("simd");
        System.out.println("floor: " + rounds + " rounds of " + windowNanos / 1_000_000L
                + " ms windows per part; times are medians over rounds, ratios the median (least–greatest)"
                + " of each round's case / floor");
        for (RnnCase c : cases) {
            if (c.batch != 1 || c.training) {
                throw new IllegalArgumentException("floor: " + c + " is not a batch-1 inference case");
            }
            measure(c, simd, rounds, windowNanos);
        }
    }

    private static void measure(RnnCase c, Device simd, int rounds, long windowNanos) {
        int g = c.cell.gates();
        long uBytes = 4L * c.units * g * c.units;
        MemorySegment u = Arena.ofAuto().allocate(Math.ceilDiv(uBytes, CacheFloorBench.STEP_BYTES)
                * CacheFloorBench.STEP_BYTES, 64);
        int sigmoids = (c.cell == RnnCell.LSTM ? 3 : c.cell == RnnCell.GRU ? 2 : 0) * c.units * c.steps;
        int tanhs = (c.cell == RnnCell.LSTM ? 2 : 1) * c.units * c.steps;
        double projectionFlops = 2.0 * c.steps * c.inputSize * g * c.units;
        try (CaseData data = new CaseData(c, simd, false);
                Tensor sigIn = random(simd, Math.max(1, sigmoids));
                Tensor sigOut = simd.zeros(Math.max(1, sigmoids));
                Tensor tanhIn = random(simd, tanhs);
                Tensor tanhOut = simd.zeros(tanhs)) {
            data.verify();
            float[] sink = new float[1];
            Runnable runCase = data::forward;
            Runnable stream = () -> {
                for (int t = 0; t < c.steps; t++) {
                    sink[0] += CacheFloorBench.pass(u);
                }
            };
            Runnable activations = () -> {
                if (sigmoids > 0) {
                    simd.unary(UnaryOp.SIGMOID, sigIn, sigOut);
                }
                simd.unary(UnaryOp.TANH, tanhIn, tanhOut);
            };
            Runnable peak = () -> sink[0] += FmaPeakBench.chains(0.9999f, 1e-4f);
            double[] caseUs = new double[rounds];
            double[] floorUs = new double[rounds];
            double[] streamUs = new double[rounds];
            double[] actUs = new double[rounds];
            double[] projUs = new double[rounds];
            double[] ratio = new double[rounds];
            // Warm-up rounds first: the Vector API code is slow until C2 compiles it.
            for (int r = -Math.max(20, rounds / 2); r < rounds; r++) {
                double tc = WindowTiming.medianMicros(runCase::run, windowNanos, 1);
                double ts = WindowTiming.medianMicros(stream::run, windowNanos, 1);
                double ta = WindowTiming.medianMicros(activations::run, windowNanos, 1);
                double flopsPerMicro = FmaPeakBench.FLOPS_PER_CALL / WindowTiming.medianMicros(peak::run, windowNanos, 1);
                if (r >= 0) {
                    caseUs[r] = tc;
                    streamUs[r] = ts;
                    actUs[r] = ta;
                    projUs[r] = projectionFlops / flopsPerMicro;
                    floorUs[r] = ts + ta + projUs[r];
                    ratio[r] = tc / floorUs[r];
                }
            }
            System.out.printf(Locale.ROOT, "%s: case %.1f µs, floor %.1f µs (U streamed %.1f + activations %.1f +"
                    + " projection at peak %.1f): %.3f× (%.3f–%.3f)%n", c, WindowTiming.median(caseUs),
                    WindowTiming.median(floorUs), WindowTiming.median(streamUs), WindowTiming.median(actUs),
                    WindowTiming.median(projUs), WindowTiming.median(ratio), min(ratio), max(ratio));
            blackhole = sink[0];
        }
    }

    private static Tensor random(Device d, int n) {
        float[] v = new float[n];
        SplittableRandom rnd = new SplittableRandom(13);
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextDouble(-4, 4);
        }
        return d.tensor(v, n);
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
