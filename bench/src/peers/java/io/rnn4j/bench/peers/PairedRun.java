package io.rnn4j.bench.peers;

import io.rnn4j.bench.WindowTiming;
import io.rnn4j.engine.RnnCase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench/pair}: two systems in one JVM, taking turns on a case in short windows, so that
 * both see the same minutes of a shared machine (on this project's machine the FMA peak itself
 * moves between 154 and 239 GFLOP/s from one 150 ms window to the next). Each round times a window
 * of each and takes their medians; the report gives the median of the rounds' ratios (first
 * system over second) with the least and greatest. Both keep their thread pools between turns:
 * ONNX Runtime's do not spin ({@link OnnxPeer}), rnn4j's park.
 *
 * <pre>
 * bench/pair [--systems rnn4j-simd,onnxruntime] [--cases L1,L3] [--rounds 30] [--window-ms 300]
 * </pre>
 * The thread count is the one {@link Peers} gives each case (1 for batch 1, all cores otherwise);
 * rnn4j reads its own once per JVM, so the script runs the batch-1 cases ({@code --batch one}) and
 * the others ({@code --batch many}) in separate JVMs.
 */
public final class PairedRun {
    private PairedRun() {
    }

    public static void main(String[] args) throws Exception {
        List<String> systems = List.of("rnn4j-simd", "onnxruntime");
        List<RnnCase> cases = List.of(RnnCase.L1, RnnCase.L3);
        int rounds = 30;
        long windowNanos = 300_000_000L;
        String batch = "any";
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("pair: option " + args[args.length - 1] + " has no value");
        }
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--systems" -> systems = List.of(args[i + 1].split(","));
                case "--cases" -> cases = Arrays.stream(args[i + 1].split(",")).map(String::trim)
                        .map(RnnCase::valueOf).toList();
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--window-ms" -> windowNanos = Long.parseLong(args[i + 1]) * 1_000_000L;
                case "--batch" -> batch = args[i + 1];
                default -> throw new IllegalArgumentException("pair: unknown option " + args[i]
                        + "; known: --systems, --cases, --rounds, --window-ms, --batch");
            }
        }
        if (!List.of("one", "many", "any").contains(batch)) {
            throw new IllegalArgumentException("pair: --batch expects one, many or any, got " + batch);
        }
        boolean ones = !batch.equals("many");
        boolean manys = !batch.equals("one");
        cases = cases.stream().filter(c -> c.batch == 1 ? ones : manys).toList();
        if (cases.isEmpty()) {
            return;
        }
        if (systems.size() != 2 || rounds < 1 || windowNanos < 1) {
            throw new IllegalArgumentException("pair: expected two systems, --rounds >= 1 and --window-ms >= 1, got "
                    + systems + ", " + rounds + " and " + windowNanos / 1_000_000L);
        }
        System.out.println("pair: " + systems.get(0) + " over " + systems.get(1) + ", " + rounds + " rounds of "
                + windowNanos / 1_000_000L + " ms windows each");
        try (PeerSystem a = PeerRun.create(systems.get(0)); PeerSystem b = PeerRun.create(systems.get(1))) {
            for (RnnCase c : cases) {
                int threads = c.batch == 1 ? 1 : Runtime.getRuntime().availableProcessors();
                measure(a, b, c, threads, rounds, windowNanos);
            }
        }
    }

    private static void measure(PeerSystem a, PeerSystem b, RnnCase c, int threads, int rounds, long windowNanos)
            throws Exception {
        try (PeerSystem.Prepared pa = a.prepare(c, threads); PeerSystem.Prepared pb = b.prepare(c, threads)) {
            if (pa == null || pb == null) {
                System.out.println(c + ": n/a (" + (pa == null ? a.name() : b.name()) + " cannot run it)");
                return;
            }
            for (PeerSystem.Prepared p : List.of(pa, pb)) {
                if (!PeerRun.agrees(c, p.checksums())) {
                    System.out.println(c + ": checksums disagree with rnn-cases.md: " + (p == pa ? a : b).name());
                    return;
                }
            }
            double[] ta = new double[rounds];
            double[] tb = new double[rounds];
            double[] ratio = new double[rounds];
            // Warm-up rounds first: JITs and native libraries settle (the Vector API needs seconds).
            for (int r = -Math.max(5, rounds / 4); r < rounds; r++) {
                double ma = WindowTiming.medianMicros(pa::run, windowNanos, 3);
                double mb = WindowTiming.medianMicros(pb::run, windowNanos, 3);
                if (r >= 0) {
                    ta[r] = ma;
                    tb[r] = mb;
                    ratio[r] = ma / mb;
                }
            }
            System.out.printf(Locale.ROOT, "%s (%d thread%s): %s %s, %s %s: ratio %.3f (%.3f–%.3f)%n", c, threads,
                    threads == 1 ? "" : "s", a.name(), Peers.formatTime(WindowTiming.median(ta)), b.name(),
                    Peers.formatTime(WindowTiming.median(tb)), WindowTiming.median(ratio), Arrays.stream(ratio).min().orElseThrow(),
                    Arrays.stream(ratio).max().orElseThrow());
        }
    }
}
