package io.rnn4j.kernels.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shipped kernels: present, a fatbin, built from the current sources, holding every kernel. Runs anywhere. */
class FatbinResourceTest {
    private static final Path CUDA_SOURCES = Path.of("src/main/cuda");

    @Test
    void theFatbinResourceIsPresentAndNonEmpty() {
        byte[] image = Fatbin.bytes();
        assertThat(image.length).as("fatbin size").isGreaterThan(100_000);
        // A fatbin starts with its magic number 0xBA55ED50, little-endian.
        assertThat(new byte[] {image[0], image[1], image[2], image[3]})
                .as("fatbin magic").containsExactly(0x50, 0xED, 0x55, 0xBA);
    }

    @Test
    void everyKernelTheBackendLaunchesIsInTheFatbin() {
        String image = new String(Fatbin.bytes(), StandardCharsets.ISO_8859_1);
        for (Kernel k : Kernel.values()) {
            assertThat(image).as("symbol of %s in rnn4j.fatbin", k).contains("\0" + k.symbol() + "\0");
        }
    }

    /** The same hash build.sh computes: file names and contents in name order, then the nvcc flags. */
    @Test
    void theShippedFatbinWasBuiltFromTheCurrentSources() throws IOException, NoSuchAlgorithmException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(CUDA_SOURCES),
                "skipped: the CUDA sources are not here (run from the kernels-cuda module)");
        String script = Files.readString(CUDA_SOURCES.resolve("build.sh"));
        Matcher flags = Pattern.compile("(?m)^NVCC_FLAGS=\"([^\"]*)\"").matcher(script);
        assertThat(flags.find()).as("NVCC_FLAGS in build.sh").isTrue();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        List<Path> sources;
        try (Stream<Path> files = Files.list(CUDA_SOURCES)) {
            sources = files.filter(p -> p.toString().endsWith(".cu") || p.toString().endsWith(".cuh"))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        }
        assertThat(sources).as("CUDA sources").isNotEmpty();
        for (Path p : sources) {
            sha.update((p.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(Files.readAllBytes(p));
        }
        sha.update((flags.group(1) + "\n").getBytes(StandardCharsets.UTF_8));
        String recorded = Files.readString(Path.of("src/main/resources/io/rnn4j/kernels/cuda/rnn4j.fatbin.sha256"))
                .strip();
        assertThat(HexFormat.of().formatHex(sha.digest()))
                .as("hash of src/main/cuda: the shipped fatbin is stale; run src/main/cuda/build.sh where nvcc is")
                .isEqualTo(recorded);
    }
}
