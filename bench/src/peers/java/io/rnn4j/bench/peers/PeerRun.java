package io.rnn4j.bench.peers;

import io.rnn4j.engine.RnnCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One system on some cases at one thread count, in its own JVM (started by {@link Peers}). Prints
 * a line per case: {@code RESULT system case threads median-µs status checksums}, status being
 * ok, mismatch (checksums disagree with rnn-cases.md), n/a (the system cannot run the case) or
 * error.
 */
public final class PeerRun {
    /** float32 sums over thousands of values agree with the float64 reference to about 1e-4. */
    static final double TOLERANCE = 1e-3;

    private PeerRun() {
    }

    public static void main(String[] args) throws Exception {
        String system = null;
        int threads = 1;
        List<RnnCase> cases = new ArrayList<>();
        double warmup = 2;
        double measure = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--system" -> system = args[i + 1];
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--cases" -> {
                    for (String c : args[i + 1].split(",")) {
                        cases.add(RnnCase.valueOf(c.trim()));
                    }
                }
                case "--warmup" -> warmup = Double.parseDouble(args[i + 1]);
                case "--measure" -> measure = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("PeerRun: unknown option " + args[i]);
            }
        }
        Timing timing = new Timing(warmup, measure, 5);
        try (PeerSystem s = create(system)) {
            for (RnnCase c : cases) {
                runCase(s, c, threads, timing);
            }
        }
    }

    static PeerSystem create(String name) {
        return switch (name) {
            case "rnn4j-simd" -> new Rnn4jPeer("simd");
            case Peers.SPLIT -> new Rnn4jPeer("simd", Peers.SPLIT);
            case "rnn4j-scalar" -> new Rnn4jPeer("scalar");
            case "tf-keras-graph" -> new TfGraphPeer();
            case "tf-blocklstm" -> new TfBlockLstmPeer();
            case "onnxruntime" -> new OnnxPeer();
            case "pytorch-djl" -> new DjlTorchPeer();
            default -> throw new IllegalArgumentException("PeerRun: unknown system '" + name + "'");
        };
    }

    private static void runCase(PeerSystem s, RnnCase c, int threads, Timing timing) {
        try (PeerSystem.Prepared p = s.prepare(c, threads)) {
            if (p == null) {
                System.out.println(line(s.name(), c, threads, Double.NaN, "n/a", new double[0]));
                return;
            }
            double[] sums = p.checksums();
            String status = agrees(c, sums) ? "ok" : "mismatch";
            double median = timing.medianMicros(p);
            System.out.println(line(s.name(), c, threads, median, status, sums));
        } catch (Exception | LinkageError e) {
            String msg = String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
            System.out.println(line(s.name(), c, threads, Double.NaN, "error: " + e.getClass().getSimpleName() + ": "
                    + msg.substring(0, Math.min(200, msg.length())), new double[0]));
        }
    }

    /** Whether {sum, lastH[, ΣdW, ΣdU, Σdb, Σdx]} agree with rnn-cases.md. */
    static boolean agrees(RnnCase c, double[] sums) {
        double[] expected = c.training
                ? Sums.concat(new double[] {c.expectedSum, c.expectedLastH}, c.expectedGradientSums())
                : new double[] {c.expectedSum, c.expectedLastH};
        if (sums.length != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(sums[i] - expected[i]) <= TOLERANCE * Math.max(1.0, Math.abs(expected[i])))) {
                return false;
            }
        }
        return true;
    }

    static String line(String system, RnnCase c, int threads, double micros, String status, double[] sums) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "RESULT\t%s\t%s\t%d\t%.3f\t%s\t", system, c,
                threads, micros, status));
        for (int i = 0; i < sums.length; i++) {
            b.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6g", sums[i]));
        }
        return b.toString();
    }
}
