// Builds the kernels' elementwise math (src/main/cuda/common.cuh) for the HOST and compares it with
// values ScalarMath wrote (DeviceMathOnHostTest): NaN, ±∞, kinks and the value range, within the
// engine contract's bars. Lets a machine without a GPU check the special cases of the device code.
// Input lines: "U op x value derivative" and "B op a b value", floats as raw hex bits.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
using std::isinf;
using std::isnan;
using std::signbit;
#define __device__
#define __forceinline__ inline
#define __shared__
#define __align__(n)
static inline float __int_as_float(int i) {
    float f;
    std::memcpy(&f, &i, 4);
    return f;
}
#include "common.cuh"
float dyn_smem[1];

static float bits(unsigned u) {
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

static bool sameSpecial(float got, float want, bool& decided) {
    decided = isnan(want) || isnan(got) || isinf(want) || isinf(got);
    return isnan(want) ? isnan(got) : got == want;
}

int main(int argc, char** argv) {
    FILE* f = std::fopen(argv[1], "r");
    if (!f) {
        std::printf("cannot open %s\n", argv[1]);
        return 2;
    }
    char kind;
    int n = 0;
    int bad = 0;
    while (std::fscanf(f, " %c", &kind) == 1) {
        if (kind == 'U') {
            int op;
            unsigned x, v, d;
            if (std::fscanf(f, "%d %x %x %x", &op, &x, &v, &d) != 4) return 2;
            float gv = apply_unary(op, bits(x));
            float gd = unary_derivative(op, bits(x));
            float wv = bits(v);
            float wd = bits(d);
            bool decided;
            bool okv = sameSpecial(gv, wv, decided);
            if (!decided) {  // 8 ulp + MIN_NORMAL, plus 2^-23 for the hard sigmoids
                double ulp = std::nextafter(std::fabs(wv), INFINITY) - std::fabs(wv);
                double tol = 8 * ulp + 1.1754944e-38 + (op == OP_HARD_SIGMOID || op == OP_HARD_SIGMOID_KERAS2 ? 1.1920929e-7 : 0);
                okv = std::fabs((double) gv - wv) <= tol;
            }
            bool okd = sameSpecial(gd, wd, decided);
            if (!decided) {  // 4e-6·|want| + 2^-20·|dy| + MIN_NORMAL with dy = 1
                okd = std::fabs((double) gd - wd) <= 4e-6 * std::fabs(wd) + 9.5367431640625e-7 + 1.1754944e-38;
            }
            n++;
            if (!okv || !okd) {
                bad++;
                std::printf("unary op %d at x = %g: value %g (want %g), derivative %g (want %g)\n", op, bits(x), gv, wv,
                            gd, wd);
            }
        } else {
            int op;
            unsigned a, b, w;
            if (std::fscanf(f, "%d %x %x %x", &op, &a, &b, &w) != 4) return 2;
            float g = apply_binary(op, bits(a), bits(b));
            unsigned gb;
            std::memcpy(&gb, &g, 4);
            n++;
            if (!(gb == w || (isnan(g) && isnan(bits(w))))) {
                bad++;
                std::printf("binary op %d (%g, %g): %g, want %g\n", op, bits(a), bits(b), g, bits(w));
            }
        }
    }
    std::printf("%d checks, %d mismatches\n", n, bad);
    return bad == 0 ? 0 : 1;
}
