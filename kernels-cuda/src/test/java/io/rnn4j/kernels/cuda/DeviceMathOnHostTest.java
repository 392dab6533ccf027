package io.rnn4j.kernels.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.engine.scalar.ScalarMath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kernels' elementwise math ({@code common.cuh}: every unary op, its derivative, the binary
 * ops), compiled for the host by a C++ compiler and compared with {@link ScalarMath} at NaN, ±∞,
 * the kinks and across the value range, within the engine contract's bars (8 ulp for values;
 * 4e-6·|want| + 2^-20 for derivatives; binary ops exact). Checks the device code's special cases on
 * machines without a GPU; skipped where no g++/c++ is on the PATH. The device libm differs from the
 * host's by an ulp or two at most, well inside the bars.
 */
class DeviceMathOnHostTest {
    private static final Path WORK = Path.of("target/device-math");

    static float[] values() {
        return new float[] {-Float.MAX_VALUE, -1e30f, -1e4f, -1000f, -100f, -88.5f, -30f, -20f, -10f, -5f,
            Math.nextDown(-3f), -3f, Math.nextUp(-3f), Math.nextDown(-2.5f), -2.5f, Math.nextUp(-2.5f), -1f, -0.5f,
            -1e-3f, -1e-7f, -1e-30f, -Float.MIN_NORMAL, -Float.MIN_VALUE, -0f, 0f, Float.MIN_VALUE, Float.MIN_NORMAL,
            1e-30f, 1e-7f, 1e-3f, 0.5f, 1f, Math.nextDown(2.5f), 2.5f, Math.nextUp(2.5f), Math.nextDown(3f), 3f,
            Math.nextUp(3f), 5f, 10f, 20f, 30f, 88.5f, 100f, 1000f, 1e4f, 1e30f, Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0.3f, -0.7f, 2.2f, -1.9f};
    }

    private static String compiler() {
        for (String c : new String[] {"g++", "c++"}) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, c))) {
                    return Path.of(dir, c).toString();
                }
            }
        }
        return null;
    }

    @Test
    void theKernelsElementwiseMathFollowsScalarMathAtEverySpecialValue() throws IOException, InterruptedException {
        String cxx = compiler();
        assumeTrue(cxx != null, "skipped: no C++ compiler (g++ or c++) on the PATH to build the device math");
        assumeTrue(Files.isRegularFile(Path.of("src/main/cuda/common.cuh")),
                "skipped: the kernel sources are not here (a packed GPU-host run)");
        Files.createDirectories(WORK);
        List<String> lines = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            for (float x : values()) {
                lines.add(String.format(Locale.ROOT, "U %d %08x %08x %08x", OpCodes.unary(op), bits(x),
                        bits(ScalarMath.apply(op, x)), bits(ScalarMath.derivative(op, x))));
            }
        }
        float[] pairs = {Float.NaN, 0f, -0f, 1f, -1f, 2.5f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (BinaryOp op : BinaryOp.values()) {
            for (float a : pairs) {
                for (float b : pairs) {
                    lines.add(String.format(Locale.ROOT, "B %d %08x %08x %08x", OpCodes.binary(op), bits(a), bits(b),
                            bits(ScalarMath.apply(op, a, b))));
                }
            }
        }
        Path expected = WORK.resolve("expected.txt");
        Files.write(expected, lines);
        Path source = WORK.resolve("device_math_check.cpp");
        try (InputStream in = getClass().getResourceAsStream("device_math_check.cpp")) {
            Files.write(source, in.readAllBytes());
        }
        Path binary = WORK.resolve("device_math_check");
        String compiled = run(List.of(cxx, "-O1", "-std=c++17", "-I", "src/main/cuda", "-o", binary.toString(),
                source.toString()));
        assertThat(Files.isExecutable(binary)).as("host build of common.cuh:\n" + compiled).isTrue();
        String out = run(List.of(binary.toString(), expected.toString()));
        System.out.println("device math on the host: " + out.strip().lines().reduce((a, b) -> b).orElse(""));
        assertThat(out).as("device math vs ScalarMath").contains(" 0 mismatches");
    }

    private static int bits(float f) {
        return Float.floatToRawIntBits(f);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
        return out;
    }
}
