package aim.problems;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * The fields of a problem as a request gives them, checked ({@link ProblemInput}): for a creation all of
 * them, for a change only those named in {@code given} ({@code place} is then null unless the area is given).
 */
public record ProblemFields(String title, List<String> categories, ProblemPlace.Resolved place, String owner,
                            Long leadOrganisationId, String leadOrganisationCode, String stage, String objective,
                            ProblemTarget target, LocalDate startDate, LocalDate reviewDate, Set<String> given) {
}
