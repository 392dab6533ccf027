/**
 * The CLI's data: the data sets that ship in the jar ({@link io.rnn4j.cli.data.Datasets}, sources
 * and licenses in {@code NOTICE.md} beside them) and the file formats users bring — CSV
 * ({@link io.rnn4j.cli.data.Csv}) and NumPy's {@code .npy} ({@link io.rnn4j.cli.data.Npy}).
 *
 * <p>Readers reject a malformed file whole, with a message naming the file, the place (line and
 * column, or header field) and what was expected; nothing here touches a device.
 */
package io.rnn4j.cli.data;
