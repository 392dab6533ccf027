/**
 * rnn4j's CUDA backend: hand-written kernels, compiled by nvcc into a fatbin shipped in this jar,
 * launched through JCuda's driver API. Registered as a {@link io.rnn4j.engine.spi.BackendProvider}
 * ("cuda", priority 300) that reports itself unavailable, with the reason, where there is no driver
 * or no device.
 *
 * <p>{@code jcuda} is JCuda's jar as an automatic module (its jar declares no module name, so the
 * name comes from the file name {@code jcuda-12.6.0.jar}).
 */
module io.rnn4j.kernels.cuda {
    requires io.rnn4j.engine;
    requires jcuda;

    exports io.rnn4j.kernels.cuda;

    provides io.rnn4j.engine.spi.BackendProvider with io.rnn4j.kernels.cuda.CudaProvider;
}
