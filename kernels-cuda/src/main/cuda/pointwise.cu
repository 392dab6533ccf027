// Elementwise kernels: unary ops and their derivatives, affine, binary ops with NumPy broadcasting,
// broadcast, reverse and strided 2-D copies (concat/split). Every kernel is a bounds-guarded
// grid-stride loop, so the host may cap the grid.
#include "common.cuh"

// Up to 8 dimensions: the row-major output shape and, for each input, its strides over that shape
// (0 along broadcast axes). Passed by value; every field is 8 bytes (the host fills a long[]).
#define MAX_RANK 8
struct Broadcast {
    i64 rank;
    i64 dims[MAX_RANK];
    i64 aStrides[MAX_RANK];
    i64 bStrides[MAX_RANK];
};

extern "C" __global__ void unary_f32(int op, const float* __restrict__ x, float* __restrict__ out, i64 n) {
    GRID_STRIDE(i, n) {
        out[i] = apply_unary(op, x[i]);
    }
}

extern "C" __global__ void unary_backward_f32(int op, const float* __restrict__ x, const float* __restrict__ dy,
                                              float* __restrict__ dx, i64 n) {
    GRID_STRIDE(i, n) {
        dx[i] = dy[i] * unary_derivative(op, x[i]);
    }
}

extern "C" __global__ void affine_f32(const float* __restrict__ x, float alpha, float beta, float* __restrict__ out,
                                      i64 n) {
    GRID_STRIDE(i, n) {
        out[i] = alpha * x[i] + beta;
    }
}

// Same shapes: no index arithmetic.
extern "C" __global__ void binary_same_f32(int op, const float* __restrict__ a, const float* __restrict__ b,
                                           float* __restrict__ out, i64 n) {
    GRID_STRIDE(i, n) {
        out[i] = apply_binary(op, a[i], b[i]);
    }
}

// a (rows, cols) with b a row vector (1, cols): the bias-add shape.
extern "C" __global__ void binary_rowvec_f32(int op, const float* __restrict__ a, const float* __restrict__ b,
                                             float* __restrict__ out, i64 n, i64 cols) {
    GRID_STRIDE(i, n) {
        out[i] = apply_binary(op, a[i], b[i % cols]);
    }
}

__device__ __forceinline__ void broadcast_offsets(const Broadcast& s, i64 i, i64& ai, i64& bi) {
    ai = 0;
    bi = 0;
    for (int d = (int) s.rank - 1; d >= 0; d--) {
        i64 q = i / s.dims[d];
        i64 idx = i - q * s.dims[d];
        ai += idx * s.aStrides[d];
        bi += idx * s.bStrides[d];
        i = q;
    }
}

extern "C" __global__ void binary_bcast_f32(int op, const float* __restrict__ a, const float* __restrict__ b,
                                            float* __restrict__ out, i64 n, Broadcast s) {
    GRID_STRIDE(i, n) {
        i64 ai, bi;
        broadcast_offsets(s, i, ai, bi);
        out[i] = apply_binary(op, a[ai], b[bi]);
    }
}

// out = x broadcast to out's shape (x's strides in aStrides).
extern "C" __global__ void broadcast_f32(const float* __restrict__ x, float* __restrict__ out, i64 n, Broadcast s) {
    GRID_STRIDE(i, n) {
        i64 xi, unused;
        broadcast_offsets(s, i, xi, unused);
        out[i] = x[xi];
    }
}

// x viewed as (outer, len, inner): out[o, len-1-j, i] = x[o, j, i].
extern "C" __global__ void reverse_f32(const float* __restrict__ x, float* __restrict__ out, i64 outer, i64 len,
                                       i64 inner) {
    i64 n = outer * len * inner;
    GRID_STRIDE(i, n) {
        i64 in = i % inner;
        i64 j = (i / inner) % len;
        i64 o = i / (inner * len);
        out[(o * len + (len - 1 - j)) * inner + in] = x[i];
    }
}

// dst = src with the rows whose mask is 0 set to zeros (dst may be src). The recurrent backward's
// weight GEMMs read inputs at skipped steps, whose dZ is 0; NaN or inf there would still make NaN.
extern "C" __global__ void zero_masked_rows_f32(const float* src, const float* __restrict__ mask, float* dst,
                                                i64 rows, i64 cols) {
    i64 n = rows * cols;
    GRID_STRIDE(i, n) {
        dst[i] = mask[i / cols] != 0.f ? src[i] : 0.f;
    }
}

// rows × cols floats from src (row stride srcPitch) to dst (row stride dstPitch): concat and split.
extern "C" __global__ void copy2d_f32(const float* __restrict__ src, i64 srcPitch, float* __restrict__ dst,
                                      i64 dstPitch, i64 rows, i64 cols) {
    i64 n = rows * cols;
    GRID_STRIDE(i, n) {
        i64 r = i / cols;
        i64 c = i - r * cols;
        dst[r * dstPitch + c] = src[r * srcPitch + c];
    }
}
