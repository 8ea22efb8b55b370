// The attention layer's per-prompt loss and its exact gradient (derivation in
// Sources/AttentionModels/AttentionLayer.swift), one prompt at a time or eight side by side
// (short prompts; bit-identical, see "Eight prompts at once" below), compiled three times from
// one body: for the target's baseline, for AVX2 and for AVX-512, and chosen at run time.
//
// Why C: the layer is most of an SGD step's arithmetic beyond drawing its normals, and
// Swift builds a module for the baseline CPU (SSE2 on x86-64: two doubles per instruction)
// with no per-function target attribute; building the whole package for a newer CPU would
// make it crash elsewhere. Clang's `target` attribute and `__builtin_cpu_supports` give
// function multiversioning with a plain C target (no unsafe build flags).
//
// Determinism: every reduction is written on eight-lane vectors (GCC vector extensions) in a
// fixed order, and floating-point contraction is off, so the three builds do the same IEEE
// operations in the same order and return bit-identical results (tested); only the number
// of instructions differs.

#include "AttentionKernels.h"

#include <math.h>

#pragma clang fp contract(off)
// The vector helpers below are always inlined, so no eight-lane value crosses a call boundary
// and the ABI note clang gives for them (-Wpsabi) does not apply.
#pragma clang diagnostic ignored "-Wpsabi"

typedef double v8d __attribute__((vector_size(64), aligned(8)));
typedef long long v8i __attribute__((vector_size(64), aligned(8)));

#define KERNEL static inline __attribute__((always_inline))

KERNEL v8d load8(const double *p) { return *(const v8d *)p; }
KERNEL void store8(double *p, v8d v) { *(v8d *)p = v; }
KERNEL v8d splat(double x) { return (v8d){x, x, x, x, x, x, x, x}; }
KERNEL v8d select8(v8i mask, v8d yes, v8d no) { return (v8d)(((v8i)yes & mask) | ((v8i)no & ~mask)); }
/// The lanes' sum in a fixed tree order.
KERNEL double lane_sum(v8d v) { return ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7])); }

/// sum_i a[i] b[i]: sixteen lanes (two independent accumulators), then the tail in order.
KERNEL double dot(const double *a, const double *b, ptrdiff_t n) {
    v8d s0 = splat(0), s1 = splat(0);
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16) {
        s0 += load8(a + i) * load8(b + i);
        s1 += load8(a + i + 8) * load8(b + i + 8);
    }
    if (i + 8 <= n) {
        s0 += load8(a + i) * load8(b + i);
        i += 8;
    }
    double total = lane_sum(s0 + s1);
    for (; i < n; i++) total += a[i] * b[i];
    return total;
}

/// out[k] = sum_j c[j] x[j * stride + k] for k < n: m contiguous columns combined eight
/// outputs at a time in a register (one store per output, not one per column).
KERNEL void combine(const double *x, ptrdiff_t stride, ptrdiff_t m, const double *c, ptrdiff_t n, double *out) {
    ptrdiff_t k = 0;
    for (; k + 8 <= n; k += 8) {
        v8d s = splat(0);
        for (ptrdiff_t j = 0; j < m; j++) s += splat(c[j]) * load8(x + j * stride + k);
        store8(out + k, s);
    }
    for (; k < n; k++) {
        double s = 0;
        for (ptrdiff_t j = 0; j < m; j++) s += c[j] * x[j * stride + k];
        out[k] = s;
    }
}

/// (min, max) of a[0 ..< n]; (+inf, -inf) when n = 0.
KERNEL void range(const double *a, ptrdiff_t n, double *low, double *high) {
    v8d lo = splat(INFINITY), hi = splat(-INFINITY);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        v8d v = load8(a + i);
        lo = select8(v < lo, v, lo);
        hi = select8(v > hi, v, hi);
    }
    double l = INFINITY, h = -INFINITY;
    for (int j = 0; j < 8; j++) {
        l = lo[j] < l ? lo[j] : l;
        h = hi[j] > h ? hi[j] : h;
    }
    for (; i < n; i++) {
        l = a[i] < l ? a[i] : l;
        h = a[i] > h ? a[i] : h;
    }
    *low = l;
    *high = h;
}

/// exp on eight lanes of arguments <= 0. Cody-Waite reduction x = n ln 2 + r, |r| <= ln 2 / 2,
/// a degree-13 Taylor polynomial (truncation r^14 / 14! < 5e-18, below half an ulp) by
/// Estrin's scheme, and 2^n put in the exponent bits: within 2 ulp. Arguments below -708 are
/// clamped there (exp(-708) = 3.3e-308, invisible next to a largest weight of 1); NaN stays NaN.
KERNEL v8d exp8(v8d input) {
    const v8d floor = splat(-708);
    v8d x = select8(input < floor, floor, input);
    const v8d shifter = splat(0x1.8p52);
    v8d shifted = x * splat(1.4426950408889634) + shifter;  // round(x / ln 2) in the low bits
    v8d n = shifted - shifter;
    v8d r = (x - n * splat(0.6931471803691238)) - n * splat(1.9082149292705877e-10);
    v8d r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
#define PAIR(a, b) (splat(a) + splat(b) * r)
    v8d q0 = PAIR(1, 1) + PAIR(1.0 / 2, 1.0 / 6) * r2;
    v8d q1 = PAIR(1.0 / 24, 1.0 / 120) + PAIR(1.0 / 720, 1.0 / 5040) * r2;
    v8d q2 = PAIR(1.0 / 40320, 1.0 / 362880) + PAIR(1.0 / 3628800, 1.0 / 39916800) * r2;
    v8d q3 = PAIR(1.0 / 479001600, 1.0 / 6227020800);
#undef PAIR
    v8d p = (q0 + q1 * r4) + (q2 + q3 * r4) * r8;
    v8d scale = (v8d)(((v8i)shifted + 1023) << 52);
    return p * scale;
}

/// a[i] <- exp(a[i]) for a[i] <= 0, returning their sum (the softmax normaliser).
KERNEL double exp_sum(double *a, ptrdiff_t n) {
    v8d total = splat(0);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        v8d v = exp8(load8(a + i));
        store8(a + i, v);
        total += v;
    }
    if (i < n) {
        v8d tail = splat(0);
        for (ptrdiff_t k = i; k < n; k++) tail[k - i] = a[k];
        v8d v = exp8(tail);
        for (ptrdiff_t k = 0; k < 8; k++) {
            if (i + k < n) a[i + k] = v[k];
            else v[k] = 0;
        }
        total += v;
    }
    return lane_sum(total);
}

/// q = M r (or r) and returns <r, M r> = ||x_1 - T||^2.
KERNEL double residual_form(const double *r, double *q, const double *metric, ptrdiff_t m) {
    double loss = 0;
    for (ptrdiff_t a = 0; a < m; a++) {
        double qa = r[a];
        if (metric) {
            qa = 0;
            for (ptrdiff_t b = 0; b < m; b++) qa += metric[a * m + b] * r[b];
        }
        q[a] = qa;
        loss += r[a] * qa;
    }
    return loss;
}

// The layer once for one prompt (values are doubles; the helpers above vectorise over tokens).
#define LAYER_NAME layer_one
#define LAYER_VALUE double
#define LAYER_SPLAT(x) ((double)(x))
#define LAYER_CHOOSE(condition, yes, no) ((condition) ? (yes) : (no))
#define LAYER_COMBINE combine
#define LAYER_RANGE range
#define LAYER_EXP_SUM exp_sum
#define LAYER_DOT dot
#define LAYER_RESIDUAL_FORM residual_form
#include "LayerBody.h"

/// ||x_1 - T||^2 of one prompt; its gradient is added to p->gradient (when set) and T left in
/// p->vectors[0 ..< latent]. The gradient is formed in p->vectors[4 latent ..< 5 latent] (no
/// array on the stack: the latent dimension of a user's data is unbounded).
KERNEL double prompt_loss(const attention_prompt *p) {
    double *contribution = p->vectors + 4 * p->latent;
    const double loss = layer_one(p, p->tokens, p->stride, p->mu, p->scratch, p->vectors, p->gradient ? contribution : NULL);
    if (p->gradient) for (ptrdiff_t a = 0; a < p->latent; a++) p->gradient[a] += contribution[a];
    return loss;
}


// ---------------------------------------------------------------------------------------------
// Eight prompts at once, one per lane.
//
// prompt_loss above vectorises over the tokens of one prompt, so a short prompt (the in-context
// sweep starts at L = 3) runs almost entirely in its scalar tails and per-call overhead. The
// functions below run eight prompts side by side, prompt j in lane j, and *emulate* prompt_loss's
// operation order in every lane: each sum is split into the same partial sums as prompt_loss's
// eight- and sixteen-lane accumulators, added in the same tree, with the same tails. So every
// lane does the IEEE operations prompt_loss does for its prompt, in the same order, and the
// results are bit-identical to prompt_loss's (tested for every length, latent dimension and
// layer variant); the choice between the two is speed only.

/// Prompt_loss's dot(a, b, n) in every lane, for arrays of n eight-lane values.
KERNEL v8d dot_lanes(const v8d *a, const v8d *b, ptrdiff_t n) {
    const ptrdiff_t blocks = n / 16, half = n - 16 * blocks >= 8, tail = 16 * blocks + 8 * half;
    v8d total = splat(0);
    if (tail > 0) {
        v8d pair[8];
        // Accumulator i of dot's first (s0) and second (s1) eight lanes: tokens 16 b + i and
        // 16 b + 8 + i, then the lone eight-block into s0.
        for (int i = 0; i < 8; i++) {
            v8d s0 = splat(0), s1 = splat(0);
            for (ptrdiff_t k = 0; k < blocks; k++) {
                s0 += a[16 * k + i] * b[16 * k + i];
                s1 += a[16 * k + 8 + i] * b[16 * k + 8 + i];
            }
            if (half) s0 += a[16 * blocks + i] * b[16 * blocks + i];
            pair[i] = s0 + s1;
        }
        total = ((pair[0] + pair[1]) + (pair[2] + pair[3])) + ((pair[4] + pair[5]) + (pair[6] + pair[7]));
    }  // else lane_sum of two zero accumulators: +0, what total already is.
    for (ptrdiff_t k = tail; k < n; k++) total += a[k] * b[k];
    return total;
}

/// Prompt_loss's range(a, n) in every lane: eight running extremes over the eight-blocks,
/// reduced in lane order, then the tail.
KERNEL void range_lanes(const v8d *a, ptrdiff_t n, v8d *low, v8d *high) {
    const ptrdiff_t tail = n - n % 8;
    v8d l = splat(INFINITY), h = splat(-INFINITY);
    // Without an eight-block (tail = 0) lo and hi stay at +-inf, so these selects change nothing.
    for (int i = 0; i < 8; i++) {
        v8d lo = splat(INFINITY), hi = splat(-INFINITY);
        for (ptrdiff_t k = i; k < tail; k += 8) {
            lo = select8(a[k] < lo, a[k], lo);
            hi = select8(a[k] > hi, a[k], hi);
        }
        l = select8(lo < l, lo, l);
        h = select8(hi > h, hi, h);
    }
    for (ptrdiff_t k = tail; k < n; k++) {
        l = select8(a[k] < l, a[k], l);
        h = select8(a[k] > h, a[k], h);
    }
    *low = l;
    *high = h;
}

/// Prompt_loss's exp_sum(a, n) in every lane: a[k] <- exp(a[k]) (exp8 is lane-wise, so each
/// value is the same), and the sum as eight accumulators over k = i mod 8 in the lane-sum tree.
KERNEL v8d exp_sum_lanes(v8d *a, ptrdiff_t n) {
    for (ptrdiff_t k = 0; k < n; k++) a[k] = exp8(a[k]);
    v8d part[8];
    for (int i = 0; i < 8; i++) {
        v8d s = splat(0);
        // exp_sum's tail adds +0 in the lanes past n, which leaves a sum of positive terms
        // (or +0) unchanged.
        for (ptrdiff_t k = i; k < n; k += 8) s += a[k];
        part[i] = s;
    }
    return ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
}

/// Prompt_loss's combine(x, stride, m, c, n, out) in every lane (c per lane): each output
/// starts from +0 and adds c[a] x[a][k] in coordinate order.
KERNEL void combine_lanes(const v8d *x, ptrdiff_t stride, ptrdiff_t m, const v8d *c, ptrdiff_t n, v8d *out) {
    for (ptrdiff_t k = 0; k < n; k++) {
        v8d s = splat(0);
        for (ptrdiff_t a = 0; a < m; a++) s += c[a] * x[a * stride + k];
        out[k] = s;
    }
}

/// Prompt_loss's residual_form in every lane (the metric is shared).
KERNEL v8d residual_form_lanes(const v8d *r, v8d *q, const double *metric, ptrdiff_t m) {
    v8d loss = splat(0);
    for (ptrdiff_t a = 0; a < m; a++) {
        v8d qa = r[a];
        if (metric) {
            qa = splat(0);
            for (ptrdiff_t b = 0; b < m; b++) qa += splat(metric[a * m + b]) * r[b];
        }
        q[a] = qa;
        loss += r[a] * qa;
    }
    return loss;
}

// The layer for eight prompts at once (lane j is prompt j; the helpers above emulate the
// one-prompt helpers lane by lane).
#define LAYER_NAME layer_lanes
#define LAYER_VALUE v8d
#define LAYER_SPLAT(x) splat(x)
#define LAYER_CHOOSE(condition, yes, no) select8((condition), (yes), (no))
#define LAYER_COMBINE combine_lanes
#define LAYER_RANGE range_lanes
#define LAYER_EXP_SUM exp_sum_lanes
#define LAYER_DOT dot_lanes
#define LAYER_RESIDUAL_FORM residual_form_lanes
#include "LayerBody.h"

/// The summed loss of `count` prompts (prompt i's tokens at p->tokens + i * step), eight at a
/// time, adding their gradients to p->gradient in prompt order: bit-identical to calling
/// prompt_loss on each prompt in turn and summing from 0.
KERNEL double prompts_loss_lanes(const attention_prompt *p, ptrdiff_t count, ptrdiff_t step) {
    const ptrdiff_t length = p->length, m = p->latent, stride = p->stride;
    v8d *x = (v8d *)p->scratch;
    // Then 3 length values for the layer, its 4 latent vectors, and the eight gradients and mu
    // (in scratch, not on the stack: the latent dimension of a user's data is unbounded).
    v8d *work = x + m * length;
    v8d *gradient = work + 3 * length + 4 * m, *mu = gradient + m;
    for (ptrdiff_t a = 0; a < m; a++) mu[a] = splat(p->mu[a]);
    double total = 0;
    for (ptrdiff_t first = 0; first < count; first += 8) {
        const int lanes = count - first < 8 ? (int)(count - first) : 8;
        // Lane j holds prompt first + j; missing prompts are zeros (finite, and never summed).
        double *flat = (double *)x;
        if (lanes == 8) {
            for (ptrdiff_t a = 0; a < m; a++) {
                const double *s = p->tokens + first * step + a * stride;
                for (ptrdiff_t k = 0; k < length; k++) {
                    x[a * length + k] = (v8d){s[k], s[step + k], s[2 * step + k], s[3 * step + k],
                                              s[4 * step + k], s[5 * step + k], s[6 * step + k], s[7 * step + k]};
                }
            }
        } else for (ptrdiff_t a = 0; a < m; a++) {
            for (int j = 0; j < 8; j++) {
                const double *source = p->tokens + (first + j) * step + a * stride;
                double *target = flat + a * length * 8 + j;
                if (j < lanes) {
                    for (ptrdiff_t k = 0; k < length; k++) target[8 * k] = source[k];
                } else {
                    for (ptrdiff_t k = 0; k < length; k++) target[8 * k] = 0;
                }
            }
        }
        const v8d loss = layer_lanes(p, x, length, mu, work, work + 3 * length, p->gradient ? gradient : NULL);
        for (int j = 0; j < lanes; j++) {
            total += loss[j];
            if (p->gradient) for (ptrdiff_t a = 0; a < m; a++) p->gradient[a] += gradient[a][j];
        }
    }
    return total;
}

/// The same sum, one prompt after another with prompt_loss.
KERNEL double prompts_loss_each(const attention_prompt *p, ptrdiff_t count, ptrdiff_t step) {
    attention_prompt one = *p;
    one.vectors = p->scratch + 3 * p->length;  // prompt_loss's 3 length, then its 5 latent
    double total = 0;
    for (ptrdiff_t i = 0; i < count; i++) {
        one.tokens = p->tokens + i * step;
        total += prompt_loss(&one);
    }
    return total;
}

/// The summed loss of `count` prompts by `method` (attention_batching_*).
KERNEL double prompts_loss(const attention_prompt *p, ptrdiff_t count, ptrdiff_t step, int method) {
    if (method == attention_batching_automatic) {
        method = p->length < ATTENTION_LANES_BELOW ? attention_batching_lanes : attention_batching_each;
    }
    return method == attention_batching_lanes ? prompts_loss_lanes(p, count, step) : prompts_loss_each(p, count, step);
}

static double prompt_loss_baseline(const attention_prompt *p) { return prompt_loss(p); }
static double exp_sum_baseline(double *a, ptrdiff_t n) { return exp_sum(a, n); }
static double prompts_loss_baseline(const attention_prompt *p, ptrdiff_t count, ptrdiff_t step, int method) {
    return prompts_loss(p, count, step, method);
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) static double prompt_loss_avx2(const attention_prompt *p) { return prompt_loss(p); }
__attribute__((target("avx2"))) static double exp_sum_avx2(double *a, ptrdiff_t n) { return exp_sum(a, n); }
__attribute__((target("avx512f"))) static double prompt_loss_avx512(const attention_prompt *p) { return prompt_loss(p); }
__attribute__((target("avx512f"))) static double exp_sum_avx512(double *a, ptrdiff_t n) { return exp_sum(a, n); }
__attribute__((target("avx2"))) static double prompts_loss_avx2(const attention_prompt *p, ptrdiff_t count, ptrdiff_t step, int method) {
    return prompts_loss(p, count, step, method);
}
__attribute__((target("avx512f"))) static double prompts_loss_avx512(const attention_prompt *p, ptrdiff_t count, ptrdiff_t step,
                                                                     int method) {
    return prompts_loss(p, count, step, method);
}
#endif

/// The builds of each kernel, indexed by instruction set (only the baseline off x86-64).
static double (*const prompt_loss_builds[])(const attention_prompt *) = {
    prompt_loss_baseline,
#if defined(__x86_64__)
    prompt_loss_avx2, prompt_loss_avx512,
#endif
};
static double (*const exp_sum_builds[])(double *, ptrdiff_t) = {
    exp_sum_baseline,
#if defined(__x86_64__)
    exp_sum_avx2, exp_sum_avx512,
#endif
};

static double (*const prompts_loss_builds[])(const attention_prompt *, ptrdiff_t, ptrdiff_t, int) = {
    prompts_loss_baseline,
#if defined(__x86_64__)
    prompts_loss_avx2, prompts_loss_avx512,
#endif
};

double attention_prompt_loss(const attention_prompt *p, int instruction_set) {
    return prompt_loss_builds[cpu_usable_instruction_set(instruction_set)](p);
}

double attention_exp_nonpositive(double *a, ptrdiff_t n, int instruction_set) {
    return exp_sum_builds[cpu_usable_instruction_set(instruction_set)](a, n);
}

double attention_prompts_loss(const attention_prompt *p, ptrdiff_t count, ptrdiff_t step, int method, int instruction_set) {
    return prompts_loss_builds[cpu_usable_instruction_set(instruction_set)](p, count, step, method);
}

ptrdiff_t attention_scratch_count(ptrdiff_t length, ptrdiff_t latent) {
    // prompt_loss: 3 length + 5 latent; the lanes: 8 (latent length + 3 length + 6 latent).
    return 8 * (latent * length + 3 * length + 6 * latent);
}
