/**
 * The fused LSTM, GRU (reset_after both ways) and SimpleRNN sequence kernels of the SIMD backend,
 * forward and backward ({@link io.rnn4j.kernels.simd.rnn.SimdRnn}).
 *
 * <p>Internal to the SIMD backend. Shaped as DESIGN.md says: the input projections of all steps are
 * one GEMM; each step is one recurrent product (GEMVs for a batch of up to six or four, packed GEMM
 * otherwise, U packed once per weight version and cached on the weight's storage) followed by the
 * gate math in place, written straight into the output; in training only what backward reads is
 * kept (see {@code Workspace}); backward runs the steps in reverse for the gate gradients and then
 * takes dW, dU, db and dx as GEMMs over all steps at once. Batch rows are independent, so threads
 * split the batch and never synchronise inside the time loop (each block's GEMMs then run on its
 * own thread); a batch of one runs on the caller thread, or, opted in, on two threads split by
 * units ({@code SplitBatchOne}).
 *
 * <p>Inference allocates nothing once warm, not even per call (a streaming service calls once per
 * timestep): the unpacked call, the kernel objects and every block's arrays live in an
 * {@code RnnContext} lent from a free list, and packed weights are found without key objects.
 *
 * <p>Every vector loop here takes and returns arrays only, never a {@code FloatVector}: see
 * {@link io.rnn4j.kernels.simd.math.VectorMath} for why a vector must not cross a call.
 */
package io.rnn4j.kernels.simd.rnn;
