CREATE TABLE "fan_library_states" (
	"play_user_id" text NOT NULL,
	"uri" text NOT NULL,
	"artist_id" text NOT NULL,
	"smart_link_id" text,
	"saved" boolean NOT NULL,
	"checked_at" timestamp with time zone NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "fan_library_states_play_user_id_uri_pk" PRIMARY KEY("play_user_id","uri")
);
--> statement-breakpoint
CREATE TABLE "fan_revocations" (
	"id" text PRIMARY KEY NOT NULL,
	"play_user_id" text,
	"confirmed_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fan_sync_gaps" (
	"id" text PRIMARY KEY NOT NULL,
	"play_user_id" text NOT NULL,
	"from_at" timestamp with time zone NOT NULL,
	"to_at" timestamp with time zone NOT NULL,
	"detected_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fan_sync_states" (
	"play_user_id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"after_ms" bigint,
	"last_synced_at" timestamp with time zone,
	"library_checked_at" timestamp with time zone,
	"last_error" text,
	"suspected_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_buckets" (
	"name" text PRIMARY KEY NOT NULL,
	"tokens" double precision NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"message" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"cleared_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "artists" ADD COLUMN "attribution_window_days" integer DEFAULT 28 NOT NULL;--> statement-breakpoint
ALTER TABLE "fan_library_states" ADD CONSTRAINT "fan_library_states_play_user_id_play_users_id_fk" FOREIGN KEY ("play_user_id") REFERENCES "public"."play_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fan_revocations" ADD CONSTRAINT "fan_revocations_play_user_id_play_users_id_fk" FOREIGN KEY ("play_user_id") REFERENCES "public"."play_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fan_sync_gaps" ADD CONSTRAINT "fan_sync_gaps_play_user_id_play_users_id_fk" FOREIGN KEY ("play_user_id") REFERENCES "public"."play_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fan_sync_states" ADD CONSTRAINT "fan_sync_states_play_user_id_play_users_id_fk" FOREIGN KEY ("play_user_id") REFERENCES "public"."play_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fan_library_states_artist_idx" ON "fan_library_states" USING btree ("artist_id","saved");--> statement-breakpoint
CREATE INDEX "fan_revocations_confirmed_idx" ON "fan_revocations" USING btree ("confirmed_at");--> statement-breakpoint
CREATE INDEX "fan_sync_gaps_user_idx" ON "fan_sync_gaps" USING btree ("play_user_id");--> statement-breakpoint
CREATE INDEX "fan_sync_gaps_detected_idx" ON "fan_sync_gaps" USING btree ("detected_at");--> statement-breakpoint
CREATE INDEX "fan_sync_states_status_idx" ON "fan_sync_states" USING btree ("status");--> statement-breakpoint
CREATE INDEX "sync_alerts_open_idx" ON "sync_alerts" USING btree ("kind") WHERE "sync_alerts"."cleared_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "engagement_events_stream_uq" ON "engagement_events" USING btree ("play_user_id",("detail"->>'trackId'),"occurred_at") WHERE "engagement_events"."type" = 'STREAM';