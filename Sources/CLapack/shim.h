// Shim for OpenBLAS (CBLAS) and LAPACKE. Swift cannot import the `lapack_int` macro, so it is
// re-exported as a typedef. The harness is built against Debian's 32-bit-integer OpenBLAS.
#ifndef CLAPACK_SHIM_H
#define CLAPACK_SHIM_H
#include <cblas.h>
#include <lapacke.h>

typedef lapack_int clapack_int;

// OpenBLAS controls (declared in cblas.h of OpenBLAS; repeated here for clarity of intent).
void openblas_set_num_threads(int num_threads);
char *openblas_get_corename(void);
char *openblas_get_config(void);
#endif
