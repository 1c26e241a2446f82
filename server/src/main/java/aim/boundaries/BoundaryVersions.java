package aim.boundaries;

import aim.core.DomainException;

import java.util.List;

/**
 * Which boundary sets a request or command names, where they must exist: the given version of a
 * level, or else the current one (for zones: every current layer, possibly none). A version that does
 * not exist is a not-found failure naming {@code version}; a level with nothing current, one naming
 * {@code level}. The repository itself only looks up and answers empty.
 */
public final class BoundaryVersions {
    private BoundaryVersions() {
    }

    /** The named version (a list of one), or the current sets of the level. */
    public static List<BoundarySet> resolve(BoundaryRepository repository, BoundaryLevel level, String version) {
        if (version != null) {
            return List.of(repository.find(level, version).orElseThrow(() -> {
                String known = String.join(", ", repository.versionNames(level));
                return DomainException.notFound("version", "no " + level.id() + " version '" + version + "'"
                        + (known.isEmpty() ? "; none are loaded" : "; known versions: " + known));
            }));
        }
        List<BoundarySet> current = repository.current(level);
        if (current.isEmpty() && level != BoundaryLevel.ZONE) {
            throw DomainException.notFound("level", "no current " + level.id() + " boundaries are loaded");
        }
        return current;
    }

    /** The one set of a level that is named or current (not for zones, which may have several). */
    public static BoundarySet one(BoundaryRepository repository, BoundaryLevel level, String version) {
        return resolve(repository, level, version).get(0);
    }
}
