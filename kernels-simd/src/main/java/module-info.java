/**
 * rnn4j's Vector API backend ("simd"): packed GEMM, vectorized activations and generic ops, and the
 * fused LSTM/GRU/SimpleRNN sequence kernels, forward and backward.
 *
 * <p>Exports nothing: applications reach it through {@code io.rnn4j.engine.Devices}, which finds it
 * with {@link java.util.ServiceLoader}. Its provider touches no {@code jdk.incubator.vector} type,
 * so without {@code --add-modules jdk.incubator.vector} the engine falls back to the scalar backend
 * with one warning that names the flag.
 */
module io.rnn4j.kernels.simd {
    requires io.rnn4j.engine;
    // Static: resolved only when the user adds it (--add-modules jdk.incubator.vector), so that a
    // runtime without it still starts and falls back to scalar with the provider's warning.
    requires static jdk.incubator.vector;
    // SimdConstants reads HotSpot's UseFMA flag through the diagnostic MXBean.
    requires java.management;
    requires jdk.management;

    provides io.rnn4j.engine.spi.BackendProvider with io.rnn4j.kernels.simd.SimdProvider;
}
