package aim.reports;

/** The JSON body of {@code PATCH /api/reports/{id}/status}: the new status, who it is assigned to, and a note for the history. */
public record StatusChange(String status, String assignedTo, String note) {
}
