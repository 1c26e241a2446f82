package aim.boundaries;

import aim.core.DomainException;
import aim.db.SqlFragment;

/**
 * The area an analysis covers: the whole borough (every ward of a ward version, by default the
 * current one), one neighbourhood, or one ward. Written in requests as {@code area=borough},
 * {@code area=neighbourhood:CODE} or {@code area=ward:CODE}.
 *
 * @param wards    the ward set the analysis refers to (ward of each incident, populations)
 * @param setId    the boundary set holding {@code code} (the ward set for the borough)
 * @param code     the area's code, or null for the whole borough
 */
public record StudyArea(String label, BoundarySet wards, long setId, BoundaryLevel level, String code) {

    public static StudyArea resolve(BoundaryRepository boundaries, String area, String wardVersion) {
        BoundarySet wards = BoundaryVersions.resolve(boundaries, BoundaryLevel.WARD, wardVersion).get(0);
        if (area == null || area.isBlank() || area.equals("borough")) {
            return new StudyArea("borough (" + wards.version() + " wards)", wards, wards.id(), BoundaryLevel.WARD, null);
        }
        int colon = area.indexOf(':');
        String kind = colon < 0 ? area : area.substring(0, colon);
        String code = colon < 0 ? "" : area.substring(colon + 1).trim();
        if (code.isEmpty() || !(kind.equals("ward") || kind.equals("neighbourhood"))) {
            throw DomainException.invalid("area", "area is borough, neighbourhood:CODE or ward:CODE, not '" + area + "'");
        }
        if (kind.equals("ward")) {
            if (!boundaries.hasArea(wards, code)) throw DomainException.invalid("area", "no ward '" + code + "' in ward version " + wards.version());
            return new StudyArea("ward " + code, wards, wards.id(), BoundaryLevel.WARD, code);
        }
        BoundarySet neighbourhoods = boundaries.neighbourhoodsOf(wards).orElseThrow(() ->
                DomainException.invalid("area", "no neighbourhoods are defined on ward version " + wards.version()));
        if (!boundaries.hasArea(neighbourhoods, code)) {
            throw DomainException.invalid("area", "no neighbourhood '" + code + "' in version " + neighbourhoods.version());
        }
        return new StudyArea("neighbourhood " + code, wards, neighbourhoods.id(), BoundaryLevel.NEIGHBOURHOOD, code);
    }

    /** SQL selecting the study area's parts ({@code geom}, EPSG:27700): the borough's wards, or the one area. */
    public SqlFragment parts() {
        if (code == null) return SqlFragment.of("SELECT geom FROM boundary WHERE set_id = ?", setId);
        return SqlFragment.of("SELECT geom FROM boundary WHERE set_id = ? AND code = ?", setId, code);
    }

    /** SQL for the study area's geometry (EPSG:27700): the union of the borough's wards, or the one area. */
    public SqlFragment geometry() {
        if (code == null) return SqlFragment.of("(SELECT ST_Union(geom) FROM boundary WHERE set_id = ?)", setId);
        return SqlFragment.of("(SELECT geom FROM boundary WHERE set_id = ? AND code = ?)", setId, code);
    }
}
