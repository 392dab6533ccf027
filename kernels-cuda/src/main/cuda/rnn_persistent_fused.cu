// The persistent sequence kernel, fused variant (Hopper, sm_90+): as rnn_persistent.cu — a cluster
// splits the units, U stays in registers — but a thread group holds
// ALL gate columns of ONE unit, so after the shuffle reduction every lane of the group has that
// unit's gate pre-activations and applies the cell itself: no shared-memory staging of the gates
// and no block barrier inside a step; the group's lanes then write the new h into the cluster's
// blocks in parallel (lane r to rank r). Batch rows of a cluster are handled one after another.
//
// It wins with one batch row per cluster (the cell's latency is paid once per step); with several
// rows the staged kernel, which applies the cell to all rows at once, is faster (measured on an
// H200), and RnnSequence picks accordingly.
// Thread layout: tid = unit * NSP + slice (NSP k slices of PK values). Launch: grid = PC * clusters,
// block = RnnTiling (units per block × NSP, rounded to a warp), dynamic shared memory from RnnTiling.
// GRU reset_after=false is not handled here (per-step kernels).
//
// Per step, the critical path is: wait for the step's h, matvec, shuffle reduction, the cell
// (Keras's default activations compiled in where the op codes name them), the new h into every
// block. There is no cluster barrier in the loop: each unit's new h goes to every block with
// st.async, which counts its bytes on that block's mbarrier (one per h buffer), and a block goes on
// as soon as its barrier has all of the step's bytes. That is safe with two h buffers because no
// block can get more than one step ahead of another: a step needs the units of every block. Warps
// and blocks that own no unit (units not a multiple of the cluster's split) skip the loop, so that
// nothing runs ahead of them unchecked. The step's global stores (outputs, training workspace) and
// the prefetch of a later step's x·W go out after the new h, while the next step's h comes in.
#include "rnn_persistent.cuh"
#ifdef RNN4J_PERSISTENT

template <int CELL, int NG, bool DEF>
__device__ __forceinline__ void persistent_fused(const RnnPersistArgs& p) {
    const RnnFwdArgs& a = p.a;
    cg::cluster_group cluster = cg::this_cluster();
    const int rank = (int) cluster.block_rank();
    const i64 H = a.H;
    const i64 T = a.T;
    const i64 GH = NG * H;
    const int UPB = (int) ((H + PC - 1) / PC);   // units per block
    const int NSP = (int) p.slicesPow2;
    const int HP = NSP * PSTRIDE;
    const int PB = (int) p.rowsPerCluster;
    const i64 rowBase = (i64) (blockIdx.x / PC) * PB;
    const int rows = (int) min((i64) PB, a.B - rowBase);
    const int tid = threadIdx.x;
    const int nt = blockDim.x;
    const int slice = tid % NSP;
    const int uu = tid / NSP;                    // this group's unit, within the block
    const i64 j = (i64) rank * UPB + uu;
    const bool unitOk = uu < UPB && j < H;

    // Two mbarriers (one per h buffer: 16 bytes), then the floats.
    unsigned long long* hFull = reinterpret_cast<unsigned long long*>(dyn_smem);
    float* hS = dyn_smem + 4;                    // [2][PB][HP] hin of every unit, zero padded
    float* ring = hS + 2 * PB * HP;              // [PRING][PB][UPB][NG] x·W of upcoming steps
    float* maskRing = ring + PRING * PB * UPB * NG;  // [PRING][PB][UPB] (each group its own copy)
    float* hOwn = maskRing + PRING * PB * UPB;   // [PB][UPB]
    float* cOwn = hOwn + PB * UPB;
    float* outOwn = cOwn + PB * UPB;
    float* dropOwn = outOwn + PB * UPB;
    float* defer = dropOwn + PB * UPB;           // [PB][UPB][PDEFER(NG)] workspace values of this step

    float u[PK][NG];
#pragma unroll
    for (int kk = 0; kk < PK; kk++) {
        const i64 k = (i64) slice * PK + kk;
#pragma unroll
        for (int g = 0; g < NG; g++) {
            u[kk][g] = unitOk && k < H ? a.U[k * GH + g * H + j] : 0.f;
        }
    }
    float bIn[NG];
    float bRec[NG];
#pragma unroll
    for (int g = 0; g < NG; g++) {
        bIn[g] = unitOk && a.bias ? a.bias[g * H + j] : 0.f;
        bRec[g] = unitOk && a.bias && CELL == CELL_GRU ? a.bias[GH + g * H + j] : 0.f;
    }

    for (int e = tid; e < 2 * PB * HP; e += nt) {
        hS[e] = 0.f;
    }
    __syncthreads();
    for (int e = tid; e < rows * H; e += nt) {
        const int b = e / (int) H;
        const i64 k = e % H;
        const i64 row = rowBase + b;
        float h = p.h0 ? p.h0[row * H + k] : 0.f;
        hS[b * HP + padded_k(k)] = a.drop ? h * a.drop[row * H + k] : h;
    }
    for (int e = tid; e < rows * UPB; e += nt) {
        const int b = e / UPB;
        const i64 jj = (i64) rank * UPB + e % UPB;
        const i64 row = rowBase + b;
        const bool ok = jj < H;
        hOwn[e] = ok && p.h0 ? p.h0[row * H + jj] : 0.f;
        cOwn[e] = ok && p.c0 ? p.c0[row * H + jj] : 0.f;
        outOwn[e] = 0.f;
        dropOwn[e] = ok && a.drop ? a.drop[row * H + jj] : 1.f;
    }

    // Lane 0 of a group streams its unit's x·W (and the mask) of step q into ring slot q % PRING.
    auto prefetch = [&](i64 q) {
        if (q < T && slice == 0 && unitOk) {
            const int slot = (int) (q % PRING);
            const i64 t = original_step(q, T, a.goBackwards);
            for (int b = 0; b < rows; b++) {
                const float* src = a.xw + ((rowBase + b) * T + t) * GH + j;
                float* dst = ring + ((slot * PB + b) * UPB + uu) * NG;
#pragma unroll
                for (int g = 0; g < NG; g++) {
                    __pipeline_memcpy_async(dst + g, src + g * H, 4);
                }
                if (a.mask) {
                    __pipeline_memcpy_async(&maskRing[(slot * PB + b) * UPB + uu], &a.mask[(rowBase + b) * T + t], 4);
                }
            }
        }
        __pipeline_commit();
    };
    // Which ranks own units (the others get no h), and the bytes a step brings an owning block.
    const int ranksWithUnits = (int) min((i64) PC, (H + UPB - 1) / UPB);
    const unsigned stepBytes = (unsigned) (4 * H * rows);
    const bool warpHasUnits = __any_sync(0xffffffffu, unitOk);
    h_exchange_init(hFull, stepBytes);
    for (int q = 0; q < PAHEAD; q++) {
        prefetch(q);
    }
    cluster.sync();

    for (i64 s = 0; s < T && rank < ranksWithUnits && warpHasUnits; s++) {
        const int cur = (int) (s & 1);
        const int nxt = cur ^ 1;
        const int slot = (int) (s % PRING);
        const i64 t = original_step(s, T, a.goBackwards);
        if (s > 0) {
            h_exchange_wait(hFull, s, stepBytes, true);
        }
        __pipeline_wait_prior(PAHEAD - 1);  // step s's x·W is in (later steps' may not be)
        __syncwarp();  // lane 0's copies are visible to its group

        for (int b = 0; b < rows; b++) {
            float acc[NG];
            slice_product(hS + (cur * PB + b) * HP + slice * PSTRIDE, u, acc);
            // Butterfly: every lane of the group ends with the group's sums.
            for (int off = NSP / 2; off > 0; off >>= 1) {
#pragma unroll
                for (int g = 0; g < NG; g++) {
                    acc[g] += __shfl_xor_sync(0xffffffffu, acc[g], off);
                }
            }
            const int e = b * UPB + uu;
            float hNew = 0.f;
            float cNew = 0.f;
            float o = 0.f;
            float hin = 0.f;
            float z[NG];
            float aux = 0.f;
            float hp = 0.f;
            float cp = 0.f;
            if (unitOk) {
                const float* xw = ring + ((slot * PB + b) * UPB + uu) * NG;
                const bool real = !a.mask || maskRing[(slot * PB + b) * UPB + uu] != 0.f;
                hp = hOwn[e];
                cp = cOwn[e];
                float hn;
                float cn = cp;
                if (CELL == CELL_LSTM) {
#pragma unroll
                    for (int g = 0; g < NG; g++) {
                        z[g] = acc[g] + xw[g] + bIn[g];
                    }
                    hn = lstm_forward<DEF>((int) a.act, (int) a.ract, z, cp, cn);
                } else if (CELL == CELL_GRU) {
                    aux = acc[2] + bRec[2];
                    hn = gru_forward<DEF>((int) a.act, (int) a.ract, xw[0] + bIn[0], xw[1] + bIn[1], xw[2] + bIn[2],
                                     acc[0] + bRec[0], acc[1] + bRec[1], aux, hp, z);
                } else {
                    z[0] = acc[0] + xw[0] + bIn[0];
                    hn = cell_act<DEF>((int) a.act, z[0]);
                }
                o = real ? hn : (a.zeroOutput ? 0.f : outOwn[e]);
                hNew = real ? hn : hp;
                cNew = real ? cn : cp;
                hin = hNew * dropOwn[e];
            }
            __syncwarp();  // every lane has read the state before lane 0 overwrites it
            if (unitOk) {
                if (slice == 0) {
                    outOwn[e] = o;
                    hOwn[e] = hNew;
                    cOwn[e] = cNew;
                    if (a.wsZ) {
                        float* d = defer + e * PDEFER(NG);
#pragma unroll
                        for (int g = 0; g < NG; g++) {
                            d[g] = z[g];
                        }
                        d[NG] = hp * dropOwn[e];
                        d[NG + 1] = hp;
                        d[NG + 2] = cp;
                        d[NG + 3] = aux;
                    }
                }
                const int at = (nxt * PB + b) * HP + padded_k(j);
                for (int r = slice; r < ranksWithUnits; r += NSP) {
                    store_to_rank(&hS[at], &hFull[nxt], (unsigned) r, hin);
                }
            }
        }
        // The step's global stores, from what this lane staged above (no other thread reads them).
        if (unitOk && slice == 0) {
            for (int b = 0; b < rows; b++) {
                const int e = b * UPB + uu;
                const i64 row = rowBase + b;
                a.out[(row * T + s) * H + j] = outOwn[e];
                if (a.wsZ) {
                    const i64 wrow = row * T + t;
                    const float* d = defer + e * PDEFER(NG);
#pragma unroll
                    for (int g = 0; g < NG; g++) {
                        a.wsZ[wrow * GH + g * H + j] = d[g];
                    }
                    a.wsHin[wrow * H + j] = d[NG];
                    if (a.drop) {
                        a.wsHprev[wrow * H + j] = d[NG + 1];
                    }
                    if (CELL == CELL_LSTM) {
                        a.wsCprev[wrow * H + j] = d[NG + 2];
                    }
                    if (CELL == CELL_GRU) {
                        a.wsAux[wrow * H + j] = d[NG + 3];
                    }
                }
            }
        }
        prefetch(s + PAHEAD);  // into the slot step s - 1 read, while the next step's h comes in
    }
    // The last step's h must be in before this block may exit (no store may still be on its way to
    // it), and no block leaves while another may still store to it.
    if (T > 0 && rank < ranksWithUnits && warpHasUnits) {
        h_exchange_wait(hFull, T, stepBytes, false);
    }
    cluster.sync();

    if (unitOk && slice == 0) {
        for (int b = 0; b < rows; b++) {
            const i64 row = rowBase + b;
            if (p.hLast) {
                p.hLast[row * H + j] = hOwn[b * UPB + uu];
            }
            if (p.cLast) {
                p.cLast[row * H + j] = cOwn[b * UPB + uu];
            }
        }
    }
}

// The lean form of the loop above, for what a service's single sequence usually is: one row per
// cluster, Keras's default activations, no mask, no recurrent dropout, no training workspace, and
// at least PC lanes per unit (units > 7 * PK). A warp here is busy for the whole step (ncu: it
// issues every 3.9 cycles, one warp per scheduler), so the step's time is its instruction count:
// this form drops the shared-memory state, the mask and workspace branches and the 64-bit index
// arithmetic, keeps h (and c) in registers (every lane of a group has the same sums after the
// butterfly, so the same new state), loads the next step's x·W into registers instead of a ring,
// and maps each lane's remote h addresses once. The arithmetic is the general loop's, operation
// for operation: both give the same bits.
template <int CELL, int NG>
__device__ __forceinline__ void persistent_fused_lean(const RnnPersistArgs& p) {
    const RnnFwdArgs& a = p.a;
    cg::cluster_group cluster = cg::this_cluster();
    const int rank = (int) cluster.block_rank();
    const int H = (int) a.H;
    const int T = (int) a.T;
    const int GH = NG * H;
    const int UPB = (H + PC - 1) / PC;
    const int NSP = (int) p.slicesPow2;
    const int HP = NSP * PSTRIDE;
    const i64 row = blockIdx.x / PC;
    const int tid = threadIdx.x;
    const int slice = tid % NSP;
    const int uu = tid / NSP;
    const int j = rank * UPB + uu;
    const bool unitOk = uu < UPB && j < H;

    unsigned long long* hFull = reinterpret_cast<unsigned long long*>(dyn_smem);
    float* hS = dyn_smem + 4;  // [2][HP], as the general loop's with one row

    float u[PK][NG];
#pragma unroll
    for (int kk = 0; kk < PK; kk++) {
        const int k = slice * PK + kk;
#pragma unroll
        for (int g = 0; g < NG; g++) {
            u[kk][g] = unitOk && k < H ? a.U[(i64) k * GH + g * H + j] : 0.f;
        }
    }
    float bIn[NG];
    float bRec[NG];
#pragma unroll
    for (int g = 0; g < NG; g++) {
        bIn[g] = unitOk && a.bias ? a.bias[g * H + j] : 0.f;
        bRec[g] = unitOk && a.bias && CELL == CELL_GRU ? a.bias[GH + g * H + j] : 0.f;
    }
    for (int e = tid; e < 2 * HP; e += blockDim.x) {
        hS[e] = 0.f;
    }
    __syncthreads();
    for (int k = tid; k < H; k += blockDim.x) {
        hS[padded_k(k)] = p.h0 ? p.h0[row * H + k] : 0.f;
    }
    float hp = unitOk && p.h0 ? p.h0[row * H + j] : 0.f;
    float cp = unitOk && p.c0 ? p.c0[row * H + j] : 0.f;

    const int ranksWithUnits = min(PC, (H + UPB - 1) / UPB);
    const unsigned stepBytes = (unsigned) (4 * H);
    const bool warpHasUnits = __any_sync(0xffffffffu, unitOk);
    // This lane sends its unit's h to rank `slice` (NSP >= PC lanes cover every rank): the remote
    // addresses of both h buffers and of their barriers, mapped once.
    const bool sends = unitOk && slice < ranksWithUnits;
    // (Scalars, not arrays: an array indexed by the step's parity would live in local memory.)
    unsigned remoteH0 = 0u;
    unsigned remoteH1 = 0u;
    unsigned remoteBar0 = 0u;
    unsigned remoteBar1 = 0u;
    if (sends) {
        const unsigned r = (unsigned) slice;
        asm volatile("mapa.shared::cluster.u32 %0, %1, %2;\n"
                     : "=r"(remoteH0)
                     : "r"(shared_address(&hS[padded_k(j)])), "r"(r));
        asm volatile("mapa.shared::cluster.u32 %0, %1, %2;\n"
                     : "=r"(remoteH1)
                     : "r"(shared_address(&hS[HP + padded_k(j)])), "r"(r));
        asm volatile("mapa.shared::cluster.u32 %0, %1, %2;\n"
                     : "=r"(remoteBar0)
                     : "r"(shared_address(&hFull[0])), "r"(r));
        asm volatile("mapa.shared::cluster.u32 %0, %1, %2;\n"
                     : "=r"(remoteBar1)
                     : "r"(shared_address(&hFull[1])), "r"(r));
    }
    // x·W of a step, loaded into registers a step before it is used; xwNext walks the steps in
    // processing order.
    const i64 xwStride = a.goBackwards ? -(i64) GH : (i64) GH;
    const float* xwNext = a.xw + (row * T + (a.goBackwards ? T - 1 : 0)) * GH + j;
    float xw[NG] = {};
    auto loadXw = [&](int q) {
        if (unitOk && q < T) {
#pragma unroll
            for (int g = 0; g < NG; g++) {
                xw[g] = __ldg(xwNext + g * H);
            }
            xwNext += xwStride;
        }
    };
    loadXw(0);
    float* out = a.out + row * T * H + j;  // step s's output at out + s * H
    h_exchange_init(hFull, stepBytes);
    cluster.sync();

    if (rank < ranksWithUnits && warpHasUnits) {
        for (int s = 0; s < T; s++) {
            const int cur = s & 1;
            if (s > 0) {
                h_exchange_wait(hFull, s, stepBytes, true);
            }
            float acc[NG];
            slice_product(hS + cur * HP + slice * PSTRIDE, u, acc);
            for (int off = NSP / 2; off > 0; off >>= 1) {
#pragma unroll
                for (int g = 0; g < NG; g++) {
                    acc[g] += __shfl_xor_sync(0xffffffffu, acc[g], off);
                }
            }
            float z[NG];
            float hn;
            if (CELL == CELL_LSTM) {
#pragma unroll
                for (int g = 0; g < NG; g++) {
                    z[g] = acc[g] + xw[g] + bIn[g];
                }
                float cn;
                hn = lstm_forward<true>(OP_TANH, OP_SIGMOID, z, cp, cn);
                cp = cn;
            } else if (CELL == CELL_GRU) {
                hn = gru_forward<true>(OP_TANH, OP_SIGMOID, xw[0] + bIn[0], xw[1] + bIn[1], xw[2] + bIn[2],
                                       acc[0] + bRec[0], acc[1] + bRec[1], acc[2] + bRec[2], hp, z);
            } else {
                z[0] = acc[0] + xw[0] + bIn[0];
                hn = cell_act<true>(OP_TANH, z[0]);
            }
            hp = hn;
            if (sends) {  // into the other buffer: step s + 1's h
                asm volatile("st.async.shared::cluster.mbarrier::complete_tx::bytes.b32 [%0], %1, [%2];\n" ::"r"(
                                 cur ? remoteH0 : remoteH1),
                             "r"(__float_as_uint(hn)), "r"(cur ? remoteBar0 : remoteBar1)
                             : "memory");
            }
            if (unitOk && slice == 0) {
                *out = hn;
            }
            out += H;
            loadXw(s + 1);
        }
        if (T > 0) {
            h_exchange_wait(hFull, T, stepBytes, false);
        }
    }
    cluster.sync();
    if (unitOk && slice == 0) {
        if (p.hLast) {
            p.hLast[row * H + j] = hp;
        }
        if (p.cLast) {
            p.cLast[row * H + j] = cp;
        }
    }
}

extern "C" __global__ void __cluster_dims__(PC, 1, 1) __launch_bounds__(512, 1)
rnn_persistent_fused_simple(RnnPersistArgs p) {
    if (default_activations(p.a, CELL_SIMPLE)) {
        persistent_fused<CELL_SIMPLE, 1, true>(p);
    } else {
        persistent_fused<CELL_SIMPLE, 1, false>(p);
    }
}

extern "C" __global__ void __cluster_dims__(PC, 1, 1) __launch_bounds__(512, 1)
rnn_persistent_fused_lstm(RnnPersistArgs p) {
    if (default_activations(p.a, CELL_LSTM)) {
        persistent_fused<CELL_LSTM, 4, true>(p);
    } else {
        persistent_fused<CELL_LSTM, 4, false>(p);
    }
}

extern "C" __global__ void __cluster_dims__(PC, 1, 1) __launch_bounds__(512, 1)
rnn_persistent_fused_gru(RnnPersistArgs p) {
    if (default_activations(p.a, CELL_GRU)) {
        persistent_fused<CELL_GRU, 3, true>(p);
    } else {
        persistent_fused<CELL_GRU, 3, false>(p);
    }
}

// The lean loop's kernels (their own, so that their registers are allocated for that loop alone).
// RnnSequence launches them only where the loop applies (RnnTiling.leanFits and the call's args).
extern "C" __global__ void __cluster_dims__(PC, 1, 1) __launch_bounds__(512, 1)
rnn_persistent_lean_simple(RnnPersistArgs p) {
    persistent_fused_lean<CELL_SIMPLE, 1>(p);
}

extern "C" __global__ void __cluster_dims__(PC, 1, 1) __launch_bounds__(512, 1)
rnn_persistent_lean_lstm(RnnPersistArgs p) {
    persistent_fused_lean<CELL_LSTM, 4>(p);
}

extern "C" __global__ void __cluster_dims__(PC, 1, 1) __launch_bounds__(512, 1)
rnn_persistent_lean_gru(RnnPersistArgs p) {
    persistent_fused_lean<CELL_GRU, 3>(p);
}

#endif
