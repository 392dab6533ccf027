package io.rnn4j.layers.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keras 3's progress display: the terminal bar redrawn in place, and Keras's number formats. */
class ProgressBarTest {

    @Test
    void onATerminalTheBarIsRedrawnInPlaceAndEndsWithTheEpochLogs() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8), 4, true);
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", 0.25);
        logs.put("mae", 0.0004);
        bar.update(1, logs, false);
        bar.update(4, logs, true);
        String out = buf.toString(StandardCharsets.UTF_8);
        String plain = out.replaceAll("\u001b\\[[0-9;]*m", "");
        String[] draws = plain.split("\r");
        assertThat(draws).hasSize(3);
        assertThat(draws[1]).startsWith("1/4 ━━━━━━━━━━━━━━━━━━━━ ").contains(" - loss: 0.2500 - mae: 4.0000e-04");
        assertThat(draws[2]).matches("4/4 ━{20} \\d+s \\d+(us|ms|s)/step - loss: 0.2500 - mae: 4.0000e-04 *\n");
        assertThat(out).contains("\u001b[32m" + "━".repeat(20));
    }

    @Test
    void kerasNumberAndTimeFormats() {
        assertThat(ProgressBar.format(0.12345)).isEqualTo("0.1235");
        assertThat(ProgressBar.format(0.001)).isEqualTo("1.0000e-03");
        assertThat(ProgressBar.formatTime(0.0031)).isEqualTo(" 3ms/step");
        assertThat(ProgressBar.formatTime(2.2)).isEqualTo(" 2s/step");
        assertThat(ProgressBar.formatTime(0.0000412)).isEqualTo(" 41us/step");
    }
}
