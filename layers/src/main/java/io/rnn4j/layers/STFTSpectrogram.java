package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializer;
import java.util.Arrays;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Keras's STFTSpectrogram ({@code keras/src/layers/preprocessing/stft_spectrogram.py}): the
 * short-time Fourier transform of each channel of a {@code (batch, steps, channels)} signal as a
 * strided Conv1D whose kernels are the windowed DFT — weights "real_kernel" and "imag_kernel" of
 * shape {@code (frame_length, 1, fft_length // 2 + 1)}, initialised as Keras's initializers.STFT
 * computes them and trainable unless the layer is not (Keras's default: trainable).
 *
 * <p>Options and defaults are Keras 3's: mode "log" ({@code log(max(magnitude, ε))}), "magnitude"
 * ({@code sqrt(max(re² + im², ε))}), "psd" ({@code re² + im²}, the bins other than the first and
 * last doubled), "real", "imag" or "stft" (real then imaginary bins), ε = 1e-7; frame_length 256;
 * frame_step {@code frame_length // 2}; fft_length the smallest power of two {@code >=
 * frame_length}; window "hann", "hamming" or null (none), symmetric unless periodic; scaling
 * "density" ({@code /sqrt(Σ w²)}), "spectrum" ({@code /Σ|w|}) or null; padding "valid" or "same"
 * (TensorFlow's split); expand_dims false; data_format "channels_last". Output
 * {@code (batch, frames, channels·bins)}, or with expand_dims {@code (batch, frames, bins,
 * channels)}; channels_first takes {@code (batch, channels, steps)} and gives {@code (batch,
 * channels·bins, frames)} or {@code (batch, channels, frames, bins)}. Mode "angle" (atan2) is
 * refused: the engine has no op to compose atan2 from. Like Keras's it does not support masking
 * and binds no input axis.
 */
public final class STFTSpectrogram extends Layer {
    /** What the layer outputs (Keras's mode). */
    public enum Mode {
        LOG, MAGNITUDE, PSD, REAL, IMAG, STFT;

        /** Keras's name of the mode ("log", ...). */
        public String kerasName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final float EPSILON = 1e-7f; // Keras's backend.epsilon()

    private Mode mode = Mode.LOG;
    private final int frameLength;
    private Integer frameStep;
    private Integer fftLength;
    private String window = "hann";
    private boolean periodic;
    private String scaling = "density";
    private String padding = "valid";
    private boolean expandDims;
    private String dataFormat = DataFormat.CHANNELS_LAST;
    private Weight realKernel;
    private Weight imagKernel;
    private Windows windows;
    private Permute toChannels; // (steps, channels) → (channels, steps), channels_last input only
    private Permute toOutput;   // (channels, frames, bins) → the output's layout, null where a reshape does
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    /** Keras's defaults: frame_length 256, mode "log", hann window, density scaling. */
    public STFTSpectrogram() {
        this(256);
    }

    /** Frames of {@code frameLength} samples (Keras's frame_length), the other options Keras's defaults. */
    public STFTSpectrogram(int frameLength) {
        super("stft_spectrogram");
        this.frameLength = Windows.positive(where(), "frame_length", frameLength);
    }

    /**
     * Keras's mode by name: "log", "magnitude", "psd", "real", "imag" or "stft".
     *
     * @throws IllegalArgumentException for "angle" (no atan2 in the engine) or another name, naming this layer
     */
    public STFTSpectrogram mode(String name) {
        requireNotBuilt("mode");
        for (Mode m : Mode.values()) {
            if (m.kerasName().equals(name)) {
                this.mode = m;
                return this;
            }
        }
        throw new IllegalArgumentException(where() + ": mode must be 'log', 'magnitude', 'psd', 'real', 'imag' or "
                + "'stft', got " + (name == null ? "null" : "'" + name + "'")
                + ("angle".equals(name) ? " (Keras's 'angle' is atan2(imag, real), which rnn4j's engine has no op for)"
                : ""));
    }

    /** Keras's frame_step: the hop between frames, 1..frame_length. */
    public STFTSpectrogram frameStep(int step) {
        requireNotBuilt("frame_step");
        if (step < 1 || step > frameLength) {
            throw new IllegalArgumentException(where() + ": frame_step must be a positive integer not greater than "
                    + "frame_length=" + frameLength + ", got " + step);
        }
        this.frameStep = step;
        return this;
    }

    /** Keras's fft_length: at least frame_length (a power of two recommended, not required). */
    public STFTSpectrogram fftLength(int length) {
        requireNotBuilt("fft_length");
        if (length < frameLength || length < 2) {
            throw new IllegalArgumentException(where() + ": fft_length must be >= frame_length=" + frameLength
                    + " and >= 2 (Keras's kernels divide by (fft_length // 2)·2), got " + length);
        }
        this.fftLength = length;
        return this;
    }

    /**
     * Keras's window: "hann", "hamming" or null (none). Keras also takes scipy's other windows and
     * arrays; rnn4j does not.
     */
    public STFTSpectrogram window(String name) {
        requireNotBuilt("window");
        if (name != null && !name.equals("hann") && !name.equals("hamming")) {
            throw new IllegalArgumentException(where() + ": window must be 'hann', 'hamming' or None, got '" + name
                    + "' (rnn4j computes no other scipy window)");
        }
        this.window = name;
        return this;
    }

    /** Keras's periodic: the window as the first frame_length samples of one a sample longer. */
    public STFTSpectrogram periodic(boolean on) {
        requireNotBuilt("periodic");
        this.periodic = on;
        return this;
    }

    /** Keras's scaling: "density", "spectrum" or null. */
    public STFTSpectrogram scaling(String name) {
        requireNotBuilt("scaling");
        if (name != null && !name.equals("density") && !name.equals("spectrum")) {
            throw new IllegalArgumentException(where() + ": scaling must be 'density', 'spectrum' or None, got '"
                    + name + "'");
        }
        this.scaling = name;
        return this;
    }

    /** Keras's padding: "valid" or "same". */
    public STFTSpectrogram padding(String value) {
        requireNotBuilt("padding");
        String p = Windows.padding(where(), value, false);
        if (!p.equals(value)) { // Keras compares the string as given
            throw new IllegalArgumentException(where() + ": padding must be 'valid' or 'same', got '" + value + "'");
        }
        this.padding = p;
        return this;
    }

    /** Keras's expand_dims: the bins and channels as two axes (an image) instead of one. */
    public STFTSpectrogram expandDims(boolean on) {
        requireNotBuilt("expand_dims");
        this.expandDims = on;
        return this;
    }

    /** Keras's data_format: "channels_last" (default) or "channels_first". */
    public STFTSpectrogram dataFormat(String format) {
        requireNotBuilt("data_format");
        this.dataFormat = DataFormat.standardize(where(), format);
        return this;
    }

    /** Keras's mode. */
    public Mode mode() {
        return mode;
    }

    /** Keras's frame_length. */
    public int frameLength() {
        return frameLength;
    }

    /** Keras's frame_step as given, or null for its default {@code frame_length // 2}. */
    public Integer frameStep() {
        return frameStep;
    }

    /** Keras's fft_length as given, or null for its default (the next power of two). */
    public Integer fftLength() {
        return fftLength;
    }

    /** Keras's window: "hann", "hamming" or null. */
    public String window() {
        return window;
    }

    /** Keras's periodic. */
    public boolean periodic() {
        return periodic;
    }

    /** Keras's scaling: "density", "spectrum" or null. */
    public String scaling() {
        return scaling;
    }

    /** Keras's padding. */
    public String padding() {
        return padding;
    }

    /** Keras's expand_dims. */
    public boolean expandDims() {
        return expandDims;
    }

    /** Keras's data_format. */
    public String dataFormat() {
        return dataFormat;
    }

    /** The hop between frames used: frame_step, or {@code frame_length // 2}. */
    int step() {
        return frameStep != null ? frameStep : frameLength / 2;
    }

    /** The fft length used: fft_length, or the smallest power of two {@code >= frame_length}. */
    int fft() {
        if (fftLength != null) {
            return fftLength;
        }
        int p = 1;
        while (p < frameLength) {
            p <<= 1;
        }
        return p;
    }

    /** The frequency bins of one channel: {@code fft // 2 + 1}. */
    private int bins() {
        return fft() / 2 + 1;
    }

    private boolean channelsFirst() {
        return dataFormat.equals(DataFormat.CHANNELS_FIRST);
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        requireRank(in, 2, channelsFirst() ? "(batch, channels, steps)" : "(batch, steps, channels)");
        if (step() < 1) {
            throw new IllegalArgumentException(where() + ": frame_step defaults to frame_length // 2, which is 0 for "
                    + "frame_length=" + frameLength + "; give frame_step");
        }
        if (fft() < 2) {
            throw new IllegalArgumentException(where() + ": fft_length defaults to " + fft() + " for frame_length="
                    + frameLength + ", which gives Keras's kernels 0/0 (NaN); give fft_length >= 2");
        }
        windows = new Windows(where(), frameLength, step(), 1, padding, Windows.Outside.EXTRA_ROW);
        Shape shape = Shape.of(frameLength, 1, bins());
        float[] win = window == null ? null : AudioMath.scipyWindow(window, frameLength, periodic);
        if (mode != Mode.IMAG) {
            realKernel = addWeight("real_kernel", shape, kernels(true, win), random, null, null, true);
        }
        if (mode != Mode.REAL) {
            imagKernel = addWeight("imag_kernel", shape, kernels(false, win), random, null, null, true);
        }
        toChannels = Permute.inside(name(), 2, 1);
        int[] out = channelsFirst() ? (expandDims ? null : new int[] {1, 3, 2})
                : (expandDims ? new int[] {2, 3, 1} : new int[] {2, 1, 3});
        toOutput = out == null ? null : Permute.inside(name(), out);
        return outputShapeFor(in);
    }

    /** Keras's initializers.STFT for one side, as a fixed initializer. */
    private Initializer kernels(boolean real, float[] win) {
        float[] values = AudioMath.stftKernel(real, frameLength, bins(), win, scaling);
        return new Initializer() {
            @Override
            public float[] sample(Shape shape, RandomGenerator random) {
                return values.clone();
            }

            @Override
            public String kerasName() {
                return "stft";
            }
        };
    }

    /** Any steps and channels (Keras's input_spec is ndim=3 only). */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        int channels = channelsFirst() ? in.dim(0) : in.dim(1);
        int frames = windows.outSteps(channelsFirst() ? in.dim(1) : in.dim(0));
        int bins = mode == Mode.STFT ? 2 * bins() : bins();
        int flat = channels == Shape.UNKNOWN ? Shape.UNKNOWN : channels * bins;
        if (channelsFirst()) {
            return expandDims ? Shape.withUnknown(channels, frames, bins) : Shape.withUnknown(flat, frames);
        }
        return expandDims ? Shape.withUnknown(frames, bins, channels) : Shape.withUnknown(frames, flat);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask); // as Keras 3, which does not support masking here
        int batch = x.dim(0);
        int channels = channelsFirst() ? x.dim(1) : x.dim(2);
        int steps = channelsFirst() ? x.dim(2) : x.dim(1);
        // Each channel its own signal of one channel: (batch·channels, steps, 1), as Keras's _apply_conv.
        Variable signals = channelsFirst() || channels == 1 ? x : toChannels.forward(x, null, null);
        signals = Ops.reshape(signals, batch * channels, steps, 1);
        Variable kernel = mode == Mode.REAL ? realKernel.variable() : mode == Mode.IMAG ? imagKernel.variable()
                : Ops.concat(2, realKernel.variable(), imagKernel.variable());
        Variable y = Conv1D.convolve(signals, kernel, windows); // (batch·channels, frames, bins or 2·bins)
        Variable spectrum = switch (mode) {
            case REAL, IMAG, STFT -> y;
            default -> spectrum(y);
        };
        int frames = spectrum.dim(1);
        int bins = spectrum.dim(2);
        Variable out = Ops.reshape(spectrum, batch, channels, frames, bins);
        if (toOutput != null && (channels > 1 || channelsFirst())) {
            out = toOutput.forward(out, null, null);
        }
        int[] sample = outputShapeFor(Shape.of(channelsFirst() ? new int[] {channels, steps}
                : new int[] {steps, channels})).dims();
        int[] dims = new int[sample.length + 1];
        dims[0] = batch;
        System.arraycopy(sample, 0, dims, 1, sample.length);
        return Ops.reshape(out, dims);
    }

    /** log, magnitude or psd from the real and imaginary bins side by side. */
    private Variable spectrum(Variable y) {
        int bins = bins();
        Variable[] parts = Ops.split(y, 2, bins, bins);
        Variable power = Ops.add(Ops.unary(UnaryOp.SQUARE, parts[0]), Ops.unary(UnaryOp.SQUARE, parts[1]));
        if (mode == Mode.PSD) {
            // power + power[1:-1] padded back in place (Keras's sum): the inner bins doubled, exactly
            float[] twice = new float[bins];
            Arrays.fill(twice, 2f);
            twice[0] = 1f;
            twice[bins - 1] = 1f;
            return Ops.mul(power, Variable.constant(y.device().tensor(twice, bins)));
        }
        Variable magnitude = Ops.unary(UnaryOp.SQRT, Ops.clip(power, EPSILON, Float.POSITIVE_INFINITY));
        return mode == Mode.MAGNITUDE ? magnitude
                : Ops.unary(UnaryOp.LOG, Ops.clip(magnitude, EPSILON, Float.POSITIVE_INFINITY));
    }
}
