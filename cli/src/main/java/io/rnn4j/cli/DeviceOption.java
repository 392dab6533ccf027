package io.rnn4j.cli;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --device scalar|simd|cuda[:N]}, shared by every command that computes.
 *
 * <p>Commands call {@link #device()} before anything else touches the engine: it opens the device
 * with {@link Devices#get} (a clear error if it cannot run here) and only then sets
 * {@code -Drnn4j.device}, so that code reaching for {@link Devices#defaultDevice()} gets the same one.
 */
public final class DeviceOption {
    private static final Pattern NAME = Pattern.compile("scalar|simd|cuda(:\\d+)?");

    @Option(names = "--device", paramLabel = "scalar|simd|cuda[:N]", converter = NameConverter.class,
            description = "Where to compute (default: the fastest backend that can run here).")
    String name;

    /** The device asked for, or the default one when none was. */
    public Device device() {
        if (name == null) {
            return defaultDevice();
        }
        Device d = open(name);
        System.setProperty("rnn4j.device", name);
        return d;
    }

    /**
     * The device for a command that builds models: {@link #device()}, checked to be the engine's
     * default device too, since the layers build their weights there. In the CLI's own process the
     * two always agree (nothing chooses the default before the command runs); a program that already
     * chose another default gets an error rather than a model on the wrong device.
     */
    public Device modelDevice() {
        Device d = device();
        Device chosen = defaultDevice();
        if (chosen != d) {
            throw new CliException("--device " + name + ": models are built on the default device, and this JVM "
                    + "already chose " + chosen.name() + "; start a new process (or pass -Drnn4j.device=" + name + ")");
        }
        return d;
    }

    /** Opens a device by name, turning the engine's refusal into a {@link CliException}. */
    static Device open(String name) {
        try {
            return Devices.get(name);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CliException(e.getMessage() + " (run `rnn4j info` to see the backends and why any is missing)",
                    e);
        }
    }

    /**
     * The engine's default device. A device the environment asks for that cannot run here
     * ({@code RNN4J_DEVICE=bogus}, {@code -Drnn4j.device=cuda} without a GPU) is the user's to fix,
     * as a bad {@code --device} is: a {@link CliException}.
     */
    static Device defaultDevice() {
        try {
            return Devices.defaultDevice();
        } catch (IllegalStateException e) {
            throw new CliException(reason(e) + " (run `rnn4j info` to see the backends and why any is missing, or "
                    + "choose one with --device)", e);
        }
    }

    /** The engine's refusal without its "rnn4j: " prefix, which the CLI's own error line already has. */
    static String reason(RuntimeException e) {
        String m = String.valueOf(e.getMessage());
        return m.startsWith("rnn4j: ") ? m.substring("rnn4j: ".length()) : m;
    }

    /** Checks the syntax of a device name while the command line is parsed. */
    static final class NameConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            if (!NAME.matcher(v).matches()) {
                throw new TypeConversionException("expected scalar, simd, cuda or cuda:N, got '" + value + "'");
            }
            return v;
        }
    }
}
