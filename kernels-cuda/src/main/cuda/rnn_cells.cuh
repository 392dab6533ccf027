// What the fused sequence kernels share: the argument structs (mirrored field by field by
// RnnArgs.java) and the per-unit cell math, forward and backward, so that the per-step kernels and
// the persistent kernel compute the same numbers.
#pragma once
#include "common.cuh"

#define CELL_SIMPLE 0
#define CELL_LSTM 1
#define CELL_GRU 2

// Forward arguments. Every field is 8 bytes; RnnArgs.java writes them in this order into a long[].
// Workspace rows are (b, t) in ORIGINAL time order (t = s, or T-1-s with goBackwards), so that the
// backward weight GEMMs see rows aligned with x; outputs are in processing order s.
struct RnnFwdArgs {
    const float* xw;       // (B, T, GH): x·W without bias
    const float* U;        // (H, GH)
    const float* bias;     // (GH), or (2, GH) for GRU reset_after (input row, recurrent row), or null
    const float* mask;     // (B, T), 0 = skip the step, or null
    const float* drop;     // (B, H) recurrent dropout multiplier, or null
    float* c;              // (B, H) LSTM cell state, updated in place
    float* out;            // (B, T, H)
    float* scratch;        // GRU reset_after=false: (B, 2H) z/r pre-activations, then (B, H) r*hin
    float* wsZ;            // training workspace, or null: (B, T, GH) pre-activations
    float* wsAux;          // (B, T, H): GRU rh = h·U_h + b_rh (reset_after) or r*hin (reset_before)
    float* wsHin;          // (B, T, H): hin = h*drop, the recurrent product's input
    float* wsHprev;        // (B, T, H): h before the step; written only when drop != null
    float* wsCprev;        // (B, T, H): LSTM c before the step
    i64 B, T, H, act, ract, zeroOutput, goBackwards;
};

// Backward arguments (RnnArgs.java, same rules).
struct RnnBwdArgs {
    const float* U;        // (H, GH)
    const float* mask;     // (B, T) or null
    const float* drop;     // (B, H) or null
    const float* dOut;     // (B, T, H) in processing order, or null
    const float* wsZ;
    const float* wsAux;
    const float* wsHin;
    const float* wsHprev;
    const float* wsCprev;
    float* dh;             // (B, H) gradient w.r.t. the state h: after the step in, before it out
    float* dc;             // (B, H) LSTM
    float* carry;          // (B, H) gradient reaching the previous step's output through masked steps
    float* dZx;            // (B, T, GH) gradient w.r.t. the input-side pre-activations
    float* dZh;            // (B, T, GH) the recurrent-side ones (GRU reset_after), else == dZx
    i64 B, T, H, act, ract, zeroOutput, goBackwards;
};

__device__ __forceinline__ i64 original_step(i64 s, i64 T, i64 goBackwards) {
    return goBackwards ? T - 1 - s : s;
}

// The cell's activations: with DEF, Keras's defaults compiled in (activation tanh, recurrent
// activation sigmoid: the persistent kernels take this path when the op codes say so), else by op
// code. Both compute the same functions, so the results are identical; DEF only removes the switch
// from the per-step critical path and lets the gates' transcendentals overlap.
template <bool DEF>
__device__ __forceinline__ float cell_act(int op, float x) {
    return DEF ? tanhf(x) : apply_unary(op, x);
}

template <bool DEF>
__device__ __forceinline__ float cell_ract(int op, float x) {
    return DEF ? sigmoidf(x) : apply_unary(op, x);
}

// One unit's forward update. z[] holds the gate pre-activations (bias included, GRU's n with r*rh
// applied), which the workspace saves. Returns h'; LSTM also sets cn.
template <bool DEF = false>
__device__ __forceinline__ float lstm_forward(int act, int ract, const float* z, float cp, float& cn) {
    float i = cell_ract<DEF>(ract, z[0]);
    float f = cell_ract<DEF>(ract, z[1]);
    float g = cell_act<DEF>(act, z[2]);
    float o = cell_ract<DEF>(ract, z[3]);
    cn = f * cp + i * g;
    return o * cell_act<DEF>(act, cn);
}

// GRU reset_after: inputs xz, xr, xh (x·W + input bias) and rz, rr, rh (h·U + recurrent bias).
// Fills z[] with the saved pre-activations {xz+rz, xr+rr, xh+r*rh}.
template <bool DEF = false>
__device__ __forceinline__ float gru_forward(int act, int ract, float xz, float xr, float xh, float rz, float rr,
                                             float rh, float hp, float* z) {
    z[0] = xz + rz;
    z[1] = xr + rr;
    float zg = cell_ract<DEF>(ract, z[0]);
    float r = cell_ract<DEF>(ract, z[1]);
    z[2] = xh + r * rh;
    float n = cell_act<DEF>(act, z[2]);
    return zg * hp + (1.f - zg) * n;
}

// LSTM backward for one unit: from dhT (= dh + dOut) and dc, the pre-activation gradients dz[4];
// returns the new dc (w.r.t. c before the step).
__device__ __forceinline__ float lstm_backward(int act, int ract, const float* z, float cp, float dhT, float dc,
                                               float* dz) {
    float i = apply_unary(ract, z[0]);
    float f = apply_unary(ract, z[1]);
    float g = apply_unary(act, z[2]);
    float o = apply_unary(ract, z[3]);
    float cn = f * cp + i * g;
    float dC = dc + dhT * o * unary_derivative(act, cn);
    dz[0] = dC * g * unary_derivative(ract, z[0]);
    dz[1] = dC * cp * unary_derivative(ract, z[1]);
    dz[2] = dC * i * unary_derivative(act, z[2]);
    dz[3] = dhT * apply_unary(act, cn) * unary_derivative(ract, z[3]);
    return dC * f;
}
