-- +goose Up
-- The staff group that a person raising a concern chose to give. It is
-- optional, and only ever counted: the guardians' quarterly return to the
-- National Guardian's Office breaks cases down by professional group. NULL
-- when not given, and always for patient safety events.
ALTER TABLE reports ADD COLUMN staff_group TEXT REFERENCES staff_groups(code);

-- +goose Down
ALTER TABLE reports DROP COLUMN staff_group;
