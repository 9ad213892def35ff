-- A bank entry may be one frame of a known video: where in that video it
-- is (ms), so a match names the moment. NULL for a picture.
ALTER TABLE bank_entries ADD COLUMN frame_ms INTEGER;
