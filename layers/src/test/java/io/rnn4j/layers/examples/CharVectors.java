package io.rnn4j.layers.examples;

import io.rnn4j.engine.Tensor;
import java.util.List;
import java.util.TreeSet;

/**
 * lstm_seq2seq.py's "Prepare the data": the sorted input and target characters ("\t" starts a target,
 * "\n" ends it), and one-hot encoder inputs, decoder inputs and decoder targets (one step ahead), every
 * step past a text's end set to " ", as the example writes them.
 */
record CharVectors(String inputCharacters, String targetCharacters, int maxEncoderSeqLength,
        int maxDecoderSeqLength) {

    /** The characters and lengths of {@code pairs} ({input, target} without "\t" and "\n"). */
    static CharVectors of(List<String[]> pairs) {
        TreeSet<Character> in = new TreeSet<>();
        TreeSet<Character> out = new TreeSet<>();
        int maxIn = 0;
        int maxOut = 0;
        for (String[] p : pairs) {
            String target = "\t" + p[1] + "\n";
            p[0].chars().forEach(c -> in.add((char) c));
            target.chars().forEach(c -> out.add((char) c));
            maxIn = Math.max(maxIn, p[0].length());
            maxOut = Math.max(maxOut, target.length());
        }
        if (!in.contains(' ') || !out.contains(' ')) {
            throw new IllegalArgumentException("the example pads with ' ': some input and target must hold one");
        }
        return new CharVectors(join(in), join(out), maxIn, maxOut);
    }

    private static String join(TreeSet<Character> chars) {
        StringBuilder b = new StringBuilder();
        chars.forEach(b::append);
        return b.toString();
    }

    int numEncoderTokens() {
        return inputCharacters.length();
    }

    int numDecoderTokens() {
        return targetCharacters.length();
    }

    int targetIndex(char c) {
        int i = targetCharacters.indexOf(c);
        if (i < 0) {
            throw new IllegalArgumentException("'" + c + "' is not a target character: " + targetCharacters);
        }
        return i;
    }

    char targetChar(int index) {
        return targetCharacters.charAt(index);
    }

    private int inputIndex(char c) {
        int i = inputCharacters.indexOf(c);
        if (i < 0) {
            throw new IllegalArgumentException("'" + c + "' is not an input character: " + inputCharacters);
        }
        return i;
    }

    /** {@code [encoder_input_data, decoder_input_data, decoder_target_data]} of {@code pairs}. */
    Tensor[] vectorize(List<String[]> pairs) {
        int n = pairs.size();
        int ni = numEncoderTokens();
        int nd = numDecoderTokens();
        float[] enc = new float[n * maxEncoderSeqLength * ni];
        float[] dec = new float[n * maxDecoderSeqLength * nd];
        float[] tgt = new float[n * maxDecoderSeqLength * nd];
        for (int i = 0; i < n; i++) {
            String input = pairs.get(i)[0];
            String target = "\t" + pairs.get(i)[1] + "\n";
            for (int t = 0; t < maxEncoderSeqLength; t++) {
                enc[(i * maxEncoderSeqLength + t) * ni + inputIndex(t < input.length() ? input.charAt(t) : ' ')] = 1f;
            }
            for (int t = 0; t < maxDecoderSeqLength; t++) {
                int at = (i * maxDecoderSeqLength + t) * nd;
                dec[at + targetIndex(t < target.length() ? target.charAt(t) : ' ')] = 1f;
                // the target is one step ahead and leaves out "\t"; from the last character on it is " "
                tgt[at + targetIndex(t + 1 < target.length() ? target.charAt(t + 1) : ' ')] = 1f;
            }
        }
        return new Tensor[] {Tensor.of(enc, n, maxEncoderSeqLength, ni), Tensor.of(dec, n, maxDecoderSeqLength, nd),
                Tensor.of(tgt, n, maxDecoderSeqLength, nd)};
    }
}
