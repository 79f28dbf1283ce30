CREATE TABLE `conversation_members` (
	`conversation_id` integer NOT NULL,
	`member_id` text NOT NULL,
	`name` text,
	`presence` text DEFAULT 'offline' NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`conversation_id`, `member_id`),
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `conversations` ADD `visitor_presence` text;