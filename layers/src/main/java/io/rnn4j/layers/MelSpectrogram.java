package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Keras's MelSpectrogram ({@code keras/src/layers/preprocessing/mel_spectrogram.py}): audio
 * {@code (batch, samples)} to mel spectrograms {@code (batch, num_mel_bins, frames)}, no weights.
 * As Keras on TensorFlow computes it: {@code ops.stft} with center=True (the signal padded by
 * {@code fft_length // 2} on each side by reflection, frames of fft_length samples every
 * sequence_stride, the window — TensorFlow's periodic hann or hamming of sequence_length samples,
 * centred in the frame with zeros, or none — applied), the magnitude {@code sqrt(re² + im²)} raised
 * to mag_exp, the HTK mel filterbank (Keras's linear_to_mel_weight_matrix, float32), then with
 * power_to_db {@code 10·log10(max(S, min_power)) − 10·log10(max(|ref_power|, min_power))} clipped
 * from below at its maximum over the whole batch minus top_db, as Keras's (so a sample's output
 * depends on the batch it is in).
 *
 * <p>The engine has no FFT: the frames are gathered (the reflection included) and multiplied by one
 * precomputed {@code (window taps, 2·bins)} matrix of windowed cosines and sines, a real DFT in one
 * GEMM. Gradients flow to the input as through Keras's. Defaults are Keras 3's: fft_length 2048,
 * sequence_stride 512, sequence_length fft_length, window "hann", sampling_rate 16000,
 * num_mel_bins 128, min_freq 20, max_freq {@code int(sampling_rate / 2)}, power_to_db true,
 * top_db 80, mag_exp 2, min_power 1e-10, ref_power 1. A signal must be longer than
 * {@code fft_length // 2} samples (TensorFlow's reflection padding refuses shorter ones). Like
 * Keras's it does not support masking and binds no input axis.
 */
public final class MelSpectrogram extends Layer {
    private int fftLength = 2048;
    private int sequenceStride = 512;
    private Integer sequenceLength;
    private String window = "hann";
    private double samplingRate = 16000;
    private int numMelBins = 128;
    private double minFreq = 20.0;
    private Double maxFreq;
    private boolean powerToDb = true;
    private double topDb = 80.0;
    private double magExp = 2.0;
    private double minPower = 1e-10;
    private double refPower = 1.0;
    private volatile Frames frames; // the gather indices for the last input size
    private volatile Matrices matrices; // the DFT and mel matrices, on the device of the last input
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    /**
     * The windowed DFT {@code (taps, 2·bins)} and the mel filterbank transposed, {@code (1, mels,
     * bins)}, on one device.
     */
    private record Matrices(Tensor dft, Tensor melT) {
        Matrices on(Device d) {
            return dft.device() == d ? this : new Matrices(dft.to(d), melT.to(d));
        }
    }

    /** The indices of each frame's taps into the input viewed as a (batch·samples, 1) table. */
    private record Frames(Device device, int batch, int samples, Tensor indices) {
    }

    /** Keras's defaults. */
    public MelSpectrogram() {
        super("mel_spectrogram");
    }

    /** Keras's fft_length: the samples of each frame and of its DFT. */
    public MelSpectrogram fftLength(int n) {
        requireNotBuilt("fft_length");
        this.fftLength = Windows.positive(where(), "fft_length", n);
        return this;
    }

    /** Keras's sequence_stride: the samples between frames. */
    public MelSpectrogram sequenceStride(int n) {
        requireNotBuilt("sequence_stride");
        this.sequenceStride = Windows.positive(where(), "sequence_stride", n);
        return this;
    }

    /** Keras's sequence_length: the window's length, at most fft_length; null for fft_length. */
    public MelSpectrogram sequenceLength(Integer n) {
        requireNotBuilt("sequence_length");
        this.sequenceLength = n == null ? null : Windows.positive(where(), "sequence_length", n);
        return this;
    }

    /** Keras's window: "hann", "hamming" or null (none). */
    public MelSpectrogram window(String name) {
        requireNotBuilt("window");
        if (name != null && !name.equals("hann") && !name.equals("hamming")) {
            throw new IllegalArgumentException(where() + ": window must be 'hann', 'hamming' or None, got '" + name
                    + "'");
        }
        this.window = name;
        return this;
    }

    /** Keras's sampling_rate, in Hz. */
    public MelSpectrogram samplingRate(double hz) {
        requireNotBuilt("sampling_rate");
        this.samplingRate = positive("sampling_rate", hz);
        return this;
    }

    /** Keras's num_mel_bins. */
    public MelSpectrogram numMelBins(int n) {
        requireNotBuilt("num_mel_bins");
        this.numMelBins = Windows.positive(where(), "num_mel_bins", n);
        return this;
    }

    /** Keras's min_freq, in Hz: the lower edge of the lowest mel band. */
    public MelSpectrogram minFreq(double hz) {
        requireNotBuilt("min_freq");
        this.minFreq = hz;
        return this;
    }

    /** Keras's max_freq, in Hz: the upper edge of the highest mel band; null (or 0, as Keras) for {@code int(sampling_rate / 2)}. */
    public MelSpectrogram maxFreq(Double hz) {
        requireNotBuilt("max_freq");
        this.maxFreq = hz == null || hz == 0 ? null : hz;
        return this;
    }

    /** Keras's power_to_db. */
    public MelSpectrogram powerToDb(boolean on) {
        requireNotBuilt("power_to_db");
        this.powerToDb = on;
        return this;
    }

    /** Keras's top_db: the dB below the batch's maximum at which the output is clipped. */
    public MelSpectrogram topDb(double db) {
        requireNotBuilt("top_db");
        this.topDb = db;
        return this;
    }

    /** Keras's mag_exp: 1 for the magnitude, 2 for the power. */
    public MelSpectrogram magExp(double e) {
        requireNotBuilt("mag_exp");
        this.magExp = e;
        return this;
    }

    /** Keras's min_power: the floor of the power and of ref_power before the log. */
    public MelSpectrogram minPower(double p) {
        requireNotBuilt("min_power");
        this.minPower = p;
        return this;
    }

    /** Keras's ref_power: the power of 0 dB (its absolute value is used). */
    public MelSpectrogram refPower(double p) {
        requireNotBuilt("ref_power");
        this.refPower = p;
        return this;
    }

    /** Keras's fft_length. */
    public int fftLength() {
        return fftLength;
    }

    /** Keras's sequence_stride. */
    public int sequenceStride() {
        return sequenceStride;
    }

    /** Keras's sequence_length as used: the given one or fft_length (Keras's config holds this). */
    public int sequenceLength() {
        return sequenceLength != null ? sequenceLength : fftLength;
    }

    /** Keras's window: "hann", "hamming" or null. */
    public String window() {
        return window;
    }

    /** Keras's sampling_rate. */
    public double samplingRate() {
        return samplingRate;
    }

    /** Keras's num_mel_bins. */
    public int numMelBins() {
        return numMelBins;
    }

    /** Keras's min_freq. */
    public double minFreq() {
        return minFreq;
    }

    /** Keras's max_freq as used: the given one or {@code int(sampling_rate / 2)}. */
    public double maxFreq() {
        return maxFreq != null ? maxFreq : Math.floor(samplingRate / 2);
    }

    /** Keras's power_to_db. */
    public boolean powerToDb() {
        return powerToDb;
    }

    /** Keras's top_db. */
    public double topDb() {
        return topDb;
    }

    /** Keras's mag_exp. */
    public double magExp() {
        return magExp;
    }

    /** Keras's min_power. */
    public double minPower() {
        return minPower;
    }

    /** Keras's ref_power. */
    public double refPower() {
        return refPower;
    }

    private int bins() {
        return fftLength / 2 + 1;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        if (in.rank() != 1) {
            throw new IllegalArgumentException(where() + ": expected an input (batch, samples), got " + batchless(in));
        }
        if (sequenceLength() > fftLength) {
            throw new IllegalArgumentException(where() + ": fft_length must be >= sequence_length, got sequence_length="
                    + sequenceLength() + " and fft_length=" + fftLength);
        }
        int left = (fftLength - sequenceLength()) / 2; // the window centred in the frame, as Keras's ops.stft
        float[] win = window == null ? ones(fftLength) : AudioMath.tfWindow(window, sequenceLength());
        int first = window == null ? 0 : left;
        Device d = device();
        float[] mel = AudioMath.melMatrix(numMelBins, bins(), (float) samplingRate, (float) minFreq,
                (float) maxFreq()); // (bins, mels)
        float[] melT = new float[mel.length];
        for (int f = 0; f < bins(); f++) {
            for (int b = 0; b < numMelBins; b++) {
                melT[b * bins() + f] = mel[f * numMelBins + b];
            }
        }
        matrices = new Matrices(d.tensor(AudioMath.dftMatrix(fftLength, first, win, bins()), win.length, 2 * bins()),
                d.tensor(melT, 1, numMelBins, bins()));
        return outputShapeFor(in);
    }

    private static float[] ones(int n) {
        float[] w = new float[n];
        Arrays.fill(w, 1f);
        return w;
    }

    /** Any number of samples. */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    /**
     * {@code (num_mel_bins, frames)}, frames = {@code 1 + (samples + 2·(fft_length // 2) − fft_length)
     * // sequence_stride}, the frames the layer computes (and TensorFlow's stft returns). Keras's
     * compute_output_shape says {@code 1 + (samples + 1) // sequence_stride}, more than that by the
     * multiples of the stride in {@code (samples, samples + 1]} for an even fft_length and in
     * {@code (samples − 1, samples + 1]} for an odd one (two more with a stride of 1); rnn4j gives
     * the real count.
     */
    @Override
    protected Shape outputShapeFor(Shape in) {
        int n = in.dim(0);
        return Shape.withUnknown(numMelBins, n == Shape.UNKNOWN ? Shape.UNKNOWN : frameCount(n));
    }

    private int frameCount(int samples) {
        int padded = samples + 2 * (fftLength / 2);
        return padded < fftLength ? 0 : 1 + (padded - fftLength) / sequenceStride;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask); // as Keras 3, which does not support masking here
        int batch = x.dim(0);
        int samples = x.dim(1);
        if (samples <= fftLength / 2) {
            throw new IllegalArgumentException(where() + ": a signal of " + samples + " samples is too short for "
                    + "fft_length=" + fftLength + ": its center padding reflects " + fftLength / 2 + " samples on each "
                    + "side, which needs more than " + fftLength / 2 + " samples (as TensorFlow's reflect pad)");
        }
        long padded = (long) batch * (samples + 2 * (fftLength / 2)); // bounds the framing table's rows
        if (padded > Ops.MAX_GATHER_ROWS) {
            throw new IllegalArgumentException(where() + ": a batch of " + batch + " signals of " + samples
                    + " samples has " + padded + " samples with its center padding, more than "
                    + Ops.MAX_GATHER_ROWS + " (gather indices are float32); predict it in smaller batches");
        }
        int count = frameCount(samples);
        Matrices m = matrices.on(x.device());
        matrices = m;
        Tensor dft = m.dft();
        int taps = dft.dim(0);
        int bins = bins();
        int width = chunk(taps);
        int lines = (samples + 2 * (fftLength / 2)) / width; // whole chunks of each padded signal
        Variable table = Ops.reshape(padded(x, lines * width), batch * lines, width);
        Variable framed = Ops.reshape(Ops.gather(table, indices(x.device(), batch, samples, width, lines)),
                batch * count, taps);
        Variable[] reIm = Ops.split(Ops.matmul(framed, Variable.constant(dft)), 1, bins, bins);
        Variable power = Ops.add(Ops.unary(UnaryOp.SQUARE, reIm[0]), Ops.unary(UnaryOp.SQUARE, reIm[1]));
        Variable spec = Ops.power(Ops.unary(UnaryOp.SQRT, power), (float) magExp);
        // melᵀ · specᵀ per signal gives (mels, frames) directly, with no transpose (a gather) after.
        Variable melT = Variable.constant(m.melT());
        if (batch != 1) {
            melT = Ops.broadcastTo(melT, Shape.of(batch, numMelBins, bins));
        }
        Variable out = Ops.batchMatmul(melT, Ops.reshape(spec, batch, count, bins), false, true);
        if (powerToDb) {
            out = decibels(out);
        }
        return out;
    }

    /** Keras's _dbscale: 10·log10 relative to ref_power, clipped at the batch's maximum − top_db. */
    private Variable decibels(Variable s) {
        float floor = (float) minPower;
        float ref = Math.max(Math.abs((float) refPower), floor);
        float log10 = (float) Math.log(10);
        float refDb = 10f * ((float) Math.log(ref) / log10);
        Variable db = Ops.affine(Ops.unary(UnaryOp.LOG, Ops.clip(s, floor, Float.POSITIVE_INFINITY)), 10f / log10,
                -refDb);
        if (db.value().size() == 0) {
            return db;
        }
        Variable top = Ops.max(Ops.reshape(db, Math.toIntExact(db.value().size())), 0, false);
        return Ops.maximum(db, Ops.affine(top, 1f, (float) -topDb));
    }

    /**
     * The frames' common chunk: every frame starts at a multiple of it in the padded signal and
     * spans a whole number of them, so a frame is {@code taps / chunk} rows of a table of chunks
     * (128 floats at fft_length 512, stride 128) rather than {@code taps} one-float rows.
     */
    private int chunk(int taps) {
        int first = window == null ? 0 : (fftLength - sequenceLength()) / 2;
        return gcd(gcd(sequenceStride, taps), first == 0 ? taps : first);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * x with its center padding, {@code fft_length // 2} samples on each side reflected without
     * repeating the edge (TensorFlow's reflect pad, as Keras's stft with center=True), cut to its
     * first {@code length} samples (whole chunks; the frames end before).
     */
    private Variable padded(Variable x, int length) {
        int pad = fftLength / 2;
        int samples = x.dim(1);
        Variable before = Ops.reverse(Ops.slice(x, 1, 1, pad), 1);
        Variable after = Ops.reverse(Ops.slice(x, 1, samples - 1 - pad, pad), 1);
        Variable whole = Ops.concat(1, before, x, after);
        return length == samples + 2 * pad ? whole : Ops.slice(whole, 1, 0, length);
    }

    /** Each frame's chunks as rows of the (batch·lines, width) table of padded signals. */
    private Tensor indices(Device device, int batch, int samples, int width, int lines) {
        Frames f = frames;
        if (f != null && f.device() == device && f.batch() == batch && f.samples() == samples) {
            return f.indices();
        }
        int count = frameCount(samples);
        int per = matrices.dft().dim(0) / width;
        int first = window == null ? 0 : (fftLength - sequenceLength()) / 2;
        float[] idx = new float[batch * count * per];
        int i = 0;
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < count; j++) {
                for (int q = 0; q < per; q++) {
                    idx[i++] = (long) b * lines + (j * sequenceStride + first) / width + q;
                }
            }
        }
        Tensor t = device.tensor(idx, batch * count, per);
        frames = new Frames(device, batch, samples, t);
        return t;
    }

    private double positive(String option, double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException(where() + ": " + option + " must be > 0, got " + v);
        }
        return v;
    }
}
