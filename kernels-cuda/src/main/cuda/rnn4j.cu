// The single translation unit nvcc compiles into rnn4j.fatbin: one module holding every kernel
// family, each in its own file.
#include "pointwise.cu"
#include "reduce.cu"
#include "index.cu"
#include "gemm.cu"
#include "gemm_pipelined.cu"
#include "gemm_tf32.cu"
#include "rnn_step.cu"
#include "rnn_persistent.cu"
#include "rnn_persistent_fused.cu"
#include "rnn_persistent_block.cu"
