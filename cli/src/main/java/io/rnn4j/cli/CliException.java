package io.rnn4j.cli;

/**
 * A mistake the user can fix (a missing file, a bad column, an unknown device): printed as one line
 * saying what is wrong and what to do, with exit code 2 and no stack trace unless {@code --verbose}.
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
