package io.rnn4j.cli;

import io.rnn4j.cli.forecast.ForecastCommand;
import io.rnn4j.cli.predict.PredictCommand;
import io.rnn4j.cli.sentiment.SentimentCommand;
import io.rnn4j.cli.textgen.TextgenCommand;
import io.rnn4j.cli.translate.TranslateCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code rnn4j} command: wires the subcommands together and turns every failure into one line
 * on stderr and an exit code — 2 for a mistake the user can fix (bad option, missing file, bad
 * column, a device that cannot run here), 1 for a bug; the stack trace only with {@code --verbose}.
 */
@Command(name = "rnn4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Keras's recurrent networks on the JVM: demos on real data, backend info and benchmarks.",
        subcommands = {ForecastCommand.class, TextgenCommand.class, SentimentCommand.class, TranslateCommand.class,
            PredictCommand.class,
            InfoCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for a mistake the user can fix. */
    public static final int USER_ERROR = 2;
    /** Exit code for an unexpected failure (a bug). */
    public static final int INTERNAL_ERROR = 1;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    public static void main(String[] args) {
        // One short line per log record (the engine logs its device choice once).
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        }
        CommandLine cl = commandLine();
        cl.setOut(Terminal.STDOUT);
        System.exit(cl.execute(args));
    }

    /** The configured command line; tests set its out/err writers and call {@code execute}. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler(Main::failure);
        cl.setExecutionStrategy(Main::runAndCheckOutput);
        return cl;
    }

    /**
     * Runs the command, then makes sure what it printed arrived: PrintStream and PrintWriter swallow
     * write errors (a full disk, a closed pipe), so without this check {@code rnn4j predict > /dev/full}
     * would lose its results and exit 0.
     */
    private static int runAndCheckOutput(ParseResult parsed) {
        int code = new CommandLine.RunLast().execute(parsed);
        List<CommandLine> chain = parsed.asCommandLineList();
        CommandLine cl = chain.get(chain.size() - 1);
        if (cl.getOut().checkError()) {
            PrintWriter err = cl.getErr();
            err.println(cl.getCommandSpec().qualifiedName(" ") + ": could not write to standard output (closed, or "
                    + "the disk is full): what it printed is incomplete");
            err.flush();
            return code != 0 ? code : USER_ERROR;
        }
        return code;
    }

    private static int usageError(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName(" ");
        err.println(name + ": " + ex.getMessage() + " (see '" + name + " --help')");
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.flush();
        return USER_ERROR;
    }

    private static int failure(Exception ex, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName(" ");
        boolean verbose = verbose(parsed);
        int code;
        if (isUserError(ex)) {
            err.println(name + ": " + userMessage(ex));
            code = USER_ERROR;
        } else {
            err.println(name + ": internal error: " + ex
                    + (verbose ? "" : " (run again with --verbose for the stack trace)"));
            code = INTERNAL_ERROR;
        }
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** Bad input is reported by rnn4j's API as IllegalArgumentException (DESIGN.md), by the CLI as CliException. */
    static boolean isUserError(Throwable t) {
        return t instanceof CliException || t instanceof IllegalArgumentException || t instanceof IOException
                || t instanceof UncheckedIOException;
    }

    private static String userMessage(Throwable t) {
        Throwable c = t instanceof UncheckedIOException u ? u.getCause() : t;
        if (c instanceof NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** The version from the jar's manifest ("dev" when run from classes). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rnn4j " + (v == null ? "dev" : v) + " on Java " + Runtime.version()};
        }
    }
}
