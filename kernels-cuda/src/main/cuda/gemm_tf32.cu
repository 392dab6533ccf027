// TF32 tensor-core GEMM (mma.sync m16n8k8, sm_80+), chosen only when the caller asks for it
// (CudaBackend.useTf32): C = alpha*op(A)*op(B) + beta*C where every element of A and B is first
// rounded to TF32 (10-bit mantissa, round to nearest, ties away: cvt.rna) and the products are
// accumulated in fp32. Relative error per product up to about 2^-10, against 2^-24 in fp32.
//
// For 16-byte-aligned operands only (the host's gemmVectorizable; others take the fp32 kernels).
// Tiles of 128x128, k steps of 16 in a 3-stage cp.async ring; 8 warps as 2 (m) x 4 (n), each warp
// 64x32 = 4x4 mma tiles. Shared tiles mirror the operand's storage (row stride padded so that the
// fragment loads are free of bank conflicts): A as [m][k+4] or [k][m+8], B as [k][n+8] or [n][k+4],
// so every operand goes global -> shared with cp.async. Split-K as in gemm_pipelined.cu.
// Names: sgemm_tf32_{nn|nt|tn|tt}.
#include "common.cuh"
#include "async_copy.cuh"

#define TBM 128
#define TBN 128
#define TBK 16
#define TSTAGES 3

__device__ __forceinline__ unsigned to_tf32(float x) {
    unsigned r;
    asm("cvt.rna.tf32.f32 %0, %1;\n" : "=r"(r) : "f"(x));
    return r;
}

__device__ __forceinline__ void mma_tf32(float* c, const unsigned* a, const unsigned* b) {
    asm volatile(
        "mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
        "{%0,%1,%2,%3};\n"
        : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
}

// Copies a tile of R rows x CC contiguous columns (rows r0.., columns c0..) of a row-major matrix
// with leading dimension ld into shared memory with row stride S, zero-filling past rows/cols.
template <int R, int CC, int S, int NT>
__device__ __forceinline__ void tile_async(float* dst, const float* __restrict__ src, int ld, int r0, int rows,
                                           int c0, int cols) {
    constexpr int CHUNKS = R * CC / 4;
#pragma unroll
    for (int l = 0; l < (CHUNKS + NT - 1) / NT; l++) {
        const int c = threadIdx.x + l * NT;
        if (c < CHUNKS) {
            const int r = c / (CC / 4);
            const int q = (c % (CC / 4)) * 4;
            const bool ok = r0 + r < rows && c0 + q < cols;
            cp_async16(dst + r * S + q, ok ? src + (i64) (r0 + r) * ld + c0 + q : src, ok);
        }
    }
}

template <bool TA, bool TB>
__device__ __forceinline__ void sgemm_tf32(int m, int n, int k, int kChunk, float alpha, const float* __restrict__ A,
                                           int lda, const float* __restrict__ B, int ldb, float beta,
                                           float* __restrict__ C, int ldc, i64 splitStride) {
    constexpr int NT = 256;
    // A(i, p) and B(p, j) inside a stage, whatever the storage order.
    constexpr int SA = TA ? TBM + 8 : TBK + 4;  // row stride: [k][m+8] or [m][k+4]
    constexpr int SB = TB ? TBK + 4 : TBN + 8;  // [n][k+4] or [k][n+8]
    constexpr int A_STAGE = TA ? TBK * SA : TBM * SA;
    constexpr int B_STAGE = TB ? TBN * SB : TBK * SB;
    float* As = dyn_smem;
    float* Bs = dyn_smem + TSTAGES * A_STAGE;
    auto aAt = [&](const float* as, int i, int p) { return TA ? as[p * SA + i] : as[i * SA + p]; };
    auto bAt = [&](const float* bs, int p, int j) { return TB ? bs[j * SB + p] : bs[p * SB + j]; };

    const int warp = threadIdx.x / 32;
    const int lane = threadIdx.x % 32;
    const int g = lane / 4;  // the fragment layouts' groupID
    const int tq = lane % 4; // and thread-in-group
    const int wm = (warp % 2) * 64;
    const int wn = (warp / 2) * 32;
    const int row0 = blockIdx.y * TBM;
    const int col0 = blockIdx.x * TBN;
    const int kBegin = blockIdx.z * kChunk;
    const int kEnd = min(k, kBegin + kChunk);
    C += (i64) blockIdx.z * splitStride;
    const int tiles = kEnd > kBegin ? (kEnd - kBegin + TBK - 1) / TBK : 0;

    auto issue = [&](int t, int st) {
        const int p0 = kBegin + t * TBK;
        if constexpr (TA) {
            tile_async<TBK, TBM, SA, NT>(As + st * A_STAGE, A, lda, p0, kEnd, row0, m);
        } else {
            tile_async<TBM, TBK, SA, NT>(As + st * A_STAGE, A, lda, row0, m, p0, kEnd);
        }
        if constexpr (TB) {
            tile_async<TBN, TBK, SB, NT>(Bs + st * B_STAGE, B, ldb, col0, n, p0, kEnd);
        } else {
            tile_async<TBK, TBN, SB, NT>(Bs + st * B_STAGE, B, ldb, p0, kEnd, col0, n);
        }
    };

    float acc[4][4][4];
#pragma unroll
    for (int a = 0; a < 4; a++) {
#pragma unroll
        for (int b = 0; b < 4; b++) {
#pragma unroll
            for (int c = 0; c < 4; c++) {
                acc[a][b][c] = 0.f;
            }
        }
    }

#pragma unroll
    for (int t = 0; t < TSTAGES - 1; t++) {
        if (t < tiles) {
            issue(t, t);
        }
        cp_async_commit();
    }
    for (int t = 0; t < tiles; t++) {
        cp_async_wait<TSTAGES - 2>();
        __syncthreads();
        if (t + TSTAGES - 1 < tiles) {
            issue(t + TSTAGES - 1, (t + TSTAGES - 1) % TSTAGES);
        }
        cp_async_commit();
        const float* as = As + (t % TSTAGES) * A_STAGE;
        const float* bs = Bs + (t % TSTAGES) * B_STAGE;
#pragma unroll
        for (int kk = 0; kk < TBK; kk += 8) {
            unsigned af[4][4];
            unsigned bf[4][2];
#pragma unroll
            for (int mt = 0; mt < 4; mt++) {
                const int i = wm + mt * 16 + g;
                af[mt][0] = to_tf32(aAt(as, i, kk + tq));
                af[mt][1] = to_tf32(aAt(as, i + 8, kk + tq));
                af[mt][2] = to_tf32(aAt(as, i, kk + tq + 4));
                af[mt][3] = to_tf32(aAt(as, i + 8, kk + tq + 4));
            }
#pragma unroll
            for (int nt = 0; nt < 4; nt++) {
                const int j = wn + nt * 8 + g;
                bf[nt][0] = to_tf32(bAt(bs, kk + tq, j));
                bf[nt][1] = to_tf32(bAt(bs, kk + tq + 4, j));
            }
#pragma unroll
            for (int mt = 0; mt < 4; mt++) {
#pragma unroll
                for (int nt = 0; nt < 4; nt++) {
                    mma_tf32(acc[mt][nt], af[mt], bf[nt]);
                }
            }
        }
    }
    cp_async_wait<0>();

    // Accumulator layout: c0, c1 at (g, 2tq), (g, 2tq+1); c2, c3 at (g+8, 2tq), (g+8, 2tq+1).
#pragma unroll
    for (int mt = 0; mt < 4; mt++) {
#pragma unroll
        for (int half = 0; half < 2; half++) {
            const int row = row0 + wm + mt * 16 + g + half * 8;
            if (row >= m) {
                continue;
            }
#pragma unroll
            for (int nt = 0; nt < 4; nt++) {
                const int col = col0 + wn + nt * 8 + 2 * tq;
                float* out = C + (i64) row * ldc + col;
                const float v0 = alpha * acc[mt][nt][2 * half];
                const float v1 = alpha * acc[mt][nt][2 * half + 1];
                if (col + 1 < n) {  // col is even and ldc a multiple of 4: 8-byte aligned
                    float2 o = make_float2(v0, v1);
                    if (beta != 0.f) {
                        const float2 old = *reinterpret_cast<const float2*>(out);
                        o.x = fmaf(beta, old.x, v0);
                        o.y = fmaf(beta, old.y, v1);
                    }
                    *reinterpret_cast<float2*>(out) = o;
                } else if (col < n) {
                    out[0] = beta == 0.f ? v0 : fmaf(beta, out[0], v0);
                }
            }
        }
    }
}

#define SGEMM_TF32_KERNEL(name, TA, TB)                                                                        \
    extern "C" __global__ void __launch_bounds__(256, 1) name(int m, int n, int k, int kChunk, float alpha,    \
                                                              const float* __restrict__ A, int lda,            \
                                                              const float* __restrict__ B, int ldb, float beta, \
                                                              float* __restrict__ C, int ldc, i64 splitStride) { \
        sgemm_tf32<TA, TB>(m, n, k, kChunk, alpha, A, lda, B, ldb, beta, C, ldc, splitStride);                 \
    }

SGEMM_TF32_KERNEL(sgemm_tf32_nn, false, false)
SGEMM_TF32_KERNEL(sgemm_tf32_nt, false, true)
SGEMM_TF32_KERNEL(sgemm_tf32_tn, true, false)
SGEMM_TF32_KERNEL(sgemm_tf32_tt, true, true)
