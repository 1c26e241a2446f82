package aim.boundaries;

import aim.testing.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import mil.nga.geopackage.GeoPackage;
import mil.nga.geopackage.GeoPackageManager;
import mil.nga.geopackage.db.GeoPackageDataType;
import mil.nga.geopackage.features.columns.GeometryColumns;
import mil.nga.geopackage.features.user.FeatureColumn;
import mil.nga.geopackage.features.user.FeatureDao;
import mil.nga.geopackage.features.user.FeatureRow;
import mil.nga.geopackage.features.user.FeatureTableMetadata;
import mil.nga.geopackage.geom.GeoPackageGeometryData;
import mil.nga.sf.GeometryType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.io.WKBWriter;
import org.locationtech.jts.io.WKTReader;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A GeoPackage in British National Grid, written with NGA's library, imports like GeoJSON. */
@Tag("postgis")
class GeoPackageImportPostgisTest {

    @Test
    void importsAGeoPackageInBritishNationalGridWithNamedFields(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("zones.gpkg");
        writeGeoPackage(file, List.of(
                new String[]{"SLL1", "Licensing area 1", "POLYGON ((450000 515000, 451000 515000, 451000 516000, 450000 516000, 450000 515000))"},
                new String[]{"SLL2", "Licensing area 2", "POLYGON ((451000 515000, 452000 515000, 452000 516000, 451000 516000, 451000 515000))"}));
        try (HikariDataSource db = TestDatabase.fresh()) {
            var options = new BoundaryImportOptions(BoundaryLevel.ZONE, "licensing", null, null, "area_id", "area_name",
                    null, false, false, null);
            var report = new BoundaryImporter(db).importFile(file, options);
            assertEquals(27700, report.srid());
            assertEquals(2, report.imported());
            try (var c = db.getConnection(); var st = c.createStatement();
                 var rs = st.executeQuery("SELECT sum(area_m2), string_agg(name, ',' ORDER BY code) FROM boundary")) {
                rs.next();
                assertEquals(2_000_000, rs.getDouble(1), 0.01);
                assertEquals("Licensing area 1,Licensing area 2", rs.getString(2));
            }
        }
    }

    private static void writeGeoPackage(Path file, List<String[]> rows) throws Exception {
        GeoPackageManager.create(file.toFile());
        try (GeoPackage gpkg = GeoPackageManager.open(file.toFile())) {
            // NGA's library has no built-in definition of EPSG:27700, so register it as a GIS tool would
            var srs = new mil.nga.geopackage.srs.SpatialReferenceSystem();
            srs.setSrsName("OSGB36 / British National Grid");
            srs.setSrsId(27700);
            srs.setOrganization("EPSG");
            srs.setOrganizationCoordsysId(27700);
            srs.setDefinition("PROJCS[\"OSGB36 / British National Grid\",GEOGCS[\"OSGB36\",DATUM[\"Ordnance_Survey_of_Great_Britain_1936\","
                    + "SPHEROID[\"Airy 1830\",6377563.396,299.3249646]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]],"
                    + "PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",49],PARAMETER[\"central_meridian\",-2],"
                    + "PARAMETER[\"scale_factor\",0.9996012717],PARAMETER[\"false_easting\",400000],PARAMETER[\"false_northing\",-100000],"
                    + "UNIT[\"metre\",1],AUTHORITY[\"EPSG\",\"27700\"]]");
            gpkg.getSpatialReferenceSystemDao().create(srs);
            GeometryColumns columns = new GeometryColumns();
            columns.setTableName("zones");
            columns.setColumnName("geom");
            columns.setGeometryType(GeometryType.POLYGON);
            columns.setZ((byte) 0);
            columns.setM((byte) 0);
            columns.setSrs(srs);
            gpkg.createFeatureTable(FeatureTableMetadata.create(columns, List.of(
                    FeatureColumn.createColumn("area_id", GeoPackageDataType.TEXT),
                    FeatureColumn.createColumn("area_name", GeoPackageDataType.TEXT))));
            FeatureDao dao = gpkg.getFeatureDao("zones");
            WKTReader wkt = new WKTReader();
            for (String[] r : rows) {
                FeatureRow row = dao.newRow();
                row.setValue("area_id", r[0]);
                row.setValue("area_name", r[1]);
                row.setGeometry(GeoPackageGeometryData.createFromWkb(srs.getSrsId(), new WKBWriter().write(wkt.read(r[2]))));
                dao.create(row);
            }
        }
    }
}
