package io.rnn4j.cli.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The date data: every text means exactly one date, so exact-match accuracy can reach 100%. */
class DateFormatsTest {

    @Test
    void noTextMeansTwoDates() {
        Map<String, LocalDate> meaning = new HashMap<>();
        StringBuilder conflicts = new StringBuilder();
        for (LocalDate d = DateFormats.FIRST; !d.isAfter(DateFormats.LAST); d = d.plusDays(1)) {
            for (DateFormats.Format f : DateFormats.formats()) {
                String text = f.format(d);
                LocalDate before = meaning.putIfAbsent(text, d);
                if (before != null && !before.equals(d) && conflicts.length() < 500) {
                    conflicts.append(f.name()).append(": '").append(text).append("' is ").append(d).append(" and ")
                            .append(before).append('\n');
                }
            }
        }
        assertThat(conflicts.toString()).as("ambiguous texts").isEmpty();
    }

    @Test
    void examplesPairATextWithItsIsoDateAndAreReproducible() {
        Random r1 = new Random(5);
        Random r2 = new Random(5);
        for (int i = 0; i < 200; i++) {
            DateFormats.Example a = DateFormats.random(r1);
            assertThat(DateFormats.random(r2)).isEqualTo(a);
            assertThat(a.iso()).matches("(19[5-9]\\d|20[0-4]\\d)-\\d\\d-\\d\\d");
            LocalDate d = LocalDate.parse(a.iso());
            DateFormats.Format f = DateFormats.formats().stream().filter(x -> x.name().equals(a.format())).findFirst()
                    .orElseThrow();
            assertThat(f.format(d)).isEqualTo(a.text());
        }
        assertThat(DateFormats.formats()).extracting(DateFormats.Format::name).contains("fr-FR full", "en-US medium");
        assertThat(DateFormats.formats().get(0).format(LocalDate.of(2026, 11, 26))).isEqualTo(
                "Thursday, November 26, 2026");
    }
}
