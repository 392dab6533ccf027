// The persistent small-batch sequence kernel (Hopper, sm_90+): ONE launch runs every timestep.
//
// A thread-block cluster of PC blocks splits the units: block `rank` owns units
// [rank*UPB, (rank+1)*UPB) and keeps their recurrent-kernel columns (all gates) in REGISTERS for the
// whole sequence — no U traffic per step (Persistent RNNs, Diamos et al. 2016; GRNN, EuroSys'19).
// Each step a block computes its units' gate pre-activations from the full h (in its shared
// memory), applies the cell, and writes its slice of the new h into every block's shared memory
// with st.async, counted on that block's mbarrier (no cluster barrier in the loop: see
// rnn_persistent_fused.cu, which exchanges h the same way). Batch rows are
// independent, so several clusters split the batch (PB rows each) with no communication at all.
// The input projection x·W (one GEMM, before) is streamed in a few steps ahead with cp.async.
//
// Thread layout: tid = grp * NSP + slice. A thread owns PCOL columns (grp) × PK consecutive k
// values (slice); the NSP slices of a column group sit in one warp and are summed with shuffles.
// Launch: grid = PC * clusters, block = RnnTiling.persistentThreads, dynamic shared memory =
// RnnTiling.persistentSharedFloats floats. GRU reset_after=false is not handled here (per-step).
// As in the fused kernel, Keras's default activations are compiled in where the op codes name them,
// and the step's global stores go out after the new h. The mbarrier wait at a step's start also
// tells a block that all its threads are done with the last step's gates and x·W ring slot: every
// block's h needs every thread's units.
#include "rnn_persistent.cuh"
#ifdef RNN4J_PERSISTENT

template <int CELL, int NG, bool DEF>
__device__ __forceinline__ void persistent_forward(const RnnPersistArgs& p) {
    const RnnFwdArgs& a = p.a;
    cg::cluster_group cluster = cg::this_cluster();
    const int rank = (int) cluster.block_rank();
    const i64 H = a.H;
    const i64 T = a.T;
    const i64 GH = NG * H;
    const int UPB = (int) ((H + PC - 1) / PC);   // units per block
    const int NC = NG * UPB;                     // local columns, gate-major: cl = g*UPB + u
    const int NSP = (int) p.slicesPow2;
    const int HP = NSP * PSTRIDE;                // padded h row
    const int PB = (int) p.rowsPerCluster;
    const i64 rowBase = (i64) (blockIdx.x / PC) * PB;
    const int rows = (int) min((i64) PB, a.B - rowBase);
    const int tid = threadIdx.x;
    const int nt = blockDim.x;
    const int slice = tid % NSP;
    const int grp = tid / NSP;

    // Two mbarriers (one per h buffer: 16 bytes), then the floats.
    unsigned long long* hFull = reinterpret_cast<unsigned long long*>(dyn_smem);
    float* hS = dyn_smem + 4;                // [2][PB][HP] hin = h*drop of every unit, zero padded
    float* gates = hS + 2 * PB * HP;         // [PB][NC] recurrent products of this step
    float* ring = gates + PB * NC;           // [PRING][PB][NC] x·W of upcoming steps
    float* maskRing = ring + PRING * PB * NC;  // [PRING][PB]
    float* hOwn = maskRing + PRING * PB;     // [PB][UPB] h of own units (undropped)
    float* cOwn = hOwn + PB * UPB;           // [PB][UPB]
    float* outOwn = cOwn + PB * UPB;         // [PB][UPB] last emitted output
    float* dropOwn = outOwn + PB * UPB;      // [PB][UPB]
    float* bIn = dropOwn + PB * UPB;         // [NC] input bias
    float* bRec = bIn + NC;                  // [NC] recurrent bias (GRU)
    float* defer = bRec + NC;                // [PB][UPB][PDEFER(NG)] workspace values of this step

    // This thread's U columns, held in registers for the whole sequence.
    float u[PK][PCOL];
#pragma unroll
    for (int c = 0; c < PCOL; c++) {
        const int cl = grp * PCOL + c;
        const int g = cl / UPB;
        const i64 j = (i64) rank * UPB + cl % UPB;
        const bool colOk = cl < NC && j < H;
#pragma unroll
        for (int kk = 0; kk < PK; kk++) {
            const i64 k = (i64) slice * PK + kk;
            u[kk][c] = colOk && k < H ? a.U[k * GH + g * H + j] : 0.f;
        }
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
        const i64 j = (i64) rank * UPB + e % UPB;
        const i64 row = rowBase + b;
        const bool ok = j < H;
        hOwn[e] = ok && p.h0 ? p.h0[row * H + j] : 0.f;
        cOwn[e] = ok && p.c0 ? p.c0[row * H + j] : 0.f;
        outOwn[e] = 0.f;
        dropOwn[e] = ok && a.drop ? a.drop[row * H + j] : 1.f;
    }
    for (int cl = tid; cl < NC; cl += nt) {
        const int g = cl / UPB;
        const i64 j = (i64) rank * UPB + cl % UPB;
        const bool ok = j < H && a.bias;
        bIn[cl] = ok ? a.bias[g * H + j] : 0.f;
        bRec[cl] = ok && CELL == CELL_GRU ? a.bias[GH + g * H + j] : 0.f;
    }

    // Streams step q's x·W slice (and mask values) into ring slot q % PRING. Every thread commits
    // one group per call, even an empty one, so that wait_prior counts steps.
    auto prefetch = [&](i64 q) {
        if (q < T) {
            const int slot = (int) (q % PRING);
            const i64 t = original_step(q, T, a.goBackwards);
            for (int e = tid; e < rows * NC; e += nt) {
                const int b = e / NC;
                const int cl = e % NC;
                const i64 j = (i64) rank * UPB + cl % UPB;
                if (j < H) {
                    __pipeline_memcpy_async(&ring[(slot * PB + b) * NC + cl],
                                            &a.xw[((rowBase + b) * T + t) * GH + (cl / UPB) * H + j], 4);
                }
            }
            if (a.mask) {
                for (int b = tid; b < rows; b += nt) {
                    __pipeline_memcpy_async(&maskRing[slot * PB + b], &a.mask[(rowBase + b) * T + t], 4);
                }
            }
        }
        __pipeline_commit();
    };
    // Which ranks own units (the others get no h and skip the loop), and a step's bytes.
    const int ranksWithUnits = (int) min((i64) PC, (H + UPB - 1) / UPB);
    const unsigned stepBytes = (unsigned) (4 * H * rows);
    h_exchange_init(hFull, stepBytes);
    for (int q = 0; q < PAHEAD; q++) {
        prefetch(q);
    }
    cluster.sync();  // every block initialised before anyone writes into its shared memory

    for (i64 s = 0; s < T && rank < ranksWithUnits; s++) {
        const int cur = (int) (s & 1);
        if (s > 0) {
            h_exchange_wait(hFull, s, stepBytes, true);
        }
        prefetch(s + PAHEAD);  // after the wait: step s - 1's cell has read the slot

        // Recurrent products: gates[b][cl] = sum_k hS[cur][b][k] * U[k, col(cl)].
        for (int b = 0; b < rows; b++) {
            float acc[PCOL];
            slice_product(hS + (cur * PB + b) * HP + slice * PSTRIDE, u, acc);
            for (int off = NSP / 2; off > 0; off >>= 1) {
#pragma unroll
                for (int c = 0; c < PCOL; c++) {
                    acc[c] += __shfl_xor_sync(0xffffffffu, acc[c], off);
                }
            }
            if (slice == 0) {
#pragma unroll
                for (int c = 0; c < PCOL; c++) {
                    const int cl = grp * PCOL + c;
                    if (cl < NC) {
                        gates[b * NC + cl] = acc[c];
                    }
                }
            }
        }
        __pipeline_wait_prior(PAHEAD);  // step s's x·W has landed
        __syncthreads();

        // The cell, for each (row, own unit).
        const int slot = (int) (s % PRING);
        const i64 t = original_step(s, T, a.goBackwards);
        const int nxt = cur ^ 1;
        for (int e = tid; e < rows * UPB; e += nt) {
            const int b = e / UPB;
            const int uu = e % UPB;
            const i64 j = (i64) rank * UPB + uu;
            if (j >= H) {
                continue;
            }
            const float* xw = ring + (slot * PB + b) * NC;
            const float* acc = gates + b * NC;
            const bool real = !a.mask || maskRing[slot * PB + b] != 0.f;
            const float hp = hOwn[e];
            const float cp = cOwn[e];
            const float dropv = dropOwn[e];
            float z[NG];
            float hn;
            float cn = cp;
            float aux = 0.f;
            if (CELL == CELL_LSTM) {
#pragma unroll
                for (int g = 0; g < NG; g++) {
                    z[g] = acc[g * UPB + uu] + xw[g * UPB + uu] + bIn[g * UPB + uu];
                }
                hn = lstm_forward<DEF>((int) a.act, (int) a.ract, z, cp, cn);
            } else if (CELL == CELL_GRU) {
                aux = acc[2 * UPB + uu] + bRec[2 * UPB + uu];
                hn = gru_forward<DEF>((int) a.act, (int) a.ract, xw[uu] + bIn[uu], xw[UPB + uu] + bIn[UPB + uu],
                                 xw[2 * UPB + uu] + bIn[2 * UPB + uu], acc[uu] + bRec[uu],
                                 acc[UPB + uu] + bRec[UPB + uu], aux, hp, z);
            } else {
                z[0] = acc[uu] + xw[uu] + bIn[uu];
                hn = cell_act<DEF>((int) a.act, z[0]);
            }
            if (a.wsZ) {
                float* d = defer + e * PDEFER(NG);
#pragma unroll
                for (int g = 0; g < NG; g++) {
                    d[g] = z[g];
                }
                d[NG] = hp * dropv;
                d[NG + 1] = hp;
                d[NG + 2] = cp;
                d[NG + 3] = aux;
            }
            const float o = real ? hn : (a.zeroOutput ? 0.f : outOwn[e]);
            outOwn[e] = o;
            const float hNew = real ? hn : hp;
            hOwn[e] = hNew;
            if (real) {
                cOwn[e] = cn;
            }
            const float hin = hNew * dropv;
            const int at = (nxt * PB + b) * HP + padded_k(j);
            for (int r = 0; r < ranksWithUnits; r++) {
                store_to_rank(&hS[at], &hFull[nxt], (unsigned) r, hin);
            }
        }
        // The step's global stores, each by the thread that staged it above.
        for (int e = tid; e < rows * UPB; e += nt) {
            const int b = e / UPB;
            const i64 j = (i64) rank * UPB + e % UPB;
            if (j >= H) {
                continue;
            }
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
    // The last step's h must be in before this block may exit, and no block leaves while another
    // may still store to it.
    if (T > 0 && rank < ranksWithUnits) {
        h_exchange_wait(hFull, T, stepBytes, false);
    }
    cluster.sync();

    for (int e = tid; e < rows * UPB; e += nt) {
        const int b = e / UPB;
        const i64 j = (i64) rank * UPB + e % UPB;
        if (j < H) {
            if (p.hLast) {
                p.hLast[(rowBase + b) * H + j] = hOwn[e];
            }
            if (p.cLast) {
                p.cLast[(rowBase + b) * H + j] = cOwn[e];
            }
        }
    }
}

extern "C" __global__ void __cluster_dims__(PC, 1, 1) __launch_bounds__(512, 1)
rnn_persistent_simple(RnnPersistArgs p) {
    if (default_activations(p.a, CELL_SIMPLE)) {
        persistent_forward<CELL_SIMPLE, 1, true>(p);
    } else {
        persistent_forward<CELL_SIMPLE, 1, false>(p);
    }
}

extern "C" __global__ void __cluster_dims__(PC, 1, 1) __launch_bounds__(512, 1)
rnn_persistent_lstm(RnnPersistArgs p) {
    if (default_activations(p.a, CELL_LSTM)) {
        persistent_forward<CELL_LSTM, 4, true>(p);
    } else {
        persistent_forward<CELL_LSTM, 4, false>(p);
    }
}

extern "C" __global__ void __cluster_dims__(PC, 1, 1) __launch_bounds__(512, 1)
rnn_persistent_gru(RnnPersistArgs p) {
    if (default_activations(p.a, CELL_GRU)) {
        persistent_forward<CELL_GRU, 3, true>(p);
    } else {
        persistent_forward<CELL_GRU, 3, false>(p);
    }
}
#endif
