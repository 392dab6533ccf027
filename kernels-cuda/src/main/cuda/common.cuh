// Shared by every kernel family: op codes (mirrored by OpCodes.java) and the activation functions
// with their derivatives, in float, written to match ScalarMath to float32 rounding.
#pragma once

// Unary op codes. OpCodes.java maps io.rnn4j.engine.UnaryOp to these numbers; never renumber.
#define OP_LINEAR 0
#define OP_TANH 1
#define OP_SIGMOID 2
#define OP_HARD_SIGMOID 3
#define OP_HARD_SIGMOID_KERAS2 4
#define OP_RELU 5
#define OP_ELU 6
#define OP_SELU 7
#define OP_SOFTPLUS 8
#define OP_SOFTSIGN 9
#define OP_SWISH 10
#define OP_EXP 11
#define OP_LOG 12
#define OP_NEG 13
#define OP_ABS 14
#define OP_SQUARE 15
#define OP_SQRT 16
#define OP_RECIPROCAL 17
#define OP_RELU6 18
#define OP_LEAKY_RELU 19
#define OP_GELU 20
#define OP_MISH 21
#define OP_HARD_SILU 22
#define OP_CELU 23
#define OP_HARD_TANH 24
#define OP_LOG_SIGMOID 25
#define OP_TANH_SHRINK 26
#define OP_SOFT_SHRINK 27
#define OP_HARD_SHRINK 28
#define OP_SQUAREPLUS 29
#define OP_SPARSE_PLUS 30
#define OP_SPARSE_SIGMOID 31
#define OP_GELU_APPROXIMATE 32

// Binary op codes (BinaryOp order in OpCodes.java).
#define BOP_ADD 0
#define BOP_SUB 1
#define BOP_MUL 2
#define BOP_DIV 3
#define BOP_MAX 4
#define BOP_MIN 5

#define SELU_ALPHA 1.6732632423543772848170429916717
#define SELU_SCALE 1.0507009873554804934193349852946
#define LEAKY_RELU_SLOPE 0.2
#define SHRINK_THRESHOLD 0.5f
#define SQUAREPLUS_B 4.0
#define INV_SQRT_2PI 0.3989422804014326779399460599343819
#define SQRT_HALF 0.7071067811865475244008443621048490
#define SQRT_2_OVER_PI 0.7978845608028654
#define GELU_CUBIC 0.044715

// Index arithmetic is 64-bit wherever a tensor can exceed 2^31 elements.
typedef long long i64;

// The logistic function without overflow for large |x| (as ScalarMath.sigmoid: 1/(1+e^-x) for
// x >= 0, e^x/(1+e^x) below), written without a branch: e = e^-|x| is e^-x or e^x, the same
// operations on the same values (NaN: e is NaN, so is the result), so that lanes computing units
// on both sides of 0 do not diverge.
__device__ __forceinline__ float sigmoidf(float x) {
    const float e = expf(-fabsf(x));
    return (x >= 0.f ? 1.f : e) / (1.f + e);
}

// log(1 + e^x) without overflow, as ScalarMath.softplus.
__device__ __forceinline__ float softplusf(float x) {
    return x > 0.f ? x + log1pf(expf(-x)) : log1pf(expf(x));
}

// Φ(x) in double: in float, rounding x/√2 alone costs 2z² ulps of erfc's tail (16 at x = -5.7).
__device__ __forceinline__ double normal_cdf(float x) {
    return 0.5 * erfc(-(double) x * SQRT_HALF);
}

// x − tanh(x) in double; below |x| = 0.1, where it cancels, its series (as ScalarMath.tanhShrink).
__device__ __forceinline__ float tanh_shrinkf(float x) {
    const double v = x;
    if (fabs(v) >= 0.1 || isnan(x)) {
        return (float) (v - tanh(v));
    }
    const double v2 = v * v;
    return (float) (v * v2 * (1.0 / 3 + v2 * (-2.0 / 15 + v2 * (17.0 / 315 + v2 * (-62.0 / 2835
            + v2 * (1382.0 / 155925 + v2 * (-21844.0 / 6081075)))))));
}

// (x + sqrt(x² + 4)) / 2 in double, as b / (2(r − x)) for x < 0, where the sum cancels; limits at ±∞.
__device__ __forceinline__ float squareplusf(float x) {
    if (isinf(x)) {
        return x > 0.f ? x : 0.f;
    }
    const double v = x;
    const double r = sqrt(v * v + SQUAREPLUS_B);
    return (float) (v >= 0.0 ? (v + r) / 2.0 : SQUAREPLUS_B / (2.0 * (r - v)));
}

// Java's Math.max/min on floats: NaN wins, and +0 is above -0 (fmaxf/fminf would drop a NaN).
__device__ __forceinline__ float java_max(float a, float b) {
    if (isnan(a) || isnan(b)) {
        return a + b;
    }
    if (a == 0.f && b == 0.f) {
        return signbit(a) ? b : a;
    }
    return a >= b ? a : b;
}

__device__ __forceinline__ float java_min(float a, float b) {
    if (isnan(a) || isnan(b)) {
        return a + b;
    }
    if (a == 0.f && b == 0.f) {
        return signbit(a) ? a : b;
    }
    return a <= b ? a : b;
}

// op(x), with ScalarMath's conventions: NaN in gives NaN out, a finite input never gives NaN to an
// activation, and at ±∞ the limits (softsign ±1, swish 0). Accurate libdevice functions (no
// fast-math): results agree with ScalarMath to a few ulp.
__device__ __forceinline__ float apply_unary(int op, float x) {
    switch (op) {
        case OP_LINEAR: return x;
        case OP_TANH: return tanhf(x);
        case OP_SIGMOID: return sigmoidf(x);
        case OP_HARD_SIGMOID: return java_min(java_max(x + 3.f, 0.f), 6.f) / 6.f;
        case OP_HARD_SIGMOID_KERAS2: return java_min(java_max(0.2f * x + 0.5f, 0.f), 1.f);
        case OP_RELU: return java_max(x, 0.f);
        case OP_ELU: return x > 0.f ? x : expm1f(x);
        case OP_SELU: return x > 0.f ? (float) SELU_SCALE * x : (float) (SELU_SCALE * SELU_ALPHA) * expm1f(x);
        case OP_SOFTPLUS: return x > 0.f ? x + log1pf(expf(-x)) : log1pf(expf(x));
        case OP_SOFTSIGN: return isinf(x) ? copysignf(1.f, x) : x / (1.f + fabsf(x));
        case OP_SWISH: return x == -INFINITY ? 0.f : x * sigmoidf(x);
        case OP_EXP: return expf(x);
        case OP_LOG: return logf(x);
        case OP_NEG: return -x;
        case OP_ABS: return fabsf(x);
        case OP_SQUARE: return x * x;
        case OP_SQRT: return sqrtf(x);
        case OP_RECIPROCAL: return 1.f / x;
        case OP_RELU6: return java_min(java_max(x, 0.f), 6.f);
        case OP_LEAKY_RELU: return x > 0.f ? x : (float) (LEAKY_RELU_SLOPE * x);
        case OP_GELU: return x == -INFINITY ? 0.f : (float) (x * normal_cdf(x));
        case OP_MISH: return x == -INFINITY ? 0.f : x * tanhf(softplusf(x));
        case OP_HARD_SILU: return x == -INFINITY ? 0.f : x * (java_min(java_max(x + 3.f, 0.f), 6.f) / 6.f);
        case OP_CELU: return x > 0.f ? x : expm1f(x);
        case OP_HARD_TANH: return java_min(java_max(x, -1.f), 1.f);
        case OP_LOG_SIGMOID: return -softplusf(-x);
        case OP_TANH_SHRINK: return tanh_shrinkf(x);
        case OP_SOFT_SHRINK:
            return x > SHRINK_THRESHOLD ? x - SHRINK_THRESHOLD : (x < -SHRINK_THRESHOLD ? x + SHRINK_THRESHOLD : (isnan(x) ? x : 0.f));
        case OP_HARD_SHRINK: return fabsf(x) > SHRINK_THRESHOLD || isnan(x) ? x : 0.f;
        case OP_SQUAREPLUS: return squareplusf(x);
        case OP_SPARSE_PLUS: return x <= -1.f ? 0.f : (x < 1.f ? (x + 1.f) * (x + 1.f) / 4.f : x);
        case OP_SPARSE_SIGMOID: return x <= -1.f ? 0.f : (x >= 1.f ? 1.f : (x + 1.f) / 2.f);
        case OP_GELU_APPROXIMATE: {
            if (x == -INFINITY) {
                return 0.f;
            }
            // x·σ(2u) in double: in float, x³ overflows from |x| ~ 7e12 and 1 + tanh(u) cancels
            const double v = x;
            const double u = SQRT_2_OVER_PI * (v + GELU_CUBIC * v * v * v);
            return (float) (v / (1.0 + exp(-2.0 * u)));
        }
        default: return __int_as_float(0x7fc00000);  // unknown code: NaN, never silently wrong
    }
}

// op'(x) at the pre-activation x; at the kinks TensorFlow's gradients, as ScalarMath: relu'(0) = 0,
// selu'(0) = scale, Keras 3 hard_sigmoid' = 1/6 on (-3, 3), Keras 2 hard_sigmoid' = 0.2 on [-2.5, 2.5].
__device__ __forceinline__ float unary_derivative(int op, float x) {
    switch (op) {
        case OP_LINEAR: return 1.f;
        case OP_TANH: { float t = tanhf(x); return 1.f - t * t; }
        case OP_SIGMOID: { float s = sigmoidf(x); return s * (1.f - s); }
        case OP_HARD_SIGMOID: return x > -3.f && x < 3.f ? 1.f / 6.f : 0.f;
        case OP_HARD_SIGMOID_KERAS2: return x >= -2.5f && x <= 2.5f ? 0.2f : 0.f;
        case OP_RELU: return x > 0.f ? 1.f : 0.f;
        case OP_ELU: return x > 0.f ? 1.f : expf(x);
        case OP_SELU: return x >= 0.f ? (float) SELU_SCALE : (float) (SELU_SCALE * SELU_ALPHA) * expf(x);
        case OP_SOFTPLUS: return sigmoidf(x);
        case OP_SOFTSIGN: { float d = 1.f + fabsf(x); return 1.f / (d * d); }
        case OP_SWISH: {
            if (isinf(x)) {
                return x > 0.f ? 1.f : 0.f;  // x·s·(1−s) is ∞·0 there
            }
            float s = sigmoidf(x);
            return s + x * s * (1.f - s);
        }
        case OP_EXP: return expf(x);
        case OP_LOG: return 1.f / x;
        case OP_NEG: return -1.f;
        case OP_ABS: return x > 0.f ? 1.f : (x < 0.f ? -1.f : x);  // signum: NaN stays NaN
        case OP_SQUARE: return 2.f * x;
        case OP_SQRT: return 0.5f / sqrtf(x);
        case OP_RECIPROCAL: return -1.f / (x * x);
        case OP_RELU6: return x > 0.f && x < 6.f ? 1.f : 0.f;
        case OP_LEAKY_RELU: return x > 0.f ? 1.f : (float) LEAKY_RELU_SLOPE;
        case OP_GELU: {
            if (isinf(x)) {
                return x > 0.f ? 1.f : 0.f;
            }
            const double v = x;
            return (float) (normal_cdf(x) + v * exp(-0.5 * v * v) * INV_SQRT_2PI);
        }
        case OP_MISH: {
            if (isinf(x)) {
                return x > 0.f ? 1.f : 0.f;  // x·(1−t²)·σ is ∞·0 there
            }
            const float t = tanhf(softplusf(x));
            return t + x * (1.f - t * t) * sigmoidf(x);
        }
        case OP_HARD_SILU: {
            if (isinf(x)) {
                return x > 0.f ? 1.f : 0.f;
            }
            const float inside = x > -3.f && x < 3.f ? x / 6.f : 0.f;  // relu6's slope on the open interval
            return java_min(java_max(x + 3.f, 0.f), 6.f) / 6.f + inside;
        }
        case OP_CELU: return x > 0.f ? 1.f : (x == 0.f ? 2.f : expf(x));  // TF: max and min both pass ties
        case OP_HARD_TANH: return x >= -1.f && x <= 1.f ? 1.f : 0.f;
        case OP_LOG_SIGMOID: return sigmoidf(-x);
        case OP_TANH_SHRINK: { float t = tanhf(x); return t * t; }
        case OP_SOFT_SHRINK:
        case OP_HARD_SHRINK: return fabsf(x) > SHRINK_THRESHOLD ? 1.f : 0.f;
        case OP_SQUAREPLUS: {
            if (isinf(x)) {
                return x > 0.f ? 1.f : 0.f;
            }
            const double v = x;
            const double r = sqrt(v * v + SQUAREPLUS_B);
            return (float) (v >= 0.0 ? (1.0 + v / r) / 2.0 : SQUAREPLUS_B / (2.0 * r * (r - v)));
        }
        case OP_SPARSE_PLUS: return x <= -1.f ? 0.f : (x < 1.f ? (x + 1.f) / 2.f : 1.f);
        case OP_SPARSE_SIGMOID: return x > -1.f && x < 1.f ? 0.5f : 0.f;
        case OP_GELU_APPROXIMATE: {
            if (isinf(x)) {
                return x > 0.f ? 1.f : 0.f;
            }
            const double v = x;
            const double u = SQRT_2_OVER_PI * (v + GELU_CUBIC * v * v * v);
            const double e = exp(-2.0 * fabs(u));
            const double s = u >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);  // σ(2u) without overflow
            return (float) (s + v * s * (1.0 - s) * 2.0 * SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_CUBIC * v * v));
        }
        default: return __int_as_float(0x7fc00000);
    }
}

__device__ __forceinline__ float apply_binary(int op, float a, float b) {
    switch (op) {
        case BOP_ADD: return a + b;
        case BOP_SUB: return a - b;
        case BOP_MUL: return a * b;
        case BOP_DIV: return a / b;
        case BOP_MAX: return java_max(a, b);
        case BOP_MIN: return java_min(a, b);
        default: return __int_as_float(0x7fc00000);
    }
}

// The dynamic shared memory of every kernel that uses it (one declaration: nvcc requires the same
// type and alignment for every extern __shared__ array of the module).
extern __shared__ __align__(16) float dyn_smem[];

// A grid-stride loop over [0, n): every elementwise kernel is launched with a capped grid.
#define GRID_STRIDE(i, n) \
    for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (i64) gridDim.x * blockDim.x)
