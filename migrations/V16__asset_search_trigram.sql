-- Suggestions for a misspelt directory search ("libary" -> "Central Library"): trigram word similarity
-- (pg_trgm) on asset and organisation names, used by GET /api/assets/search when the text finds nothing.
-- The trigram indexes also serve the search's substring match (name ILIKE '%text%').
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner running the migrations may create it
-- without being a superuser, as V1 does for postgis (IF NOT EXISTS: an administrator may have made it already).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX asset_name_trgm_idx ON asset USING gin (name gin_trgm_ops);
CREATE INDEX organisation_name_trgm_idx ON organisation USING gin (name gin_trgm_ops);
