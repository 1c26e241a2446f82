package aim.boundaries;

import java.util.List;

/** A neighbourhood as a named group of ward codes (e.g. North = the wards of the North NAP). */
public record NeighbourhoodDefinition(String code, String name, List<String> wards) {
}
