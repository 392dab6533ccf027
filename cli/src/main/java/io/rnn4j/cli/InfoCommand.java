package io.rnn4j.cli;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code rnn4j info}: the machine, the backends found and why any cannot run, what each available
 * one says about itself ({@link Device#describe()}), and the device chosen.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the backends present, why any is unavailable, and what the JVM offers them.")
final class InfoCommand implements Callable<Integer> {
    /** Where a backend's own entries start: under the word "priority" of its line. */
    private static final String ENTRY_INDENT = " ".repeat(10);

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        PrintWriter out = common.out();
        out.println(new Main.Version().getVersion()[0]);
        out.println("runtime:    " + HostInfo.runtime());
        out.println("cpu:        " + HostInfo.cpuModel() + ", " + HostInfo.processors()
                + " processors available to the JVM");
        out.println("vector api: " + vectorLine());
        out.println("backends (highest priority first):");
        for (Devices.Probe p : Devices.probes()) {
            out.printf("  %-7s priority %3d  %s%n", p.kind(), p.priority(),
                    p.available() ? "available" : "unavailable: " + p.reason());
            if (p.available()) {
                describe(out, p.kind());
            }
        }
        Device d;
        try {
            d = common.device.device();
        } catch (CliException e) {
            // The report above is what it takes to see why; give it, then fail as any command would.
            String reason = DeviceOption.reason((RuntimeException) e.getCause());
            out.println("device:     none: " + reason);
            out.flush();
            throw new CliException(reason, e.getCause());
        }
        out.println("device:     " + d.name() + (common.device.name != null ? " (--device)" : " (the default)"));
        out.flush();
        return 0;
    }

    /**
     * Every entry the backend gives about itself, one per line: in the backend's order where its map
     * has one, else sorted by key (so that the output is the same from run to run).
     */
    private static void describe(PrintWriter out, String kind) {
        Map<String, String> entries;
        try {
            entries = Devices.get(kind).describe();
        } catch (RuntimeException e) {
            // The probe passed but opening failed (e.g. a GPU that is busy or out of memory): say so, go on.
            out.println(ENTRY_INDENT + "cannot open it: " + e.getMessage());
            return;
        }
        Map<String, String> ordered = entries instanceof SequencedMap<String, String> ? entries
                : new TreeMap<>(entries);
        ordered.forEach((key, value) -> out.println(ENTRY_INDENT + key + ": " + value));
    }

    private static String vectorLine() {
        if (!HostInfo.vectorModulePresent()) {
            return "jdk.incubator.vector not readable: run java with --add-modules jdk.incubator.vector"
                    + " (the ./rnn4j launcher does)";
        }
        Optional<Integer> bits = HostInfo.preferredVectorBits();
        String width = bits.map(b -> "preferred width " + b + " bits (" + b / 32 + " floats)").orElse("width unknown");
        String fma = HostInfo.useFma().map(v -> "FMA " + ("true".equals(v) ? "on" : "off") + " (HotSpot UseFMA)")
                .orElse("FMA unknown");
        return "jdk.incubator.vector readable, " + width + ", " + fma;
    }
}
