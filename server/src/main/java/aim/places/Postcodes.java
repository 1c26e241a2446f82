package aim.places;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * UK postcodes as the search compares them: capitals without spaces ("ts1 2ab" and "TS1  2AB" are both
 * "TS12AB"), and written with one space before the inward code ("TS1 2AB"). A full postcode is an outward
 * code (the district: "TS1", "W1A", "EC1A") followed by an inward code (a digit and two letters).
 */
public final class Postcodes {
    private static final Pattern OUTWARD = Pattern.compile("[A-Z]{1,2}[0-9][A-Z0-9]?");
    private static final Pattern FULL = Pattern.compile("([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})");
    /** Starts like a postcode: its area (one or two letters), then perhaps a digit and more. */
    private static final Pattern START = Pattern.compile("[A-Z]{1,2}([0-9][A-Z0-9]*)?");

    private Postcodes() {
    }

    /** The search key: capitals, no white space. */
    public static String key(String text) {
        return text == null ? "" : text.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
    }

    /** Whether the text is a whole postcode ("TS1 2AB", "ts12ab"). */
    public static boolean isFull(String text) {
        return FULL.matcher(key(text)).matches();
    }

    /** Whether the text is an outward code alone, a postcode district ("TS1", "ts 10"). */
    public static boolean isDistrict(String text) {
        return OUTWARD.matcher(key(text)).matches();
    }

    /** Whether the text may be the start of a postcode ("TS", "TS1", "TS12", "TS1 2A"; not "TSX" or "Acklam"). */
    public static boolean isStart(String text) {
        String k = key(text);
        return k.length() <= 7 && START.matcher(k).matches();
    }

    /** A postcode written the usual way ("TS1 2AB"), or its key when it is not a whole postcode. */
    public static String format(String text) {
        var m = FULL.matcher(key(text));
        return m.matches() ? m.group(1) + " " + m.group(2) : key(text);
    }

    /** The district (outward code) of a whole postcode, or null. */
    public static String district(String text) {
        var m = FULL.matcher(key(text));
        return m.matches() ? m.group(1) : null;
    }
}
