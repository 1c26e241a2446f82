package aim.assets;

import aim.core.DomainException;
import aim.core.Issue;
import aim.core.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checking an asset answers issues as values (no database): malformed values first, then invalid geometries. */
class AssetDraftTest {

    private static AssetDraft.Checked check(String json) throws Exception {
        return AssetDraft.of(Json.mapper().readValue(json, AssetInput.class), null, "test", false, "", java.time.LocalDate.now());
    }

    @Test
    void aGoodPlaceIsADraft() throws Exception {
        var checked = check("""
                {"kind": "place", "category": "library", "name": "Central Library",
                 "geometry": {"type": "Point", "coordinates": [-1.23, 54.57]}}""");
        assertEquals(List.of(), checked.malformed());
        assertEquals(List.of(), checked.invalid());
        assertNotNull(checked.orElseThrow(UnaryOperator.identity()));
    }

    @Test
    void everyMalformedValueIsAnIssueInTheOrderTheChecksRun() throws Exception {
        var checked = check("""
                {"kind": "place", "category": "", "name": "X", "email": "not-an-address",
                 "geometry": {"type": "Point", "coordinates": ["a", 54]},
                 "eligibility": [{"minimum_age": 200}]}""");
        assertNull(checked.draft());
        assertEquals(List.of("category", "geometry.coordinates", "email", "eligibility[0].minimum_age"),
                checked.malformed().stream().map(Issue::field).toList());
        // the first is what the API reports, as an invalid value
        var e = assertThrows(DomainException.class, () -> checked.orElseThrow(UnaryOperator.identity()));
        assertEquals(DomainException.Kind.INVALID, e.kind());
        assertEquals("category", e.field());
        assertEquals("category is required: an asset category code", e.getMessage());
    }

    @Test
    void anUnknownKindStopsTheChecks() throws Exception {
        var checked = check("""
                {"kind": "castle", "category": "library"}""");
        assertEquals(1, checked.malformed().size());
        assertEquals("unknown kind 'castle': expected place, service or people", checked.malformed().get(0).message());
    }

    @Test
    void aSelfIntersectingPolygonIsRejectedContentNamedByTheCaller() throws Exception {
        var checked = check("""
                {"kind": "place", "category": "park", "name": "Bow tie",
                 "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}}""");
        assertEquals(List.of(), checked.malformed());
        assertEquals(1, checked.invalid().size());
        assertTrue(checked.invalid().get(0).message().startsWith("invalid polygon: Self-intersection"), checked.invalid().toString());
        var e = assertThrows(DomainException.class, () -> checked.orElseThrow(f -> "[0]." + f));
        assertEquals(DomainException.Kind.REJECTED, e.kind());
        assertEquals("[0].geometry", e.field());
    }
}
