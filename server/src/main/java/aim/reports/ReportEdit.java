package aim.reports;

import java.util.List;
import java.util.Map;

/**
 * A checked partial edit: the report's values after it, whether the point moved (so it is stored
 * again and re-checked against the council area), and the {@code changes} recorded in the history,
 * {field: [old, new]} with the API's field names ({@code flyTipping.size} for nested ones).
 */
public record ReportEdit(ReportFields fields, boolean moved, Map<String, List<Object>> changes) {
    public boolean isEmpty() {
        return changes.isEmpty();
    }
}
