package aim.boundaries;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the code and name fields of a boundary file when the user names none. ONS files of any year
 * name them {@code <PREFIX><YY>CD} and {@code <PREFIX><YY>NM} (WD13CD/WD13NM, WD24CD/WD24NM,
 * LSOA11CD/LSOA11NM, LAD23CD…); other files often use plain {@code code} and {@code name}.
 */
public final class OnsFieldNames {
    private static final Pattern ONS_CODE = Pattern.compile("^([A-Z]{2,6})(\\d{2})CD$", Pattern.CASE_INSENSITIVE);

    /** The detected pair and, for an ONS file, the two-digit year of its boundaries (e.g. "13"). */
    public record Detected(String codeField, String nameField, String onsYear) {
    }

    private OnsFieldNames() {
    }

    public static Optional<Detected> detect(Collection<String> fields, BoundaryLevel level) {
        List<String> preferredPrefixes = switch (level) {
            case WARD -> List.of("WD");
            case LSOA -> List.of("LSOA");
            case NEIGHBOURHOOD, ZONE -> List.of();
        };
        Detected best = null;
        for (String field : fields) {
            Matcher m = ONS_CODE.matcher(field);
            if (!m.matches()) continue;
            String name = find(fields, m.group(1) + m.group(2) + "NM");
            if (name == null) continue;
            Detected candidate = new Detected(field, name, m.group(2));
            boolean preferred = preferredPrefixes.contains(m.group(1).toUpperCase(Locale.ROOT));
            if (preferred) return Optional.of(candidate);
            if (best == null) best = candidate;
        }
        if (best != null) return Optional.of(best);
        String code = find(fields, "code");
        String name = find(fields, "name");
        return code != null && name != null ? Optional.of(new Detected(code, name, null)) : Optional.empty();
    }

    private static String find(Collection<String> fields, String wanted) {
        return fields.stream().filter(f -> f.equalsIgnoreCase(wanted)).findFirst().orElse(null);
    }
}
