// The persistent sequence kernel on ONE multiprocessor per batch row (sm_80 and newer, no clusters):
// where the recurrent kernel U of a small layer (units <= 128) fits one SM's registers and shared
// memory, a single block runs every step of its row, and a step ends with one block barrier instead
// of the cluster kernels' exchange of h between blocks. It is the persistent kernel of GPUs without
// clusters (Ampere, Ada: there the alternative is a launch per step). On an H200 it took 1.5-1.6x
// the fused cluster kernel's time at batch 1 (RnnSequence.Persistent): the step is bound by
// instruction issue on the one SM (65% of issue slots used, under ncu), where a cluster spreads the
// same instructions over eight.
//
// Thread layout as in the fused kernel: tid = unit * NSP + slice; a thread owns ALL gate columns of
// its unit over KP consecutive k values (its slice). Of those KP k values, the first KR sit in
// registers for the whole sequence and the other KP - KR in shared memory, laid out [value][thread]
// so that a warp's loads hit 32 consecutive words (no bank conflicts): an SM's 64K registers cannot
// hold an LSTM's 128 x 512 U beside everything else. With KP = 32 (512 threads, up to 128
// registers each) half of an LSTM's U and three fifths of a GRU's stay in registers; the rest is
// read from shared memory every step (128 KB and 72 KB at 128 units). Per step: the matvec, the
// shuffle reduction (every lane of a group ends with its unit's gate sums), the cell in every lane
// (the state lives in registers, the same in each lane of the group), the new h into the other
// half of a double-buffered shared row, one __syncthreads, then the step's output (after the
// barrier, so that it never waits on the store) and the prefetch of a later step's x·W (one GEMM,
// before), streamed PAHEAD steps ahead with cp.async as in the cluster kernels.
// Launch: grid = B (one block per row), block = RnnTiling.blockThreads, dynamic shared memory from
// RnnTiling.blockSharedFloats. GRU reset_after=false is not handled here (per-step kernels).
#include "rnn_persistent.cuh"

template <int CELL, int NG, int KP, int KR, bool DEF>
__device__ __forceinline__ void persistent_block(const RnnPersistArgs& p) {
    static_assert(KP % 4 == 0 && KR % 4 == 0 && KR <= KP, "k values come in fours");
    constexpr int SU = (KP - KR) * NG;          // U values per thread in shared memory
    constexpr int KSTRIDE = KP + 4;             // padded slice of h: 16-byte loads without bank conflicts
    const RnnFwdArgs& a = p.a;
    const i64 H = a.H;
    const i64 T = a.T;
    const i64 GH = NG * H;
    const int NSP = (int) p.slicesPow2;
    const int HP = NSP * KSTRIDE;
    const i64 row = blockIdx.x;
    const int tid = threadIdx.x;
    const int nt = blockDim.x;
    const int slice = tid % NSP;
    const i64 j = tid / NSP;                    // this group's unit
    const bool unitOk = j < H;

    float* hS = dyn_smem;                       // [2][HP] hin = h*drop of every unit, zero padded
    float* uS = hS + 2 * HP;                    // [SU][nt] the shared-memory part of U
    float* ring = uS + SU * nt;                 // [PRING][H][NG] x·W of upcoming steps
    float* maskRing = ring + PRING * H * NG;    // [PRING][H] (each group its own copy)
    float* bIn = maskRing + PRING * H;          // [NG][H] input bias (zeros without one)
    float* bRec = bIn + NG * H;                 // [NG][H] GRU's recurrent bias

    float u[KR][NG];
#pragma unroll
    for (int kk = 0; kk < KR; kk++) {
        const i64 k = (i64) slice * KP + kk;
#pragma unroll
        for (int g = 0; g < NG; g++) {
            u[kk][g] = unitOk && k < H ? a.U[k * GH + g * H + j] : 0.f;
        }
    }
#pragma unroll
    for (int v = 0; v < SU; v++) {
        const i64 k = (i64) slice * KP + KR + v / NG;
        uS[v * nt + tid] = unitOk && k < H ? a.U[k * GH + (v % NG) * H + j] : 0.f;
    }
    // The unit's state, kept alike in every lane of its group (each lane applies the cell).
    float hp = unitOk && p.h0 ? p.h0[row * H + j] : 0.f;
    float cp = unitOk && p.c0 ? p.c0[row * H + j] : 0.f;
    const float dropJ = unitOk && a.drop ? a.drop[row * H + j] : 1.f;
    float outPrev = 0.f;

    for (int e = tid; e < 2 * HP; e += nt) {
        hS[e] = 0.f;
    }
    for (int e = tid; e < GH; e += nt) {
        bIn[e] = a.bias ? a.bias[e] : 0.f;
        bRec[e] = a.bias && CELL == CELL_GRU ? a.bias[GH + e] : 0.f;
    }
    __syncthreads();
    if (unitOk && slice == 0) {
        hS[(j / KP) * KSTRIDE + j % KP] = hp * dropJ;
    }

    // Lane 0 of a group streams its unit's x·W (and the mask) of step q into ring slot q % PRING.
    auto prefetch = [&](i64 q) {
        if (q < T && slice == 0 && unitOk) {
            const int slot = (int) (q % PRING);
            const i64 t = original_step(q, T, a.goBackwards);
            const float* src = a.xw + (row * T + t) * GH + j;
            float* dst = ring + (slot * H + j) * NG;
#pragma unroll
            for (int g = 0; g < NG; g++) {
                __pipeline_memcpy_async(dst + g, src + g * H, 4);
            }
            if (a.mask) {
                __pipeline_memcpy_async(&maskRing[slot * H + j], &a.mask[row * T + t], 4);
            }
        }
        __pipeline_commit();
    };
    for (int q = 0; q < PAHEAD; q++) {
        prefetch(q);
    }
    __syncthreads();

    const float* uMine = uS + tid;
    for (i64 s = 0; s < T; s++) {
        const int cur = (int) (s & 1);
        const int slot = (int) (s % PRING);
        const i64 t = original_step(s, T, a.goBackwards);
        __pipeline_wait_prior(PAHEAD - 1);  // step s's copies are in (s + 1 .. s + PAHEAD - 1 may not be)
        __syncwarp();  // lane 0's copies are visible to its group

        float acc[NG];
        const float* hv = hS + cur * HP + slice * KSTRIDE;
        slice_product(hv, u, acc);
        // The shared-memory part, four k values at a time: unrolling it whole would let the
        // compiler hoist every load ahead and spill the registers U lives in.
        const float* us = uMine;
#pragma unroll 2
        for (int kk = KR; kk < KP; kk += 4) {
            const float4 h4 = *reinterpret_cast<const float4*>(hv + kk);
            const float hk[4] = {h4.x, h4.y, h4.z, h4.w};
#pragma unroll
            for (int q = 0; q < 4; q++) {
#pragma unroll
                for (int g = 0; g < NG; g++) {
                    acc[g] = fmaf(hk[q], us[(q * NG + g) * nt], acc[g]);
                }
            }
            us += 4 * NG * nt;
        }
        // An LSTM of 65..128 units has four lanes per unit, one per gate: a reduce-scatter leaves gate
        // `slice`'s sum in lane `slice`, which applies that gate's activation, and the group gathers
        // the four (two transcendentals per lane instead of five). Elsewhere a butterfly leaves every
        // lane with all the sums.
        const bool oneGatePerLane = CELL == CELL_LSTM && NSP == 4;
        float zMine = 0.f;
        if (oneGatePerLane) {
            const bool hi2 = slice & 2;
            const bool hi1 = slice & 1;
            float k0 = hi2 ? acc[2] : acc[0];
            float k1 = hi2 ? acc[3] : acc[1];
            k0 += __shfl_xor_sync(0xffffffffu, hi2 ? acc[0] : acc[2], 2);
            k1 += __shfl_xor_sync(0xffffffffu, hi2 ? acc[1] : acc[3], 2);
            const float sum = (hi1 ? k1 : k0) + __shfl_xor_sync(0xffffffffu, hi1 ? k0 : k1, 1);
            const i64 jj = unitOk ? j : 0;  // padding lanes read a real unit's values, and drop them
            zMine = sum + ring[(slot * H + jj) * NG + slice] + bIn[slice * H + jj];
            const float gate = slice == 2 ? cell_act<DEF>((int) a.act, zMine) : cell_ract<DEF>((int) a.ract, zMine);
            const int group = (tid & 31) & ~3;
#pragma unroll
            for (int g = 0; g < NG; g++) {
                acc[g] = __shfl_sync(0xffffffffu, gate, group + g);  // i, f, g, o, activated
            }
        } else {
            for (int off = NSP / 2; off > 0; off >>= 1) {
#pragma unroll
                for (int g = 0; g < NG; g++) {
                    acc[g] += __shfl_xor_sync(0xffffffffu, acc[g], off);
                }
            }
        }
        float o = 0.f;
        if (unitOk) {
            const float* xw = ring + (slot * H + j) * NG;
            const bool real = !a.mask || maskRing[slot * H + j] != 0.f;
            float z[NG];
            float aux = 0.f;
            float hn;
            float cn = cp;
            if (oneGatePerLane) {  // as lstm_forward, from the gathered activations
                cn = acc[1] * cp + acc[0] * acc[2];
                hn = acc[3] * cell_act<DEF>((int) a.act, cn);
            } else if (CELL == CELL_LSTM) {
#pragma unroll
                for (int g = 0; g < NG; g++) {
                    z[g] = acc[g] + xw[g] + bIn[g * H + j];
                }
                hn = lstm_forward<DEF>((int) a.act, (int) a.ract, z, cp, cn);
            } else if (CELL == CELL_GRU) {
                aux = acc[2] + bRec[2 * H + j];
                hn = gru_forward<DEF>((int) a.act, (int) a.ract, xw[0] + bIn[j], xw[1] + bIn[H + j],
                                      xw[2] + bIn[2 * H + j], acc[0] + bRec[j], acc[1] + bRec[H + j], aux, hp, z);
            } else {
                z[0] = acc[0] + xw[0] + bIn[j];
                hn = cell_act<DEF>((int) a.act, z[0]);
            }
            o = real ? hn : (a.zeroOutput ? 0.f : outPrev);
            const float hNew = real ? hn : hp;
            const float cNew = real ? cn : cp;
            if (a.wsZ && oneGatePerLane) {
                a.wsZ[(row * T + t) * GH + slice * H + j] = zMine;
            }
            if (slice == 0) {
                hS[(cur ^ 1) * HP + (j / KP) * KSTRIDE + j % KP] = hNew * dropJ;
                if (a.wsZ) {  // training: the workspace values now (keeping them over the barrier costs spills)
                    const i64 wrow = row * T + t;
#pragma unroll
                    for (int g = 0; g < NG && !oneGatePerLane; g++) {
                        a.wsZ[wrow * GH + g * H + j] = z[g];
                    }
                    a.wsHin[wrow * H + j] = hp * dropJ;
                    if (a.drop) {
                        a.wsHprev[wrow * H + j] = hp;
                    }
                    if (CELL == CELL_LSTM) {
                        a.wsCprev[wrow * H + j] = cp;
                    }
                    if (CELL == CELL_GRU) {
                        a.wsAux[wrow * H + j] = aux;
                    }
                }
            }
            hp = hNew;
            cp = cNew;
            outPrev = o;
        }
        __syncthreads();
        if (unitOk && slice == 0) {  // the output after the barrier, which then never waits on it
            a.out[(row * T + s) * H + j] = o;
        }
        prefetch(s + PAHEAD);  // into the slot step s - 1 read, before the barrier above
    }

    if (unitOk && slice == 0) {
        if (p.hLast) {
            p.hLast[row * H + j] = hp;
        }
        if (p.cLast) {
            p.cLast[row * H + j] = cp;
        }
    }
}

// Per cell: KP k values per thread (threads = units x NSP, NSP = nextPow2(ceil(units / KP))) and
// KR of them in registers, as many as the launch bound's registers leave room for without spills.
// RnnTiling.blockKValues mirrors KP and the thread bounds.
extern "C" __global__ void __launch_bounds__(1024, 1) rnn_persistent_block_simple(RnnPersistArgs p) {
    if (default_activations(p.a, CELL_SIMPLE)) {
        persistent_block<CELL_SIMPLE, 1, 16, 16, true>(p);
    } else {
        persistent_block<CELL_SIMPLE, 1, 16, 16, false>(p);
    }
}

extern "C" __global__ void __launch_bounds__(512, 1) rnn_persistent_block_lstm(RnnPersistArgs p) {
    if (default_activations(p.a, CELL_LSTM)) {
        persistent_block<CELL_LSTM, 4, 32, 16, true>(p);
    } else {
        persistent_block<CELL_LSTM, 4, 32, 16, false>(p);
    }
}

extern "C" __global__ void __launch_bounds__(512, 1) rnn_persistent_block_gru(RnnPersistArgs p) {
    if (default_activations(p.a, CELL_GRU)) {
        persistent_block<CELL_GRU, 3, 32, 20, true>(p);
    } else {
        persistent_block<CELL_GRU, 3, 32, 20, false>(p);
    }
}
