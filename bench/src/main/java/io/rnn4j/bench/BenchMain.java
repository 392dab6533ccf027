package io.rnn4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The entry point of {@code benchmarks.jar}: JMH's own command line, with the devices that cannot
 * run here left out — each named once with the reason — instead of failing their benchmarks.
 *
 * <p>Without {@code -p device=...} every device of {@link Backends#KINDS} that probes as available
 * is measured; with it, the named ones that are available. Without the Vector API module the FMA
 * peak benchmark is excluded too (it uses the Vector API directly). Everything else is JMH's
 * {@code Main}: {@code -h} lists its options.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(withAvailableDevices(args, System.err));
    }

    /** {@code args} with the device parameter narrowed to what runs here; reasons go to {@code log}. */
    static String[] withAvailableDevices(String[] args, java.io.PrintStream log) {
        if (Arrays.asList(args).contains("-h") || Arrays.asList(args).contains("-l")
                || Arrays.asList(args).contains("-lp") || Arrays.asList(args).contains("-lprof")
                || Arrays.asList(args).contains("-lrf")) {
            return args;
        }
        List<String> out = new ArrayList<>();
        List<String> wanted = null;
        for (int i = 0; i < args.length; i++) {
            String value = null;
            if (args[i].equals("-p") && i + 1 < args.length && args[i + 1].startsWith("device=")) {
                value = args[++i];
            } else if (args[i].startsWith("-pdevice=")) {
                value = args[i].substring(2);
            }
            if (value != null) {
                wanted = wanted == null ? new ArrayList<>() : wanted;
                wanted.addAll(Arrays.asList(value.substring("device=".length()).split(",")));
            } else {
                out.add(args[i]);
            }
        }
        List<String> kinds = wanted == null ? Backends.KINDS : wanted;
        List<String> available = new ArrayList<>();
        for (String k : kinds) {
            String why = Backends.unavailableReason(k);
            if (why == null) {
                available.add(k);
            } else {
                log.println("rnn4j bench: skipping device " + k + ": " + why);
            }
        }
        if (available.isEmpty()) {
            throw new IllegalArgumentException("rnn4j bench: none of the requested devices " + kinds
                    + " can run here");
        }
        out.add("-p");
        out.add("device=" + String.join(",", available));
        if (!Backends.vectorApiPresent()) {
            log.println("rnn4j bench: skipping FmaPeakBench and CacheFloorBench: the Vector API module is missing;"
                    + " run java with --add-modules jdk.incubator.vector");
            out.add("-e");
            out.add("FmaPeakBench");
            out.add("-e");
            out.add("CacheFloorBench");
        }
        return out.toArray(String[]::new);
    }
}
