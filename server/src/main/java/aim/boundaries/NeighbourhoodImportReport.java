package aim.boundaries;

import aim.core.Issue;

import java.util.List;

/** What defining a neighbourhood version did; {@code unassignedWards} are wards in no neighbourhood. */
public record NeighbourhoodImportReport(String version, String basedOn, int neighbourhoods, int wards,
                                        List<String> unassignedWards, List<Issue> issues) {
}
