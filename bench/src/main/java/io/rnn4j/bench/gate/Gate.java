package io.rnn4j.bench.gate;

import io.rnn4j.bench.Backends;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The gate's command line ({@code bench/gate}): runs the benchmarks the floors file's checks name,
 * writes {@code gate.json} and {@code gate.md} to the output folder, prints the markdown, and exits
 * 0 when every check holds, 1 when one fails (or a required device cannot run), 2 on a usage or
 * floors-file error.
 *
 * <pre>
 * --floors FILE     the checks (default bench/floors.properties)
 * --out DIR         where gate.json, gate.md and JMH's files go (default bench/target/gate)
 * --results FILE    check an existing JMH JSON result file instead of running
 * --require a,b     fail unless these devices can run here (e.g. simd in CI)
 * --warmup NxS      warm-up iterations x seconds (default 3x2: the Vector API needs seconds for C2)
 * --measure NxS     measurement iterations x seconds (default 3x1)
 * </pre>
 */
public final class Gate {
    private Gate() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs the gate; returns the exit code. */
    public static int run(String[] args, PrintStream out) {
        Path floors = Path.of("bench/floors.properties");
        Path dir = Path.of("bench/target/gate");
        Path results = null;
        List<String> required = List.of();
        int[] warmup = {3, 2};
        int[] measure = {3, 1};
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("gate: " + a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--floors" -> floors = Path.of(v);
                    case "--out" -> dir = Path.of(v);
                    case "--results" -> results = Path.of(v);
                    case "--require" -> required = List.of(v.split(","));
                    case "--warmup" -> warmup = iterations(a, v);
                    case "--measure" -> measure = iterations(a, v);
                    default -> throw new IllegalArgumentException("gate: unknown option " + a + "; known: --floors, "
                            + "--out, --results, --require, --warmup, --measure");
                }
            }
            List<Check> checks = Check.parse(Files.readAllLines(floors, StandardCharsets.UTF_8));
            // Saved results came from some machine: there, a missing device's checks simply fail.
            Map<String, String> unavailable = results == null ? unavailableDevices(checks) : Map.of();
            for (String r : required) {
                String why = Backends.unavailableReason(r);
                if (why != null) {
                    out.println("gate: FAIL: required device " + r + " cannot run here: " + why);
                    return 1;
                }
            }
            unavailable.forEach((d, why) -> out.println("gate: skipping the checks on device " + d + ": " + why));
            Files.createDirectories(dir);
            List<String> jsonFiles = new ArrayList<>();
            if (results != null) {
                jsonFiles.add(Files.readString(results));
            } else {
                int n = 0;
                for (GatePlan plan : GatePlan.of(checks, unavailable.keySet())) {
                    Path f = dir.resolve("jmh-" + (n++) + ".json");
                    Files.deleteIfExists(f); // never read an earlier run's numbers
                    runJmh(plan, f, warmup, measure);
                    if (Files.exists(f)) {
                        jsonFiles.add(Files.readString(f));
                    }
                }
            }
            List<BenchResult> all = new ArrayList<>();
            List<String> rows = new ArrayList<>();
            for (String json : jsonFiles) {
                all.addAll(BenchResult.parseJmhJson(json));
                String r = Report.rowsOf(json);
                if (!r.isEmpty()) {
                    rows.add(r);
                }
            }
            List<Verdict> verdicts = Verdict.evaluate(checks, all, unavailable);
            String machine = Report.machine();
            String date = LocalDate.now().toString();
            String md = Report.markdown(verdicts, all, machine, date);
            Files.writeString(dir.resolve("gate.md"), md);
            Files.writeString(dir.resolve("gate.json"), Report.json(verdicts, String.join(",\n", rows), machine, date));
            out.println(md);
            long failed = verdicts.stream().filter(v -> v.status() == Verdict.Status.FAIL).count();
            long skipped = verdicts.stream().filter(v -> v.status() == Verdict.Status.SKIP).count();
            // Not in a test runner's "N passed, N failed" form: CI reads that from the test runs.
            out.println("gate: " + (failed == 0 ? "OK" : "FAILED") + " — checks held: " + (verdicts.size() - failed
                    - skipped) + ", below their bound or unmeasured: " + failed + ", skipped: " + skipped + " (report: "
                    + dir.resolve("gate.md") + ", " + dir.resolve("gate.json") + ")");
            return failed == 0 ? 0 : 1;
        } catch (IllegalArgumentException | IOException e) {
            out.println("gate: " + e.getMessage());
            return 2;
        }
    }

    /** Each device the checks name that cannot run here, with the reason. */
    static Map<String, String> unavailableDevices(List<Check> checks) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Check c : checks) {
            for (MetricRef m : c.metrics()) {
                String dev = m.params().get("device");
                if (dev != null && !out.containsKey(dev)) {
                    String why = Backends.unavailableReason(dev);
                    if (why != null) {
                        out.put(dev, why);
                    }
                }
            }
        }
        return out;
    }

    private static int[] iterations(String option, String v) {
        String[] p = v.split("x");
        try {
            int[] r = {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
            if (p.length == 2 && r[0] >= 1 && r[1] >= 1) {
                return r;
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // reported below
        }
        throw new IllegalArgumentException("gate: " + option + " expects iterations x seconds such as 3x2, got '"
                + v + "'");
    }

    private static void runJmh(GatePlan plan, Path resultFile, int[] warmup, int[] measure) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(plan.includePattern())
                .warmupIterations(warmup[0]).warmupTime(TimeValue.seconds(warmup[1]))
                .measurementIterations(measure[0]).measurementTime(TimeValue.seconds(measure[1]))
                .forks(1)
                .shouldFailOnError(false)
                .resultFormat(ResultFormatType.JSON).result(resultFile.toString());
        plan.params().forEach((k, v) -> b.param(k, v.toArray(String[]::new)));
        if (plan.gcProfiler()) {
            b.addProfiler(GCProfiler.class);
        }
        try {
            new Runner(b.build()).run();
        } catch (RunnerException e) {
            // A benchmark that did not run leaves its checks without results: they fail, naming it.
            System.err.println("gate: JMH could not run " + plan.benchmark() + ": " + e.getMessage());
        }
    }
}
