package io.rnn4j.kernels.cuda;

/**
 * Every kernel of the fatbin, by its {@code extern "C"} symbol. A name missing from the module is
 * found by a test on any machine (the symbols are readable in the fatbin) rather than at a launch.
 */
enum Kernel {
    // pointwise.cu
    UNARY("unary_f32"),
    UNARY_BACKWARD("unary_backward_f32"),
    AFFINE("affine_f32"),
    BINARY_SAME("binary_same_f32"),
    BINARY_ROWVEC("binary_rowvec_f32"),
    BINARY_BROADCAST("binary_bcast_f32"),
    BROADCAST("broadcast_f32"),
    REVERSE("reverse_f32"),
    COPY2D("copy2d_f32"),
    ZERO_MASKED_ROWS("zero_masked_rows_f32"),
    // reduce.cu
    REDUCE_ROWS("reduce_rows_f32"),
    REDUCE_PARTIAL("reduce_partial_f64"),
    REDUCE_FINISH("reduce_finish_f32"),
    SOFTMAX("softmax_f32"),
    SOFTMAX_BACKWARD("softmax_backward_f32"),
    // index.cu
    GATHER("gather_f32"),
    SCATTER_ADD("scatter_add_f32"),
    // gemm.cu: sgemm_{128|64}_{nn|nt|tn|tt}[_v4]
    SGEMM_128_NN("sgemm_128_nn"),
    SGEMM_128_NT("sgemm_128_nt"),
    SGEMM_128_TN("sgemm_128_tn"),
    SGEMM_128_TT("sgemm_128_tt"),
    SGEMM_128_NN_V4("sgemm_128_nn_v4"),
    SGEMM_128_NT_V4("sgemm_128_nt_v4"),
    SGEMM_128_TN_V4("sgemm_128_tn_v4"),
    SGEMM_128_TT_V4("sgemm_128_tt_v4"),
    SGEMM_64_NN("sgemm_64_nn"),
    SGEMM_64_NT("sgemm_64_nt"),
    SGEMM_64_TN("sgemm_64_tn"),
    SGEMM_64_TT("sgemm_64_tt"),
    SGEMM_64_NN_V4("sgemm_64_nn_v4"),
    SGEMM_64_NT_V4("sgemm_64_nt_v4"),
    SGEMM_64_TN_V4("sgemm_64_tn_v4"),
    SGEMM_64_TT_V4("sgemm_64_tt_v4"),
    // gemm_pipelined.cu: sgemm_p{128|64}_{nn|nt|tn|tt}, and the split-K reduction
    SGEMM_P256_NN("sgemm_p256_nn"),
    SGEMM_P256_NT("sgemm_p256_nt"),
    SGEMM_P256_TN("sgemm_p256_tn"),
    SGEMM_P256_TT("sgemm_p256_tt"),
    SGEMM_P128_NN("sgemm_p128_nn"),
    SGEMM_P128_NT("sgemm_p128_nt"),
    SGEMM_P128_TN("sgemm_p128_tn"),
    SGEMM_P128_TT("sgemm_p128_tt"),
    SGEMM_P64_NN("sgemm_p64_nn"),
    SGEMM_P64_NT("sgemm_p64_nt"),
    SGEMM_P64_TN("sgemm_p64_tn"),
    SGEMM_P64_TT("sgemm_p64_tt"),
    SGEMM_SPLITK_REDUCE("sgemm_splitk_reduce"),
    // gemm_tf32.cu: sgemm_tf32_{nn|nt|tn|tt}
    SGEMM_TF32_NN("sgemm_tf32_nn"),
    SGEMM_TF32_NT("sgemm_tf32_nt"),
    SGEMM_TF32_TN("sgemm_tf32_tn"),
    SGEMM_TF32_TT("sgemm_tf32_tt"),
    // rnn_step.cu
    RNN_FWD_SIMPLE("rnn_fwd_step_simple"),
    RNN_FWD_LSTM("rnn_fwd_step_lstm"),
    RNN_FWD_GRU("rnn_fwd_step_gru"),
    RNN_FWD_GRU_NR_A("rnn_fwd_gru_nr_a"),
    RNN_FWD_GRU_NR_B("rnn_fwd_gru_nr_b"),
    RNN_FWD_WARP_SIMPLE("rnn_fwd_warp_simple"),
    RNN_FWD_WARP_LSTM("rnn_fwd_warp_lstm"),
    RNN_FWD_WARP_GRU("rnn_fwd_warp_gru"),
    RNN_BWD_SIMPLE("rnn_bwd_step_simple"),
    RNN_BWD_LSTM("rnn_bwd_step_lstm"),
    RNN_BWD_GRU("rnn_bwd_step_gru"),
    RNN_BWD_WARP_SIMPLE("rnn_bwd_warp_simple"),
    RNN_BWD_WARP_LSTM("rnn_bwd_warp_lstm"),
    RNN_BWD_WARP_GRU("rnn_bwd_warp_gru"),
    RNN_BWD_GRU_NR_R("rnn_bwd_gru_nr_r"),
    // rnn_persistent.cu and rnn_persistent_fused.cu (sm_90 and newer only: absent from the sm_80 code)
    RNN_PERSISTENT_SIMPLE("rnn_persistent_simple", 90),
    RNN_PERSISTENT_LSTM("rnn_persistent_lstm", 90),
    RNN_PERSISTENT_GRU("rnn_persistent_gru", 90),
    RNN_PERSISTENT_FUSED_SIMPLE("rnn_persistent_fused_simple", 90),
    RNN_PERSISTENT_FUSED_LSTM("rnn_persistent_fused_lstm", 90),
    RNN_PERSISTENT_FUSED_GRU("rnn_persistent_fused_gru", 90),
    RNN_PERSISTENT_LEAN_SIMPLE("rnn_persistent_lean_simple", 90),
    RNN_PERSISTENT_LEAN_LSTM("rnn_persistent_lean_lstm", 90),
    RNN_PERSISTENT_LEAN_GRU("rnn_persistent_lean_gru", 90),
    // rnn_persistent_block.cu (no clusters: sm_80 too)
    RNN_PERSISTENT_BLOCK_SIMPLE("rnn_persistent_block_simple"),
    RNN_PERSISTENT_BLOCK_LSTM("rnn_persistent_block_lstm"),
    RNN_PERSISTENT_BLOCK_GRU("rnn_persistent_block_gru");

    private final String symbol;
    private final int minComputeCapability;

    Kernel(String symbol) {
        this(symbol, 80);
    }

    Kernel(String symbol, int minComputeCapability) {
        this.symbol = symbol;
        this.minComputeCapability = minComputeCapability;
    }

    /** The {@code extern "C"} name in the module. */
    String symbol() {
        return symbol;
    }

    /** The lowest compute capability (major*10 + minor) whose code holds this kernel. */
    int minComputeCapability() {
        return minComputeCapability;
    }

    /** The GEMM variant for these transposes, tile size (128 or 64) and 16-byte path. */
    static Kernel sgemm(int tile, boolean transA, boolean transB, boolean vec) {
        return valueOf("SGEMM_" + tile + "_" + (transA ? "T" : "N") + (transB ? "T" : "N") + (vec ? "_V4" : ""));
    }

    /** The pipelined fp32 GEMM (gemm_pipelined.cu) for these transposes and tile rows (256, 128 or 64). */
    static Kernel sgemmPipelined(int tile, boolean transA, boolean transB) {
        return valueOf("SGEMM_P" + tile + "_" + (transA ? "T" : "N") + (transB ? "T" : "N"));
    }

    /** The TF32 tensor-core GEMM (gemm_tf32.cu) for these transposes. */
    static Kernel sgemmTf32(boolean transA, boolean transB) {
        return valueOf("SGEMM_TF32_" + (transA ? "T" : "N") + (transB ? "T" : "N"));
    }
}
