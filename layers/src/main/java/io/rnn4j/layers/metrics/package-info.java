/**
 * Keras's metrics (MAE, MSE, RMSE, R2Score, accuracy in its binary, categorical and sparse forms,
 * top-k categorical and sparse top-k, the confusion counts TruePositives/FalsePositives/
 * TrueNegatives/FalseNegatives, Precision, Recall, AUC, SensitivityAtSpecificity,
 * SpecificityAtSensitivity, PrecisionAtRecall, RecallAtPrecision, F1/FBeta, and the loss functions
 * as mean metrics): stateful accumulators updated per batch and read per epoch, computed on the
 * host in double, each saying which direction is better for callbacks.
 */
package io.rnn4j.layers.metrics;
