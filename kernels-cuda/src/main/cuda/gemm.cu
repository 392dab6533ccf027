// SGEMM on row-major data: C = alpha * op(A) * op(B) + beta * C, op(A) m×k, op(B) k×n, any
// transposes and leading dimensions. Shared-memory tiles (BM×BK of A, BK×BN of B, double-buffered
// through registers), each thread accumulating a TM×TN register block; full fp32 (no TF32).
//
// Variants (names built by Gemm.java): sgemm_{128|64}_{nn|nt|tn|tt}[_v4].
//   128: 128×128 tiles, 8×8 per thread; 64: 64×64 tiles, 4×4 per thread (small problems).
//   (A k-step of 16 with two blocks per SM was measured on an H200 and was no faster.)
//   _v4: 16-byte loads and stores; the host picks it only when every matrix is 16-byte aligned,
//        every leading dimension is a multiple of 4 and so are the extents read contiguously.
#include "common.cuh"

template <int BM, int BN, int BK, int TM, int TN, bool TA, bool TB, bool VEC>
__device__ __forceinline__ void sgemm_body(int m, int n, int k, float alpha, const float* __restrict__ A, int lda,
                                           const float* __restrict__ B, int ldb, float beta, float* __restrict__ C,
                                           int ldc) {
    constexpr int TX = BN / TN;          // threads along n
    constexpr int TY = BM / TM;          // threads along m
    constexpr int NT = TX * TY;
    constexpr int GM = TM / 4;           // groups of 4 rows per thread, spread BM/GM apart
    constexpr int GN = TN / 4;
    // Elements (or float4s) each thread stages per tile.
    constexpr int A_LOADS = VEC ? (BM * BK / 4 + NT - 1) / NT : (BM * BK + NT - 1) / NT;
    constexpr int B_LOADS = VEC ? (BN * BK / 4 + NT - 1) / NT : (BN * BK + NT - 1) / NT;
    constexpr int A_WIDTH = VEC ? 4 : 1;

    __shared__ __align__(16) float As[2][BK][BM];
    __shared__ __align__(16) float Bs[2][BK][BN];

    const int tid = threadIdx.x;
    const int tx = tid % TX;
    const int ty = tid / TX;
    const int row0 = blockIdx.y * BM;
    const int col0 = blockIdx.x * BN;

    float ra[A_LOADS][A_WIDTH];
    float rb[B_LOADS][A_WIDTH];

    // Global -> registers for the tile starting at k index p0. Out-of-range elements read as 0.
    auto loadA = [&](int p0) {
#pragma unroll
        for (int l = 0; l < A_LOADS; l++) {
            int e = tid + l * NT;
            if constexpr (!TA) {  // A stored m×k: contiguous along p
                int i = VEC ? e / (BK / 4) : e / BK;
                int p = VEC ? (e % (BK / 4)) * 4 : e % BK;
                bool ok = e < (VEC ? BM * BK / 4 : BM * BK) && row0 + i < m && p0 + p < k;
                if constexpr (VEC) {
                    float4 v = ok ? *reinterpret_cast<const float4*>(A + (i64) (row0 + i) * lda + p0 + p)
                                  : make_float4(0.f, 0.f, 0.f, 0.f);
                    ra[l][0] = v.x; ra[l][1] = v.y; ra[l][2] = v.z; ra[l][3] = v.w;
                } else {
                    ra[l][0] = ok ? A[(i64) (row0 + i) * lda + p0 + p] : 0.f;
                }
            } else {    // A stored k×m: contiguous along i
                int p = VEC ? e / (BM / 4) : e / BM;
                int i = VEC ? (e % (BM / 4)) * 4 : e % BM;
                bool ok = e < (VEC ? BM * BK / 4 : BM * BK) && p0 + p < k && row0 + i < m;
                if constexpr (VEC) {
                    float4 v = ok ? *reinterpret_cast<const float4*>(A + (i64) (p0 + p) * lda + row0 + i)
                                  : make_float4(0.f, 0.f, 0.f, 0.f);
                    ra[l][0] = v.x; ra[l][1] = v.y; ra[l][2] = v.z; ra[l][3] = v.w;
                } else {
                    ra[l][0] = ok ? A[(i64) (p0 + p) * lda + row0 + i] : 0.f;
                }
            }
        }
    };
    auto loadB = [&](int p0) {
#pragma unroll
        for (int l = 0; l < B_LOADS; l++) {
            int e = tid + l * NT;
            if constexpr (!TB) {  // B stored k×n: contiguous along j
                int p = VEC ? e / (BN / 4) : e / BN;
                int j = VEC ? (e % (BN / 4)) * 4 : e % BN;
                bool ok = e < (VEC ? BN * BK / 4 : BN * BK) && p0 + p < k && col0 + j < n;
                if constexpr (VEC) {
                    float4 v = ok ? *reinterpret_cast<const float4*>(B + (i64) (p0 + p) * ldb + col0 + j)
                                  : make_float4(0.f, 0.f, 0.f, 0.f);
                    rb[l][0] = v.x; rb[l][1] = v.y; rb[l][2] = v.z; rb[l][3] = v.w;
                } else {
                    rb[l][0] = ok ? B[(i64) (p0 + p) * ldb + col0 + j] : 0.f;
                }
            } else {    // B stored n×k: contiguous along p
                int j = VEC ? e / (BK / 4) : e / BK;
                int p = VEC ? (e % (BK / 4)) * 4 : e % BK;
                bool ok = e < (VEC ? BN * BK / 4 : BN * BK) && col0 + j < n && p0 + p < k;
                if constexpr (VEC) {
                    float4 v = ok ? *reinterpret_cast<const float4*>(B + (i64) (col0 + j) * ldb + p0 + p)
                                  : make_float4(0.f, 0.f, 0.f, 0.f);
                    rb[l][0] = v.x; rb[l][1] = v.y; rb[l][2] = v.z; rb[l][3] = v.w;
                } else {
                    rb[l][0] = ok ? B[(i64) (col0 + j) * ldb + p0 + p] : 0.f;
                }
            }
        }
    };
    // Registers -> shared memory, as As[p][i] and Bs[p][j] whatever the storage order.
    auto storeTiles = [&](int buf) {
#pragma unroll
        for (int l = 0; l < A_LOADS; l++) {
            int e = tid + l * NT;
            if (e < (VEC ? BM * BK / 4 : BM * BK)) {
                if constexpr (!TA) {
                    int i = VEC ? e / (BK / 4) : e / BK;
                    int p = VEC ? (e % (BK / 4)) * 4 : e % BK;
#pragma unroll
                    for (int q = 0; q < A_WIDTH; q++) {
                        As[buf][p + q][i] = ra[l][q];
                    }
                } else {
                    int p = VEC ? e / (BM / 4) : e / BM;
                    int i = VEC ? (e % (BM / 4)) * 4 : e % BM;
#pragma unroll
                    for (int q = 0; q < A_WIDTH; q++) {
                        As[buf][p][i + q] = ra[l][q];
                    }
                }
            }
        }
#pragma unroll
        for (int l = 0; l < B_LOADS; l++) {
            int e = tid + l * NT;
            if (e < (VEC ? BN * BK / 4 : BN * BK)) {
                if constexpr (!TB) {
                    int p = VEC ? e / (BN / 4) : e / BN;
                    int j = VEC ? (e % (BN / 4)) * 4 : e % BN;
#pragma unroll
                    for (int q = 0; q < A_WIDTH; q++) {
                        Bs[buf][p][j + q] = rb[l][q];
                    }
                } else {
                    int j = VEC ? e / (BK / 4) : e / BK;
                    int p = VEC ? (e % (BK / 4)) * 4 : e % BK;
#pragma unroll
                    for (int q = 0; q < A_WIDTH; q++) {
                        Bs[buf][p + q][j] = rb[l][q];
                    }
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

    const int tiles = (k + BK - 1) / BK;
    loadA(0);
    loadB(0);
    storeTiles(0);
    __syncthreads();
    for (int t = 0; t < tiles; t++) {
        const int cur = t & 1;
        if (t + 1 < tiles) {  // prefetch the next tile into registers while this one is multiplied
            loadA((t + 1) * BK);
            loadB((t + 1) * BK);
        }
#pragma unroll
        for (int p = 0; p < BK; p++) {
            float a[TM];
            float b[TN];
#pragma unroll
            for (int g = 0; g < GM; g++) {
                float4 v = *reinterpret_cast<const float4*>(&As[cur][p][g * (BM / GM) + ty * 4]);
                a[g * 4 + 0] = v.x; a[g * 4 + 1] = v.y; a[g * 4 + 2] = v.z; a[g * 4 + 3] = v.w;
            }
#pragma unroll
            for (int g = 0; g < GN; g++) {
                float4 v = *reinterpret_cast<const float4*>(&Bs[cur][p][g * (BN / GN) + tx * 4]);
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
        if (t + 1 < tiles) {
            storeTiles(cur ^ 1);
        }
        __syncthreads();
    }

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
                if (VEC && col + 3 < n) {
                    float4 o = make_float4(alpha * v[0], alpha * v[1], alpha * v[2], alpha * v[3]);
                    if (beta != 0.f) {
                        float4 old = *reinterpret_cast<const float4*>(out);
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

#define SGEMM_ARGS int m, int n, int k, float alpha, const float* __restrict__ A, int lda, \
    const float* __restrict__ B, int ldb, float beta, float* __restrict__ C, int ldc
#define SGEMM_CALL m, n, k, alpha, A, lda, B, ldb, beta, C, ldc

#define SGEMM_KERNEL(name, BM, BN, TM, TN, TA, TB, VEC)                                          \
    extern "C" __global__ void __launch_bounds__((BM / TM) * (BN / TN)) name(SGEMM_ARGS) {        \
        sgemm_body<BM, BN, 8, TM, TN, TA, TB, VEC>(SGEMM_CALL);                                    \
    }


SGEMM_KERNEL(sgemm_128_nn, 128, 128, 8, 8, false, false, false)
SGEMM_KERNEL(sgemm_128_nt, 128, 128, 8, 8, false, true, false)
SGEMM_KERNEL(sgemm_128_tn, 128, 128, 8, 8, true, false, false)
SGEMM_KERNEL(sgemm_128_tt, 128, 128, 8, 8, true, true, false)
SGEMM_KERNEL(sgemm_128_nn_v4, 128, 128, 8, 8, false, false, true)
SGEMM_KERNEL(sgemm_128_nt_v4, 128, 128, 8, 8, false, true, true)
SGEMM_KERNEL(sgemm_128_tn_v4, 128, 128, 8, 8, true, false, true)
SGEMM_KERNEL(sgemm_128_tt_v4, 128, 128, 8, 8, true, true, true)
SGEMM_KERNEL(sgemm_64_nn, 64, 64, 4, 4, false, false, false)
SGEMM_KERNEL(sgemm_64_nt, 64, 64, 4, 4, false, true, false)
SGEMM_KERNEL(sgemm_64_tn, 64, 64, 4, 4, true, false, false)
SGEMM_KERNEL(sgemm_64_tt, 64, 64, 4, 4, true, true, false)
SGEMM_KERNEL(sgemm_64_nn_v4, 64, 64, 4, 4, false, false, true)
SGEMM_KERNEL(sgemm_64_nt_v4, 64, 64, 4, 4, false, true, true)
SGEMM_KERNEL(sgemm_64_tn_v4, 64, 64, 4, 4, true, false, true)
SGEMM_KERNEL(sgemm_64_tt_v4, 64, 64, 4, 4, true, true, true)
