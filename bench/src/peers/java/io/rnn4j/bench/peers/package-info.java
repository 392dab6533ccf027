/**
 * Peer systems run on the fixed cases of {@code shared/rnn-cases.md} with the same weights and
 * inputs as rnn4j: TensorFlow Java (the Keras formulas as a graph of TF ops, and TF's fused
 * BlockLSTM), ONNX Runtime (a model with one LSTM/GRU/RNN node, built here), and PyTorch through
 * DJL (its fused {@code torch.lstm/gru/rnn}). Only with {@code -Ppeers}; never in the default build.
 *
 * <p>Every system converts the Keras-layout weights to its own layout (gate order, transposition,
 * bias split), prints its checksums (which must agree with rnn-cases.md) and is timed by the same
 * harness ({@link io.rnn4j.bench.peers.Timing}) at the same thread count: 1 for the latency cases,
 * all cores otherwise. Each system runs in its own JVM ({@link io.rnn4j.bench.peers.Peers} starts
 * {@link io.rnn4j.bench.peers.PeerRun}), so native thread pools and libraries never meet.
 */
package io.rnn4j.bench.peers;
