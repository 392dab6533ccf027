/**
 * {@code rnn4j forecast}: a recurrent network forecasting a monthly series one month ahead — the
 * Mauna Loa CO2 record by default — measured against the naive and seasonal-naive forecasts.
 *
 * <p>{@link io.rnn4j.cli.forecast.ForecastCommand#call()} is the worked example; the other classes
 * are the data plumbing it uses (windows, scaling, errors, the plot).
 */
package io.rnn4j.cli.forecast;
