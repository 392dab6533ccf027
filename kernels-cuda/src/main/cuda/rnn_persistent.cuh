// What the two persistent sequence kernels share (rnn_persistent.cu, rnn_persistent_fused.cu):
// cluster constants, the argument struct (RnnArgs.java) and the padded h layout. Hopper and newer.
#pragma once
#include "rnn_cells.cuh"

#if !defined(__CUDA_ARCH__) || __CUDA_ARCH__ >= 900
#define RNN4J_PERSISTENT 1
#include <cooperative_groups.h>
#include <cuda_pipeline.h>
namespace cg = cooperative_groups;

#define PC 8        // blocks per cluster (the portable maximum)
#define PK 16       // k values per thread
#define PCOL 4      // columns per thread
#define PRING 4     // x·W prefetch ring: steps s+1..s+PAHEAD in flight while step s runs
#define PAHEAD 3
#define PSTRIDE 20  // a slice's PK h values are stored PSTRIDE floats apart: 16-byte loads without bank conflicts

struct RnnPersistArgs {
    RnnFwdArgs a;
    const float* h0;   // (B, H) initial h, or null
    const float* c0;   // (B, H) LSTM initial c, or null
    float* hLast;      // (B, H) final h, or null
    float* cLast;      // (B, H) final c, or null
    i64 rowsPerCluster;
    i64 slicesPow2;    // NSP: slices per column group, a power of two >= ceil(H / PK), <= 32
};

__device__ __forceinline__ int padded_k(i64 k) {
    return (int) ((k / PK) * PSTRIDE + k % PK);
}

#endif
