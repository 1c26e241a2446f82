package aim.problems;

import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.BoundarySet;
import aim.core.DomainException;
import aim.core.Json;
import aim.hotspots.Grid;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The place of a problem, resolved from what the user gave ({@code area}) into a valid MultiPolygon in
 * EPSG:27700 (metres):
 * <ul>
 *   <li>{@code "ward:CODE"}, {@code "neighbourhood:CODE"}: the area of the current boundary version;</li>
 *   <li>a GeoJSON Polygon or MultiPolygon (WGS84 longitude, latitude in degrees);</li>
 *   <li>{@code {"cell": 250, "cells": [[i, j], …]}}: square British National Grid cells numbered as the
 *       hotspot grids number them (cell (i, j) covers eastings [i·size, (i+1)·size) and northings
 *       [j·size, (j+1)·size)), size {@value Grid#MIN_SIZE}–{@value Grid#MAX_SIZE} m, at most
 *       {@value #MAX_CELLS} cells.</li>
 * </ul>
 * The place must lie within the council area (the union of the current wards, with 1 m tolerance);
 * otherwise, and for anything malformed or unknown, a problem naming {@code area}.
 */
public final class ProblemPlace {
    public static final int MAX_CELLS = 2000;
    /** Largest |easting| or |northing| of a cell corner, in metres (far beyond Great Britain). */
    private static final long MAX_COORDINATE = 10_000_000;

    /** A resolved place: the spec stored as given, its label, and the geometry as EWKB (EPSG:27700). */
    public record Resolved(JsonNode spec, String label, byte[] ewkb) {
    }

    private final DataSource dataSource;
    private final BoundaryRepository boundaries;

    public ProblemPlace(DataSource dataSource, BoundaryRepository boundaries) {
        this.dataSource = dataSource;
        this.boundaries = boundaries;
    }

    /** The current ward set; 409 naming {@code field} when none is loaded (the council area is then unknown). */
    public BoundarySet wards(String field) {
        List<BoundarySet> sets = boundaries.current(BoundaryLevel.WARD);
        if (sets.isEmpty()) {
            throw DomainException.conflict(field, "no current ward boundaries are loaded, so the council area is unknown");
        }
        return sets.get(0);
    }

    /** The current neighbourhood set, if any. */
    public Optional<BoundarySet> neighbourhoods() {
        List<BoundarySet> sets = boundaries.current(BoundaryLevel.NEIGHBOURHOOD);
        return sets.isEmpty() ? boundaries.neighbourhoodsOf(wards("area")) : Optional.of(sets.get(0));
    }

    /** Whether a neighbourhood with this code is in the current neighbourhood set. */
    public boolean neighbourhoodExists(String code) {
        return neighbourhoods().map(set -> boundaries.hasArea(set, code)).orElse(false);
    }

    /** The place {@code area} stands for, checked against the council area. */
    public Resolved resolve(JsonNode area) {
        if (area == null || area.isNull() || area.isMissingNode()) throw DomainException.invalid("area", "area is required");
        BoundarySet wards = wards("area");
        if (area.isTextual()) return boundary(area.asText().strip(), wards);
        if (area.isObject() && area.has("cells")) return cells(area, wards);
        if (area.isObject() && area.has("type")) return polygon(area, wards);
        throw DomainException.invalid("area", "area is \"ward:CODE\", \"neighbourhood:CODE\", a GeoJSON Polygon or "
                + "MultiPolygon, or {\"cell\": 250, \"cells\": [[i, j], …]}");
    }

    private Resolved boundary(String text, BoundarySet wards) {
        int colon = text.indexOf(':');
        String level = colon < 0 ? "" : text.substring(0, colon);
        String code = colon < 0 ? "" : text.substring(colon + 1).strip();
        BoundarySet set;
        if (level.equals("ward")) set = wards;
        else if (level.equals("neighbourhood")) {
            set = neighbourhoods().orElseThrow(() -> DomainException.rejected("area", "no neighbourhoods are defined", null));
        } else {
            throw DomainException.invalid("area", "a named area is \"ward:CODE\" or \"neighbourhood:CODE\", not '" + text + "'");
        }
        ObjectNode spec = Json.mapper().createObjectNode().put(level, code);
        Resolved r = run("""
                SELECT ST_AsEWKB(geom), name, true, NULL, true FROM boundary WHERE set_id = ? AND code = ?""",
                spec, List.of(set.id(), code), wards);
        if (r == null) throw DomainException.rejected("area", "no " + level + " '" + code + "' in the current boundaries", null);
        return r;
    }

    private Resolved polygon(JsonNode area, BoundarySet wards) {
        String type = area.path("type").asText();
        if (!type.equals("Polygon") && !type.equals("MultiPolygon")) {
            throw DomainException.invalid("area", "a drawn area is a GeoJSON Polygon or MultiPolygon, not '" + type + "'");
        }
        if (!area.path("coordinates").isArray()) throw DomainException.invalid("area", "the polygon has no coordinates");
        ObjectNode spec = Json.mapper().createObjectNode().put("polygon", true);
        Resolved r = run("""
                WITH g AS (SELECT ST_Multi(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326), 27700)) AS geom)
                SELECT ST_AsEWKB(geom), 'drawn area', ST_IsValid(geom), ST_IsValidReason(geom), NOT ST_IsEmpty(geom) FROM g""",
                spec, List.of(area.toString()), wards);
        if (r == null) throw DomainException.rejected("area", "the polygon could not be read", null);
        return r;
    }

    private Resolved cells(JsonNode area, BoundarySet wards) {
        JsonNode size = area.path("cell");
        if (!size.canConvertToInt() || !size.isIntegralNumber() || size.asInt() < Grid.MIN_SIZE || size.asInt() > Grid.MAX_SIZE) {
            throw DomainException.invalid("area.cell", "cell is the square's side in metres, a whole number from "
                    + Grid.MIN_SIZE + " to " + Grid.MAX_SIZE);
        }
        int side = size.asInt();
        JsonNode list = area.path("cells");
        if (!list.isArray() || list.isEmpty() || list.size() > MAX_CELLS) {
            throw DomainException.invalid("area.cells", "cells is a list of 1 to " + MAX_CELLS + " [i, j] pairs");
        }
        TreeSet<List<Integer>> unique = new TreeSet<>((a, b) -> a.get(0).equals(b.get(0)) ? a.get(1).compareTo(b.get(1)) : a.get(0).compareTo(b.get(0)));
        long limit = MAX_COORDINATE / side;
        for (JsonNode cell : list) {
            if (!cell.isArray() || cell.size() != 2 || !cell.get(0).isIntegralNumber() || !cell.get(1).isIntegralNumber()
                    || Math.abs(cell.get(0).asLong()) > limit || Math.abs(cell.get(1).asLong()) > limit) {
                throw DomainException.invalid("area.cells", "each cell is [i, j], two whole numbers of the British National Grid");
            }
            unique.add(List.of(cell.get(0).asInt(), cell.get(1).asInt()));
        }
        ObjectNode spec = Json.mapper().createObjectNode().put("cell", side);
        ArrayNode cells = spec.putArray("cells");
        List<Integer> is = new ArrayList<>();
        List<Integer> js = new ArrayList<>();
        for (List<Integer> c : unique) {
            cells.addArray().add(c.get(0)).add(c.get(1));
            is.add(c.get(0));
            js.add(c.get(1));
        }
        String label = unique.size() + (unique.size() == 1 ? " grid cell" : " grid cells") + " of " + side + " m";
        Resolved r = run("""
                WITH g AS (SELECT ST_Multi(ST_Union(ST_SetSRID(ST_Square(?, c.i, c.j), 27700))) AS geom
                           FROM unnest(?::int[], ?::int[]) AS c(i, j))
                SELECT ST_AsEWKB(geom), ?, ST_IsValid(geom), ST_IsValidReason(geom), true FROM g""",
                spec, List.of((double) side, is.toArray(Integer[]::new), js.toArray(Integer[]::new), label), wards);
        if (r == null) throw DomainException.rejected("area", "the cells could not be joined", null);
        return r;
    }

    /**
     * Runs a query giving (ewkb, label, valid, reason, non-empty) and checks the geometry lies within the
     * council area; null when the query gives no row.
     */
    private Resolved run(String sql, JsonNode spec, List<Object> params, BoundarySet wards) {
        try (Connection c = dataSource.getConnection()) {
            byte[] ewkb;
            String label;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return null;
                    if (!rs.getBoolean(5)) throw DomainException.rejected("area", "the area is empty", null);
                    if (!rs.getBoolean(3)) throw DomainException.rejected("area", "the area is not a valid polygon: " + rs.getString(4), null);
                    ewkb = rs.getBytes(1);
                    label = rs.getString(2);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT ST_CoveredBy(ST_GeomFromEWKB(?), ST_Buffer(ST_Union(b.geom), 1)) FROM boundary b WHERE b.set_id = ?""")) {
                ps.setBytes(1, ewkb);
                ps.setLong(2, wards.id());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(1)) {
                        throw DomainException.rejected("area", "the area must lie within the council area (the current wards)", null);
                    }
                }
            }
            return new Resolved(spec, label, ewkb);
        } catch (SQLException e) {
            // PostGIS refuses malformed GeoJSON and coordinates it cannot transform: the client's mistake
            throw DomainException.rejected("area", "the area could not be read as a geometry: " + firstLine(e.getMessage()), null);
        }
    }

    private static String firstLine(String message) {
        if (message == null) return "";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
