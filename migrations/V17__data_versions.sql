-- Data versions: one counter per kind of data, bumped in the same transaction as any statement that changes it.
-- ETags (OGC API items, vector tiles, TileJSON, public downloads) and caches are keyed by these counters, so a
-- client or cache never keeps serving a response after new data arrives, and an unchanged layer keeps its ETag.
--
-- Statement-level triggers (one bump per statement, not per row). Incidents are tracked through incident_key,
-- which every path that adds, changes or drops incidents writes (the insert triggers, the import that attaches a
-- whole month's partition, the update/delete sync and retention's drop of whole months).
CREATE TABLE data_version (
    name       text PRIMARY KEY,
    version    bigint NOT NULL DEFAULT 1,
    changed_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO data_version (name) VALUES ('incidents'), ('boundaries'), ('assets'), ('problems');

CREATE FUNCTION data_version_bump() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE data_version SET version = version + 1, changed_at = now() WHERE name = TG_ARGV[0];
    RETURN NULL;
END $$;

CREATE TRIGGER data_version_incidents AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON incident_key
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('incidents');
CREATE TRIGGER data_version_categories AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON incident_category
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('incidents');
CREATE TRIGGER data_version_boundary_sets AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON boundary_set
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('boundaries');
CREATE TRIGGER data_version_boundaries AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON boundary
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('boundaries');
CREATE TRIGGER data_version_population AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON population
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('boundaries');
CREATE TRIGGER data_version_neighbourhood_wards AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON neighbourhood_ward
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('boundaries');
CREATE TRIGGER data_version_assets AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON asset
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('assets');
CREATE TRIGGER data_version_problems AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON problem
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('problems');
