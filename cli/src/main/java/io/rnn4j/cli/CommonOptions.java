package io.rnn4j.cli;

import io.rnn4j.engine.Device;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command that computes takes and needs: {@code --device}, {@code --verbose}, and the
 * writer its output goes to. A picocli mixin: {@code @Mixin CommonOptions common;}.
 */
public final class CommonOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;
    @Mixin
    DeviceOption device;
    @Mixin
    VerboseOption verbose;

    /**
     * The device models are built on ({@link DeviceOption#modelDevice()}): call it before anything
     * builds a layer, since the layers put their weights on the engine's default device.
     */
    public Device modelDevice() {
        return device.modelDevice();
    }

    /** Where the command prints: standard output, or the writer a test gave the command line. */
    public PrintWriter out() {
        return command.commandLine().getOut();
    }
}
