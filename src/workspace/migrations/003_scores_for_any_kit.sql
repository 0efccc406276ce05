-- Scores may come from kits made in another workspace (their kit.json beside the sheet):
-- the scores table no longer requires the kit to be recorded here, and every scored kit
-- keeps its kit.json so a summary can be recomputed from the workspace alone.
CREATE TABLE scored_kits (
    code TEXT PRIMARY KEY,
    kit_json TEXT NOT NULL
);
CREATE TABLE scores_new (
    kit_code TEXT NOT NULL REFERENCES scored_kits (code) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    interviewer TEXT NOT NULL,
    score INTEGER,
    notes TEXT NOT NULL DEFAULT '',
    source_file TEXT NOT NULL,
    source_row INTEGER NOT NULL,
    PRIMARY KEY (kit_code, question_id, interviewer)
);
INSERT INTO scored_kits (code, kit_json)
    SELECT DISTINCT k.code, k.kit_json FROM scores s JOIN kits k ON k.code = s.kit_code
    WHERE k.kit_json IS NOT NULL;
INSERT INTO scores_new SELECT s.* FROM scores s JOIN scored_kits k ON k.code = s.kit_code;
DROP INDEX scores_by_interviewer;
DROP TABLE scores;
ALTER TABLE scores_new RENAME TO scores;
CREATE INDEX scores_by_interviewer ON scores (interviewer, kit_code);
