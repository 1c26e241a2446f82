package aim.indicators;

import java.util.List;

/**
 * One indicator's definition. {@code direction} is the way that is good: {@code down} (fewer is better) or
 * {@code up}. A computed indicator counts the incidents of {@code categoryGroup} (null: every category) from
 * {@code sourceGroup}: {@code police} (police-reported), {@code public} (council or public reports),
 * {@code warden} or {@code all}.
 */
public record Indicator(String code, String name, IndicatorKind kind, String direction, String source, String licence,
                        String categoryGroup, String sourceGroup, boolean demo) {

    /** The incident sources of a source group (empty: every source). */
    public List<String> incidentSources() {
        if (sourceGroup == null) return List.of();
        return switch (sourceGroup) {
            case "police" -> List.of("police");
            case "public" -> List.of("council", "public");
            case "warden" -> List.of("warden");
            default -> List.of();
        };
    }

    public boolean upIsGood() {
        return "up".equals(direction);
    }
}
