// Which of the instruction sets the C kernels are built for this CPU can run: one detection
// shared by the normal generator (NormalKernels) and the attention layer (AttentionKernels),
// which are both compiled for these sets and choose one at run time.
#ifndef CPU_FEATURES_H
#define CPU_FEATURES_H

/// The instruction sets a kernel is compiled for, narrowest first. Kernels built for each
/// compute bit-identical results; only their speed differs.
enum {
    cpu_instruction_set_baseline = 0,  // x86-64 SSE2, or whatever the target's baseline is
    cpu_instruction_set_avx2 = 1,
    cpu_instruction_set_avx512 = 2,
};

/// The widest of those sets this CPU and its OS support (detected once, then cached).
int cpu_best_instruction_set(void);

/// `requested`, or the widest supported set if the CPU lacks it (negative requests give the
/// baseline): the index of the build a kernel should call.
int cpu_usable_instruction_set(int requested);

#endif
