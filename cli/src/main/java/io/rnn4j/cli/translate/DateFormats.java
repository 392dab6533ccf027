package io.rnn4j.cli.translate;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The translation demo's data: dates written as people write them in many languages and formats,
 * made with java.time's own locale data, each paired with its ISO form.
 *
 * <p>Dates range over 1950-01-01 .. 2049-12-31 so that a two-digit year names one century (50..99
 * → 19xx, 00..49 → 20xx). Numeric formats that read differently in two locales (is "04/03/53" the
 * 4th of March or the 3rd of April?) would make the task impossible to get exactly right, so only
 * one numeric convention per separator and year length is kept: {@code DateFormatsTest} checks
 * that no text means two dates.
 */
public final class DateFormats {
    /** The first and last dates generated. */
    public static final LocalDate FIRST = LocalDate.of(1950, 1, 1);
    public static final LocalDate LAST = LocalDate.of(2049, 12, 31);

    /** One way of writing a date: a locale and a style or pattern. */
    public record Format(String name, DateTimeFormatter formatter) {
        public String format(LocalDate date) {
            return formatter.format(date);
        }
    }

    /** A written date and its ISO form. */
    public record Example(String text, String iso, String format) {
    }

    private static final List<Format> FORMATS = build();

    private DateFormats() {
    }

    private static List<Format> build() {
        List<Format> f = new ArrayList<>();
        String[] everyStyle = {"en-US", "en-GB", "fr-FR", "de-DE", "pt-BR", "nl-NL", "pl-PL", "ru-RU", "tr-TR", "sv-SE",
            "ja-JP", "zh-CN", "ko-KR", "ar-EG"};
        // Their SHORT style is day/month/two-digit-year with slashes, which reads as en-US's
        // month/day/two-digit-year: keep their spelled-out styles only.
        String[] spelledOnly = {"es-ES", "it-IT", "el-GR", "hi-IN"};
        for (String tag : everyStyle) {
            for (FormatStyle style : FormatStyle.values()) {
                f.add(localized(tag, style));
            }
        }
        for (String tag : spelledOnly) {
            for (FormatStyle style : new FormatStyle[] {FormatStyle.FULL, FormatStyle.LONG, FormatStyle.MEDIUM}) {
                f.add(localized(tag, style));
            }
        }
        f.add(pattern("en-US", "MMM d yyyy"));
        f.add(pattern("en-US", "d MMMM yyyy"));
        f.add(pattern("en-US", "EEE, MMM d, yyyy"));
        f.add(pattern("en-US", "yyyyMMdd"));
        f.add(pattern("fr-FR", "EEEE d MMMM yyyy"));
        f.add(pattern("de-DE", "d. MMM yyyy"));
        f.add(pattern("es-ES", "d 'de' MMMM, yyyy"));
        return List.copyOf(f);
    }

    private static Format localized(String tag, FormatStyle style) {
        return new Format(tag + " " + style.name().toLowerCase(Locale.ROOT),
                DateTimeFormatter.ofLocalizedDate(style).withLocale(Locale.forLanguageTag(tag)));
    }

    private static Format pattern(String tag, String pattern) {
        return new Format(tag + " '" + pattern + "'",
                DateTimeFormatter.ofPattern(pattern, Locale.forLanguageTag(tag)));
    }

    /** How many languages the formats are in. */
    public static int languages() {
        return (int) FORMATS.stream().map(f -> f.formatter().getLocale().getLanguage()).distinct().count();
    }

    /** Every format used. */
    public static List<Format> formats() {
        return FORMATS;
    }

    /** A uniformly random date written in a uniformly random format. */
    public static Example random(Random random) {
        long days = LAST.toEpochDay() - FIRST.toEpochDay() + 1;
        LocalDate date = LocalDate.ofEpochDay(FIRST.toEpochDay() + (long) (random.nextDouble() * days));
        Format format = FORMATS.get(random.nextInt(FORMATS.size()));
        return new Example(format.format(date), date.toString(), format.name());
    }
}
