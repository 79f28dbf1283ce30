-- WITHOUT ROWID added by hand before it landed (drizzle cannot describe it): the term is the whole row.
CREATE TABLE `search_terms` (
	`term` text PRIMARY KEY NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
-- The words of every message indexed before this migration, read from the index itself.
CREATE VIRTUAL TABLE `search_terms_backfill` USING fts5vocab(`messages_fts`, 'row');
--> statement-breakpoint
INSERT INTO `search_terms` (`term`) SELECT `term` FROM `search_terms_backfill`;
--> statement-breakpoint
DROP TABLE `search_terms_backfill`;
