CREATE TABLE `feed_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`remote_id` text NOT NULL,
	`type` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`payload` text,
	`created_at` integer NOT NULL,
	`read_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `feed_entries_account_remote` ON `feed_entries` (`account_id`,`remote_id`);--> statement-breakpoint
CREATE INDEX `feed_entries_recent` ON `feed_entries` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `feed_entries_account_recent` ON `feed_entries` (`account_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `feed_entries_unread` ON `feed_entries` (`account_id`) WHERE read_at IS NULL;--> statement-breakpoint
DROP INDEX `messages_unread`;--> statement-breakpoint
ALTER TABLE `messages` ADD `kind` text DEFAULT 'text' NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `payload` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `edited_at` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `deleted_at` integer;--> statement-breakpoint
CREATE INDEX `messages_unread` ON `messages` (`conversation_id`) WHERE read_at IS NULL AND sender_type IN ('visitor', 'member');--> statement-breakpoint
-- Feed entries are searchable like messages (external content, written by the application in
-- the same transaction as the row, as in 0001_fts).
CREATE VIRTUAL TABLE `feed_fts` USING fts5(
	title,
	body,
	content='feed_entries',
	content_rowid='id',
	tokenize='unicode61 remove_diacritics 2'
);
