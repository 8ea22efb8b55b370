// CPU detection for the C kernels (see include/CPUFeatures.h).

#include "CPUFeatures.h"

#include <stdatomic.h>

static atomic_int best_instruction_set = -1;

int cpu_best_instruction_set(void) {
    int best = atomic_load_explicit(&best_instruction_set, memory_order_relaxed);
    if (best >= 0) return best;
    best = cpu_instruction_set_baseline;
#if defined(__x86_64__)
    // __builtin_cpu_supports also checks that the OS saves the wider registers (XCR0).
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) best = cpu_instruction_set_avx512;
    else if (__builtin_cpu_supports("avx2")) best = cpu_instruction_set_avx2;
#endif
    atomic_store_explicit(&best_instruction_set, best, memory_order_relaxed);
    return best;
}

int cpu_usable_instruction_set(int requested) {
    const int best = cpu_best_instruction_set();
    return requested < 0 ? cpu_instruction_set_baseline : (requested > best ? best : requested);
}
