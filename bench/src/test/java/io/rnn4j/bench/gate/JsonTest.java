package io.rnn4j.bench.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsEveryKindOfValue() {
        Object v = Json.parse(" {\"a\": [1, -2.5e3, \"x\\\"y\\u0041\"], \"b\": {\"t\": true, \"f\": false, \"n\": null},"
                + " \"e\": []} ");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        assertThat(m.get("a")).isEqualTo(List.of(1.0, -2500.0, "x\"yA"));
        @SuppressWarnings("unchecked")
        Map<String, Object> b = (Map<String, Object>) m.get("b");
        assertThat(b).containsEntry("t", true).containsEntry("f", false).containsEntry("n", null);
        assertThat(m.get("e")).isEqualTo(List.of());
    }

    @Test
    void quoteRoundTrips() {
        String s = "a\"b\\c\nd\te\u0001";
        assertThat(Json.parse(Json.quote(s))).isEqualTo(s);
    }

    @Test
    void malformedInputNamesTheOffset() {
        assertThatThrownBy(() -> Json.parse("{\"a\": }")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset 6");
        assertThatThrownBy(() -> Json.parse("[1, 2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected ']'");
        assertThatThrownBy(() -> Json.parse("[1] x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("end of input");
        assertThatThrownBy(() -> Json.parse("\"abc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("closing quote");
    }
}
