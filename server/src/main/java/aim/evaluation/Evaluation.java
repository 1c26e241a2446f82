package aim.evaluation;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /api/evaluation}: incidents before and after in the target, its buffer and the
 * control; RES with its 95 % interval; WDQ (null when undefined) and their reading ({@link EffectSize},
 * {@link EffectReading}). No number is NaN or infinite. {@code zones} are the three areas as GeoJSON
 * geometries (WGS84) for the map.
 */
public record Evaluation(Subject subject, List<String> categories, List<String> sources, Periods periods, int bufferMetres,
                         Control controlAreas, EffectSize.Counts target, EffectSize.Counts buffer, EffectSize.Counts control,
                         EffectSize.Res res, Double wdq, EffectReading interpretation, Zones zones, List<String> notes,
                         Map<String, Object> redaction) {

    /** What was evaluated: the area (as asked), its label, and the action and problem when there are. */
    public record Subject(String area, String label, Long problemId, Long actionId, String actionTitle) {
    }

    public record Period(LocalDate from, LocalDate to, long days) {
    }

    public record Periods(Period before, Period after) {
    }

    /** The control: "borough" (every current ward) or the chosen ward codes; the ward version. */
    public record Control(String kind, List<String> wards, String version) {
    }

    public record Zones(JsonNode target, JsonNode buffer, JsonNode control) {
    }
}
