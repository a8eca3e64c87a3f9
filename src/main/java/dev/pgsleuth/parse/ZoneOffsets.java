package dev.pgsleuth.parse;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** The offset a time zone written in a log stands for: one table for every log format. */
final class ZoneOffsets {

    /**
     * PostgreSQL's default {@code timezone_abbreviations} set, for the abbreviations {@code %Z}
     * writes; unknown ones fall back to Java's short ids, then to UTC.
     */
    private static final Map<String, ZoneOffset> ABBREVIATIONS = new HashMap<>();

    static {
        String[][] table = {
            {"UTC", "+00:00"}, {"GMT", "+00:00"}, {"UT", "+00:00"}, {"Z", "+00:00"}, {"WET", "+00:00"},
            {"WEST", "+01:00"}, {"BST", "+01:00"}, {"IST", "+02:00"}, {"CET", "+01:00"}, {"MET", "+01:00"},
            {"WAT", "+01:00"}, {"CEST", "+02:00"}, {"MEST", "+02:00"}, {"EET", "+02:00"}, {"SAST", "+02:00"},
            {"CAT", "+02:00"}, {"EEST", "+03:00"}, {"MSK", "+03:00"}, {"EAT", "+03:00"}, {"MSD", "+04:00"},
            {"PKT", "+05:00"}, {"ICT", "+07:00"}, {"WIB", "+07:00"}, {"HKT", "+08:00"}, {"SGT", "+08:00"},
            {"AWST", "+08:00"}, {"PHT", "+08:00"}, {"JST", "+09:00"}, {"KST", "+09:00"}, {"ACST", "+09:30"},
            {"AEST", "+10:00"}, {"ACDT", "+10:30"}, {"AEDT", "+11:00"}, {"NZST", "+12:00"}, {"NZDT", "+13:00"},
            {"ADT", "-03:00"}, {"AST", "-04:00"}, {"BRT", "-03:00"}, {"ART", "-03:00"}, {"NDT", "-02:30"},
            {"NST", "-03:30"}, {"EDT", "-04:00"}, {"EST", "-05:00"}, {"CDT", "-05:00"}, {"CST", "-06:00"},
            {"MDT", "-06:00"}, {"MST", "-07:00"}, {"PDT", "-07:00"}, {"PST", "-08:00"}, {"AKDT", "-08:00"},
            {"AKST", "-09:00"}, {"HDT", "-09:00"}, {"HST", "-10:00"},
        };
        for (String[] row : table) {
            ABBREVIATIONS.put(row[0], ZoneOffset.of(row[1]));
        }
    }

    private ZoneOffsets() {
    }

    /**
     * The offset {@code zone} (an abbreviation, a numeric offset or a region id, as PostgreSQL
     * writes {@code %Z}) stands for at local time {@code local}; UTC when absent or unknown.
     */
    static ZoneOffset of(String zone, LocalDateTime local) {
        if (zone.isEmpty()) {
            return ZoneOffset.UTC;
        }
        char first = zone.charAt(0);
        if (first == '+' || first == '-') {
            return numericOffset(zone);
        }
        ZoneOffset known = ABBREVIATIONS.get(zone);
        if (known != null) {
            return known;
        }
        try {
            return ZoneId.of(zone, ZoneId.SHORT_IDS).getRules().getOffset(local);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    /** {@code +03}, {@code -0330}, {@code +05:30}. */
    private static ZoneOffset numericOffset(String zone) {
        int sign = zone.charAt(0) == '-' ? -1 : 1;
        String digits = zone.substring(1).replace(":", "");
        try {
            int hours;
            int minutes = 0;
            if (digits.length() <= 2) {
                hours = Integer.parseInt(digits);
            } else if (digits.length() == 4) {
                hours = Integer.parseInt(digits.substring(0, 2));
                minutes = Integer.parseInt(digits.substring(2));
            } else {
                return ZoneOffset.UTC;
            }
            return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
        } catch (NumberFormatException | DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

}
