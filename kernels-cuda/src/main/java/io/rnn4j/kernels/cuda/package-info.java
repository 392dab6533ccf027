/**
 * The CUDA backend: {@link io.rnn4j.kernels.cuda.CudaProvider} (discovery and the probe) and
 * {@link io.rnn4j.kernels.cuda.CudaBackend} (every op of the SPI on one GPU).
 *
 * <p>Every kernel is ours, written in CUDA C++ under {@code src/main/cuda} (one file per op family),
 * compiled by nvcc at build time into one fatbin (SASS for sm_80 and sm_90, PTX for newer GPUs)
 * that ships as a resource of this jar and is loaded with {@code cuModuleLoadData}; only the CUDA
 * driver ({@code libcuda.so.1}) is needed at run time — no toolkit, NVRTC or cuBLAS.
 *
 * <p>Shape of the code: the provider references no JCuda type (it may be loaded where JCuda's
 * natives or the driver are missing) and asks {@code CudaProbe}. A backend instance owns one
 * {@code CudaContext}: the device's primary context, one module, one stream, a caching device
 * allocator and pinned staging buffers, all released by {@code close()}. Op families live in their
 * own classes ({@code Gemm}, {@code Pointwise}, {@code Reductions}, {@code Indexing},
 * {@code RnnSequence}: per-step kernels, or one launch of a persistent kernel for the whole
 * sequence on Hopper); launch arithmetic that needs no GPU ({@code LaunchConfig}, {@code RnnTiling},
 * {@code RnnWorkspace}, {@code Broadcasting}) is kept apart so that tests check it anywhere. Work is queued on the stream and the host waits only when data returns
 * to it ({@code read}).
 */
package io.rnn4j.kernels.cuda;
