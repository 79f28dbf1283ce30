CREATE TABLE `search_index_progress` (
	`name` text PRIMARY KEY NOT NULL,
	`indexed_up_to` integer NOT NULL
);
--> statement-breakpoint
-- Messages written before this migration were indexed in their own transactions: all of them are covered.
INSERT INTO `search_index_progress` (`name`, `indexed_up_to`) SELECT 'messages', coalesce(max(`id`), 0) FROM `messages`;
