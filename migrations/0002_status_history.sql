CREATE TABLE `conversation_status_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` integer NOT NULL,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`changed_at` integer NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `conversation_status_history_order` ON `conversation_status_history` (`conversation_id`,`changed_at`,`id`);--> statement-breakpoint
CREATE INDEX `conversations_account_visitor_email` ON `conversations` (`account_id`,lower("visitor_email"));--> statement-breakpoint
-- Added by hand to the generated migration: conversations mirrored before this version start their
-- history with the status they have now, recorded at upgrade time (when they changed before is unknown).
INSERT INTO `conversation_status_history` (`conversation_id`, `status`, `source`, `changed_at`)
  SELECT `id`, `status`, 'initial', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) FROM `conversations`;
