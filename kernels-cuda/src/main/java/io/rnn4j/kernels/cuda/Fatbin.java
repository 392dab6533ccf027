package io.rnn4j.kernels.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The kernels, compiled by nvcc into one fatbin (src/main/cuda/build.sh) and shipped as a
 * resource of this jar; the driver picks the SASS or PTX for its GPU in {@code cuModuleLoadData}.
 */
final class Fatbin {
    /** The resource name, relative to this class's package. */
    static final String RESOURCE = "rnn4j.fatbin";

    private Fatbin() {
    }

    /** The fatbin's bytes, read from the jar. */
    static byte[] bytes() {
        try (InputStream in = Fatbin.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the CUDA kernels resource io/rnn4j/kernels/cuda/" + RESOURCE
                        + " is missing from the rnn4j-kernels-cuda jar");
            }
            byte[] b = in.readAllBytes();
            if (b.length == 0) {
                throw new IllegalStateException("the CUDA kernels resource " + RESOURCE + " is empty");
            }
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the CUDA kernels resource " + RESOURCE, e);
        }
    }
}
