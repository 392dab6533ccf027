// What the persistent sequence kernels share (rnn_persistent.cu, rnn_persistent_fused.cu,
// rnn_persistent_block.cu): the argument struct (RnnArgs.java), the padded h layout and, for the two
// cluster kernels (Hopper and newer), the cluster constants and the mbarrier exchange of h.
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

// acc[c] = sum over k < K of hv[k] * u[k][c]: a thread's slice of h (16-byte aligned, read four at a
// time) against the U values it holds in registers, each column an fma chain in k order.
template <int K, int C>
__device__ __forceinline__ void slice_product(const float* hv, const float (&u)[K][C], float (&acc)[C]) {
    static_assert(K % 4 == 0, "h is read four values at a time");
#pragma unroll
    for (int c = 0; c < C; c++) {
        acc[c] = 0.f;
    }
#pragma unroll
    for (int kk = 0; kk < K; kk += 4) {
        const float4 h4 = *reinterpret_cast<const float4*>(hv + kk);
        const float hk[4] = {h4.x, h4.y, h4.z, h4.w};
#pragma unroll
        for (int q = 0; q < 4; q++) {
#pragma unroll
            for (int c = 0; c < C; c++) {
                acc[c] = fmaf(hk[q], u[kk + q][c], acc[c]);
            }
        }
    }
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

// Point-to-point exchange through a cluster, without a cluster barrier: a block's mbarrier counts
// the bytes the other blocks' st.async stores put into its shared memory; a phase completes when a
// step's bytes are all in, and whoever waits on it then sees them.
__device__ __forceinline__ unsigned shared_address(const void* p) {
    return (unsigned) __cvta_generic_to_shared(p);
}

__device__ __forceinline__ void mbarrier_init(unsigned long long* bar, unsigned arrivals) {
    asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;\n" ::"r"(shared_address(bar)), "r"(arrivals) : "memory");
}

// Makes initialised mbarriers visible to the cluster (before the cluster barrier that publishes them).
__device__ __forceinline__ void mbarrier_init_fence() {
    asm volatile("fence.mbarrier_init.release.cluster;\n" ::: "memory");
}

// Arrives once on this block's barrier and expects `bytes` more of asynchronous stores in the phase.
__device__ __forceinline__ void mbarrier_expect(unsigned long long* bar, unsigned bytes) {
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;\n" ::"r"(shared_address(bar)), "r"(bytes)
                 : "memory");
}

// Waits until the barrier's phase of this parity has completed.
__device__ __forceinline__ void mbarrier_wait(unsigned long long* bar, unsigned parity) {
    unsigned done;
    do {
        asm volatile(
            "{\n.reg .pred p;\nmbarrier.try_wait.parity.shared::cta.b64 p, [%1], %2;\nselp.u32 %0, 1, 0, p;\n}\n"
            : "=r"(done)
            : "r"(shared_address(bar)), "r"(parity)
            : "memory");
    } while (!done);
}

// The h exchange of the cluster kernels over two buffers, each with its barrier in hFull[2]. Step 1's
// h comes into buffer 1 and step 2's into buffer 0 (step 0's is h0, written by each block itself):
// thread 0 arms both before the cluster barrier that publishes them.
__device__ __forceinline__ void h_exchange_init(unsigned long long* hFull, unsigned stepBytes) {
    if (threadIdx.x == 0) {
        mbarrier_init(&hFull[0], 1);
        mbarrier_init(&hFull[1], 1);
        mbarrier_init_fence();
        mbarrier_expect(&hFull[1], stepBytes);
        mbarrier_expect(&hFull[0], stepBytes);
    }
}

// Waits until step s's h (s > 0) is in buffer s & 1, which its barrier says by completing phase
// (s - 1) / 2; with `rearm`, thread 0 then arms that buffer for its next use, step s + 2.
__device__ __forceinline__ void h_exchange_wait(unsigned long long* hFull, i64 s, unsigned stepBytes, bool rearm) {
    const int buffer = (int) (s & 1);
    mbarrier_wait(&hFull[buffer], (unsigned) ((s - 1) / 2) & 1u);
    if (rearm && threadIdx.x == 0) {
        mbarrier_expect(&hFull[buffer], stepBytes);
    }
}

// Stores v at the place `local` names in block `rank`'s shared memory, counting 4 bytes on that
// block's barrier `bar` (the address `bar` has in this block, mapped to `rank`).
__device__ __forceinline__ void store_to_rank(float* local, unsigned long long* bar, unsigned rank, float v) {
    unsigned remote;
    unsigned remoteBar;
    asm volatile("mapa.shared::cluster.u32 %0, %1, %2;\n" : "=r"(remote) : "r"(shared_address(local)), "r"(rank));
    asm volatile("mapa.shared::cluster.u32 %0, %1, %2;\n" : "=r"(remoteBar) : "r"(shared_address(bar)), "r"(rank));
    asm volatile("st.async.shared::cluster.mbarrier::complete_tx::bytes.b32 [%0], %1, [%2];\n" ::"r"(remote),
                 "r"(__float_as_uint(v)), "r"(remoteBar)
                 : "memory");
}

#endif
