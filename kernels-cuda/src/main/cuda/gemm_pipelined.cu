// Pipelined SGEMM for 16-byte-aligned operands (the host's gemmVectorizable): C = alpha*op(A)*op(B)
// + beta*C, row-major, full fp32. Against gemm.cu's kernels:
//   - k steps of 16 in a STAGES-deep ring of shared-memory tiles, one block barrier per step;
//   - operands stored contiguously along m (A^T) or n (B) go global -> shared with cp.async, no
//     registers on the way; operands contiguous along k (A, B^T) are loaded as float4 a whole
//     step ahead and stored transposed after the step's products, so their latency is hidden too;
//   - split-K: blockIdx.z takes the k range [z*kChunk, min(k, (z+1)*kChunk)) and writes its own
//     partial product at C + z*splitStride (the host then sums the partials in z order with
//     sgemm_splitk_reduce: deterministic, no atomics), so that grids of few output tiles and a long
//     k (the weight gradients of a sequence) still fill the GPU.
// Each thread accumulates a TM x TN block as TM/4 x TN/4 quads spread BM/(TM/4) rows and BN/(TN/4)
// columns apart (float4 shared loads without bank conflicts).
//
// Variants (names built by Gemm.java): sgemm_p{256|128|64}_{nn|nt|tn|tt}:
//   p256: 256x128 tiles, 16x8 per thread, 256 threads (about 210 registers: one block per SM), 3
//         stages, for products of many tiles: 128 FMAs per 6 shared loads instead of 64 per 4
//         (4096^3 NN on an H100: 2939 against 3246 us for p128; NT, with both operands staged
//         through registers, measured slower than p128, 3499 against 3117 us);
//   p128: 128x128 tiles, 8x8 per thread, 256 threads, 3 stages;
//   p64:  64x64 tiles, 4x4 per thread, 256 threads, 3 stages;
// shared memory 4 * 3 * 16 * (BM + (TA ? 0 : 4) + BN + (TB ? 4 : 0)) bytes (PipelinedGemmPlan.java).
// (Also measured there and not kept: loading the next k step's fragments during the current
// step's products, and k steps of 32: both 1-5 % slower at 4096^3.)
#include "common.cuh"
#include "async_copy.cuh"

#define PBK 16  // k per pipeline step

template <int BM, int BN, int TM, int TN, int STAGES, bool TA, bool TB>
__device__ __forceinline__ void sgemm_pipelined(int m, int n, int k, int kChunk, float alpha,
                                                const float* __restrict__ A, int lda, const float* __restrict__ B,
                                                int ldb, float beta, float* __restrict__ C, int ldc, i64 splitStride) {
    constexpr int BK = PBK;
    constexpr int TX = BN / TN;
    constexpr int TY = BM / TM;
    constexpr int NT = TX * TY;
    constexpr int GM = TM / 4;
    constexpr int GN = TN / 4;
    // Shared tiles are k-major ([BK][BM+pad], [BK][BN+pad]); the pad of 4 keeps the transposed
    // stores of a k-contiguous operand at two-way bank conflicts at most, and float4 alignment.
    constexpr int LDA_S = BM + (TA ? 0 : 4);
    constexpr int LDB_S = BN + (TB ? 4 : 0);
    constexpr int A_STAGE = BK * LDA_S;
    constexpr int B_STAGE = BK * LDB_S;
    constexpr int A_CHUNKS = BM * BK / 4;  // float4s per tile
    constexpr int B_CHUNKS = BN * BK / 4;
    constexpr int A_PER = (A_CHUNKS + NT - 1) / NT;
    constexpr int B_PER = (B_CHUNKS + NT - 1) / NT;

    float* As = dyn_smem;
    float* Bs = dyn_smem + STAGES * A_STAGE;

    const int tid = threadIdx.x;
    const int tx = tid % TX;
    const int ty = tid / TX;
    const int row0 = blockIdx.y * BM;
    const int col0 = blockIdx.x * BN;
    const int kBegin = blockIdx.z * kChunk;
    const int kEnd = min(k, kBegin + kChunk);
    C += (i64) blockIdx.z * splitStride;
    const int tiles = kEnd > kBegin ? (kEnd - kBegin + BK - 1) / BK : 0;

    float4 ra[TA ? 1 : A_PER];  // k-contiguous operands' next tile, in flight through registers
    float4 rb[TB ? B_PER : 1];

    // cp.async part of tile t (operands contiguous along m or n) into stage st.
    auto issueAsync = [&](int t, int st) {
        const int p0 = kBegin + t * BK;
        if constexpr (TA) {  // A stored k x m
#pragma unroll
            for (int l = 0; l < A_PER; l++) {
                const int c = tid + l * NT;
                if (c < A_CHUNKS) {
                    const int p = c / (BM / 4);
                    const int i = (c % (BM / 4)) * 4;
                    const bool ok = p0 + p < kEnd && row0 + i < m;
                    const float* src = ok ? A + (i64) (p0 + p) * lda + row0 + i : A;
                    cp_async16(As + st * A_STAGE + p * LDA_S + i, src, ok);
                }
            }
        }
        if constexpr (!TB) {  // B stored k x n
#pragma unroll
            for (int l = 0; l < B_PER; l++) {
                const int c = tid + l * NT;
                if (c < B_CHUNKS) {
                    const int p = c / (BN / 4);
                    const int j = (c % (BN / 4)) * 4;
                    const bool ok = p0 + p < kEnd && col0 + j < n;
                    const float* src = ok ? B + (i64) (p0 + p) * ldb + col0 + j : B;
                    cp_async16(Bs + st * B_STAGE + p * LDB_S + j, src, ok);
                }
            }
        }
    };
    // Register part of tile t (operands contiguous along k): global -> registers.
    auto loadRegs = [&](int t) {
        const int p0 = kBegin + t * BK;
        if constexpr (!TA) {  // A stored m x k
#pragma unroll
            for (int l = 0; l < A_PER; l++) {
                const int c = tid + l * NT;
                const int i = c / (BK / 4);
                const int p = (c % (BK / 4)) * 4;
                const bool ok = c < A_CHUNKS && row0 + i < m && p0 + p < kEnd;
                ra[l] = ok ? *reinterpret_cast<const float4*>(A + (i64) (row0 + i) * lda + p0 + p)
                           : make_float4(0.f, 0.f, 0.f, 0.f);
            }
        }
        if constexpr (TB) {  // B stored n x k
#pragma unroll
            for (int l = 0; l < B_PER; l++) {
                const int c = tid + l * NT;
                const int j = c / (BK / 4);
                const int p = (c % (BK / 4)) * 4;
                const bool ok = c < B_CHUNKS && col0 + j < n && p0 + p < kEnd;
                rb[l] = ok ? *reinterpret_cast<const float4*>(B + (i64) (col0 + j) * ldb + p0 + p)
                           : make_float4(0.f, 0.f, 0.f, 0.f);
            }
        }
    };
    // Registers -> stage st, transposed to k-major.
    auto storeRegs = [&](int st) {
        if constexpr (!TA) {
#pragma unroll
            for (int l = 0; l < A_PER; l++) {
                const int c = tid + l * NT;
                if (c < A_CHUNKS) {
                    const int i = c / (BK / 4);
                    const int p = (c % (BK / 4)) * 4;
                    float* d = As + st * A_STAGE + p * LDA_S + i;
                    d[0] = ra[l].x;
                    d[LDA_S] = ra[l].y;
                    d[2 * LDA_S] = ra[l].z;
                    d[3 * LDA_S] = ra[l].w;
                }
            }
        }
        if constexpr (TB) {
#pragma unroll
            for (int l = 0; l < B_PER; l++) {
                const int c = tid + l * NT;
                if (c < B_CHUNKS) {
                    const int j = c / (BK / 4);
                    const int p = (c % (BK / 4)) * 4;
                    float* d = Bs + st * B_STAGE + p * LDB_S + j;
                    d[0] = rb[l].x;
                    d[LDB_S] = rb[l].y;
                    d[2 * LDB_S] = rb[l].z;
                    d[3 * LDB_S] = rb[l].w;
                }
            }
        }
    };

    float acc[TM][TN];
#pragma unroll
    for (int r = 0; r < TM; r++) {
#pragma unroll
        for (int c = 0; c < TN; c++) {
            acc[r][c] = 0.f;
        }
    }

    // Prologue: tiles 0 .. STAGES-2 in flight (one commit group per tile, empty past the end).
#pragma unroll
    for (int t = 0; t < STAGES - 1; t++) {
        if (t < tiles) {
            issueAsync(t, t);
            loadRegs(t);
            storeRegs(t);
        }
        cp_async_commit();
    }

    for (int t = 0; t < tiles; t++) {
        cp_async_wait<STAGES - 2>();  // tile t's copies have landed (this thread's)
        __syncthreads();              // ... everyone's, and stage (t-1) % STAGES is free
        const int nt = t + STAGES - 1;
        const bool more = nt < tiles;
        if (more) {
            issueAsync(nt, nt % STAGES);
            loadRegs(nt);
        }
        cp_async_commit();

        const float* as = As + (t % STAGES) * A_STAGE;
        const float* bs = Bs + (t % STAGES) * B_STAGE;
#pragma unroll
        for (int p = 0; p < BK; p++) {
            float a[TM];
            float b[TN];
#pragma unroll
            for (int g = 0; g < GM; g++) {
                const float4 v = *reinterpret_cast<const float4*>(as + p * LDA_S + g * (BM / GM) + ty * 4);
                a[g * 4 + 0] = v.x; a[g * 4 + 1] = v.y; a[g * 4 + 2] = v.z; a[g * 4 + 3] = v.w;
            }
#pragma unroll
            for (int g = 0; g < GN; g++) {
                const float4 v = *reinterpret_cast<const float4*>(bs + p * LDB_S + g * (BN / GN) + tx * 4);
                b[g * 4 + 0] = v.x; b[g * 4 + 1] = v.y; b[g * 4 + 2] = v.z; b[g * 4 + 3] = v.w;
            }
#pragma unroll
            for (int r = 0; r < TM; r++) {
#pragma unroll
                for (int c = 0; c < TN; c++) {
                    acc[r][c] = fmaf(a[r], b[c], acc[r][c]);
                }
            }
        }
        if (more) {
            storeRegs(nt % STAGES);  // stage nt % STAGES == (t-1) % STAGES: nobody reads it before the next barrier
        }
    }
    cp_async_wait<0>();  // no copy may outlive the block (only empty groups can be left, but be exact)

    // Epilogue: with beta == 0, C is never read (NaN in C does not propagate).
#pragma unroll
    for (int gr = 0; gr < GM; gr++) {
#pragma unroll
        for (int r4 = 0; r4 < 4; r4++) {
            const int row = row0 + gr * (BM / GM) + ty * 4 + r4;
            if (row >= m) {
                continue;
            }
#pragma unroll
            for (int gc = 0; gc < GN; gc++) {
                const int col = col0 + gc * (BN / GN) + tx * 4;
                float* out = C + (i64) row * ldc + col;
                const float* v = &acc[gr * 4 + r4][gc * 4];
                if (col + 3 < n) {
                    float4 o = make_float4(alpha * v[0], alpha * v[1], alpha * v[2], alpha * v[3]);
                    if (beta != 0.f) {
                        const float4 old = *reinterpret_cast<const float4*>(out);
                        o.x = fmaf(beta, old.x, o.x); o.y = fmaf(beta, old.y, o.y);
                        o.z = fmaf(beta, old.z, o.z); o.w = fmaf(beta, old.w, o.w);
                    }
                    *reinterpret_cast<float4*>(out) = o;
                } else {
#pragma unroll
                    for (int c4 = 0; c4 < 4; c4++) {
                        if (col + c4 < n) {
                            out[c4] = beta == 0.f ? alpha * v[c4] : fmaf(beta, out[c4], alpha * v[c4]);
                        }
                    }
                }
            }
        }
    }
}

#define SGEMM_P_ARGS int m, int n, int k, int kChunk, float alpha, const float* __restrict__ A, int lda, \
    const float* __restrict__ B, int ldb, float beta, float* __restrict__ C, int ldc, i64 splitStride
#define SGEMM_P_CALL m, n, k, kChunk, alpha, A, lda, B, ldb, beta, C, ldc, splitStride

#define SGEMM_P_KERNEL(name, BM, BN, TM, TN, STAGES, MINB, TA, TB)                                      \
    extern "C" __global__ void __launch_bounds__((BM / TM) * (BN / TN), MINB) name(SGEMM_P_ARGS) {      \
        sgemm_pipelined<BM, BN, TM, TN, STAGES, TA, TB>(SGEMM_P_CALL);                                  \
    }

SGEMM_P_KERNEL(sgemm_p256_nn, 256, 128, 16, 8, 3, 1, false, false)
SGEMM_P_KERNEL(sgemm_p256_nt, 256, 128, 16, 8, 3, 1, false, true)
SGEMM_P_KERNEL(sgemm_p256_tn, 256, 128, 16, 8, 3, 1, true, false)
SGEMM_P_KERNEL(sgemm_p256_tt, 256, 128, 16, 8, 3, 1, true, true)
SGEMM_P_KERNEL(sgemm_p128_nn, 128, 128, 8, 8, 3, 2, false, false)
SGEMM_P_KERNEL(sgemm_p128_nt, 128, 128, 8, 8, 3, 2, false, true)
SGEMM_P_KERNEL(sgemm_p128_tn, 128, 128, 8, 8, 3, 2, true, false)
SGEMM_P_KERNEL(sgemm_p128_tt, 128, 128, 8, 8, 3, 2, true, true)
SGEMM_P_KERNEL(sgemm_p64_nn, 64, 64, 4, 4, 3, 2, false, false)
SGEMM_P_KERNEL(sgemm_p64_nt, 64, 64, 4, 4, 3, 2, false, true)
SGEMM_P_KERNEL(sgemm_p64_tn, 64, 64, 4, 4, 3, 2, true, false)
SGEMM_P_KERNEL(sgemm_p64_tt, 64, 64, 4, 4, 3, 2, true, true)

// C = alpha * sum_z part[z] + beta * C over an m x n output, the partials (m rows of leading
// dimension ldp each, `splits` of them, m*ldp floats apart) summed in z order: the second pass of a
// split-K product.
extern "C" __global__ void sgemm_splitk_reduce(int m, int n, int splits, const float* __restrict__ part, int ldp,
                                               float alpha, float beta, float* __restrict__ C, int ldc) {
    const i64 total = (i64) m * n;
    const i64 stride = (i64) m * ldp;
    GRID_STRIDE(e, total) {
        const i64 i = e / n;
        const i64 j = e % n;
        float s = part[i * ldp + j];
        for (int z = 1; z < splits; z++) {
            s += part[z * stride + i * ldp + j];
        }
        float* out = C + i * ldc + j;
        *out = beta == 0.f ? alpha * s : fmaf(beta, *out, alpha * s);
    }
}
