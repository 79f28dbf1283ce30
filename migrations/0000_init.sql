CREATE TABLE `accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`base_url` text NOT NULL,
	`config` text DEFAULT '{}' NOT NULL,
	`last_synced_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`remote_id` text NOT NULL,
	`visitor_name` text,
	`visitor_email` text,
	`server_status` text,
	`local_status` text,
	`status` text GENERATED ALWAYS AS (coalesce(server_status, local_status, 'active')) VIRTUAL NOT NULL,
	`last_message_at` integer NOT NULL,
	`last_message_preview` text,
	`unread_count` integer DEFAULT 0 NOT NULL,
	`muted` integer DEFAULT false NOT NULL,
	`visitor_online` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conversations_account_remote` ON `conversations` (`account_id`,`remote_id`);--> statement-breakpoint
CREATE INDEX `conversations_recent` ON `conversations` (`last_message_at`,`id`);--> statement-breakpoint
CREATE INDEX `conversations_inbox` ON `conversations` (`status`,`last_message_at`,`id`);--> statement-breakpoint
CREATE INDEX `conversations_account_inbox` ON `conversations` (`account_id`,`status`,`last_message_at`,`id`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` integer NOT NULL,
	`remote_id` text,
	`client_id` text,
	`seq` integer DEFAULT 0 NOT NULL,
	`sender_type` text NOT NULL,
	`sender_id` text,
	`sender_name` text,
	`content` text NOT NULL,
	`created_at` integer NOT NULL,
	`read_at` integer,
	`delivery` text DEFAULT 'sent' NOT NULL,
	`failure_reason` text,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_conversation_remote` ON `messages` (`conversation_id`,`remote_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `messages_client_id` ON `messages` (`client_id`);--> statement-breakpoint
CREATE INDEX `messages_conversation_order` ON `messages` (`conversation_id`,`created_at`,`seq`,`id`);--> statement-breakpoint
CREATE INDEX `messages_unread` ON `messages` (`conversation_id`) WHERE read_at IS NULL AND sender_type = 'visitor';--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`conversation_id` integer NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`client_id` text NOT NULL,
	`state` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_client_id` ON `outbox` (`client_id`);--> statement-breakpoint
CREATE TABLE `presence` (
	`account_id` integer NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`online` integer NOT NULL,
	`info` text DEFAULT '{}' NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `subject_type`, `subject_id`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sync_cursors` (
	`account_id` integer NOT NULL,
	`scope` text NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `scope`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
