package io.rnn4j.cli.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundled data sets load whole, with the sizes and contents NOTICE.md describes. */
class DatasetsTest {

    @Test
    void co2IsTheMonthlyMaunaLoaRecordWithGapsFilled() {
        TimeSeries s = Datasets.co2();
        // 1958-03 .. 2020-04 is 746 months; the file has 741 rows, so 5 months were interpolated.
        assertThat(s.length()).isEqualTo(746);
        assertThat(s.interpolated()).isEqualTo(5);
        assertThat(s.values()[0]).isEqualTo(315.70);
        assertThat(s.values()[745]).isEqualTo(416.18);
        assertThat(s.time()[0]).isEqualTo(1958 + 2 / 12.0);
        // 1958-06 is missing between 1958-05 (317.51) and 1958-07 (315.86): the midpoint.
        assertThat(s.values()[3]).isCloseTo((317.51 + 315.86) / 2, org.assertj.core.data.Offset.offset(1e-9));
        for (int i = 1; i < s.length(); i++) {
            assertThat(s.time()[i] - s.time()[i - 1]).isCloseTo(1 / 12.0, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void mobyDickIsTheWholeBook() {
        String text = Datasets.mobyDick();
        assertThat(text).hasSize(1_190_317);
        assertThat(text).startsWith("CHAPTER 1. Loomings.\n\nCall me Ishmael.");
        assertThat(text).contains("CHAPTER 135. The Chase.—Third Day.");
    }

    @Test
    void sentimentHas3000BalancedSentencesFromThreeSources() {
        List<Datasets.LabelledSentence> all = Datasets.sentiment();
        assertThat(all).hasSize(3000);
        assertThat(all.stream().filter(s -> s.label() == 1)).hasSize(1500);
        for (String source : List.of("amazon", "imdb", "yelp")) {
            assertThat(all.stream().filter(s -> s.source().equals(source))).hasSize(1000);
        }
        assertThat(all).allSatisfy(s -> assertThat(s.text()).isNotBlank().doesNotContain("\t"));
        assertThat(all.get(0).text()).isEqualTo("So there is no way for me to plug it in here in the US unless I go by a converter.");
    }

    @Test
    void monthlySeriesRefuseDatesOutOfOrder() {
        assertThatThrownBy(() -> TimeSeries.monthly("v", new String[] {"2000-02", "2000-01"}, new double[] {1, 2}, "x.csv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x.csv: date '2000-01' does not come after 2000-02");
        assertThatThrownBy(() -> TimeSeries.monthly("v", new String[] {"March 2000"}, new double[] {1}, "x.csv"))
                .hasMessageContaining("'March 2000' is not a date");
    }
}
