package io.voiceagent.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How every command of the CLI reports an error, installed once on the root {@link CommandLine}:
 * one line on stderr that starts with the command and says what was wrong, and an exit status.
 * <ul>
 *   <li>2 for bad input: picocli's parse errors (unknown option, unparsable or missing value) and a
 *       {@link BadInputException} from a command (missing file, out-of-range value); the line ends
 *       with a hint to see {@code --help}, and no usage text follows;</li>
 *   <li>1 for any other failure while the command runs.</li>
 * </ul>
 * With {@code --verbose} ({@link VerboseOption}) the stack trace follows the line. Messages are
 * the exceptions' own, which name the option and value and never contain tokens or keys.
 */
final class CliErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {
    /** Exit status for bad input, as picocli's own {@link CommandLine.ExitCode#USAGE}. */
    static final int BAD_INPUT = CommandLine.ExitCode.USAGE;
    /** Exit status for a failure while running, as picocli's {@link CommandLine.ExitCode#SOFTWARE}. */
    static final int FAILURE = CommandLine.ExitCode.SOFTWARE;

    private final BooleanSupplier verbose;

    private CliErrors(BooleanSupplier verbose) {
        this.verbose = verbose;
    }

    /** Installs the handlers on {@code root}; {@code verbose} tells whether {@code --verbose} was given. */
    static CommandLine install(CommandLine root, BooleanSupplier verbose) {
        CliErrors handler = new CliErrors(verbose);
        return root.setParameterExceptionHandler(handler).setExecutionExceptionHandler(handler);
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        // --verbose after the bad argument was never parsed: look for it in the raw arguments too.
        boolean trace = verbose.getAsBoolean() || Arrays.asList(args).contains("--verbose");
        return report(ex.getCommandLine(), ex, trace, BAD_INPUT);
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        return report(commandLine, ex, verbose.getAsBoolean(), ex instanceof BadInputException ? BAD_INPUT : FAILURE);
    }

    private static int report(CommandLine cmd, Throwable error, boolean trace, int status) {
        String name = cmd.getCommandSpec().qualifiedName();
        String hint = status == BAD_INPUT ? " (see '" + name + " --help')" : trace ? ""
                : " (--verbose prints the stack trace)";
        PrintWriter err = cmd.getErr();
        err.println(name + ": " + describe(error) + hint);
        if (trace) {
            error.printStackTrace(err);
        }
        err.flush();
        return status;
    }

    /** One line for {@code t}: its message (or its cause's, if it has none), newlines folded. */
    static String describe(Throwable t) {
        Throwable e = t;
        while (e.getMessage() == null && e.getCause() != null) {
            e = e.getCause();
        }
        String message = e.getMessage();
        String text = message == null || message.isBlank() ? e.getClass().getSimpleName()
                : e instanceof IOException ? e.getClass().getSimpleName() + ": " + message
                : message;
        return text.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
