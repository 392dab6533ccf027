package io.rnn4j.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the JVM says about this machine: the CPU, the processors it may use, whether the Vector API
 * module is readable and its preferred width, and whether HotSpot uses FMA instructions.
 *
 * <p>The Vector API is reached by reflection so that this class loads, and {@code info} runs, when
 * the module is absent — which is exactly when its answer matters most.
 */
final class HostInfo {
    private HostInfo() {
    }

    /** "AMD EPYC 7B13" from /proc/cpuinfo, or the OS architecture where that file does not exist. */
    static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or not readable: fall through to the architecture.
        }
        return System.getProperty("os.arch");
    }

    static int processors() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Whether {@code jdk.incubator.vector} is in the boot layer (i.e. --add-modules was given). */
    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** The preferred float species' width in bits, when the Vector API module is present. */
    static Optional<Integer> preferredVectorBits() {
        if (!vectorModulePresent()) {
            return Optional.empty();
        }
        try {
            Object species = Class.forName("jdk.incubator.vector.FloatVector").getField("SPECIES_PREFERRED").get(null);
            Object bits = Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("vectorBitSize").invoke(species);
            return Optional.of((Integer) bits);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** HotSpot's {@code UseFMA} flag ("true"/"false"), or empty on a JVM without it. */
    static Optional<String> useFma() {
        try {
            HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return bean == null ? Optional.empty() : Optional.of(bean.getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** "Java 25.0.1+8-LTS (Eclipse Adoptium), Linux 6.1.0 amd64". */
    static String runtime() {
        return "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
    }
}
