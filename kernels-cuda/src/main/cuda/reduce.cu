// Reductions along one axis, softmax and its gradient. A tensor is viewed as (outer, n, inner) around
// the axis; sums accumulate in double (as the scalar backend does), so results do not depend on n.
#include "common.cuh"

#define ROP_SUM 0
#define ROP_MEAN 1
#define ROP_MAX 2

__device__ __forceinline__ double reduce_identity(int op) {
    return op == ROP_MAX ? -INFINITY : 0.0;
}

// Math.max on doubles: NaN wins, +0 is above -0.
__device__ __forceinline__ double reduce_combine(int op, double a, double b) {
    if (op == ROP_MAX) {
        if (isnan(a) || isnan(b)) {
            return a + b;
        }
        if (a == 0.0 && b == 0.0) {
            return signbit(a) ? b : a;
        }
        return a >= b ? a : b;
    }
    return a + b;
}

__device__ __forceinline__ double warp_reduce(int op, double v) {
    for (int offset = 16; offset > 0; offset >>= 1) {
        v = reduce_combine(op, v, __shfl_xor_sync(0xffffffffu, v, offset));
    }
    return v;
}

// Many short contiguous rows (inner == 1): one warp per row, rows grid-strided.
// blockDim = (32, rowsPerBlock).
extern "C" __global__ void reduce_rows_f32(int op, const float* __restrict__ x, float* __restrict__ out, i64 rows,
                                           i64 n) {
    for (i64 r = (i64) blockIdx.x * blockDim.y + threadIdx.y; r < rows; r += (i64) gridDim.x * blockDim.y) {
        const float* row = x + r * n;
        double acc = reduce_identity(op);
        for (i64 j = threadIdx.x; j < n; j += 32) {
            acc = reduce_combine(op, acc, (double) row[j]);
        }
        acc = warp_reduce(op, acc);
        if (threadIdx.x == 0) {
            if (op == ROP_MEAN) {
                acc = n == 0 ? NAN : acc / (double) n;
            }
            out[r] = (float) acc;
        }
    }
}

// General case, pass 1: partial[c, o, i] combines x[o, j, i] over chunk c of j (chunkLen values).
// blockDim = (tx, ty) with tx*ty <= 256: tx threads along inner, ty along j; grid = (ceil(inner/tx),
// min(outer, 65535), chunks), outer grid-strided along y.
extern "C" __global__ void reduce_partial_f64(int op, const float* __restrict__ x, double* __restrict__ partial,
                                              i64 outer, i64 n, i64 inner, i64 chunkLen) {
    __shared__ double scratch[256];
    const int tx = threadIdx.x;
    const int ty = threadIdx.y;
    const i64 i = (i64) blockIdx.x * blockDim.x + tx;
    const i64 j0 = (i64) blockIdx.z * chunkLen;
    const i64 j1 = min(n, j0 + chunkLen);
    for (i64 o = blockIdx.y; o < outer; o += gridDim.y) {
        double acc = reduce_identity(op);
        if (i < inner) {
            const float* base = x + o * n * inner + i;
            for (i64 j = j0 + ty; j < j1; j += blockDim.y) {
                acc = reduce_combine(op, acc, (double) base[j * inner]);
            }
        }
        scratch[ty * blockDim.x + tx] = acc;
        __syncthreads();
        if (ty == 0 && i < inner) {
            for (int k = 1; k < (int) blockDim.y; k++) {
                acc = reduce_combine(op, acc, scratch[k * blockDim.x + tx]);
            }
            partial[((i64) blockIdx.z * outer + o) * inner + i] = acc;
        }
        __syncthreads();
    }
}

// Pass 2: out[k] = the chunks' partials of k combined in order (deterministic); mean divides by n.
extern "C" __global__ void reduce_finish_f32(int op, const double* __restrict__ partial, float* __restrict__ out,
                                             i64 count, i64 chunks, i64 n) {
    GRID_STRIDE(k, count) {
        double acc = reduce_identity(op);
        for (i64 c = 0; c < chunks; c++) {
            acc = reduce_combine(op, acc, partial[c * count + k]);
        }
        if (op == ROP_MEAN) {
            acc = n == 0 ? NAN : acc / (double) n;
        }
        out[k] = (float) acc;
    }
}

// Softmax over rows r in [0, outer*inner): row r = (o, i) holds x[o, j, i] for j < n, stride inner.
// One warp per row (blockDim = (32, rowsPerBlock)); max-subtracted; exp sums in double.
extern "C" __global__ void softmax_f32(const float* __restrict__ x, float* __restrict__ out, i64 outer, i64 n,
                                       i64 inner, int logSoftmax) {
    const i64 rows = outer * inner;
    for (i64 r = (i64) blockIdx.x * blockDim.y + threadIdx.y; r < rows; r += (i64) gridDim.x * blockDim.y) {
        const i64 base = (r / inner) * n * inner + (r % inner);
        double mx = -INFINITY;
        for (i64 j = threadIdx.x; j < n; j += 32) {
            mx = reduce_combine(ROP_MAX, mx, (double) x[base + j * inner]);
        }
        mx = warp_reduce(ROP_MAX, mx);
        const float m = (float) mx;
        double sum = 0.0;
        for (i64 j = threadIdx.x; j < n; j += 32) {
            sum += exp((double) (x[base + j * inner] - m));
        }
        sum = warp_reduce(ROP_SUM, sum);
        const double logSum = log(sum);
        for (i64 j = threadIdx.x; j < n; j += 32) {
            float shifted = x[base + j * inner] - m;
            out[base + j * inner] = logSoftmax ? (float) (shifted - logSum) : (float) (exp((double) shifted) / sum);
        }
    }
}

// softmax: dx = y (dy - sum dy*y); log-softmax: dx = dy - exp(y) sum dy. Layout as softmax_f32.
extern "C" __global__ void softmax_backward_f32(const float* __restrict__ y, const float* __restrict__ dy,
                                                float* __restrict__ dx, i64 outer, i64 n, i64 inner,
                                                int logSoftmax) {
    const i64 rows = outer * inner;
    for (i64 r = (i64) blockIdx.x * blockDim.y + threadIdx.y; r < rows; r += (i64) gridDim.x * blockDim.y) {
        const i64 base = (r / inner) * n * inner + (r % inner);
        double dot = 0.0;
        for (i64 j = threadIdx.x; j < n; j += 32) {
            i64 at = base + j * inner;
            dot += logSoftmax ? (double) dy[at] : (double) dy[at] * y[at];
        }
        dot = warp_reduce(ROP_SUM, dot);
        for (i64 j = threadIdx.x; j < n; j += 32) {
            i64 at = base + j * inner;
            dx[at] = logSoftmax ? (float) (dy[at] - exp((double) y[at]) * dot) : (float) (y[at] * (dy[at] - dot));
        }
    }
}
