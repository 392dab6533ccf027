// What the persistent sequence kernels share (rnn_persistent.cu, rnn_persistent_fused.cu,
// rnn_persistent_block.cu): the argument struct (RnnArgs.java), the padded h layout and, for the two
// cluster kernels (Hopper and newer), the cluster constants and barrier.
#pragma once
#include "rnn_cells.cuh"

#include <cuda_pipeline.h>

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

// Floats per (row, unit) of the deferred workspace values: z[NG], hp*drop, hp, cp, aux.
#define PDEFER(NG) ((NG) + 4)

// Keras's default activations for this cell (tanh, and sigmoid for the gates)?
__device__ __forceinline__ bool default_activations(const RnnFwdArgs& a, int cell) {
    return a.act == OP_TANH && (cell == CELL_SIMPLE || a.ract == OP_SIGMOID);
}

// What needs thread-block clusters (Hopper and newer): the two cluster kernels.
#if !defined(__CUDA_ARCH__) || __CUDA_ARCH__ >= 900
#define RNN4J_PERSISTENT 1
#include <cooperative_groups.h>
namespace cg = cooperative_groups;

#define PC 8        // blocks per cluster (the portable maximum)

// The per-step cluster barrier, split: arrive (release: this thread's earlier writes, the new h in
// the other blocks' shared memory above all, are visible to whoever waits) as soon as the new h is
// out, then the step's global stores (outputs, workspace), then wait (acquire). Keeping the global
// stores after the arrive keeps their completion out of the release, i.e. off the critical path.
__device__ __forceinline__ void cluster_arrive() {
    asm volatile("barrier.cluster.arrive.release.aligned;\n" ::: "memory");
}

__device__ __forceinline__ void cluster_wait() {
    asm volatile("barrier.cluster.wait.acquire.aligned;\n" ::: "memory");
}

#endif
