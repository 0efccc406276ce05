-- Summaries read scores interviewer by interviewer.
CREATE INDEX scores_by_interviewer ON scores (interviewer, kit_code);
