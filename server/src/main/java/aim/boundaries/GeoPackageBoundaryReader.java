package aim.boundaries;

import aim.core.DomainException;
import mil.nga.geopackage.GeoPackage;
import mil.nga.geopackage.GeoPackageManager;
import mil.nga.geopackage.features.user.FeatureDao;
import mil.nga.geopackage.features.user.FeatureResultSet;
import mil.nga.geopackage.features.user.FeatureRow;
import mil.nga.geopackage.geom.GeoPackageGeometryData;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Reads the first feature table of an OGC GeoPackage (via NGA's GeoPackage library), row by row. */
final class GeoPackageBoundaryReader implements BoundaryFileReader {
    private final GeoPackage geoPackage;
    private final FeatureDao dao;
    private final int srid;

    private GeoPackageBoundaryReader(GeoPackage geoPackage, FeatureDao dao, int srid) {
        this.geoPackage = geoPackage;
        this.dao = dao;
        this.srid = srid;
    }

    static GeoPackageBoundaryReader open(Path file, Integer sridOverride) {
        GeoPackage gpkg;
        try {
            gpkg = GeoPackageManager.open(file.toFile(), false);
        } catch (RuntimeException e) {
            throw DomainException.rejected("file", "not a readable GeoPackage: " + e.getMessage(), List.of());
        }
        List<String> tables = gpkg.getFeatureTables();
        if (tables.isEmpty()) {
            gpkg.close();
            throw DomainException.rejected("file", "the GeoPackage has no feature table", List.of());
        }
        FeatureDao dao = gpkg.getFeatureDao(tables.get(0));
        int srid;
        if (sridOverride != null) {
            srid = sridOverride;
        } else {
            var srs = dao.getSrs();
            srid = BoundaryFileReader.supportedSrid(srs.getOrganization() + ":" + srs.getOrganizationCoordsysId(), "crs");
        }
        return new GeoPackageBoundaryReader(gpkg, dao, srid);
    }

    @Override
    public int srid() {
        return srid;
    }

    @Override
    public List<String> fieldNames() {
        List<String> names = new ArrayList<>(List.of(dao.getTable().getColumnNames()));
        names.remove(dao.getGeometryColumnName());
        return names;
    }

    @Override
    public void forEach(Consumer<SourceFeature> consumer) throws IOException {
        WKBReader wkb = new WKBReader();
        List<String> fields = fieldNames();
        int index = 0;
        FeatureResultSet rows = dao.queryForAll();
        try {
            while (rows.moveToNext()) {
                index++;
                FeatureRow row = rows.getRow();
                Map<String, Object> properties = new LinkedHashMap<>();
                for (String field : fields) {
                    Object value = row.getValue(field);
                    properties.put(field, value == null ? null : value.toString());
                }
                GeoPackageGeometryData data = row.getGeometry();
                if (data == null || data.isEmpty()) {
                    consumer.accept(new SourceFeature(index, properties, null, "the feature has no geometry"));
                    continue;
                }
                try {
                    consumer.accept(new SourceFeature(index, properties, wkb.read(data.getWkb()), null));
                } catch (ParseException e) {
                    consumer.accept(new SourceFeature(index, properties, null, "unreadable geometry: " + e.getMessage()));
                }
            }
        } finally {
            rows.close();
        }
    }

    @Override
    public void close() {
        geoPackage.close();
    }
}
