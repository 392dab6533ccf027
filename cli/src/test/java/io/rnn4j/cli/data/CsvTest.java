package io.rnn4j.cli.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The CSV reader: RFC 4180 quoting, and errors that name the file, line and column. */
class CsvTest {

    @Test
    void readsQuotedFieldsWithCommasQuotesAndLineBreaks() {
        CsvTable t = Csv.parse("name,text\r\n a , \"x, \"\"y\"\"\nz\" \n\n\"b\",c\n", "t.csv", true);
        assertThat(t.columnNames()).containsExactly("name", "text");
        assertThat(t.rowCount()).isEqualTo(2);
        assertThat(t.get(0, 0)).isEqualTo("a");
        assertThat(t.get(0, 1)).isEqualTo("x, \"y\"\nz");
        assertThat(t.get(1, 0)).isEqualTo("b");
        assertThat(t.line(1)).as("blank lines and the line break inside quotes are counted").isEqualTo(5);
    }

    @Test
    void findsColumnsByNameOrNumber() {
        CsvTable t = Csv.parse("Date,CO2\n1958-03-01,315.7\n", "t.csv", true);
        assertThat(t.column("CO2")).isEqualTo(1);
        assertThat(t.column("co2")).isEqualTo(1);
        assertThat(t.column("1")).isEqualTo(0);
        assertThat(t.numbers(1)).containsExactly(315.7);
        CsvTable noHeader = Csv.parse("1,2\n3,4\n", "n.csv", false);
        assertThat(noHeader.columnNames()).containsExactly("1", "2");
        assertThat(noHeader.numbers(noHeader.column("2"))).containsExactly(2, 4);
    }

    @Test
    void anUnknownColumnListsTheColumns() {
        CsvTable t = Csv.parse("Date,CO2\n1958-03-01,315.7\n", "t.csv", true);
        assertThatThrownBy(() -> t.column("temp")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("t.csv: no column 'temp'; the columns are 1 'Date', 2 'CO2' "
                        + "(give a name or a number from 1 to 2)");
        assertThatThrownBy(() -> t.column("3")).hasMessageContaining("no column '3'");
    }

    @Test
    void aFieldThatIsNotANumberIsNamedByLineAndColumn() {
        CsvTable t = Csv.parse("Date,CO2\n1958-03-01,315.7\n1958-04-01,n/a\n", "t.csv", true);
        assertThatThrownBy(() -> t.numbers(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("t.csv: line 3, column 'CO2': 'n/a' is not a finite number");
        CsvTable nan = Csv.parse("v\nNaN\n", "nan.csv", true);
        assertThatThrownBy(() -> nan.numbers(0)).hasMessageContaining("'NaN' is not a finite number");
    }

    @Test
    void aValueThatOverflowsFloat32IsRefusedNotTurnedIntoInfinity() {
        CsvTable t = Csv.parse("a,b\n1,2\n3,-1e39\n", "big.csv", true);
        assertThatThrownBy(() -> t.numbers(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("big.csv: line 3, column 'b': '-1e39' is too large for float32 (at most ±3.4028235E38)");
        CsvTable edge = Csv.parse("v\n3.4028235e38\n1e-50\n", "edge.csv", true);
        assertThat(edge.numbers(0)).as("float32's largest value and an underflow to 0 are fine")
                .containsExactly(3.4028235e38, 1e-50);
    }

    @Test
    void malformedFilesAreRefusedNamingTheLine() {
        assertThatThrownBy(() -> Csv.parse("a,b\n1,2\n3\n", "r.csv", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("r.csv: line 3 has 1 fields, line 1 has 2");
        assertThatThrownBy(() -> Csv.parse("a,b\n\"1,2\n", "q.csv", true))
                .hasMessage("q.csv: line 2: a quoted field is never closed");
        assertThatThrownBy(() -> Csv.parse("a,b\n1\"x\",2\n", "q.csv", true))
                .hasMessageContaining("line 2: a quote inside an unquoted field");
        assertThatThrownBy(() -> Csv.parse("a,b\n\"1\"x,2\n", "q.csv", true))
                .hasMessageContaining("line 2: text after a closing quote");
        assertThatThrownBy(() -> Csv.parse("\n\n", "e.csv", true)).hasMessage("e.csv: no data (the file is empty)");
    }
}
