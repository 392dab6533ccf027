package io.rnn4j.bench.peers;

import io.rnn4j.bench.Backends;
import io.rnn4j.bench.WindowTiming;
import io.rnn4j.engine.RnnCase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench/peers}: every system on every fixed case, each system in its own JVM per thread
 * count (1 for the latency cases, all cores for the others; the same for every system), then one
 * table — case × system, median time, ratio to rnn4j — printed and written to
 * {@code bench/target/peers.md}.
 *
 * <p>With {@code --rounds N} every system runs N times, taking turns round by round, and a ratio is
 * the median of the ratios within each round: a shared machine's slow minutes then slow both sides
 * of a ratio rather than one (on this project's machine they moved single runs by 10 to 20 %).
 *
 * <pre>
 * --cases S1,L2,...   (default: all)   --systems a,b,...  (default: all)
 * --warmup SECONDS    (default 2)      --measure SECONDS  (default 3)
 * --rounds N          (default 1)
 * </pre>
 */
public final class Peers {
    /**
     * rnn4j-simd in its opt-in two-thread batch-1 mode ({@code -Drnn4j.simd.splitBatchOne=true}):
     * two threads on one sequence, so it runs the batch-1 cases only, against the others' one.
     */
    static final String SPLIT = "rnn4j-simd-split2";
    static final List<String> SYSTEMS = List.of("rnn4j-simd", SPLIT, "rnn4j-scalar", "tf-keras-graph",
            "tf-blocklstm", "onnxruntime", "pytorch-djl");

    /** One RESULT line of a {@link PeerRun}. */
    record Row(String system, RnnCase rnnCase, int threads, double micros, String status, String sums) {
        static Row parse(String line) {
            String[] p = line.split("\t", -1);
            return new Row(p[1], RnnCase.valueOf(p[2]), Integer.parseInt(p[3]), Double.parseDouble(p[4]), p[5], p[6]);
        }
    }

    private Peers() {
    }

    public static void main(String[] args) throws Exception {
        List<RnnCase> cases = Arrays.asList(RnnCase.values());
        List<String> systems = new ArrayList<>(SYSTEMS);
        String warmup = "2";
        String measure = "3";
        int rounds = 1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--cases" -> cases = Arrays.stream(args[i + 1].split(",")).map(String::trim).map(RnnCase::valueOf)
                        .toList();
                case "--systems" -> systems = new ArrayList<>(List.of(args[i + 1].split(",")));
                case "--warmup" -> warmup = args[i + 1];
                case "--measure" -> measure = args[i + 1];
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("peers: unknown option " + args[i]
                        + "; known: --cases, --systems, --warmup, --measure, --rounds");
            }
        }
        if (Backends.unavailableReason("simd") != null) {
            for (String simd : List.of("rnn4j-simd", SPLIT)) {
                if (systems.remove(simd)) {
                    System.out.println("peers: skipping " + simd + ": " + Backends.unavailableReason("simd"));
                }
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        List<RnnCase> latency = cases.stream().filter(c -> c.batch == 1).toList();
        List<RnnCase> wide = cases.stream().filter(c -> c.batch > 1).toList();
        if (rounds < 1) {
            throw new IllegalArgumentException("peers: --rounds expects at least 1, got " + rounds);
        }
        List<List<Row>> byRound = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            if (rounds > 1) {
                System.out.println("peers: round " + (round + 1) + " of " + rounds);
            }
            List<Row> rows = new ArrayList<>();
            for (String system : systems) {
                if (system.equals(SPLIT)) {
                    if (!latency.isEmpty()) {
                        rows.addAll(runChild(system, latency, 2, warmup, measure, "-Drnn4j.simd.splitBatchOne=true"));
                    }
                    continue;
                }
                if (!latency.isEmpty()) {
                    rows.addAll(runChild(system, latency, 1, warmup, measure));
                }
                if (!wide.isEmpty()) {
                    rows.addAll(runChild(system, wide, cores, warmup, measure));
                }
            }
            byRound.add(rows);
        }
        String table = table(byRound, cases, systems);
        System.out.println();
        System.out.println(table);
        Path out = Path.of("bench/target/peers.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
        System.out.println("peers: table written to " + out);
    }

    private static List<Row> runChild(String system, List<RnnCase> cases, int threads, String warmup, String measure,
            String... jvmFlags) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Drnn4j.threads=" + threads, "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=" + threads, "-Dai.djl.pytorch.num_interop_threads=1"));
        cmd.addAll(List.of(jvmFlags));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PeerRun.class.getName(),
                "--system", system, "--threads", String.valueOf(threads),
                "--cases", String.join(",", cases.stream().map(Enum::name).toList()),
                "--warmup", warmup, "--measure", measure));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
        pb.environment().put("MKL_NUM_THREADS", String.valueOf(threads));
        // Shared machines run more threads than cores: OpenMP workers that spin while they wait
        // (libgomp's default) then starve each other, and PyTorch's batch-64 LSTM took 30x longer.
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        System.out.println("peers: " + system + " on " + cases + " with " + threads + " thread(s)");
        Process p = pb.start();
        List<Row> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("RESULT\t")) {
                    Row row = Row.parse(line);
                    rows.add(row);
                    System.out.printf(Locale.ROOT, "  %-15s %s  %s  %s  checksums %s%n", system, row.rnnCase(),
                            Double.isNaN(row.micros()) ? "-" : formatTime(row.micros()), row.status(), row.sums());
                } else if (!line.isBlank() && !line.startsWith("WARNING")) {
                    System.out.println("  | " + line);
                }
            }
        }
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        return rows;
    }

    /**
     * Case × system: the median time over rounds, and the median over rounds of the ratio to rnn4j
     * (simd if measured, else scalar) within each round.
     */
    static String table(List<List<Row>> byRound, List<RnnCase> cases, List<String> systems) {
        List<Map<String, Row>> keyed = new ArrayList<>();
        for (List<Row> rows : byRound) {
            Map<String, Row> byKey = new LinkedHashMap<>();
            for (Row r : rows) {
                byKey.put(r.system() + "/" + r.rnnCase(), r);
            }
            keyed.add(byKey);
        }
        String base = systems.contains("rnn4j-simd") ? "rnn4j-simd" : "rnn4j-scalar";
        StringBuilder b = new StringBuilder("| case | threads |");
        systems.forEach(s -> b.append(' ').append(s).append(" |"));
        b.append("\n|---|---:|");
        systems.forEach(s -> b.append("---:|"));
        b.append('\n');
        for (RnnCase c : cases) {
            int threads = c.batch == 1 ? 1 : Runtime.getRuntime().availableProcessors();
            b.append("| ").append(c).append(c.training ? " (fwd+bwd)" : "").append(" | ").append(threads).append(" |");
            for (String s : systems) {
                List<Row> runs = new ArrayList<>();
                List<Row> refs = new ArrayList<>();
                for (Map<String, Row> byKey : keyed) {
                    Row r = byKey.get(s + "/" + c);
                    if (r != null) {
                        runs.add(r);
                        refs.add(byKey.get(base + "/" + c));
                    }
                }
                b.append(' ').append(cell(runs, refs)).append(" |");
            }
            b.append('\n');
        }
        b.append("\nMedian time per run");
        if (byRound.size() > 1) {
            b.append(" (median of ").append(byRound.size())
                    .append(" rounds; ratios are medians of each round's ratio)");
        }
        b.append("; (×N) is the time relative to ").append(base)
                .append(" (above 1: slower than rnn4j). n/a: the system cannot run the case; a ✗ marks checksums")
                .append(" that disagree with rnn-cases.md.");
        if (systems.contains(SPLIT)) {
            b.append(' ').append(SPLIT).append(": the opt-in two-thread batch-1 mode (two threads on one sequence;")
                    .append(" batch-1 cases only).");
        }
        b.append('\n');
        return b.toString();
    }

    /** One system's runs of a case, with the reference's run of the same round beside each. */
    private static String cell(List<Row> runs, List<Row> refs) {
        if (runs.isEmpty()) {
            return "-";
        }
        if (runs.stream().anyMatch(r -> r.status().equals("n/a"))) {
            return "n/a";
        }
        if (runs.stream().anyMatch(r -> r.status().startsWith("error"))) {
            return "error";
        }
        double[] micros = new double[runs.size()];
        double[] ratios = new double[runs.size()];
        int withRef = 0;
        for (int i = 0; i < runs.size(); i++) {
            micros[i] = runs.get(i).micros();
            Row ref = refs.get(i);
            if (ref != null && !Double.isNaN(ref.micros()) && ref.micros() > 0) {
                ratios[withRef++] = micros[i] / ref.micros();
            }
        }
        String t = formatTime(WindowTiming.median(micros));
        if (withRef > 0) {
            t += String.format(Locale.ROOT, " (×%.2f)", WindowTiming.median(Arrays.copyOf(ratios, withRef)));
        }
        return runs.stream().allMatch(r -> r.status().equals("ok")) ? t : t + " ✗";
    }

    static String formatTime(double micros) {
        if (micros >= 1e6) {
            return String.format(Locale.ROOT, "%.2f s", micros / 1e6);
        }
        if (micros >= 1e3) {
            return String.format(Locale.ROOT, "%.2f ms", micros / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f µs", micros);
    }
}
