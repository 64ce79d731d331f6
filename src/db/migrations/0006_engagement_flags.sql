CREATE TABLE "engagement_flags" (
	"id" text PRIMARY KEY NOT NULL,
	"event_id" text,
	"play_user_id" text,
	"artist_id" text,
	"reason" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"scope_from" timestamp with time zone,
	"flagged_at" timestamp with time zone NOT NULL,
	"cleared_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "engagement_flags" ADD CONSTRAINT "engagement_flags_event_id_engagement_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."engagement_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_flags" ADD CONSTRAINT "engagement_flags_play_user_id_play_users_id_fk" FOREIGN KEY ("play_user_id") REFERENCES "public"."play_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "engagement_flags_event_idx" ON "engagement_flags" USING btree ("event_id") WHERE "engagement_flags"."event_id" is not null;--> statement-breakpoint
CREATE INDEX "engagement_flags_user_idx" ON "engagement_flags" USING btree ("play_user_id") WHERE "engagement_flags"."play_user_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "engagement_flags_user_reason_uq" ON "engagement_flags" USING btree ("play_user_id","reason") WHERE "engagement_flags"."play_user_id" is not null and "engagement_flags"."cleared_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "engagement_flags_event_reason_uq" ON "engagement_flags" USING btree ("event_id","reason") WHERE "engagement_flags"."event_id" is not null;