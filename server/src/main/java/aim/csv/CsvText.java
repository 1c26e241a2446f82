package aim.csv;

/**
 * A text cell of an exported CSV, made safe for spreadsheets (CSV/formula injection, the OWASP rule):
 * a cell beginning with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return would be
 * run by Excel or LibreOffice as a formula (e.g. {@code =HYPERLINK(…)}), so it gets a leading
 * apostrophe, which spreadsheets show as "text". Only text cells go through here: numbers
 * (a change of -3, a rate of -0.5) are written as numbers.
 *
 * <p>Our own CSV imports read such a cell back as it was ({@link #restore}), so an export imports again.
 */
public final class CsvText {
    private CsvText() {
    }

    /** The cell as written to a CSV export; null stays null (an empty field). */
    public static String safe(String cell) {
        return cell != null && startsLikeFormula(cell, 0) ? "'" + cell : cell;
    }

    /** Any value for a CSV record: text made {@link #safe}, anything else (numbers, booleans, dates) as it is. */
    public static Object cell(Object value) {
        return value instanceof CharSequence text ? safe(text.toString()) : value;
    }

    /** A cell read by an import: an apostrophe that {@link #safe} added is taken off again. */
    public static String restore(String cell) {
        return cell != null && cell.length() > 1 && cell.charAt(0) == '\'' && startsLikeFormula(cell, 1) ? cell.substring(1) : cell;
    }

    private static boolean startsLikeFormula(String cell, int at) {
        if (cell.length() <= at) return false;
        char c = cell.charAt(at);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }
}
