// Indexing kernels: embedding gather and its adjoint. Indices arrive as float tensors holding
// integral values that Device has already range-checked.
#include "common.cuh"

// out[i, c] = table[indices[i], c].
extern "C" __global__ void gather_f32(const float* __restrict__ table, const float* __restrict__ indices,
                                      float* __restrict__ out, i64 count, i64 cols) {
    i64 n = count * cols;
    GRID_STRIDE(e, n) {
        i64 i = e / cols;
        i64 c = e - i * cols;
        i64 row = (i64) indices[i];
        out[e] = table[row * cols + c];
    }
}

// table[indices[i], c] += src[i, c]. Atomic adds: repeated indices accumulate; the order of the
// additions (and so the last bits of a row hit many times) is not fixed.
extern "C" __global__ void scatter_add_f32(const float* __restrict__ src, const float* __restrict__ indices,
                                           float* __restrict__ table, i64 count, i64 cols) {
    i64 n = count * cols;
    GRID_STRIDE(e, n) {
        i64 i = e / cols;
        i64 c = e - i * cols;
        i64 row = (i64) indices[i];
        atomicAdd(&table[row * cols + c], src[e]);
    }
}
