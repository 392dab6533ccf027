// Per-step fused sequence kernels: one launch per timestep (two for GRU reset_after=false), each
// computing the recurrent product h·U for a tile of (batch rows × units) over all of a unit's gate
// columns and, in the same kernel, bias, activations, masking and the state update. The input
// projection x·W of all steps is one GEMM before the loop (RnnSequence.java).
//
// Two layouts: tiles (blockDim = (BU, BB) threads over (units, batch rows), grid = (ceil(H/BU),
// ceil(B/BB)), dynamic shared memory from RnnTiling) for larger batches, and one warp per unit
// (the *_warp_* kernels, blockDim = (32, warps), grid = ceil(H/warps)) for small ones.
#include "rnn_cells.cuh"

#define KC 32  // k values staged in shared memory per pass

// acc[g] = sum_k in[b, k] * (drop ? drop[b, k] : 1) * U[k, colBase + g*H + j] for this thread's
// (b, j). `in` is (B, H). All threads of the block must call it (it synchronises).
template <int NG>
__device__ __forceinline__ void recurrent_product(const float* __restrict__ in, const float* __restrict__ drop,
                                                  const float* __restrict__ U, i64 B, i64 H, i64 GH, i64 colBase,
                                                  float* acc) {
    float* smem = dyn_smem;
    const int BU = blockDim.x;
    const int BB = blockDim.y;
    const int tid = threadIdx.y * BU + threadIdx.x;
    const int nt = BU * BB;
    const i64 j0 = (i64) blockIdx.x * BU;
    const i64 b0 = (i64) blockIdx.y * BB;
    float* hs = smem;            // [BB][KC]
    float* us = smem + BB * KC;  // [KC][NG][BU]
#pragma unroll
    for (int g = 0; g < NG; g++) {
        acc[g] = 0.f;
    }
    for (i64 k0 = 0; k0 < H; k0 += KC) {
        for (int e = tid; e < BB * KC; e += nt) {
            i64 b = b0 + e / KC;
            i64 k = k0 + e % KC;
            float v = 0.f;
            if (b < B && k < H) {
                v = in[b * H + k];
                if (drop) {
                    v *= drop[b * H + k];
                }
            }
            hs[e] = v;
        }
        for (int e = tid; e < KC * NG * BU; e += nt) {
            int kk = e / (NG * BU);
            int rem = e - kk * (NG * BU);
            int g = rem / BU;
            i64 j = j0 + rem % BU;
            i64 k = k0 + kk;
            us[e] = (k < H && j < H) ? U[k * GH + colBase + g * H + j] : 0.f;
        }
        __syncthreads();
#pragma unroll 8
        for (int kk = 0; kk < KC; kk++) {
            float h = hs[threadIdx.y * KC + kk];
#pragma unroll
            for (int g = 0; g < NG; g++) {
                acc[g] = fmaf(h, us[(kk * NG + g) * BU + threadIdx.x], acc[g]);
            }
        }
        __syncthreads();
    }
}

// The masking shared by all cells: a skipped step keeps the states and outputs the previous output
// (zeros before the first real step, or always zeros with zeroOutput).
__device__ __forceinline__ float masked_output(const RnnFwdArgs& a, i64 b, i64 s, i64 j) {
    if (a.zeroOutput || s == 0) {
        return 0.f;
    }
    return a.out[(b * a.T + s - 1) * a.H + j];
}

// The cell for one (row b, unit j) given its recurrent products acc[g] = (hin·U)[g*H + j]: bias,
// activations, masking, the state update, outputs and (training) the workspace.
template <int CELL, int NG>
__device__ __forceinline__ void forward_unit(const RnnFwdArgs& a, const float* __restrict__ hPrev,
                                             float* __restrict__ hNext, i64 s, i64 b, i64 j, const float* acc) {
    const i64 H = a.H;
    const i64 GH = NG * H;
    const i64 t = original_step(s, a.T, a.goBackwards);
    const i64 row = b * a.T + t;
    const float* xw = a.xw + row * GH;
    const float hp = hPrev[b * H + j];
    const float hin = a.drop ? hp * a.drop[b * H + j] : hp;
    const bool real = !a.mask || a.mask[row] != 0.f;
    float z[NG];
    float hn;
    float cp = 0.f;
    float cn = 0.f;
    float aux = 0.f;
    if (CELL == CELL_LSTM) {
#pragma unroll
        for (int g = 0; g < NG; g++) {
            z[g] = acc[g] + xw[g * H + j] + (a.bias ? a.bias[g * H + j] : 0.f);
        }
        cp = a.c[b * H + j];
        hn = lstm_forward((int) a.act, (int) a.ract, z, cp, cn);
    } else if (CELL == CELL_GRU) {  // reset_after: bias rows 0 (input) and 1 (recurrent)
        const float* bi = a.bias;
        const float* br = a.bias ? a.bias + GH : nullptr;
        float xz = xw[j] + (bi ? bi[j] : 0.f);
        float xr = xw[H + j] + (bi ? bi[H + j] : 0.f);
        float xh = xw[2 * H + j] + (bi ? bi[2 * H + j] : 0.f);
        float rz = acc[0] + (br ? br[j] : 0.f);
        float rr = acc[1] + (br ? br[H + j] : 0.f);
        aux = acc[2] + (br ? br[2 * H + j] : 0.f);
        hn = gru_forward((int) a.act, (int) a.ract, xz, xr, xh, rz, rr, aux, hp, z);
    } else {
        z[0] = acc[0] + xw[j] + (a.bias ? a.bias[j] : 0.f);
        hn = apply_unary((int) a.act, z[0]);
    }
    if (a.wsZ) {
#pragma unroll
        for (int g = 0; g < NG; g++) {
            a.wsZ[row * GH + g * H + j] = z[g];
        }
        a.wsHin[row * H + j] = hin;
        if (a.drop) {
            a.wsHprev[row * H + j] = hp;
        }
        if (CELL == CELL_LSTM) {
            a.wsCprev[row * H + j] = cp;
        }
        if (CELL == CELL_GRU) {
            a.wsAux[row * H + j] = aux;
        }
    }
    const float o = real ? hn : masked_output(a, b, s, j);
    a.out[(b * a.T + s) * H + j] = o;
    hNext[b * H + j] = real ? hn : hp;
    if (CELL == CELL_LSTM && real) {
        a.c[b * H + j] = cn;
    }
}

template <int CELL, int NG>
__device__ __forceinline__ void forward_step(const RnnFwdArgs& a, const float* __restrict__ hPrev,
                                             float* __restrict__ hNext, i64 s) {
    float acc[NG];
    recurrent_product<NG>(hPrev, a.drop, a.U, a.B, a.H, NG * a.H, 0, acc);
    const i64 b = (i64) blockIdx.y * blockDim.y + threadIdx.y;
    const i64 j = (i64) blockIdx.x * blockDim.x + threadIdx.x;
    if (b < a.B && j < a.H) {
        forward_unit<CELL, NG>(a, hPrev, hNext, s, b, j, acc);
    }
}

// Sums v over the 32 lanes of a warp; every lane gets the total.
__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) {
        v += __shfl_xor_sync(0xffffffffu, v, off);
    }
    return v;
}

// Small batches: one warp per unit j (blockDim = (32, warps), grid = ceil(H / warps)); the lanes
// split k, so every load is independent and the few dot products of a step are spread over many
// SMs instead of a handful of tile blocks.
template <int CELL, int NG>
__device__ __forceinline__ void forward_step_warp(const RnnFwdArgs& a, const float* __restrict__ hPrev,
                                                  float* __restrict__ hNext, i64 s) {
    const i64 H = a.H;
    const i64 GH = NG * H;
    const i64 j = (i64) blockIdx.x * blockDim.y + threadIdx.y;
    if (j >= H) {
        return;  // the whole warp: no block-wide barrier in this kernel
    }
    const int lane = threadIdx.x;
    for (i64 b = 0; b < a.B; b++) {
        float acc[NG];
#pragma unroll
        for (int g = 0; g < NG; g++) {
            acc[g] = 0.f;
        }
#pragma unroll 4
        for (i64 k = lane; k < H; k += 32) {
            float h = hPrev[b * H + k];
            if (a.drop) {
                h *= a.drop[b * H + k];
            }
#pragma unroll
            for (int g = 0; g < NG; g++) {
                acc[g] = fmaf(h, a.U[k * GH + g * H + j], acc[g]);
            }
        }
#pragma unroll
        for (int g = 0; g < NG; g++) {
            acc[g] = warp_sum(acc[g]);
        }
        if (lane == 0) {
            forward_unit<CELL, NG>(a, hPrev, hNext, s, b, j, acc);
        }
    }
}

extern "C" __global__ void rnn_fwd_step_simple(RnnFwdArgs a, const float* hPrev, float* hNext, i64 s) {
    forward_step<CELL_SIMPLE, 1>(a, hPrev, hNext, s);
}

extern "C" __global__ void rnn_fwd_step_lstm(RnnFwdArgs a, const float* hPrev, float* hNext, i64 s) {
    forward_step<CELL_LSTM, 4>(a, hPrev, hNext, s);
}

extern "C" __global__ void rnn_fwd_step_gru(RnnFwdArgs a, const float* hPrev, float* hNext, i64 s) {
    forward_step<CELL_GRU, 3>(a, hPrev, hNext, s);
}

extern "C" __global__ void rnn_fwd_warp_simple(RnnFwdArgs a, const float* hPrev, float* hNext, i64 s) {
    forward_step_warp<CELL_SIMPLE, 1>(a, hPrev, hNext, s);
}

extern "C" __global__ void rnn_fwd_warp_lstm(RnnFwdArgs a, const float* hPrev, float* hNext, i64 s) {
    forward_step_warp<CELL_LSTM, 4>(a, hPrev, hNext, s);
}

extern "C" __global__ void rnn_fwd_warp_gru(RnnFwdArgs a, const float* hPrev, float* hNext, i64 s) {
    forward_step_warp<CELL_GRU, 3>(a, hPrev, hNext, s);
}

// GRU reset_after=false, first half of a step: z and r from hin·U[:, 0:2H]; stores their
// pre-activations and r*hin in scratch for the second half (and r*hin in the workspace).
extern "C" __global__ void rnn_fwd_gru_nr_a(RnnFwdArgs a, const float* hPrev, i64 s) {
    const i64 H = a.H;
    const i64 GH = 3 * H;
    float acc[2];
    recurrent_product<2>(hPrev, a.drop, a.U, a.B, H, GH, 0, acc);
    const i64 b = (i64) blockIdx.y * blockDim.y + threadIdx.y;
    const i64 j = (i64) blockIdx.x * blockDim.x + threadIdx.x;
    if (b >= a.B || j >= H) {
        return;
    }
    const i64 t = original_step(s, a.T, a.goBackwards);
    const i64 row = b * a.T + t;
    const float* xw = a.xw + row * GH;
    const float hp = hPrev[b * H + j];
    const float hin = a.drop ? hp * a.drop[b * H + j] : hp;
    const float zp = acc[0] + xw[j] + (a.bias ? a.bias[j] : 0.f);
    const float rp = acc[1] + xw[H + j] + (a.bias ? a.bias[H + j] : 0.f);
    const float rhin = apply_unary((int) a.ract, rp) * hin;
    a.scratch[b * 2 * H + j] = zp;
    a.scratch[b * 2 * H + H + j] = rp;
    a.scratch[2 * a.B * H + b * H + j] = rhin;
    if (a.wsZ) {
        a.wsAux[row * H + j] = rhin;
    }
}

// Second half: n from (r*hin)·U[:, 2H:3H], then the state update, masking and outputs.
extern "C" __global__ void rnn_fwd_gru_nr_b(RnnFwdArgs a, const float* hPrev, float* hNext, i64 s) {
    const i64 H = a.H;
    const i64 GH = 3 * H;
    float acc[1];
    recurrent_product<1>(a.scratch + 2 * a.B * H, nullptr, a.U, a.B, H, GH, 2 * H, acc);
    const i64 b = (i64) blockIdx.y * blockDim.y + threadIdx.y;
    const i64 j = (i64) blockIdx.x * blockDim.x + threadIdx.x;
    if (b >= a.B || j >= H) {
        return;
    }
    const i64 t = original_step(s, a.T, a.goBackwards);
    const i64 row = b * a.T + t;
    const float* xw = a.xw + row * GH;
    const float hp = hPrev[b * H + j];
    const bool real = !a.mask || a.mask[row] != 0.f;
    float z[3];
    z[0] = a.scratch[b * 2 * H + j];
    z[1] = a.scratch[b * 2 * H + H + j];
    z[2] = acc[0] + xw[2 * H + j] + (a.bias ? a.bias[2 * H + j] : 0.f);
    const float zg = apply_unary((int) a.ract, z[0]);
    const float hn = zg * hp + (1.f - zg) * apply_unary((int) a.act, z[2]);
    if (a.wsZ) {
#pragma unroll
        for (int g = 0; g < 3; g++) {
            a.wsZ[row * GH + g * H + j] = z[g];
        }
        a.wsHin[row * H + j] = a.drop ? hp * a.drop[b * H + j] : hp;
        if (a.drop) {
            a.wsHprev[row * H + j] = hp;
        }
    }
    const float o = real ? hn : masked_output(a, b, s, j);
    a.out[(b * a.T + s) * H + j] = o;
    hNext[b * H + j] = real ? hn : hp;
}

// ---- backward ----

// dh[b, j] += drop[b, j] * sum_{c < cols} dZh[(b, t1), c] * U[j, c]: the gradient reaching h before
// step s+1 through its recurrent product (t1 = that step's original time). Synchronises.
__device__ __forceinline__ void recurrent_product_t(const RnnBwdArgs& a, i64 GH, i64 t1, i64 cols) {
    float* smem = dyn_smem;
    const int BU = blockDim.x;
    const int BB = blockDim.y;
    const int tid = threadIdx.y * BU + threadIdx.x;
    const int nt = BU * BB;
    const i64 j0 = (i64) blockIdx.x * BU;
    const i64 b0 = (i64) blockIdx.y * BB;
    const i64 H = a.H;
    float* ds = smem;            // [BB][KC]
    float* us = smem + BB * KC;  // [BU][KC + 1], padded against bank conflicts
    float acc = 0.f;
    for (i64 c0 = 0; c0 < cols; c0 += KC) {
        for (int e = tid; e < BB * KC; e += nt) {
            i64 b = b0 + e / KC;
            i64 c = c0 + e % KC;
            ds[e] = (b < a.B && c < cols) ? a.dZh[(b * a.T + t1) * GH + c] : 0.f;
        }
        for (int e = tid; e < BU * KC; e += nt) {
            i64 j = j0 + e / KC;
            i64 c = c0 + e % KC;
            us[(e / KC) * (KC + 1) + e % KC] = (j < H && c < cols) ? a.U[j * GH + c] : 0.f;
        }
        __syncthreads();
#pragma unroll 8
        for (int cc = 0; cc < KC; cc++) {
            acc = fmaf(ds[threadIdx.y * KC + cc], us[threadIdx.x * (KC + 1) + cc], acc);
        }
        __syncthreads();
    }
    const i64 b = b0 + threadIdx.y;
    const i64 j = j0 + threadIdx.x;
    if (b < a.B && j < H) {
        a.dh[b * H + j] += a.drop ? acc * a.drop[b * H + j] : acc;
    }
}

// Step s's pointwise gradients for one (row b, unit j), dh[b, j] being complete for that step:
// writes the pre-activation gradients dZ (zeros for a skipped step), dc, the masked-output carry,
// and leaves in dh[b, j] the part of dL/dh_prev that does not go through U.
template <int CELL, int NG>
__device__ __forceinline__ void backward_unit(const RnnBwdArgs& a, i64 s, i64 b, i64 j) {
    const i64 H = a.H;
    const i64 GH = NG * H;
    const i64 t = original_step(s, a.T, a.goBackwards);
    const i64 row = b * a.T + t;
    const i64 st = b * H + j;
    const bool real = !a.mask || a.mask[row] != 0.f;
    const float g = (a.dOut ? a.dOut[(b * a.T + s) * H + j] : 0.f) + a.carry[st];
    float* dzx = a.dZx + row * GH;
    float* dzh = a.dZh + row * GH;
    if (!real) {  // states pass through; the output was the previous step's output (or zeros)
        a.carry[st] = a.zeroOutput ? 0.f : g;
#pragma unroll
        for (int q = 0; q < NG; q++) {
            dzx[q * H + j] = 0.f;
            dzh[q * H + j] = 0.f;
        }
        return;
    }
    a.carry[st] = 0.f;
    const float dhT = a.dh[st] + g;
    const float* z = a.wsZ + row * GH;
    const int act = (int) a.act;
    const int ract = (int) a.ract;
    float direct = 0.f;  // the part of dL/dh_prev that does not go through U
    if (CELL == CELL_LSTM) {
        float zz[4] = {z[j], z[H + j], z[2 * H + j], z[3 * H + j]};
        float dz[4];
        a.dc[st] = lstm_backward(act, ract, zz, a.wsCprev[row * H + j], dhT, a.dc[st], dz);
#pragma unroll
        for (int q = 0; q < 4; q++) {
            dzx[q * H + j] = dz[q];
        }
    } else if (CELL == CELL_GRU) {
        const float hp = a.drop ? a.wsHprev[row * H + j] : a.wsHin[row * H + j];
        const float zg = apply_unary(ract, z[j]);
        const float n = apply_unary(act, z[2 * H + j]);
        direct = dhT * zg;
        const float dnp = dhT * (1.f - zg) * unary_derivative(act, z[2 * H + j]);
        const float dzp = dhT * (hp - n) * unary_derivative(ract, z[j]);
        dzx[j] = dzp;
        dzx[2 * H + j] = dnp;
        if (dzh != dzx) {  // reset_after: r multiplies rh = h·U_h + b_rh
            const float r = apply_unary(ract, z[H + j]);
            const float drp = dnp * a.wsAux[row * H + j] * unary_derivative(ract, z[H + j]);
            dzx[H + j] = drp;
            dzh[j] = dzp;
            dzh[H + j] = drp;
            dzh[2 * H + j] = dnp * r;
        }
        // reset_after=false: dZ_r needs (dnp·U_hᵀ), computed by rnn_bwd_gru_nr_r next.
    } else {
        dzx[j] = dhT * unary_derivative(act, z[j]);
    }
    a.dh[st] = direct;
}

// One backward launch: first the recurrent product of step s+1 (when s+1 < T) completes dh for
// step s, then step s's pointwise gradients (when s >= 0). s = -1 leaves dh w.r.t. the initial h.
template <int CELL, int NG>
__device__ __forceinline__ void backward_step(const RnnBwdArgs& a, i64 s, i64 gemmCols) {
    if (s + 1 < a.T) {
        recurrent_product_t(a, NG * a.H, original_step(s + 1, a.T, a.goBackwards), gemmCols);
    }
    const i64 b = (i64) blockIdx.y * blockDim.y + threadIdx.y;
    const i64 j = (i64) blockIdx.x * blockDim.x + threadIdx.x;
    if (s >= 0 && b < a.B && j < a.H) {
        backward_unit<CELL, NG>(a, s, b, j);
    }
}

// The same with one warp per unit j for small batches (layout as forward_step_warp): the lanes
// split the gate columns c of dZh[b, :]·U[j, :] (both contiguous in c).
template <int CELL, int NG>
__device__ __forceinline__ void backward_step_warp(const RnnBwdArgs& a, i64 s, i64 gemmCols) {
    const i64 H = a.H;
    const i64 GH = NG * H;
    const i64 j = (i64) blockIdx.x * blockDim.y + threadIdx.y;
    if (j >= H) {
        return;
    }
    const int lane = threadIdx.x;
    const i64 t1 = s + 1 < a.T ? original_step(s + 1, a.T, a.goBackwards) : 0;
    for (i64 b = 0; b < a.B; b++) {
        if (s + 1 < a.T) {
            const float* dz = a.dZh + (b * a.T + t1) * GH;
            const float* u = a.U + j * GH;
            float acc = 0.f;
#pragma unroll 4
            for (i64 c = lane; c < gemmCols; c += 32) {
                acc = fmaf(dz[c], u[c], acc);
            }
            acc = warp_sum(acc);
            if (lane == 0) {
                a.dh[b * H + j] += a.drop ? acc * a.drop[b * H + j] : acc;
            }
        }
        if (s >= 0 && lane == 0) {
            backward_unit<CELL, NG>(a, s, b, j);
        }
    }
}

extern "C" __global__ void rnn_bwd_step_simple(RnnBwdArgs a, i64 s, i64 gemmCols) {
    backward_step<CELL_SIMPLE, 1>(a, s, gemmCols);
}

extern "C" __global__ void rnn_bwd_step_lstm(RnnBwdArgs a, i64 s, i64 gemmCols) {
    backward_step<CELL_LSTM, 4>(a, s, gemmCols);
}

extern "C" __global__ void rnn_bwd_step_gru(RnnBwdArgs a, i64 s, i64 gemmCols) {
    backward_step<CELL_GRU, 3>(a, s, gemmCols);
}

extern "C" __global__ void rnn_bwd_warp_simple(RnnBwdArgs a, i64 s, i64 gemmCols) {
    backward_step_warp<CELL_SIMPLE, 1>(a, s, gemmCols);
}

extern "C" __global__ void rnn_bwd_warp_lstm(RnnBwdArgs a, i64 s, i64 gemmCols) {
    backward_step_warp<CELL_LSTM, 4>(a, s, gemmCols);
}

extern "C" __global__ void rnn_bwd_warp_gru(RnnBwdArgs a, i64 s, i64 gemmCols) {
    backward_step_warp<CELL_GRU, 3>(a, s, gemmCols);
}

// GRU reset_after=false, after rnn_bwd_step_gru for step s: d(r*hin) = dnp·U_hᵀ gives dZ_r and
// adds d(r*hin)*r*drop to dh.
extern "C" __global__ void rnn_bwd_gru_nr_r(RnnBwdArgs a, i64 s) {
    float* smem = dyn_smem;
    const int BU = blockDim.x;
    const int BB = blockDim.y;
    const int tid = threadIdx.y * BU + threadIdx.x;
    const int nt = BU * BB;
    const i64 H = a.H;
    const i64 GH = 3 * H;
    const i64 j0 = (i64) blockIdx.x * BU;
    const i64 b0 = (i64) blockIdx.y * BB;
    const i64 t = original_step(s, a.T, a.goBackwards);
    float* ds = smem;
    float* us = smem + BB * KC;
    float acc = 0.f;
    for (i64 c0 = 0; c0 < H; c0 += KC) {
        for (int e = tid; e < BB * KC; e += nt) {
            i64 b = b0 + e / KC;
            i64 c = c0 + e % KC;
            ds[e] = (b < a.B && c < H) ? a.dZx[(b * a.T + t) * GH + 2 * H + c] : 0.f;
        }
        for (int e = tid; e < BU * KC; e += nt) {
            i64 j = j0 + e / KC;
            i64 c = c0 + e % KC;
            us[(e / KC) * (KC + 1) + e % KC] = (j < H && c < H) ? a.U[j * GH + 2 * H + c] : 0.f;
        }
        __syncthreads();
#pragma unroll 8
        for (int cc = 0; cc < KC; cc++) {
            acc = fmaf(ds[threadIdx.y * KC + cc], us[threadIdx.x * (KC + 1) + cc], acc);
        }
        __syncthreads();
    }
    const i64 b = b0 + threadIdx.y;
    const i64 j = j0 + threadIdx.x;
    if (b >= a.B || j >= H) {
        return;
    }
    const i64 row = b * a.T + t;
    if (a.mask && a.mask[row] == 0.f) {
        return;  // dZ of a skipped step stays 0
    }
    const float rp = a.wsZ[row * GH + H + j];
    const float r = apply_unary((int) a.ract, rp);
    a.dZx[row * GH + H + j] = acc * a.wsHin[row * H + j] * unary_derivative((int) a.ract, rp);
    a.dh[b * H + j] += a.drop ? acc * r * a.drop[b * H + j] : acc * r;
}
