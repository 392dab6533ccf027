package io.rnn4j.cli;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rnn4j info}: the machine, the backends found and why any cannot run, and the device chosen. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the backends present, why any is unavailable, and what the JVM offers them.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    DeviceOption deviceOption;
    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println(new Main.Version().getVersion()[0]);
        out.println("runtime:    " + HostInfo.runtime());
        out.println("cpu:        " + HostInfo.cpuModel() + ", " + HostInfo.processors()
                + " processors available to the JVM");
        out.println("vector api: " + vectorLine());
        out.println("backends (highest priority first):");
        for (Devices.Probe p : Devices.probes()) {
            out.printf("  %-7s priority %3d  %s%n", p.kind(), p.priority(),
                    p.available() ? "available" : "unavailable: " + p.reason());
        }
        Device d = deviceOption.device();
        out.println("device:     " + d.name() + (deviceOption.name != null ? " (--device)" : " (the default)"));
        out.flush();
        return 0;
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
