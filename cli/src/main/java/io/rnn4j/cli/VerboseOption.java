package io.rnn4j.cli;

import picocli.CommandLine.Option;

/** {@code --verbose}: stack traces on errors. Read by {@link Main}'s error handler. */
public final class VerboseOption {
    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;
}
