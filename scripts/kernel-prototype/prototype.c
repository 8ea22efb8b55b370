// A prototype of the attention layer's kernel in another arithmetic order, kept to time it
// against the production kernel (issue 13; README, "Short prompts"). Not part of the package.
//
// Eight prompts side by side, one per lane of a v8d, read from normals already interleaved by
// prompt (group of 8 prompts, coordinate a, token k, lane j: a layout the unit's normals do not
// have today, so adopting it would change every seeded SGD number); every sum over tokens in
// token order; fused multiply-adds (-mfma) or plain products and sums. d = 5 is a compile-time
// constant, so the per-coordinate sums stay in registers. Softmax layer, query among the keys,
// metric M: the quantities of Sources/AttentionKernels/LayerBody.h.
#include <math.h>
#include <stddef.h>

typedef double v8d __attribute__((vector_size(64), aligned(8)));
typedef long long v8i __attribute__((vector_size(64), aligned(8)));
#define K static inline __attribute__((always_inline))
#define LATENT 5

K v8d splat(double x) { return (v8d){x, x, x, x, x, x, x, x}; }
K v8d choose(v8i m, v8d yes, v8d no) { return (v8d)(((v8i)yes & m) | ((v8i)no & ~m)); }
#ifdef USE_FMA
K v8d fma8(v8d a, v8d b, v8d c) { return __builtin_elementwise_fma(a, b, c); }
#else
K v8d fma8(v8d a, v8d b, v8d c) { return a * b + c; }
#endif

/// The production kernel's exp8 (Cody-Waite, degree-13 Taylor by Estrin), with fused steps.
K v8d exp8(v8d input) {
    v8d x = choose(input < splat(-708), splat(-708), input);
    const v8d shifter = splat(0x1.8p52);
    v8d shifted = fma8(x, splat(1.4426950408889634), shifter);
    v8d n = shifted - shifter;
    v8d r = fma8(n, splat(-1.9082149292705877e-10), fma8(n, splat(-0.6931471803691238), x));
    v8d r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
#define PAIR(a, b) fma8(splat(b), r, splat(a))
    v8d q0 = fma8(PAIR(1.0 / 2, 1.0 / 6), r2, PAIR(1, 1));
    v8d q1 = fma8(PAIR(1.0 / 720, 1.0 / 5040), r2, PAIR(1.0 / 24, 1.0 / 120));
    v8d q2 = fma8(PAIR(1.0 / 3628800, 1.0 / 39916800), r2, PAIR(1.0 / 40320, 1.0 / 362880));
    v8d q3 = PAIR(1.0 / 479001600, 1.0 / 6227020800);
#undef PAIR
    v8d p = fma8(fma8(q3, r4, q2), r8, fma8(q1, r4, q0));
    return p * (v8d)(((v8i)shifted + 1023) << 52);
}

/// Eight prompts' losses (returned) and gradients in mu (`gradient`, per lane): x[a * n + k] is
/// coordinate a of token k of the eight prompts; `weight`, `beta` n values of workspace.
__attribute__((noinline)) v8d prototype_layer(const v8d *x, ptrdiff_t n, const double *mu, const double *metric, double lam,
                                              v8d *weight, v8d *beta, v8d *gradient) {
    v8d low = splat(INFINITY), high = splat(-INFINITY);
    for (ptrdiff_t k = 0; k < n; k++) {
        v8d s = splat(mu[0]) * x[k];
        for (int a = 1; a < LATENT; a++) s = fma8(splat(mu[a]), x[a * n + k], s);
        beta[k] = s;
        low = choose(s < low, s, low);
        high = choose(s > high, s, high);
    }
    const v8d alpha = beta[0], scale = splat(lam) * alpha;
    const v8d largest = choose(scale >= splat(0), scale * high, scale * low);
    v8d total = splat(0), t[LATENT];
    for (int a = 0; a < LATENT; a++) t[a] = splat(0);
    for (ptrdiff_t k = 0; k < n; k++) {
        const v8d w = exp8(fma8(scale, beta[k], -largest));
        weight[k] = w;
        total += w;
        for (int a = 0; a < LATENT; a++) t[a] = fma8(w, x[a * n + k], t[a]);
    }
    const v8d inverse = splat(1) / total;
    v8d r[LATENT], q[LATENT];
    for (int a = 0; a < LATENT; a++) {
        t[a] *= inverse;
        r[a] = x[a * n] - t[a];
    }
    v8d loss = splat(0), qt = splat(0);
    for (int a = 0; a < LATENT; a++) {
        v8d s = splat(0);
        for (int b = 0; b < LATENT; b++) s = fma8(splat(metric[a * LATENT + b]), r[b], s);
        q[a] = s;
        loss = fma8(r[a], s, loss);
        qt = fma8(s, t[a], qt);
    }
    const v8d factor = splat(-2) * inverse;
    v8d hBeta = splat(0), c[LATENT];
    for (int a = 0; a < LATENT; a++) c[a] = splat(0);
    for (ptrdiff_t k = 0; k < n; k++) {
        v8d s = q[0] * x[k];
        for (int a = 1; a < LATENT; a++) s = fma8(q[a], x[a * n + k], s);
        const v8d h = factor * weight[k] * (s - qt);
        hBeta = fma8(h, beta[k], hBeta);
        for (int a = 0; a < LATENT; a++) c[a] = fma8(h, x[a * n + k], c[a]);
    }
    for (int a = 0; a < LATENT; a++) gradient[a] = splat(lam) * fma8(hBeta, x[a * n], alpha * c[a]);
    return loss;
}
