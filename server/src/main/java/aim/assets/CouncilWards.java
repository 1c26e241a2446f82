package aim.assets;

import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.BoundarySet;

import java.util.Optional;

/**
 * The current ward set: its union is the council area that assets must lie in, and asset features name
 * the ward of this set they fall in. Empty when no wards are loaded (then features have no ward and
 * nothing can be stored).
 */
final class CouncilWards {
    private CouncilWards() {
    }

    /** The current ward set (the first, as {@code BoundaryRepository.resolve(WARD, null)} orders them), if any. */
    static Optional<BoundarySet> current(BoundaryRepository boundaries) {
        return boundaries.versions().stream().filter(s -> s.level() == BoundaryLevel.WARD && s.current()).findFirst();
    }

    /** The current ward set's id, or null when no wards are loaded. */
    static Long currentId(BoundaryRepository boundaries) {
        return current(boundaries).map(BoundarySet::id).orElse(null);
    }
}
