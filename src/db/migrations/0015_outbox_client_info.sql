ALTER TABLE "conversion_outbox" DROP CONSTRAINT "conversion_outbox_play_user_id_play_users_id_fk";
--> statement-breakpoint
DROP INDEX "conversion_outbox_user_idx";--> statement-breakpoint
DROP INDEX "conversion_outbox_due_idx";--> statement-breakpoint
ALTER TABLE "conversion_outbox" ADD COLUMN "client_sealed" text;--> statement-breakpoint
ALTER TABLE "conversion_outbox" ADD COLUMN "consent_subject" text;--> statement-breakpoint
CREATE INDEX "conversion_outbox_subject_idx" ON "conversion_outbox" USING btree ("consent_subject") WHERE "conversion_outbox"."consent_subject" is not null;--> statement-breakpoint
CREATE INDEX "conversion_outbox_due_idx" ON "conversion_outbox" USING btree ("destination_id","next_attempt_at","id") WHERE "conversion_outbox"."status" = 'pending';