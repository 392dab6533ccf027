// cp.async (sm_80+): 16-byte global -> shared copies that bypass the registers, grouped and waited
// for by count, as the pipelined GEMMs use them.
#pragma once

// Copies 16 bytes, or writes 16 zero bytes when !ok (src is then not read, but must be a valid
// address: callers pass the matrix base).
__device__ __forceinline__ void cp_async16(void* dst, const void* src, bool ok) {
    const unsigned s = (unsigned) __cvta_generic_to_shared(dst);
    const int bytes = ok ? 16 : 0;
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(s), "l"(src), "r"(bytes) : "memory");
}

__device__ __forceinline__ void cp_async_commit() {
    asm volatile("cp.async.commit_group;\n" ::: "memory");
}

// Waits until at most N of this thread's committed groups are still in flight.
template <int N>
__device__ __forceinline__ void cp_async_wait() {
    asm volatile("cp.async.wait_group %0;\n" ::"n"(N) : "memory");
}
