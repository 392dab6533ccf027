// SGEMM tile-shape probe for a GPU host (no Java needed): times the pipelined kernels
// (gemm_pipelined.cu) on the issue's two shapes and a few more, next to the card's nominal and
// measured fp32 FMA rates, and checks every result against a naive float64-accumulating kernel.
// gpu-check.sh builds it where nvcc exists; run.sh runs it with RNN4J_GEMM_PROBE=1.
//   nvcc -O3 -std=c++17 -arch=sm_90 -o gemm_probe gemm_probe.cu   (from this folder)
//   ./gemm_probe [kernel name filter]   (PROBE_M=<m> times only the shapes with that m)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>
#include <cuda_runtime.h>

#include "../../main/cuda/gemm_pipelined.cu"

// To try another tile shape, instantiate the template here and add it to `variants`, e.g.
//   SGEMM_P_KERNEL(x_128x256_nn, 128, 256, 8, 16, 3, 1, false, false)   (name, BM, BN, TM, TN, STAGES, MINB, TA, TB)

#define CHECK(x)                                                                                   \
    do {                                                                                           \
        cudaError_t e_ = (x);                                                                      \
        if (e_ != cudaSuccess) {                                                                   \
            fprintf(stderr, "%s: %s (line %d)\n", #x, cudaGetErrorString(e_), __LINE__);           \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

// Independent FMA chains: the card's sustained fp32 FMA rate (2 flops per FMA).
__global__ void fma_peak(float* out, int iters, float a, float b) {
    float v[8];
    for (int i = 0; i < 8; i++) v[i] = threadIdx.x * 1e-3f + i;
    for (int it = 0; it < iters; it++) {
#pragma unroll
        for (int r = 0; r < 16; r++) {
#pragma unroll
            for (int i = 0; i < 8; i++) v[i] = fmaf(v[i], a, b);
        }
    }
    float s = 0;
    for (int i = 0; i < 8; i++) s += v[i];
    if (s == 12345.f) out[0] = s;  // keeps the chains alive
}

// op(A) is m x k: A stored m x k (lda = k), or k x m when ta (lda = m); likewise B.
__global__ void naive(int m, int n, int k, int ta, int tb, const float* A, const float* B, float* C) {
    int i = blockIdx.y * blockDim.y + threadIdx.y, j = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= m || j >= n) return;
    double s = 0;
    for (int p = 0; p < k; p++) {
        const float a = ta ? A[(i64) p * m + i] : A[(i64) i * k + p];
        const float b = tb ? B[(i64) j * k + p] : B[(i64) p * n + j];
        s += (double) a * b;
    }
    C[(i64) i * n + j] = (float) s;
}

typedef void (*Kern)(SGEMM_P_ARGS);
struct Variant {
    const char* name;
    Kern kern;
    int bm, bn, tm, tn, stages, ta, tb;
};
#define V(name, bm, bn, tm, tn, ta, tb) {#name, name, bm, bn, tm, tn, 3, ta, tb}
static Variant variants[] = {
    V(sgemm_p256_nn, 256, 128, 16, 8, 0, 0), V(sgemm_p256_nt, 256, 128, 16, 8, 0, 1),
    V(sgemm_p256_tn, 256, 128, 16, 8, 1, 0), V(sgemm_p256_tt, 256, 128, 16, 8, 1, 1),
    V(sgemm_p128_nn, 128, 128, 8, 8, 0, 0), V(sgemm_p128_nt, 128, 128, 8, 8, 0, 1),
    V(sgemm_p128_tn, 128, 128, 8, 8, 1, 0), V(sgemm_p128_tt, 128, 128, 8, 8, 1, 1),
    V(sgemm_p64_nn, 64, 64, 4, 4, 0, 0),
};

static size_t smemBytes(const Variant& v) {
    return 4ull * v.stages * PBK * (v.bm + (v.ta ? 0 : 4) + v.bn + (v.tb ? 4 : 0));
}

int main(int argc, char** argv) {
    const char* filter = argc > 1 ? argv[1] : "";
    cudaDeviceProp prop;
    CHECK(cudaGetDeviceProperties(&prop, 0));
    int clockKHz = 0;
    CHECK(cudaDeviceGetAttribute(&clockKHz, cudaDevAttrClockRate, 0));
    const double nominal = 2.0 * 128 * prop.multiProcessorCount * clockKHz * 1e3;
    printf("%s, %d SMs, %d MHz: nominal fp32 FMA peak %.1f TFLOP/s\n", prop.name, prop.multiProcessorCount,
           clockKHz / 1000, nominal / 1e12);

    cudaEvent_t e0, e1;
    CHECK(cudaEventCreate(&e0));
    CHECK(cudaEventCreate(&e1));
    float* scratch;
    CHECK(cudaMalloc(&scratch, 64));

    // Measured FMA rate: 4 blocks of 512 threads per SM, long enough (~50 ms) to reach a steady clock.
    double measured = 0;
    {
        const int blocks = prop.multiProcessorCount * 4, threads = 512, iters = 40000;
        fma_peak<<<blocks, threads>>>(scratch, 100, 0.999f, 0.001f);
        CHECK(cudaDeviceSynchronize());
        for (int rep = 0; rep < 3; rep++) {
            CHECK(cudaEventRecord(e0));
            fma_peak<<<blocks, threads>>>(scratch, iters, 0.999f, 0.001f);
            CHECK(cudaEventRecord(e1));
            CHECK(cudaEventSynchronize(e1));
            float ms;
            CHECK(cudaEventElapsedTime(&ms, e0, e1));
            double rate = 2.0 * blocks * threads * (double) iters * 16 * 8 / (ms * 1e-3);
            printf("fma_peak: %.3f ms, %.1f TFLOP/s (%.0f%% of nominal)\n", ms, rate / 1e12, 100 * rate / nominal);
            if (rate > measured) measured = rate;
        }
    }

    const int shapes[][3] = {{3200, 1024, 64}, {4096, 4096, 4096}, {3200, 1024, 256}, {1000, 1004, 332}};
    const char* onlyM = getenv("PROBE_M");
    for (auto& s : shapes) {
        const int m = s[0], n = s[1], k = s[2];
        if (onlyM && atoi(onlyM) != m) continue;
        std::vector<float> ha((size_t) m * k), hb((size_t) k * n);
        unsigned seed = 12345;
        for (auto& x : ha) { seed = seed * 1664525u + 1013904223u; x = (seed >> 9) * (1.f / (1 << 23)) - 0.5f; }
        for (auto& x : hb) { seed = seed * 1664525u + 1013904223u; x = (seed >> 9) * (1.f / (1 << 23)) - 0.5f; }
        float *A, *B, *C, *R;
        CHECK(cudaMalloc(&A, ha.size() * 4));
        CHECK(cudaMalloc(&B, hb.size() * 4));
        CHECK(cudaMalloc(&C, (size_t) m * n * 4));
        CHECK(cudaMalloc(&R, (size_t) m * n * 4));
        CHECK(cudaMemcpy(A, ha.data(), ha.size() * 4, cudaMemcpyHostToDevice));
        CHECK(cudaMemcpy(B, hb.data(), hb.size() * 4, cudaMemcpyHostToDevice));
        std::vector<float> hr((size_t) m * n), hc((size_t) m * n);
        int refFor = -1;  // the transposes R holds the reference for (ta * 2 + tb)
        const double flops = 2.0 * m * n * k;
        for (auto& v : variants) {
            if (!strstr(v.name, filter)) continue;
            size_t smem = smemBytes(v);
            CHECK(cudaFuncSetAttribute(v.kern, cudaFuncAttributeMaxDynamicSharedMemorySize, (int) smem));
            int perSm = 0;
            const int threads = (v.bm / v.tm) * (v.bn / v.tn);
            CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&perSm, v.kern, threads, smem));
            cudaFuncAttributes fa;
            CHECK(cudaFuncGetAttributes(&fa, v.kern));
            if (refFor != v.ta * 2 + v.tb) {
                refFor = v.ta * 2 + v.tb;
                naive<<<dim3((n + 15) / 16, (m + 15) / 16), dim3(16, 16)>>>(m, n, k, v.ta, v.tb, A, B, R);
                CHECK(cudaDeviceSynchronize());
                CHECK(cudaMemcpy(hr.data(), R, hr.size() * 4, cudaMemcpyDeviceToHost));
            }
            dim3 grid((n + v.bn - 1) / v.bn, (m + v.bm - 1) / v.bm, 1);
            const int lda = v.ta ? m : k, ldb = v.tb ? k : n;
            auto launch = [&]() { v.kern<<<grid, threads, smem>>>(m, n, k, k, 1.f, A, lda, B, ldb, 0.f, C, n, 0); };
            CHECK(cudaMemset(C, 0xff, (size_t) m * n * 4));
            launch();
            CHECK(cudaGetLastError());
            CHECK(cudaDeviceSynchronize());
            CHECK(cudaMemcpy(hc.data(), C, hc.size() * 4, cudaMemcpyDeviceToHost));
            double err = 0;
            for (size_t i = 0; i < hc.size(); i++) {
                double d = fabs((double) hc[i] - hr[i]) / (1 + fabs((double) hr[i]));
                if (!(d <= err)) err = d;  // NaN counts as worst
            }
            const int calls = (int) std::max(5.0, std::min(2000.0, 2e5 / (flops / 40e12 * 1e6 + 3)));
            for (int i = 0; i < 10; i++) launch();
            float best = 1e30f;
            for (int rep = 0; rep < 5; rep++) {
                CHECK(cudaEventRecord(e0));
                for (int i = 0; i < calls; i++) launch();
                CHECK(cudaEventRecord(e1));
                CHECK(cudaEventSynchronize(e1));
                float ms;
                CHECK(cudaEventElapsedTime(&ms, e0, e1));
                if (ms < best) best = ms;
            }
            const double us = best * 1e3 / calls;
            const double rate = flops / (us * 1e-6);
            printf("%5dx%5dx%5d %-16s %8.1f us %5.1f TFLOP/s %3.0f%% nominal %3.0f%% measured  regs %3d spill %d smem %zu KB %d/SM grid %d  err %.1e\n",
                   m, n, k, v.name, us, rate / 1e12, 100 * rate / nominal, 100 * rate / measured, fa.numRegs,
                   (int) fa.localSizeBytes, smem / 1024, perSm, grid.x * grid.y, err);
        }
        CHECK(cudaFree(A)); CHECK(cudaFree(B)); CHECK(cudaFree(C)); CHECK(cudaFree(R));
    }
    return 0;
}
