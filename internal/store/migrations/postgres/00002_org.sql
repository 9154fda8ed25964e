-- +goose Up
-- sort_name is lower(name) as Go lower-cases it, written by internal/org.
-- Ordering, keyset pagination and case-insensitive search use it; the "C"
-- collation gives byte order, the same as SQLite's default, so both engines
-- order people identically whatever the database's collation.
ALTER TABLE people ADD COLUMN sort_name TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE people SET sort_name = lower(name);
CREATE INDEX people_sort_name ON people(sort_name, id);
CREATE INDEX people_line_manager ON people(line_manager_id);
CREATE INDEX departments_site ON departments(site_id);

-- +goose Down
DROP INDEX departments_site;
DROP INDEX people_line_manager;
DROP INDEX people_sort_name;
ALTER TABLE people DROP COLUMN sort_name;
