CREATE TABLE `message_bodies` (
	`message_id` integer PRIMARY KEY NOT NULL,
	`content` text NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
DROP INDEX `messages_client_id`;--> statement-breakpoint
CREATE UNIQUE INDEX `messages_conversation_client_id` ON `messages` (`conversation_id`,`client_id`);