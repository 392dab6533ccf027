package io.rnn4j.cli;

import io.rnn4j.cli.bench.BenchResult;
import io.rnn4j.cli.bench.BenchTable;
import io.rnn4j.cli.bench.CaseBenchmark;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.RnnCase;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rnn4j bench}: the fixed cases of rnn-cases.md on one or more devices, as one markdown table
 * whose checksums anyone can hold against another system's. Exits with 1 when a checksum is wrong.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run the fixed RNN cases (rnn-cases.md: S1..G4) on the fused kernels and print times and checksums.",
            "Each case warms up, then runs --runs times; the table gives the median and the fastest run."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    VerboseOption verbose;

    @Option(names = "--device", split = ",", paramLabel = "DEVICE",
            converter = DeviceOption.NameConverter.class,
            description = "Devices to run on: scalar, simd, cuda or cuda:N, e.g. --device scalar,simd "
                    + "(default: the default device).")
    List<String> devices = new ArrayList<>();

    @Option(names = "--case", split = ",", paramLabel = "CASE",
            description = "Cases to run, e.g. --case S1,L1 (default: all of ${COMPLETION-CANDIDATES}).")
    List<RnnCase> cases = new ArrayList<>();

    @Option(names = "--runs", defaultValue = "10", paramLabel = "N", description = "Timed runs per case (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup-seconds", defaultValue = "3.0", paramLabel = "S",
            description = "Warm-up time per case before timing (default: ${DEFAULT-VALUE}). Vector API code runs "
                    + "up to 100x slower until the JIT has compiled it, which takes seconds on a busy machine.")
    double warmupSeconds;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads of the SIMD backend's pool (sets -Drnn4j.threads; default: every processor).")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        OptionChecks.atLeast("--runs", runs, 1);
        if (!(warmupSeconds >= 0)) {
            throw new CliException("--warmup-seconds must be >= 0, got " + warmupSeconds);
        }
        new OutputPaths().writes("--json", json).check();
        if (threads != null) {
            OptionChecks.atLeast("--threads", threads, 1);
            // Read once, when the SIMD backend first starts its pool: set before any device is opened.
            System.setProperty("rnn4j.threads", threads.toString());
        }
        List<Device> targets = new ArrayList<>();
        for (String name : devices) {
            targets.add(DeviceOption.open(name));
        }
        if (targets.isEmpty()) {
            targets.add(DeviceOption.defaultDevice());
        }
        List<RnnCase> chosen = cases.isEmpty() ? List.of(RnnCase.values()) : cases;
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String machine = HostInfo.cpuModel() + ", " + HostInfo.processors() + " processors, Java "
                + Runtime.version();
        out.println("machine: " + machine);
        out.flush();

        boolean progress = System.console() != null && System.console().isTerminal();
        List<BenchTable.Row> rows = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        for (RnnCase c : chosen) {
            for (Device d : targets) {
                if (progress) {
                    err.print("running " + c + " on " + d.name() + " ...\r");
                    err.flush();
                }
                BenchResult r;
                try (CaseBenchmark b = new CaseBenchmark(c, d)) {
                    r = b.measure(warmupSeconds, runs);
                }
                rows.add(new BenchTable.Row(r, threads(d)));
                mismatches.addAll(r.mismatches());
            }
        }
        if (progress) {
            err.print(" ".repeat(40) + "\r");
            err.flush();
        }
        out.print(BenchTable.markdown(rows));
        out.print(BenchTable.gradientLines(rows));
        out.flush();
        if (json != null) {
            AtomicFiles.writeString(json, BenchTable.json(rows, machine));
            out.println("wrote " + json);
            out.flush();
        }
        if (!mismatches.isEmpty()) {
            for (String m : mismatches) {
                err.println("bench: checksum mismatch: " + m);
            }
            err.flush();
            return Main.INTERNAL_ERROR;
        }
        return 0;
    }

    /**
     * The threads a device may compute with: the scalar backend runs on the caller's thread; the
     * SIMD backend's pool has -Drnn4j.threads threads (every processor by default), which it uses for
     * work large enough to pay for them; a GPU's parallelism is not a thread count.
     */
    private static String threads(Device d) {
        if (d.name().equals("scalar")) {
            return "1";
        }
        if (d.name().equals("simd")) {
            return Integer.toString(Integer.getInteger("rnn4j.threads", HostInfo.processors()));
        }
        return "n/a";
    }
}
