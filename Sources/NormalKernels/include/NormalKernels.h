// The standard-normal generator behind Randomness.NormalSampler, in C so that one source can
// be compiled for several instruction sets and chosen at run time (Swift compiles a module
// for one CPU and has no per-function target attribute). See NormalKernels.c for the
// definition of the stream and docs/ENGINE.md, "Random streams", for what is bit-identical.
#ifndef NORMAL_KERNELS_H
#define NORMAL_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#include "CPUFeatures.h"

/// The generator's shape: `normal_lanes` interleaved xoshiro256++ lanes, whose state is
/// 4 * normal_lanes words, word j of lane k at lanes[j * normal_lanes + k] (j < 4), and one
/// scalar xoshiro256** stream for the slow path (four words).
enum {
    normal_lanes = 8,
    normal_table_size = 1025,
};

/// Writes `blocks` * normal_lanes standard normals to `out`, advancing `lanes` (4 * normal_lanes
/// words) and `slow` (4 words): block b, lane k is out[b * normal_lanes + k]. Uses
/// `instruction_set` (a `cpu_instruction_set_*`), clamped to what the CPU supports; every set
/// writes the same bits (the fast path is integer arithmetic and one rounded product per value,
/// the slow path one shared scalar function).
void normal_fill_blocks(uint64_t *lanes, uint64_t *slow, double *out, ptrdiff_t blocks, int instruction_set);

/// Writes `count` draws of |Z| conditioned on |Z| > R (the ziggurat's tail sampler alone),
/// using the four-word xoshiro256** stream `slow`; for tests of the far tail.
void normal_tail_draws(uint64_t *slow, double *out, ptrdiff_t count);

/// The ziggurat's layer edges x[0 ... 1024] (x[1] = R, x[1024] = 0) and densities
/// f[i] = exp(-x[i]^2 / 2), both `normal_table_size` long.
const double *normal_ziggurat_edges(void);
const double *normal_ziggurat_densities(void);

/// The slow path's own exp (x <= 0) and log (x > 0): fixed polynomials, so every machine
/// computes the same bits. Exposed for their accuracy tests.
double normal_exp_nonpositive(double x);
double normal_log(double x);

#endif
