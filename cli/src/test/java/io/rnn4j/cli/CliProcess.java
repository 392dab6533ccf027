package io.rnn4j.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code rnn4j} in a JVM of its own, for what one process can only do once or only through
 * {@link Main#main}: choose the default device from the environment, or exit with a code after
 * writing to the real standard output.
 */
public record CliProcess(int exitCode, String out, String err) {

    /**
     * @param env     variables added to the child's environment
     * @param jvmArgs e.g. {@code -Drnn4j.device=bogus}
     * @param stdout  where the child's standard output goes (e.g. /dev/full), or null to keep it
     */
    public static CliProcess run(Map<String, String> env, List<String> jvmArgs, File stdout, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(jvmArgs);
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("RNN4J_DEVICE");
        pb.environment().putAll(env);
        File out = stdout != null ? stdout : File.createTempFile("rnn4j-out", ".txt");
        File err = File.createTempFile("rnn4j-err", ".txt");
        try {
            pb.redirectOutput(out).redirectError(err);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("rnn4j " + String.join(" ", args) + " did not end in 120 s");
            }
            String printed = stdout != null ? "" : Files.readString(out.toPath(), StandardCharsets.UTF_8);
            return new CliProcess(p.exitValue(), printed, Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } finally {
            if (stdout == null) {
                Files.deleteIfExists(out.toPath());
            }
            Files.deleteIfExists(err.toPath());
        }
    }
}
