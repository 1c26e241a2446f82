-- Incidents partitioned by month (issue 11): incident is PARTITION BY RANGE (occurred_at), one partition
-- per month, bounded at the month's start in Europe/London (the month of rollup_month), plus a DEFAULT
-- partition as a safety net. Old months can then be dropped whole (incident_drop_months_before) and a
-- window's query reads only its months' partitions.
--
-- A partitioned table's unique keys must contain the partition key, so the identity and the
-- deduplication live in a small key table:
-- * incident_key (id, source, external_key, occurred_at): PRIMARY KEY (id) and UNIQUE (source, external_key),
--   one row per incident. incident_event, idempotency_key and incident_photo reference it (ON DELETE CASCADE).
-- * Statement-level triggers on incident keep it in step with every write, set-based over the transition
--   tables: an INSERT adds the key rows (a repeated (source, external_key) fails with 23505 on the
--   constraint incident_source_external_key_key, as before), an UPDATE of occurred_at/source/external_key
--   changes them, a DELETE removes them, and with them (cascade) the events, photos and idempotency keys.
--   So deleting an incident is done through incident, as before; incident ids never change.
-- * incident keeps PRIMARY KEY (id, occurred_at): every partition has a unique index led by id, so
--   WHERE id = ? probes one small index per partition.
--
-- Partitions come to exist through incident_ensure_months(from, to): the writers call it in a short
-- transaction of its own before they write (importers for the months of their file, warden reports and
-- edits for their month), so the brief locks of creating one never stay held through a long import. A
-- row whose month has no partition yet lands in incident_default; when its month's partition is created
-- the rows move there (same ids and month, so the rollups do not change).

-- 1. Free the names of the old table's keys and the references to it.
ALTER TABLE incident_event DROP CONSTRAINT incident_event_incident_id_fkey;
ALTER TABLE idempotency_key DROP CONSTRAINT idempotency_key_incident_id_fkey;
ALTER TABLE incident_photo DROP CONSTRAINT incident_photo_incident_id_fkey;
ALTER TABLE incident RENAME TO incident_v10;
ALTER TABLE incident_v10 DROP CONSTRAINT incident_pkey, DROP CONSTRAINT incident_source_external_key_key;
DROP INDEX incident_geom_idx, incident_occurred_idx, incident_category_idx, incident_recorded_by_idx,
    incident_area_only_idx, incident_offset_month_idx;

-- 2. The key table and the partitioned incident table (same columns, order, defaults and checks).
CREATE TABLE incident_key (
    id           bigint      PRIMARY KEY,
    source       text        NOT NULL,
    external_key text        NOT NULL,
    -- the incident's partition key: finds its month without probing every partition
    occurred_at  timestamptz NOT NULL,
    CONSTRAINT incident_source_external_key_key UNIQUE (source, external_key)
);

CREATE TABLE incident (LIKE incident_v10 INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
    PARTITION BY RANGE (occurred_at);
ALTER SEQUENCE incident_id_seq OWNED BY incident.id;
CREATE TABLE incident_default PARTITION OF incident DEFAULT;

CREATE FUNCTION incident_partition_name(m date) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN 'incident_' || to_char(m, 'YYYY_MM');

-- Creates the partition of month m (its first day) unless it exists. Built as a plain table with a CHECK
-- constraint matching its bounds, filled with the month's rows waiting in the default partition, then
-- attached (the CHECK spares the validation scan of the new table; the default partition is scanned, and
-- is normally empty). Locks: SHARE UPDATE EXCLUSIVE on incident, ACCESS EXCLUSIVE on incident_default
-- until the transaction ends, so call it in a short transaction (incident_ensure_months).
CREATE FUNCTION incident_create_month(m date) RETURNS boolean
    LANGUAGE plpgsql AS $$
DECLARE
    name text := incident_partition_name(m);
    lo   timestamptz := m::timestamp AT TIME ZONE 'Europe/London';
    hi   timestamptz := (m + interval '1 month')::timestamp AT TIME ZONE 'Europe/London';
BEGIN
    IF m <> date_trunc('month', m)::date THEN RAISE EXCEPTION 'not the first day of a month: %', m; END IF;
    -- one creator at a time: the loser of a race waits for the winner's commit, then finds the table
    PERFORM pg_advisory_xact_lock(hashtext('incident_create_month'));
    IF to_regclass(name) IS NOT NULL THEN RETURN false; END IF;
    EXECUTE format('CREATE TABLE %I (LIKE incident INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name);
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (occurred_at >= %L AND occurred_at < %L)',
                   name, name || '_bounds', lo, hi);
    -- direct partition access fires none of incident's statement triggers: the rows only move
    EXECUTE format('WITH moved AS (DELETE FROM incident_default WHERE occurred_at >= %L AND occurred_at < %L RETURNING *)
                    INSERT INTO %I SELECT * FROM moved', lo, hi, name);
    EXECUTE format('ALTER TABLE incident ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, lo, hi);
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', name, name || '_bounds');
    RETURN true;
END $$;

-- Makes sure every month from p_from to p_to (dates; any day of the month) has its partition; returns
-- how many were created. Existing months cost a catalogue lookup each and take no lock.
CREATE FUNCTION incident_ensure_months(p_from date, p_to date) RETURNS integer
    LANGUAGE plpgsql AS $$
DECLARE
    m    date;
    made integer := 0;
BEGIN
    FOR m IN SELECT generate_series(date_trunc('month', p_from), date_trunc('month', p_to), interval '1 month')::date LOOP
        IF to_regclass(incident_partition_name(m)) IS NULL AND incident_create_month(m) THEN made := made + 1; END IF;
    END LOOP;
    RETURN made;
END $$;

-- 3. The existing rows: a partition per month they fall in, then the rows, their keys and the references.
SELECT incident_create_month(m)
FROM (SELECT DISTINCT rollup_month(occurred_at) AS m FROM incident_v10) months ORDER BY m;
INSERT INTO incident SELECT * FROM incident_v10;
INSERT INTO incident_key (id, source, external_key, occurred_at)
SELECT id, source, external_key, occurred_at FROM incident_v10;
DROP TABLE incident_v10;

ALTER TABLE incident ADD CONSTRAINT incident_pkey PRIMARY KEY (id, occurred_at);
CREATE INDEX incident_geom_idx ON incident USING gist (geom);
CREATE INDEX incident_occurred_idx ON incident (occurred_at);
CREATE INDEX incident_category_idx ON incident (category);
CREATE INDEX incident_recorded_by_idx ON incident (recorded_by, recorded_at);
CREATE INDEX incident_area_only_idx ON incident (occurred_at) WHERE geom IS NULL;
CREATE INDEX incident_offset_month_idx ON incident (occurred_at)
    WHERE occurred_precision = 'month'
      AND occurred_at <> (date_trunc('month', occurred_at AT TIME ZONE 'Europe/London') AT TIME ZONE 'Europe/London');

ALTER TABLE incident_event ADD CONSTRAINT incident_event_incident_id_fkey
    FOREIGN KEY (incident_id) REFERENCES incident_key (id) ON DELETE CASCADE;
ALTER TABLE idempotency_key ADD CONSTRAINT idempotency_key_incident_id_fkey
    FOREIGN KEY (incident_id) REFERENCES incident_key (id) ON DELETE CASCADE;
ALTER TABLE incident_photo ADD CONSTRAINT incident_photo_incident_id_fkey
    FOREIGN KEY (incident_id) REFERENCES incident_key (id) ON DELETE CASCADE;

-- 4. The key rows follow every write (statement-level, over the transition tables).
CREATE FUNCTION incident_key_sync() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO incident_key (id, source, external_key, occurred_at)
        SELECT id, source, external_key, occurred_at FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM incident_key WHERE id IN (SELECT id FROM old_rows);
    ELSE
        UPDATE incident_key k SET source = n.source, external_key = n.external_key, occurred_at = n.occurred_at
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE k.id = n.id
          AND (n.source, n.external_key, n.occurred_at) IS DISTINCT FROM (o.source, o.external_key, o.occurred_at);
        IF EXISTS (SELECT 1 FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM incident_key k WHERE k.id = n.id)) THEN
            RAISE EXCEPTION 'an incident id cannot change' USING ERRCODE = 'feature_not_supported';
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER incident_key_insert AFTER INSERT ON incident
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_key_sync();
CREATE TRIGGER incident_key_update AFTER UPDATE ON incident
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_key_sync();
CREATE TRIGGER incident_key_delete AFTER DELETE ON incident
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_key_sync();

-- 5. The V9/V10 triggers, on the partitioned table (statement-level: they fire once per statement on
-- incident, whichever partitions the rows are in; an UPDATE that moves a row to another month's partition
-- is seen by the UPDATE triggers as an update, so the rollups move its counts).
CREATE TRIGGER incident_category_insert AFTER INSERT ON incident
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_category_check();
CREATE TRIGGER incident_category_update AFTER UPDATE ON incident
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_category_check();
CREATE TRIGGER incident_rollup_insert AFTER INSERT ON incident
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_incident_insert();
CREATE TRIGGER incident_rollup_delete AFTER DELETE ON incident
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_incident_delete();
CREATE TRIGGER incident_rollup_update AFTER UPDATE ON incident
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_incident_update();

-- 6. Retention: the rollup rows of months before p_before (the first day of a month). New rollups kept by
-- month add their own DELETE here.
CREATE FUNCTION rollup_forget_months_before(p_before date) RETURNS void
    LANGUAGE sql AS $$
    DELETE FROM area_month_count WHERE month < p_before;
    DELETE FROM cell_month_count WHERE month < p_before;
$$;

-- Drops every month before p_before: whole partitions (with their incident_area and key rows, and by
-- cascade their events, photos and idempotency keys), the rows of those months waiting in the default
-- partition, and the months' rollup rows, in the caller's transaction. Returns each month dropped with
-- its incident count (month NULL: rows from the default partition). Holds ACCESS EXCLUSIVE on incident.
CREATE FUNCTION incident_drop_months_before(p_before date) RETURNS TABLE (month date, incidents bigint)
    LANGUAGE plpgsql AS $$
DECLARE
    cut  timestamptz := p_before::timestamp AT TIME ZONE 'Europe/London';
    part record;
BEGIN
    IF p_before <> date_trunc('month', p_before)::date THEN RAISE EXCEPTION 'not the first day of a month: %', p_before; END IF;
    LOCK TABLE incident IN ACCESS EXCLUSIVE MODE;
    FOR part IN
        SELECT c.relname, to_date(substr(c.relname, 10), 'YYYY_MM') AS m
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'incident'::regclass AND c.relname ~ '^incident_[0-9]{4}_[0-9]{2}$'
          AND to_date(substr(c.relname, 10), 'YYYY_MM') < p_before
        ORDER BY 2
    LOOP
        month := part.m;
        EXECUTE format('DELETE FROM incident_area WHERE incident_id IN (SELECT id FROM %I)', part.relname);
        EXECUTE format('DELETE FROM incident_key WHERE id IN (SELECT id FROM %I)', part.relname);
        GET DIAGNOSTICS incidents = ROW_COUNT;
        EXECUTE format('DROP TABLE %I', part.relname);
        RETURN NEXT;
    END LOOP;
    -- what is left before the cut is in the default partition: deleted row by row, through the triggers
    DELETE FROM incident WHERE occurred_at < cut;
    GET DIAGNOSTICS incidents = ROW_COUNT;
    IF incidents > 0 THEN
        month := NULL;
        RETURN NEXT;
    END IF;
    PERFORM rollup_forget_months_before(p_before);
END $$;
