/**
 * The {@code rnn4j} command line: {@code info}, {@code bench} and the demos on real data.
 *
 * <p>{@link io.rnn4j.cli.Main} wires the picocli commands together and turns errors into one line
 * and an exit code (2 for a mistake the user can fix, 1 for a bug). Each demo command is also a
 * worked example of the rnn4j API, written to be read and copied: the data preparation and the
 * model are in plain view, the plumbing (options, files, plots) lives in small helpers.
 *
 * <p>The module runs from a shaded jar on the class path, so it has no {@code module-info}: its
 * dependencies (picocli, XChart) are plain jars, and the backends are found through their
 * {@code META-INF/services} registrations, which the shade plugin merges.
 */
package io.rnn4j.cli;
