/**
 * The performance-regression gate: runs the benchmarks its checks name (a few minutes), reads JMH's
 * JSON results, and compares ratios measured in that one run — simd over scalar, GEMM over the FMA
 * peak, bytes allocated per streaming step — with the floors committed in
 * {@code bench/floors.properties}. Writes the results as JSON and a markdown table and exits
 * non-zero when a ratio falls below its floor.
 *
 * <p>Ratios, not absolute times: on shared machines absolute times drift by tens of percent between
 * runs, while two benchmarks measured minutes apart on the same machine drift together. The parsing
 * and comparing are plain functions of text, tested without running JMH.
 */
package io.rnn4j.bench.gate;
