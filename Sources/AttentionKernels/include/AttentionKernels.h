// The attention layer's per-prompt loss and gradient, in C so that one source can be compiled
// for several instruction sets and chosen at run time (Swift compiles a module for one CPU
// and has no per-function target attribute). See AttentionKernels.c and AttentionLayer.swift.
#ifndef ATTENTION_KERNELS_H
#define ATTENTION_KERNELS_H

#include <stddef.h>

#include "CPUFeatures.h"

/// One prompt for the layer: its tokens in coordinates where the inner product is
/// <u, v>_M = u^T M v (M = `metric`, m x m row-major; NULL for the identity).
typedef struct {
    /// Coordinate a of token k at tokens[a * stride + k], k < length, a < latent.
    const double *tokens;
    ptrdiff_t stride;
    ptrdiff_t length;
    ptrdiff_t latent;
    /// The parameter in the same coordinates (latent values).
    const double *mu;
    /// M, or NULL for the identity.
    const double *metric;
    /// The gradient is added here (latent values); NULL computes the loss only.
    double *gradient;
    /// 3 * length doubles of workspace.
    double *scratch;
    /// 4 * latent doubles (5 * latent when `gradient` is set); T is left in vectors[0 ..< latent].
    double *vectors;
    /// The scale lam > 0.
    double lam;
    /// 1 for softmax attention, 0 for linear.
    int softmax;
    /// 1 if the query token is among the keys (the paper's layer).
    int keys_include_query;
    /// 1 if linear attention averages over its keys instead of summing (a wrong variant).
    int linear_mean;
} attention_prompt;

/// ||x_1 - T(X)||^2 for one prompt, adding its gradient in mu to p->gradient when non-NULL,
/// computed with `instruction_set` (a `cpu_instruction_set_*`, clamped to what the CPU
/// supports). Every set gives bit-identical results: the arithmetic is written on eight-lane
/// vectors with a fixed order and no fused multiply-add, so only the number of instructions differs.
double attention_prompt_loss(const attention_prompt *p, int instruction_set);

/// How `attention_prompts_loss` runs a unit's prompts. Both ways give bit-identical results.
enum {
    /// Eight prompts side by side below ATTENTION_LANES_BELOW tokens, else one at a time.
    attention_batching_automatic = 0,
    /// One prompt at a time, vectorised over its tokens.
    attention_batching_each = 1,
    /// Eight prompts at a time, one per lane (no scalar tails for short prompts).
    attention_batching_lanes = 2,
};

/// The prompt length from which one-at-a-time is faster than eight side by side (measured
/// with `harness-bench`; speed only).
#define ATTENTION_LANES_BELOW 40

/// The summed loss of `count` prompts that differ from *p only in their first token, prompt i
/// at p->tokens + i * step (summed from 0 in prompt order), their gradients added to
/// p->gradient in prompt order: bit-identical to `attention_prompt_loss` on each in turn.
/// p->scratch must hold `attention_scratch_count(length, latent)` doubles; p->vectors is not used.
double attention_prompts_loss(const attention_prompt *p, ptrdiff_t count, ptrdiff_t step, int method, int instruction_set);

/// Scratch doubles `attention_prompts_loss` needs for prompts of `length` tokens in `latent`
/// coordinates (at least the 3 length `attention_prompt_loss` needs).
ptrdiff_t attention_scratch_count(ptrdiff_t length, ptrdiff_t latent);

/// Replaces a[i] <= 0 by exp(a[i]) (within 2 ulp; arguments below -708 are clamped there)
/// and returns their sum: the softmax kernel's exponential, exposed for its accuracy test.
double attention_exp_nonpositive(double *a, ptrdiff_t n, int instruction_set);

#endif
