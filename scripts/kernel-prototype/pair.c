// Times the production kernel (attention_prompts_loss, automatic batching, AVX2) against
// prototype.c on the same prompts, in alternating pairs, and prints the median of the pairs'
// ratios: 101 pairs, each 20 passes over 104 prompts (13 groups of 8) of L tokens, d = 5, a
// metric, lam = 0.05. The two must compute the same thing: their summed losses and summed
// gradients must agree within a relative 1e-9 (see `agree`), or the comparison stops with an
// error instead of timing a wrong prototype.
//
// With "step", every pass first draws its 104 x L x 5 normals with the production generator
// (normal_fill_blocks, AVX2) into the buffer its kernel reads, in the layout that kernel reads
// (the production one, or interleaved by prompt for the prototype): the ratio of whole SGD
// steps' worth of work, normals included. The two sides then read the same normals as different
// prompts, so their sums agree only statistically and are not compared. Usage: pair L [step].
#include "AttentionKernels.h"
#include "NormalKernels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef double v8d __attribute__((vector_size(64), aligned(8)));
v8d prototype_layer(const v8d *x, ptrdiff_t n, const double *mu, const double *metric, double lam, v8d *weight, v8d *beta,
                    v8d *gradient);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}
static int ascending(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/// Fills `out` with `count` normals (rounded up to whole blocks of eight) from the generator.
static void draw(uint64_t *lanes, uint64_t *slow, double *out, long count) {
    normal_fill_blocks(lanes, slow, out, (count + normal_lanes - 1) / normal_lanes, cpu_instruction_set_avx2);
}

/// Whether two sums of the same terms, taken in different orders of operations, agree. Each
/// prompt's loss and gradient are within about (L + 4d + 4) eps of exact, relative to the size
/// of their terms (the bound the claims' kernel cross-check derives), about 1.4e-14 at L = 100,
/// d = 5; 1e-9 relative to the totals leaves a factor 7e4 for the totals' cancellation, while a
/// prototype computing something else misses by order one.
static int agree(double a, double b, double scale) { return fabs(a - b) <= 1e-9 * scale; }

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3 || atoi(argv[1]) < 1 || (argc == 3 && strcmp(argv[2], "step") != 0)) {
        fprintf(stderr, "usage: pair L [step] (prompt length L >= 1)\n");
        return 2;
    }
    const int step = argc == 3;
    enum { m = 5, count = 104, pairs = 101, passes = 20 };
    const int L = atoi(argv[1]);
    const long values = (long)m * count * L;
    // Room for whole blocks of eight; the two sides draw from generators seeded alike.
    double *g = aligned_alloc(64, sizeof(double) * (values + 8));
    uint64_t lanesA[4 * normal_lanes], slowA[4], lanesB[4 * normal_lanes], slowB[4];
    for (int i = 0; i < 4 * normal_lanes; i++) lanesA[i] = lanesB[i] = 0x9E3779B97F4A7C15ull * (i + 1) ^ (uint64_t)i * 12345;
    for (int i = 0; i < 4; i++) slowA[i] = slowB[i] = 0x1234567ull * (i + 7);
    srand(1);
    for (long i = 0; i < (long)m * count * L; i++) g[i] = (rand() / (double)RAND_MAX * 2 - 1) * 1.5;
    // The same normals interleaved by prompt for the prototype: group G, coordinate a, token k, lane j.
    v8d *interleaved = aligned_alloc(64, sizeof(v8d) * (m * L * (count / 8) + 1));
    double *flat = (double *)interleaved;
    for (int G = 0; G < count / 8; G++)
        for (int a = 0; a < m; a++)
            for (int k = 0; k < L; k++)
                for (int j = 0; j < 8; j++) flat[((G * m + a) * L + k) * 8 + j] = g[a * count * L + (G * 8 + j) * L + k];
    double mu[m] = {0.3, -0.2, 0.5, 0.1, -0.4}, metric[m * m], gradient[m] = {0};
    for (int a = 0; a < m; a++)
        for (int b = 0; b < m; b++) metric[a * m + b] = a == b ? 2.0 : 0.1 * (a + b);
    double *scratch = malloc(sizeof(double) * attention_scratch_count(L, m));
    attention_prompt p = {.tokens = g, .stride = count * L, .length = L, .latent = m, .mu = mu, .metric = metric,
                          .gradient = gradient, .scratch = scratch, .vectors = NULL, .lam = 0.05, .softmax = 1,
                          .keys_include_query = 1, .linear_mean = 0};
    v8d *weight = aligned_alloc(64, sizeof(v8d) * L), *beta = aligned_alloc(64, sizeof(v8d) * L), lanes[m];
    double ratio[pairs], production[pairs], prototype[pairs], sumA = 0, sumB = 0, gradientB[m] = {0};
    for (int r = 0; r < pairs; r++) {
        double t = now();
        for (int i = 0; i < passes; i++) {
            if (step) draw(lanesA, slowA, g, values);
            sumA += attention_prompts_loss(&p, count, L, attention_batching_automatic, cpu_instruction_set_avx2);
        }
        t = now() - t;
        double u = now();
        for (int i = 0; i < passes; i++) {
            if (step) draw(lanesB, slowB, flat, values);
            for (int G = 0; G < count / 8; G++) {
                const v8d loss = prototype_layer(interleaved + G * m * L, L, mu, metric, 0.05, weight, beta, lanes);
                for (int j = 0; j < 8; j++) {
                    sumB += loss[j];
                    for (int a = 0; a < m; a++) gradientB[a] += lanes[a][j];
                }
            }
        }
        u = now() - u;
        production[r] = t;
        prototype[r] = u;
        ratio[r] = t / u;
    }
    if (!step) {
        double norm = 0;
        for (int a = 0; a < m; a++) norm += gradient[a] * gradient[a];
        norm = sqrt(norm);
        int same = agree(sumA, sumB, fabs(sumA));
        for (int a = 0; a < m; a++) same = same && agree(gradient[a], gradientB[a], norm);
        if (!same) {
            fprintf(stderr, "error: L = %d: the prototype does not compute the production kernel's loss and gradient "
                            "(summed losses %.17g and %.17g; first gradient coordinates %.17g and %.17g)\n",
                    L, sumA, sumB, gradient[0], gradientB[0]);
            return 1;
        }
    }
    qsort(ratio, pairs, sizeof(double), ascending);
    qsort(production, pairs, sizeof(double), ascending);
    qsort(prototype, pairs, sizeof(double), ascending);
    const double tokens = (double)passes * count * L;
    printf("L = %d%s: production %.2f ns per token, prototype %.2f; production / prototype %.3f (median of %d pairs); summed losses %.8g and %.8g\n",
           L, step ? " (normals and kernel)" : "", production[pairs / 2] / tokens * 1e9, prototype[pairs / 2] / tokens * 1e9,
           ratio[pairs / 2], pairs, sumA, sumB);
    return 0;
}
